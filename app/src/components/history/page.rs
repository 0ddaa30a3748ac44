//! The history's pages: the changes of a document that a filter lets through, newest first, a
//! screenful at a time, each ready to show. A pure function of the document, the workspace and
//! the time zone, so it is tested natively and timed by the history benchmark.

use std::collections::HashMap;

use automerge::{Automerge, ChangeHash};
use quorum_shared::model::{self, ChangeSummary, Date, HistoryWalk, MemberId, PartPath, Workspace};

use super::words::{device, sentence};
use crate::components::recent_changes::member_name;

/// Changes shown at first, and added by each "Show more".
pub const SCREEN: usize = 30;
/// Changes read per screen when filtering by record, which reads what each change did: a long
/// history is searched a step at a time instead of all at once.
pub const RECORD_SCAN: usize = 400;

/// Which changes the list shows: by whom, touching which record, between which days (both
/// included, where the person is).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub member: Option<MemberId>,
    pub record: Option<PartPath>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// One change, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub hash: ChangeHash,
    pub sentence: String,
    pub who: String,
    pub device: String,
    pub time_ms: i64,
}

/// What the list shows: the lines, and whether older changes are left to read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    pub lines: Vec<Line>,
    /// Whether older changes are left to read.
    pub more: bool,
    /// How many changes were read to fill it.
    pub read: usize,
}

/// The first `screens` screens of the history that `filter` lets through, newest first.
pub fn read_page(
    doc: &Automerge,
    filter: &Filter,
    screens: usize,
    workspace: Option<&Workspace>,
    offset: i32,
    summaries: &mut HashMap<ChangeHash, ChangeSummary>,
) -> Page {
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

#[cfg(test)]
mod tests {
    use quorum_shared::model::{
        ControlId, ImplementationStatus, Role, create_soa, new_document, set_implementation_status,
    };

    use super::*;

    const DAY: i64 = 86_400_000;

    /// An SoA edited by two members a day apart each, and the root that names them.
    fn edited() -> (automerge::AutoCommit, Workspace, MemberId) {
        let ada = automerge::ActorId::from(vec![0xaa; 16]);
        let bea = automerge::ActorId::from(vec![0xbb; 16]);
        let mut root = new_document();
        model::create_workspace(&mut root, 0, [1; 16], "Acme", "Ada", &ada).unwrap();
        let bea_id = model::add_member(&mut root, 0, [2; 16], "Bea", Role::Editor).unwrap();
        model::add_device(&mut root, 0, bea_id, &bea, "browser").unwrap();
        let workspace = Workspace::load(&root).unwrap();
        let mut soa = new_document();
        soa.set_actor(ada.clone());
        create_soa(&mut soa, 0).unwrap();
        let statuses = [
            ImplementationStatus::Planned,
            ImplementationStatus::InProgress,
            ImplementationStatus::Implemented,
        ];
        for day in 1..=6_i64 {
            soa.set_actor(if day % 2 == 0 { bea.clone() } else { ada.clone() });
            let control: ControlId = if day <= 3 { "A.5.2" } else { "A.6.2.4" }.parse().unwrap();
            set_implementation_status(&mut soa, day * DAY, control, statuses[(day as usize) % 3]).unwrap();
        }
        (soa, workspace, bea_id)
    }

    fn sentences(page: &Page) -> Vec<&str> {
        page.lines.iter().map(|line| line.sentence.as_str()).collect()
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_page_lists_the_newest_changes_first_in_words() {
        let (mut soa, workspace, _) = edited();
        let page = read_page(soa.document(), &Filter::default(), 1, Some(&workspace), 0, &mut HashMap::new());
        assert_eq!(page.lines.len(), 7);
        assert!(!page.more);
        assert_eq!(page.lines[0].sentence, "Bea set A.6.2.4 to planned");
        assert_eq!(page.lines[1].sentence, "Ada set A.6.2.4 to implemented");
        assert_eq!(page.lines[0].device, "bbbbbbbb");
        assert_eq!(page.lines[0].time_ms, 6 * DAY);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn filters_by_member_record_and_days() {
        let (mut soa, workspace, bea) = edited();
        let doc = soa.document();
        let read = |filter: Filter| read_page(doc, &filter, 1, Some(&workspace), 0, &mut HashMap::new());
        let by_bea = read(Filter { member: Some(bea), ..Filter::default() });
        assert_eq!(
            sentences(&by_bea),
            ["Bea set A.6.2.4 to planned", "Bea set A.6.2.4 to in progress", "Bea set A.5.2 to implemented"]
        );
        let record = vec!["rows".to_owned(), "A.5.2".to_owned()];
        let of_a52 = read(Filter { record: Some(record), ..Filter::default() });
        // Its three status changes, and the change that made every row.
        assert_eq!(
            sentences(&of_a52),
            [
                "Ada set A.5.2 to planned",
                "Bea set A.5.2 to implemented",
                "Ada set A.5.2 to in progress",
                "Ada create statement of applicability"
            ]
        );
        let day = |n: i64| Date::of_ms(n * DAY, 0);
        let days = read(Filter { from: Some(day(2)), to: Some(day(3)), ..Filter::default() });
        assert_eq!(sentences(&days), ["Ada set A.5.2 to planned", "Bea set A.5.2 to implemented"]);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_long_history_comes_a_screen_at_a_time() {
        let mut soa = new_document();
        create_soa(&mut soa, 0).unwrap();
        let control: ControlId = "A.5.2".parse().unwrap();
        let statuses = [ImplementationStatus::Planned, ImplementationStatus::Implemented];
        for n in 1..=(SCREEN as i64 + 5) {
            set_implementation_status(&mut soa, n * 1_000, control, statuses[n as usize % 2]).unwrap();
        }
        let mut cache = HashMap::new();
        let first = read_page(soa.document(), &Filter::default(), 1, None, 0, &mut cache);
        assert_eq!((first.lines.len(), first.more), (SCREEN, true));
        assert_eq!(first.lines[0].who, "someone", "an actor no member has");
        let both = read_page(soa.document(), &Filter::default(), 2, None, 0, &mut cache);
        assert_eq!((both.lines.len(), both.more), (SCREEN + 6, false));
        assert_eq!(both.lines[..SCREEN], first.lines[..]);
    }
}
