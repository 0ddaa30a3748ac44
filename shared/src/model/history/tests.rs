//! The history's walk, compare, restore and summaries, on small documents made for each test.
use automerge::{ROOT, transaction::Transactable};

use super::*;
use crate::model::new_document;

#[test]
fn latest_history_is_the_end_of_the_history() {
    let mut doc = new_document();
    for n in 0..30_i64 {
        doc.put(ROOT, "x", n).unwrap();
        doc.commit_with(
            automerge::transaction::CommitOptions::default().with_message(format!("set {n}")).with_time(n),
        );
    }
    let all = history(&mut doc);
    assert_eq!(latest_history(doc.document(), 10), all[20..]);
    assert_eq!(latest_history(doc.document(), 100), all);
    assert!(latest_history(doc.document(), 0).is_empty());
    assert!(latest_history(new_document().document(), 10).is_empty());
}

#[test]
fn latest_history_takes_the_latest_of_concurrent_changes() {
    let mut a = new_document();
    a.put(ROOT, "x", 0).unwrap();
    a.commit_with(automerge::transaction::CommitOptions::default().with_time(1));
    let mut b = a.fork();
    // A's two changes are older than B's one, made concurrently.
    for t in [2, 3] {
        a.put(ROOT, "a", t).unwrap();
        a.commit_with(
            automerge::transaction::CommitOptions::default().with_message(format!("a {t}")).with_time(t),
        );
    }
    b.put(ROOT, "b", 1).unwrap();
    b.commit_with(automerge::transaction::CommitOptions::default().with_message("b 4").with_time(4));
    a.merge(&mut b).unwrap();
    let messages = |entries: Vec<HistoryEntry>| {
        entries.into_iter().map(|e| e.message.unwrap_or_default()).collect::<Vec<_>>()
    };
    assert_eq!(messages(latest_history(a.document(), 2)), ["a 3", "b 4"]);
    assert_eq!(messages(latest_history(a.document(), 3)), ["a 2", "a 3", "b 4"]);
    assert_eq!(latest_history(a.document(), 4).len(), 4);
}

#[test]
fn heads_round_trip() {
    let mut doc = new_document();
    doc.put(ROOT, "x", 1).unwrap();
    let heads = heads_hex(&mut doc);
    assert_eq!(parse_heads(&heads).unwrap(), doc.get_heads());
    assert!(matches!(parse_heads(&["nope".to_string()]), Err(ModelError::BadHeads(_))));
}

mod walk {
    use super::*;
    use crate::model::{create_policy, edit_policy_text};

    #[test]
    fn a_walk_gives_the_whole_history_newest_first_a_step_at_a_time() {
        let mut doc = new_document();
        create_policy(&mut doc, 1_000, "AI policy", "a").unwrap();
        for n in 2..=40_i64 {
            edit_policy_text(&mut doc, n * 1_000, format!("text {n}").into()).unwrap();
        }
        let mut all = history(&mut doc);
        all.reverse();
        let mut walk = HistoryWalk::new(doc.document());
        let first: Vec<_> = std::iter::from_fn(|| walk.next(doc.document())).take(15).collect();
        assert_eq!(first, all[..15]);
        assert!(!walk.is_done());
        let rest: Vec<_> = std::iter::from_fn(|| walk.next(doc.document())).collect();
        assert_eq!(rest, all[15..]);
        assert!(walk.is_done());
    }
}

mod differences {
    use super::*;
    use crate::model::testing::id;
    use crate::model::{
        ControlId, ImplementationStatus, Position, Risk, RiskField, RiskId, add_with_id, create_policy,
        create_risk_register, create_soa, delete, edit, edit_policy_text, set_implementation_status,
    };

    fn control() -> ControlId {
        "A.6.2.4".parse().unwrap()
    }

    fn soa() -> AutoCommit {
        let mut doc = new_document();
        create_soa(&mut doc, 0).unwrap();
        doc
    }

    fn register_with_risk() -> (AutoCommit, RiskId) {
        let mut doc = new_document();
        create_risk_register(&mut doc, 0).unwrap();
        let risk = id::<RiskId>(1);
        let drift =
            Risk { title: "Drift".into(), likelihood: Some(2), consequence: Some(3), ..Risk::default() };
        add_with_id(&mut doc, 1_000, risk, drift, Position::Last).unwrap();
        (doc, risk)
    }

    #[test]
    fn a_changed_field_reads_with_its_value_before_and_after() {
        let mut doc = soa();
        let before = doc.get_heads();
        set_implementation_status(&mut doc, 1_000, control(), ImplementationStatus::Implemented).unwrap();
        let after = doc.get_heads();
        let differences = compare(doc.document(), &before, &after);
        assert_eq!(differences.len(), 1, "{differences:?}");
        let difference = &differences[0];
        assert_eq!(difference.record, ["rows", "A.6.2.4"]);
        assert_eq!(difference.label, "A.6.2.4");
        assert_eq!(difference.change, Comparison::Changed);
        let field = &difference.fields[0];
        assert_eq!(field.path, ["rows", "A.6.2.4", "status"]);
        assert_eq!(field.label, "status");
        assert_eq!(field.before.as_deref(), Some("not-started"));
        assert_eq!(field.after.as_deref(), Some("implemented"));
        assert_eq!(field.prose, None);
        // Compared the other way, the values swap; with itself, nothing differs.
        let back = compare(doc.document(), &after, &before);
        assert_eq!(back[0].fields[0].after.as_deref(), Some("not-started"));
        assert!(compare(doc.document(), &after, &after).is_empty());
    }

