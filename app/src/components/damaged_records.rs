//! The notice of damaged records, above every page of the workspace: a record that does not
//! read (written by a hostile editor, or by a newer version this one cannot read yet) is left out
//! of the page rather than blanking it, and shown here with who wrote it last and when, so an
//! editor can repair it (as it was before that write) or remove it. See `model/damage.rs`.
//!
//! ```ignore
//! <DamagedRecords/>   // inside the workspace frame, beside the page
//! ```

use leptos::prelude::*;
use quorum_shared::model::{self, Damaged, Workspace};

use crate::components::history::words::{device, moment};
use crate::components::recent_changes::member_name;
use crate::explain::explain;
use crate::session::{self, Session};

/// One notice per document of the workspace that has damaged records; nothing otherwise.
#[component]
pub fn DamagedRecords() -> impl IntoView {
    let session = expect_context::<Session>();
    let root = session.membership().root_id().to_owned();
    // Looked for once the page has drawn: a workspace opens as fast with the notice as without.
    let drawn = RwSignal::new(false);
    set_timeout(move || drawn.set(true), std::time::Duration::ZERO);
    let documents = Memo::new(move |_| {
        if !drawn.get() {
            return Vec::new();
        }
        let mut listed = vec![(root.clone(), "The workspace".to_owned())];
        if let Some(workspace) = session.read(&root, |doc| Workspace::load(doc).ok()).flatten() {
            listed.extend(workspace.documents.into_iter().map(|(id, entry)| (id.to_string(), entry.title)));
        }
        listed
    });
    view! {
        <For each=move || documents.get() key=|document| document.clone() let:document>
            <DocumentDamage doc_id=document.0 title=document.1/>
        </For>
    }
}

/// The damaged records of one document. Each document has its own memo, so an edit reads
/// only the document it changed again.
#[component]
fn DocumentDamage(doc_id: String, title: String) -> impl IntoView {
    let session = expect_context::<Session>();
    let doc_id = StoredValue::new(doc_id);
    let found =
        Memo::new(move |_| doc_id.with_value(|id| session.read(id, model::damaged)).unwrap_or_default());
    let problem = RwSignal::new(None::<String>);
    let title = StoredValue::new(title);
    move || {
        let found = found.get();
        let count = found.len();
        (count > 0).then(|| {
            let heading = match count {
                1 => format!("1 damaged record in {}", title.get_value()),
                n => format!("{n} damaged records in {}", title.get_value()),
            };
            let lines = found
                .into_iter()
                .map(|damaged| view! { <DamagedLine doc_id=doc_id.get_value() damaged problem/> })
                .collect_view();
            view! {
                <section class="damage-notice" role="alert" aria-label=heading.clone()>
                    <h2>{heading.clone()}</h2>
                    <p>
                        "This page leaves them out so that everything else still works. They are kept "
                        "as they are; someone with a newer version of Quorum may be able to read them."
                    </p>
                    <ul>{lines}</ul>
                    {move || problem.get().map(|p| view! { <p class="damage-problem" role="status">{p}</p> })}
                </section>
            }
        })
    }
}

/// One damaged record: where, why, who wrote it last, and (for an editor) repair and remove.
#[component]
fn DamagedLine(doc_id: String, damaged: Damaged, problem: RwSignal<Option<String>>) -> impl IntoView {
    let session = expect_context::<Session>();
    let root = session.membership().root_id().to_owned();
    let place = session.read(&doc_id, |doc| place(doc, &damaged.path)).unwrap_or_default();
    let written = damaged.last_write.as_ref().and_then(|write| {
        let entry = session.read_history(&doc_id, |doc| model::written_by(doc, write)).flatten()?;
        let workspace = session.read(&root, |doc| Workspace::load(doc).ok()).flatten();
        let who = match workspace.as_ref().and_then(|w| w.member_for_actor_hex(&entry.actor)) {
            Some(_) => member_name(workspace.as_ref(), &entry.actor),
            None => format!("a device the workspace does not list ({})", device(&entry.actor)),
        };
        Some(format!(" Last written by {who}, {}.", moment(entry.time_ms, session::timezone_offset())))
    });
    let why = damaged.damage.to_string();
    let detail = format!("{:?}", damaged.damage);
    // Removing a whole register, or the document's own fields, would take sound records with it.
    let removable = damaged.path.len() >= 2;
    let whole = damaged.path.is_empty();
    // Which action waits for a yes: `Some(true)` repair, `Some(false)` remove.
    let asking = RwSignal::new(None::<bool>);
    let act = move |repair: bool| {
        let done = session.edit(&doc_id, |doc| match repair {
            true => model::repair(doc, session::now_ms(), &damaged),
            false => model::remove_damaged(doc, session::now_ms(), &damaged),
        });
        asking.set(None);
        problem.set(done.err().map(|error| explain(&error)));
    };
    let act = StoredValue::new(act);
    let label = place.clone();
    let actions = move || {
        match asking.get() {
        Some(repair) => {
            let (question, yes) = match repair {
                true => (format!("Repair {label} as it was before its last write? This adds a new change."), "Yes, repair"),
                false => (format!("Remove {label}? It stays in the document's history."), "Yes, remove"),
            };
            view! {
                <span class="damage-confirm" role="group" aria-label=question.clone()>
                    <span>{question.clone()}</span>
                    <button type="button" class="button-danger damage-confirm-yes" on:click=move |_| act.with_value(|act| act(repair))>
                        {yes}
                    </button>
                    <button type="button" class="button-quiet" on:click=move |_| asking.set(None)>"Cancel"</button>
                </span>
            }
            .into_any()
        }
        None => view! {
            <span class="damaged-actions">
                <button type="button" on:click=move |_| asking.set(Some(true))>"Repair"</button>
                {removable.then(|| view! {
                    <button type="button" class="danger" on:click=move |_| asking.set(Some(false))>"Remove"</button>
                })}
            </span>
        }
        .into_any(),
    }
    };
    view! {
        <li class="damaged-record">
            <span class="damaged-place">{place}</span>": "
            <span title=detail>{why}</span>"."{written}
            <Show when=move || session.can_edit() && !whole>{actions.clone()}</Show>
        </li>
    }
}

/// Where a damaged record is, in words: each step of its path by the name or title of what is
/// there when that still reads, a register by its name, and a key by its start.
fn place(doc: &automerge::AutoCommit, path: &[String]) -> String {
    use automerge::{ReadDoc, Value};
    if path.is_empty() {
        return "The document".to_owned();
    }
    let mut obj = Some(automerge::ROOT);
    let mut steps = Vec::new();
    for step in path {
        let here = obj.take().and_then(|parent| match doc.get(&parent, step.as_str()).ok()?? {
            (Value::Object(_), id) => Some(id),
            _ => None,
        });
        let named = here.as_ref().and_then(|record| {
            ["name", "title"].iter().find_map(|field| match doc.get(record, *field).ok()?? {
                (Value::Scalar(s), _) => {
                    s.as_str().map(|s| format!("“{}”", s.chars().take(60).collect::<String>()))
                }
                _ => None,
            })
        });
        let is_property = step.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        steps.push(
            named.unwrap_or_else(|| if is_property { words(step) } else { step.chars().take(12).collect() }),
        );
        obj = here;
    }
    steps.join(" › ")
}

/// A stored name as words: `corrective_actions` reads "Corrective actions".
fn words(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::words;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_stored_name_reads_as_words() {
        assert_eq!(words("corrective_actions"), "Corrective actions");
        assert_eq!(words("members"), "Members");
        assert_eq!(words(""), "");
    }
}
