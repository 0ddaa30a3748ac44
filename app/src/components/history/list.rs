//! The panel's list: the document's changes newest first, a screenful at a time, each in words
//! with its member, device and time, and what one can do from it: see the document as it was
//! after it, or compare that point with now. Filters by member, record and dates.

use std::collections::HashMap;

use automerge::ChangeHash;
use leptos::prelude::*;
use quorum_shared::model::{self, ChangeSummary, Workspace};

use super::CompareRange;
use super::page::{Filter, Line, read_page};
use super::words::moment;
use crate::explain::explain;
use crate::session::{AsOf, Session, timezone_offset};

#[component]
pub(super) fn HistoryList(doc_id: String, on_compare: Callback<CompareRange>) -> impl IntoView {
    let session = expect_context::<Session>();
    let root = session.membership().root_id().to_owned();
    let workspace = Memo::new(move |_| session.read(&root, |doc| Workspace::load(doc).ok()).flatten());
    let filter = RwSignal::new(Filter::default());
    let screens = RwSignal::new(1_usize);
    // What each change did never changes: kept across re-reads.
    let summaries = StoredValue::new_local(HashMap::<ChangeHash, ChangeSummary>::new());
    let id = doc_id.clone();
    let page = Memo::new(move |_| {
        let filter = filter.get();
        let screens = screens.get();
        workspace.with(|workspace| {
            session
                .read_log(&id, |doc| {
                    summaries.try_update_value(|cache| {
                        read_page(doc, &filter, screens, workspace.as_ref(), timezone_offset(), cache)
                    })
                })
                .flatten()
        })
    });
    let records = {
        let id = doc_id.clone();
        Memo::new(move |_| {
            session.read_log(&id, |doc| model::records(doc, &doc.get_heads())).unwrap_or_default()
        })
    };
    let error = RwSignal::new(None::<String>);
    // A change picked to compare with another, and its place in the list (newest first).
    let picked = RwSignal::new(None::<(ChangeHash, usize)>);
    let travel = {
        let doc_id = doc_id.clone();
        move |line: &Line| {
            let as_of = AsOf {
                doc_id: doc_id.clone(),
                heads: vec![line.hash],
                time_ms: line.time_ms,
                who: line.who.clone(),
            };
            error.set(session.travel(as_of).err().map(|e| explain(&e)));
        }
    };

    // A filter changed: the list starts over at its first screen.
    let refilter = move |event: &leptos::ev::Event, set: &dyn Fn(&mut Filter, String)| {
        let value = event_target_value(event);
        filter.update(|f| set(f, value));
        screens.set(1);
    };

    view! {
        <form class="history-filters" on:submit=|event| event.prevent_default()>
            <label>
                "Member"
                <select id="history-member" on:change=move |event| refilter(&event, &|f, value| f.member = value.parse().ok())>
                    <option value="">"Everyone"</option>
                    {move || workspace.with(|w| w.as_ref().map(|w| {
                        w.members.iter().map(|(id, member)| view! {
                            <option value=id.to_string()>{member.name.clone()}</option>
                        }).collect_view()
                    }))}
                </select>
            </label>
            <label>
                "Record"
                <select id="history-record" on:change=move |event| refilter(&event, &|f, value| {
                    f.record = records.with_untracked(|r| r.iter().find(|(path, _)| path.join("/") == value).map(|(p, _)| p.clone()));
                })>
                    <option value="">"All records"</option>
                    {move || records.get().into_iter().map(|(path, label)| view! {
                        <option value=path.join("/")>{label}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                "From"
                <input type="date" id="history-from" on:change=move |event| refilter(&event, &|f, value| f.from = value.parse().ok())/>
            </label>
            <label>
                "To"
                <input type="date" id="history-to" on:change=move |event| refilter(&event, &|f, value| f.to = value.parse().ok())/>
            </label>
        </form>
        <p class="field-error" role="alert">{move || error.get()}</p>
        {move || {
            let Some(page) = page.get() else {
                return view! { <p class="muted" role="status">"Loading the document…"</p> }.into_any();
            };
            if page.lines.is_empty() && !page.more {
                return view! { <p class="muted">"No changes match."</p> }.into_any();
            }
            let offset = timezone_offset();
            let travel = travel.clone();
            view! {
                <ol class="history-list" data-read=page.read>
                    {page.lines.into_iter().enumerate().map(|(index, line)| {
                        let travel = travel.clone();
                        let shown = line.clone();
                        let hash = line.hash;
                        let is_picked = move || picked.get().is_some_and(|(p, _)| p == hash);
                        let other = move || picked.get().filter(|(p, _)| *p != hash);
                        let compare_picked = move |_| {
                            let Some((other, at)) = other() else { return };
                            // The older of the two is the one further down the list.
                            let (from, to) = if at > index { (other, hash) } else { (hash, other) };
                            picked.set(None);
                            on_compare.run(CompareRange { from: vec![from], to: Some(vec![to]) });
                        };
                        view! {
                            <li class="history-entry" data-hash=hash.to_string() class:picked=is_picked>
                                <span class="history-what">{line.sentence.clone()}</span>
                                <span class="history-meta">
                                    <span class="history-who">{line.who.clone()}</span>
                                    " · device " {line.device.clone()}
                                    " · " <time>{moment(line.time_ms, offset)}</time>
                                </span>
                                <span class="history-actions">
                                    <button type="button" class="button-quiet history-view"
                                        on:click=move |_| travel(&shown)>"View as it was"</button>
                                    <button type="button" class="button-quiet history-compare"
                                        on:click=move |_| on_compare.run(CompareRange { from: vec![hash], to: None })>
                                        "Compare with now"
                                    </button>
                                    {move || match other() {
                                        Some(_) => view! {
                                            <button type="button" class="button-quiet history-compare-picked"
                                                on:click=compare_picked>"Compare with the picked change"</button>
                                        }.into_any(),
                                        None => view! {
                                            <button type="button" class="button-quiet history-pick"
                                                aria-pressed=move || is_picked().to_string()
                                                on:click=move |_| picked.update(|p| {
                                                    *p = if p.is_some() { None } else { Some((hash, index)) };
                                                })>
                                                {move || if is_picked() { "Picked: choose another" } else { "Pick to compare" }}
                                            </button>
                                        }.into_any(),
                                    }}
                                </span>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                {page.more.then(|| view! {
                    <button type="button" class="button-quiet history-more" id="history-more"
                        on:click=move |_| screens.update(|s| *s += 1)>
                        {format!("Show older changes ({} read so far)", page.read)}
                    </button>
                })}
            }.into_any()
        }}
    }
}