    #[test]
    fn a_field_changed_and_changed_back_reads_as_unchanged() {
        let mut doc = soa();
        let before = doc.get_heads();
        set_implementation_status(&mut doc, 1_000, control(), ImplementationStatus::Implemented).unwrap();
        set_implementation_status(&mut doc, 2_000, control(), ImplementationStatus::NotStarted).unwrap();
        let after = doc.get_heads();
        assert!(compare(doc.document(), &before, &after).is_empty());
    }

    #[test]
    fn records_added_and_removed_read_by_their_title() {
        let (mut doc, risk) = register_with_risk();
        let with = doc.get_heads();
        delete(&mut doc, 2_000, risk).unwrap();
        let without = doc.get_heads();
        let removed = compare(doc.document(), &with, &without);
        assert_eq!(removed.len(), 1);
        assert_eq!((removed[0].change, removed[0].label.as_str()), (Comparison::Removed, "Drift"));
        assert!(removed[0].fields.is_empty());
        let added = compare(doc.document(), &without, &with);
        assert_eq!((added[0].change, added[0].label.as_str()), (Comparison::Added, "Drift"));
    }

    #[test]
    fn prose_compares_character_by_character() {
        let mut doc = new_document();
        create_policy(&mut doc, 0, "AI policy", "We review every model.").unwrap();
        let before = doc.get_heads();
        edit_policy_text(&mut doc, 1_000, "We test every model yearly.".into()).unwrap();
        let after = doc.get_heads();
        let differences = compare(doc.document(), &before, &after);
        assert_eq!(differences[0].record, PartPath::new(), "the policy text is the document's own");
        let prose = differences[0].fields[0].prose.clone().unwrap();
        let side = |added: bool| {
            prose
                .iter()
                .filter_map(|s| match s {
                    Segment::Same(t) => Some(t.as_str()),
                    Segment::Added(t) if added => Some(t.as_str()),
                    Segment::Removed(t) if !added => Some(t.as_str()),
                    _ => None,
                })
                .collect::<String>()
        };
        assert_eq!(side(false), "We review every model.");
        assert_eq!(side(true), "We test every model yearly.");
        assert!(prose.contains(&Segment::Added(" yearly".into())), "{prose:?}");
        assert_eq!(prose_diff("same", "same"), [Segment::Same("same".into())]);
        assert!(prose_diff("", "").is_empty());
    }

    #[test]
    fn a_nested_change_is_labelled_under_its_record() {
        let (mut doc, risk) = register_with_risk();
        let before = doc.get_heads();
        edit(&mut doc, 2_000, risk, RiskField::Likelihood(Some(4))).unwrap();
        let after = doc.get_heads();
        let differences = compare(doc.document(), &before, &after);
        assert_eq!(differences[0].label, "Drift");
        assert_eq!(differences[0].fields[0].label, "likelihood");
        assert_eq!(differences[0].fields[0].before.as_deref(), Some("2"));
        assert_eq!(differences[0].fields[0].after.as_deref(), Some("4"));
    }

    #[test]
    fn a_summary_says_which_records_a_change_touched_and_how_much_prose() {
        let mut doc = new_document();
        create_policy(&mut doc, 0, "AI policy", "We review every model.").unwrap();
        edit_policy_text(&mut doc, 1_000, "We test every model yearly.".into()).unwrap();
        let hash = doc.get_heads()[0];
        let summary = summarize(doc.document(), &hash).unwrap();
        assert_eq!(summary.records, [PartPath::new()]);
        // The text grew by 5 characters; the edit is the characters that differ, not the whole text.
        assert_eq!(summary.added - summary.removed, 5, "{summary:?}");
        assert!(summary.removed > 0 && summary.added < 15, "{summary:?}");

        let mut doc = soa();
        set_implementation_status(&mut doc, 1_000, control(), ImplementationStatus::Planned).unwrap();
        let hash = doc.get_heads()[0];
        let summary = summarize(doc.document(), &hash).unwrap();
        assert_eq!(summary.records, [vec!["rows".to_owned(), "A.6.2.4".to_owned()]]);
        assert_eq!((summary.added, summary.removed), (0, 0));
        assert_eq!(summarize(doc.document(), &ChangeHash([7; 32])), None);
    }

