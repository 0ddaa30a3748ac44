//! The audit pack, from the dashboard: one ZIP for the auditor, made in this browser from its
//! own copy of every document (so it works offline), for now or as of the end of a past day.
//! `quorum_shared::pack` makes it a document at a time; between documents the page shows how
//! far it has come.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use quorum_shared::model::Date;
use quorum_shared::pack::{PackBuilder, PackMeta};

use crate::files;
use crate::session::{self, Session};
use crate::split::split;
use crate::timer::delay;

// The pack's writers (ZIP, CSV, the report) are a large part of the app that opening a workspace
// never needs: in the optimized build they arrive with the panel.
split!(pub fn panel(session: Session) in audit_pack => view! { <AuditPackPanel session/> });

/// Where making the pack is.
#[derive(Clone, Debug, PartialEq)]
enum State {
    Idle,
    /// Packing the `done`-th of `total` documents, `step` in words.
    Building {
        done: usize,
        total: usize,
        step: String,
    },
    Built(Built),
    Failed(String),
}

/// A pack made, offered for download at `url`.
#[derive(Clone, Debug, PartialEq)]
struct Built {
    url: String,
    name: String,
    bytes: usize,
    documents: usize,
    /// Documents the root lists that this browser does not hold.
    missing: usize,
}

#[component]
pub fn AuditPackPanel(session: Session) -> impl IntoView {
    let state = RwSignal::new(State::Idle);
    // "" for now, else the day (YYYY-MM-DD) the pack shows the workspace at the end of.
    let as_of = RwSignal::new(String::new());
    let today = session::today().to_string();
    let building = move || matches!(state.get(), State::Building { .. });
    on_cleanup(move || {
        if let State::Built(built) = state.get_untracked() {
            files::revoke(&built.url);
        }
    });
    let build = move |_| {
        let day = as_of.get_untracked();
        let as_of_ms = match day.as_str() {
            "" => None,
            day => match day.parse::<Date>() {
                Ok(date) => Some(date.end_ms(session::timezone_offset())),
                Err(_) => {
                    state.set(State::Failed(format!("\"{day}\" is not a date; pick one, or choose now.")));
                    return;
                }
            },
        };
        if let State::Built(built) = state.get_untracked() {
            files::revoke(&built.url);
        }
        state.set(State::Building { done: 0, total: 1, step: "Reading the workspace".into() });
        spawn_local(async move {
            state.set(match make(session, as_of_ms, state).await {
                Ok(built) => {
                    files::download(&built.url, &built.name);
                    State::Built(built)
                }
                Err(why) => State::Failed(why),
            });
        });
    };
    view! {
        <section class="card audit-pack" aria-labelledby="audit-pack-heading">
            <h2 id="audit-pack-heading">"Audit pack"</h2>
            <p class="muted">
                "One ZIP to hand your auditor: a printable report, every register as CSV and Excel, the evidence index, "
                "the full history, every document, and a manifest that "<code>"quorum verify"</code>" checks without a network. "
                "Made here from this browser's copy, so it works offline."
            </p>
            <fieldset class="audit-pack-when" prop:disabled=building>
                <legend>"Show the workspace"</legend>
                <label>
                    <input type="radio" name="audit-pack-when" id="audit-pack-now"
                        prop:checked=move || as_of.get().is_empty()
                        on:change=move |_| as_of.set(String::new())/>
                    " as it is now"
                </label>
                <label>
                    <input type="radio" name="audit-pack-when" id="audit-pack-past"
                        prop:checked=move || !as_of.get().is_empty()
                        on:change={
                            let today = today.clone();
                            move |_| if as_of.get_untracked().is_empty() { as_of.set(today.clone()) }
                        }/>
                    " as it stood at the end of "
                </label>
                <input type="date" id="audit-pack-date" aria-label="The day the pack shows the workspace at the end of"
                    max=today.clone()
                    prop:value=move || as_of.get()
                    on:change=move |ev| as_of.set(event_target_value(&ev))/>
            </fieldset>
            <div class="audit-pack-actions">
                <button type="button" id="audit-pack-build" class="button" on:click=build prop:disabled=building>
                    {move || if building() { "Making the pack…" } else { "Make the audit pack" }}
                </button>
                <A href="/verify" attr:class="button-quiet">"Verify a pack"</A>
            </div>
            {move || match state.get() {
                State::Idle => ().into_any(),
                State::Building { done, total, step } => view! {
                    <div class="audit-pack-progress" role="status">
                        <progress id="audit-pack-progress" max=total value=done></progress>
                        <span>{step}</span>
                    </div>
                }.into_any(),
                State::Built(Built { url, name, bytes, documents, missing }) => view! {
                    <p class="audit-pack-done" role="status">
                        {format!("Made: {documents} documents, {}. ", size(bytes))}
                        <a id="audit-pack-download" href=url download=name.clone()>{format!("Download {name} again")}</a>
                        {(missing > 0).then(|| view! {
                            <span class="field-error">{format!(" {missing} documents were not in this browser and are named in the report.")}</span>
                        })}
                    </p>
                }.into_any(),
                State::Failed(why) => view! { <p id="audit-pack-error" class="field-error" role="alert">{why}</p> }.into_any(),
            }}
        </section>
    }
}

