//! The panel's list: the document's changes newest first, a screenful at a time, each in words
//! with its member, device and time, and what one can do from it: see the document as it was
//! after it, or compare that point with now. Filters by member, record and dates.

use std::collections::HashMap;

use automerge::{Automerge, ChangeHash};
use leptos::prelude::*;
use quorum_shared::model::{self, ChangeSummary, Date, HistoryWalk, MemberId, PartPath, Workspace};

use super::words::{device, moment, sentence};
use crate::components::recent_changes::member_name;
use crate::explain::explain;
use crate::session::{AsOf, Session, timezone_offset};

/// Changes shown at first, and added by each "Show more".
const SCREEN: usize = 30;
/// Changes read per screen when filtering by record, which reads what each change did: a long
/// history is searched a step at a time instead of all at once.
const RECORD_SCAN: usize = 400;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Filter {
    member: Option<MemberId>,
    record: Option<PartPath>,
    from: Option<Date>,
    to: Option<Date>,
}

/// One change, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Line {
    hash: ChangeHash,
    sentence: String,
    who: String,
    device: String,
    time_ms: i64,
}

/// What the list shows: the lines, and whether older changes are left to read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Page {
    lines: Vec<Line>,
    more: bool,
    read: usize,
}

#[component]
pub(super) fn HistoryList(doc_id: String, on_compare: Callback<Vec<ChangeHash>>) -> impl IntoView {
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
                    summaries
                        .try_update_value(|cache| read_page(doc, &filter, screens, workspace.as_ref(), cache))
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

    view! {
        <form class="history-filters" on:submit=|event| event.prevent_default()>
            <label>
                "Member"
                <select id="history-member" on:change=move |event| {
                    let value = event_target_value(&event);
                    filter.update(|f| f.member = value.parse().ok());
                    screens.set(1);
                }>
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
                <select id="history-record" on:change=move |event| {
                    let value = event_target_value(&event);
                    let record = records.with(|r| r.iter().find(|(path, _)| path.join("/") == value).map(|(p, _)| p.clone()));
                    filter.update(|f| f.record = record);
                    screens.set(1);
                }>
                    <option value="">"All records"</option>
                    {move || records.get().into_iter().map(|(path, label)| view! {
                        <option value=path.join("/")>{label}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                "From"
                <input type="date" id="history-from" on:change=move |event| {
                    let value = event_target_value(&event);
                    filter.update(|f| f.from = value.parse().ok());
                    screens.set(1);
                }/>
            </label>
            <label>
                "To"
                <input type="date" id="history-to" on:change=move |event| {
                    let value = event_target_value(&event);
                    filter.update(|f| f.to = value.parse().ok());
                    screens.set(1);
                }/>
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
                    {page.lines.into_iter().map(|line| {
                        let travel = travel.clone();
                        let shown = line.clone();
                        view! {
                            <li class="history-entry" data-hash=line.hash.to_string()>
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
                                        on:click=move |_| on_compare.run(vec![line.hash])>"Compare with now"</button>
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

/// The first `screens` screens of the history that `filter` lets through, newest first.
fn read_page(
    doc: &Automerge,
    filter: &Filter,
    screens: usize,
    workspace: Option<&Workspace>,
    summaries: &mut HashMap<ChangeHash, ChangeSummary>,
) -> Page {
    let offset = timezone_offset();
    let wanted = SCREEN * screens;
    let scan_limit = filter.record.as_ref().map(|_| RECORD_SCAN * screens);
    let mut walk = HistoryWalk::new(doc);
    let mut page = Page::default();
    while page.lines.len() < wanted {
        if scan_limit.is_some_and(|limit| page.read >= limit) {
            break;
        }
        let Some(entry) = walk.next(doc) else { break };
        page.read += 1;
        let Ok(hash) = entry.hash.parse::<ChangeHash>() else { continue };
        let day = Date::of_ms(entry.time_ms, offset);
        if filter.from.is_some_and(|from| day < from) || filter.to.is_some_and(|to| day > to) {
            continue;
        }
        let member = workspace.and_then(|w| w.member_for_actor_hex(&entry.actor));
        if filter.member.is_some_and(|wanted| member != Some(wanted)) {
            continue;
        }
        let summary =
            summaries.entry(hash).or_insert_with(|| model::summarize(doc, &hash).unwrap_or_default());
        if filter.record.as_ref().is_some_and(|record| !summary.records.contains(record)) {
            continue;
        }
        let who = member_name(workspace, &entry.actor);
        page.lines.push(Line {
            hash,
            sentence: sentence(&who, entry.message.as_deref(), Some(summary)),
            who,
            device: device(&entry.actor).to_owned(),
            time_ms: entry.time_ms,
        });
    }
    page.more = !walk.is_done();
    page
}