    #[test]
    fn records_are_listed_by_title_or_key() {
        let (mut doc, risk) = register_with_risk();
        let heads = doc.get_heads();
        let listed = records(doc.document(), &heads);
        assert_eq!(listed, [(vec!["risks".to_owned(), risk.to_string()], "Drift".to_owned())]);
        let mut doc = soa();
        let heads = doc.get_heads();
        let listed = records(doc.document(), &heads);
        assert_eq!(listed.len(), 38);
        assert!(listed.iter().any(|(_, label)| label == "A.6.2.4"));
    }
}

mod restoring {
    use super::*;
    use crate::model::testing::{commits, id, last_message};
    use crate::model::{
        AiPolicy, ControlId, ImplementationStatus, Position, Risk, RiskId, RiskRegister,
        StatementOfApplicability, add_with_id, create_policy, create_risk_register, create_soa, delete,
        edit_policy_text, set_implementation_status,
    };

    fn path(keys: &[&str]) -> PartPath {
        keys.iter().map(|key| (*key).to_owned()).collect()
    }

    #[test]
    fn a_past_field_value_comes_back_as_a_new_change() {
        let mut doc = new_document();
        create_soa(&mut doc, 0).unwrap();
        let control: ControlId = "A.6.2.4".parse().unwrap();
        set_implementation_status(&mut doc, 1_000, control, ImplementationStatus::Planned).unwrap();
        let then = doc.get_heads();
        set_implementation_status(&mut doc, 2_000, control, ImplementationStatus::Implemented).unwrap();
        let before = commits(&mut doc);
        restore(&mut doc, 3_000, &then, &path(&["rows", "A.6.2.4", "status"]), "status of A.6.2.4").unwrap();
        assert_eq!(commits(&mut doc), before + 1);
        assert_eq!(last_message(&mut doc), "restore status of A.6.2.4");
        let soa = StatementOfApplicability::load(&doc).unwrap();
        assert_eq!(soa.rows[&control].status, ImplementationStatus::Planned);
        // Restoring again finds nothing to do, and writes nothing.
        let refused =
            restore(&mut doc, 4_000, &then, &path(&["rows", "A.6.2.4", "status"]), "status of A.6.2.4");
        assert!(matches!(refused, Err(ModelError::AlreadyAsThen(what)) if what == "status of A.6.2.4"));
        assert_eq!(commits(&mut doc), before + 1);
    }

    #[test]
    fn past_prose_comes_back_keeping_what_both_versions_share() {
        let mut doc = new_document();
        create_policy(&mut doc, 0, "AI policy", "We review every model.").unwrap();
        let then = doc.get_heads();
        edit_policy_text(&mut doc, 1_000, "We review no model.".into()).unwrap();
        restore(&mut doc, 2_000, &then, &path(&["text"]), "policy text").unwrap();
        assert_eq!(AiPolicy::load(&doc).unwrap().text.as_str(), "We review every model.");
        // Only the differing characters were written: the restore is a small change.
        let ops = doc.get_last_local_change().unwrap().len();
        assert!(ops < 12, "{ops} operations");
    }

    #[test]
    fn a_deleted_record_comes_back_whole_and_a_record_added_since_goes() {
        let mut doc = new_document();
        create_risk_register(&mut doc, 0).unwrap();
        let risk = id::<RiskId>(1);
        let drift =
            Risk { title: "Drift".into(), likelihood: Some(2), consequence: Some(3), ..Risk::default() };
        add_with_id(&mut doc, 1_000, risk, drift.clone(), Position::Last).unwrap();
        let with = doc.get_heads();
        delete(&mut doc, 2_000, risk).unwrap();
        let key = risk.to_string();
        // A field of the deleted record cannot come back on its own.
        let refused = restore(&mut doc, 3_000, &with, &path(&["risks", &key, "title"]), "title of Drift");
        assert!(matches!(refused, Err(ModelError::HolderGone(_))), "{refused:?}");
        restore(&mut doc, 3_000, &with, &path(&["risks", &key]), "risk Drift").unwrap();
        let register = RiskRegister::load(&doc).unwrap();
        let back = &register.risks[&risk];
        assert_eq!((back.title.as_str(), back.likelihood, back.consequence), ("Drift", Some(2), Some(3)));
        // Back to before the risk was added: it goes again.
        let empty = doc.get_change_by_hash(&with[0]).unwrap().deps().to_vec();
        restore(&mut doc, 4_000, &empty, &path(&["risks", &key]), "risk Drift").unwrap();
        assert!(RiskRegister::load(&doc).unwrap().risks.is_empty());
    }

    #[test]
    fn heads_from_elsewhere_and_an_empty_path_are_refused_and_change_nothing() {
        let mut doc = new_document();
        create_policy(&mut doc, 0, "AI policy", "Text").unwrap();
        let before = commits(&mut doc);
        let unknown = restore(&mut doc, 1_000, &[ChangeHash([9; 32])], &path(&["text"]), "policy text");
        assert!(matches!(unknown, Err(ModelError::NotFound { what: "change", .. })), "{unknown:?}");
        let heads = doc.get_heads();
        assert!(matches!(restore(&mut doc, 1_000, &heads, &[], "nothing"), Err(ModelError::Empty(_))));
        assert_eq!(commits(&mut doc), before);
    }
}
