//! The evidence of one control's implementation: what an auditor would be shown (a procedure, a
//! test report, a ticket), each a label and where to find it. A web address becomes a link;
//! anything else (a file path, a shelf) is shown as written. Each add and delete is one register
//! operation on the SoA document.

use leptos::prelude::*;
use quorum_shared::model::{self, ControlId, Evidence, EvidenceId, Position};

use crate::explain::explain;
use crate::session::{Session, now_ms, random_id};

#[component]
pub fn EvidenceList(
    session: Session,
    doc_id: StoredValue<String>,
    control: ControlId,
    #[prop(into)] evidence: Signal<Vec<(EvidenceId, Evidence)>>,
) -> impl IntoView {
    let label = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let ids = move |part: &str| format!("soa-{control}-evidence-{part}");
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (what, place) = (label.get_untracked().trim().to_owned(), link.get_untracked().trim().to_owned());
        if what.is_empty() {
            error.set(Some("Name the evidence, such as \"Data quality procedure v2\".".into()));
            return;
        }
        let result = doc_id.with_value(|id| {
            session.edit(id, |doc| {
                model::add(doc, now_ms(), random_id(), Evidence::new(control, &what, &place), Position::Last)
                    .map(|_| ())
            })
        });
        if result.is_ok() {
            label.set(String::new());
            link.set(String::new());
        }
        error.set(result.err().as_ref().map(explain));
    };
    let remove = move |evidence: EvidenceId| {
        let result = doc_id.with_value(|id| session.edit(id, |doc| model::delete(doc, now_ms(), evidence)));
        error.set(result.err().as_ref().map(explain));
    };
    view! {
        <div class="soa-evidence">
            <h4>"Evidence"</h4>
            {move || {
                let items = evidence.get();
                if items.is_empty() {
                    return view! { <p class="muted">"None linked yet: add what an auditor would be shown."</p> }.into_any();
                }
                view! {
                    <ul class="evidence-list">
                        {items
                            .into_iter()
                            .map(|(id, item)| {
                                let name = item.label.clone();
                                view! {
                                    <li class="evidence" data-evidence=id.to_string()>
                                        {shown(&item)}
                                        <Show when=move || session.can_edit()>
                                            <button
                                                type="button"
                                                class="link-button delete"
                                                aria-label=format!("Remove evidence {name}")
                                                on:click=move |_| remove(id)
                                            >
                                                "Remove"
                                            </button>
                                        </Show>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <Show when=move || session.can_edit()>
                // Folded away until wanted: 38 open forms would bury the decisions above them.
                <details class="evidence-adder">
                <summary>"Add evidence"</summary>
                <form class="evidence-add" on:submit=add>
                    <div class="field">
                        <label for=ids("label")>"Evidence"</label>
                        <input id=ids("label") type="text" placeholder="What it is" bind:value=label/>
                    </div>
                    <div class="field">
                        <label for=ids("link")>"Where it is " <span class="hint">"(optional)"</span></label>
                        <input id=ids("link") type="text" placeholder="https://… or a file path" bind:value=link/>
                    </div>
                    <button type="submit" class="button secondary">"Add"</button>
                </form>
                </details>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// The label, as a link when the place is a web address.
fn shown(item: &Evidence) -> AnyView {
    let place = item.link.trim();
    if place.starts_with("https://") || place.starts_with("http://") {
        view! { <a href=place.to_owned() target="_blank" rel="noopener noreferrer">{item.label.clone()}</a> }
            .into_any()
    } else if place.is_empty() {
        view! { <span>{item.label.clone()}</span> }.into_any()
    } else {
        view! { <span>{item.label.clone()}<span class="evidence-place">{format!(" · {place}")}</span></span> }
            .into_any()
    }
}