/// Makes the pack a document at a time, letting the page draw its progress between them.
async fn make(session: Session, as_of_ms: Option<i64>, state: RwSignal<State>) -> Result<Built, String> {
    let membership = session.membership();
    let root_id = membership.root_id().to_owned();
    let root = untrack(|| session.read_log(&root_id, |doc| doc.save()))
        .ok_or("The workspace is still opening; try again in a moment.")?;
    let generated_at_ms = session::now_ms();
    let meta = PackMeta {
        workspace_id: membership.workspace_id.clone(),
        generated_at_ms,
        as_of_ms,
        keys: untrack(|| session.certified_keys()),
    };
    let mut builder = PackBuilder::new(meta, &root_id, &root).map_err(|e| e.to_string())?;
    let documents = builder.documents();
    let total = documents.len() + 1;
    let mut missing = 0;
    for (done, (id, _, title)) in documents.iter().enumerate() {
        state.set(State::Building {
            done,
            total,
            step: format!("Packing {title} ({} of {})", done + 1, documents.len()),
        });
        let _ = delay(0).await;
        match untrack(|| session.read_log(&id.to_string(), |doc| doc.save())) {
            Some(bytes) => builder.add_document(id, &bytes).map_err(|e| e.to_string())?,
            None => {
                builder.note_missing(id);
                missing += 1;
            }
        }
    }
    state.set(State::Building {
        done: documents.len(),
        total,
        step: "Writing the report, the registers and the manifest".into(),
    });
    let _ = delay(0).await;
    let zip = builder.finish().map_err(|e| e.to_string())?;
    let day = Date::of_ms(as_of_ms.unwrap_or(generated_at_ms), session::timezone_offset());
    let name = format!("audit-pack-{}-{day}.zip", slug(&session.workspace_name()));
    let url = files::object_url(&zip, "application/zip")?;
    Ok(Built { url, name, bytes: zip.len(), documents: documents.len() + 1 - missing, missing })
}

/// A workspace's name as a file name's part: lowercase letters and digits joined by dashes.
fn slug(name: &str) -> String {
    let words: Vec<String> =
        name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    if words.is_empty() { "workspace".to_owned() } else { words.join("-") }
}

fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    #[wasm_bindgen_test]
    fn a_pack_is_named_after_its_workspace() {
        assert_eq!(slug("Acme AI — Risk & Co."), "acme-ai-risk-co");
        assert_eq!(slug("—"), "workspace");
        assert_eq!(size(2_500), "3 KB");
        assert_eq!(size(3 * 1024 * 1024), "3.0 MB");
    }
}
