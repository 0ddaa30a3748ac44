use automerge::transaction::Transactable;

use super::*;
use crate::model::testing::{id, one_commit, refused};
use crate::model::{Position, add_with_id, delete, list, new_document};

fn soa() -> AutoCommit {
    let mut doc = new_document();
    create_soa(&mut doc, 0).unwrap();
    doc
}

fn control(s: &str) -> ControlId {
    s.parse().unwrap()
}

fn row_of(doc: &AutoCommit, c: &str) -> SoaRow {
    StatementOfApplicability::load(doc).unwrap().rows[&control(c)].clone()
}

#[test]
fn creating_the_soa_creates_all_38_rows_applicable_and_not_started() {
    let mut doc = soa();
    let soa = StatementOfApplicability::load(&doc).unwrap();
    assert_eq!(soa.rows.len(), 38);
    assert!(soa.rows.keys().copied().eq(ControlId::all()));
    assert!(soa.rows.values().all(
        |r| r.applicability == Applicability::Applicable && r.status == ImplementationStatus::NotStarted
    ));
    assert!(soa_violations(&doc).unwrap().is_empty());
    assert_eq!(restore_missing_rows(&mut doc, 0).unwrap(), []);
}

#[test]
fn exclusion_needs_a_justification_that_stays_non_empty() {
    let mut doc = soa();
    let c = control("A.10.4");
    for blank in ["", "   \n"] {
        let error = refused(&mut doc, |doc| exclude_control(doc, 0, c, blank));
        assert_eq!(error.to_string(), "excluding A.10.4 needs a justification");
    }
    one_commit(&mut doc, "exclude A.10.4", |doc| exclude_control(doc, 0, c, "We have no customers").unwrap());
    let row = row_of(&doc, "A.10.4");
    assert_eq!(row.applicability, Applicability::Excluded);
    assert_eq!(row.justification.as_str(), "We have no customers");

    refused(&mut doc, |doc| edit_justification(doc, 0, c, "".into()));
    let splice_all = TextEdit::Splice { pos: 0, delete: 100, insert: " ".into() };
    refused(&mut doc, |doc| edit_justification(doc, 0, c, splice_all));
    let status = refused(&mut doc, |doc| set_implementation_status(doc, 0, c, ImplementationStatus::Planned));
    assert!(matches!(status, ModelError::ControlExcluded(_)));

    one_commit(&mut doc, "edit justification of A.10.4", |doc| {
        edit_justification(doc, 0, c, "We have no external customers".into()).unwrap()
    });
    one_commit(&mut doc, "include A.10.4", |doc| include_control(doc, 0, c).unwrap());
    // An applicable control's justification may be empty.
    edit_justification(&mut doc, 0, c, "".into()).unwrap();
    one_commit(&mut doc, "set A.10.4 to implemented", |doc| {
        set_implementation_status(doc, 0, c, ImplementationStatus::Implemented).unwrap()
    });
    assert_eq!(row_of(&doc, "A.10.4").status, ImplementationStatus::Implemented);
}

#[test]
fn violations_and_restoring_rows() {
    let mut doc = soa();
    let rows = rows(&doc).unwrap();
    let excluded = row(&doc, control("A.2.2")).unwrap();
    // Simulate what a merge or an old version can leave behind.
    doc.delete(&rows, "A.5.2").unwrap();
    doc.delete(&rows, "A.9.3").unwrap();
    doc.put(&rows, "A.99", "stray").unwrap();
    reconcile_prop(&mut doc, &excluded, "applicability", Applicability::Excluded).unwrap();
    doc.commit();
    assert_eq!(
        soa_violations(&doc).unwrap(),
        [
            SoaViolation::ExcludedWithoutJustification(control("A.2.2")),
            SoaViolation::UnknownRow("A.99".into()),
            SoaViolation::MissingRow(control("A.5.2")),
            SoaViolation::MissingRow(control("A.9.3")),
        ]
    );
    let restored =
        one_commit(&mut doc, "restore rows for A.5.2, A.9.3", |doc| restore_missing_rows(doc, 0).unwrap());
    assert_eq!(restored, [control("A.5.2"), control("A.9.3")]);
    assert_eq!(soa_violations(&doc).unwrap().len(), 2);
}

#[test]
fn evidence_links_and_owners() {
    let mut doc = soa();
    let c = control("A.7.2");
    let e = id::<EvidenceId>(1);
    one_commit(&mut doc, "add evidence \"Data policy\"", |doc| {
        add_with_id(doc, 0, e, Evidence::new(c, "Data policy", "https://example.org"), Position::Last)
            .unwrap()
    });
    assert_eq!(list::<Evidence>(&doc).unwrap()[0].1.control, c);
    delete(&mut doc, 0, e).unwrap();
    assert!(list::<Evidence>(&doc).unwrap().is_empty());
    let owner = id::<MemberId>(4);
    set_control_owner(&mut doc, 0, c, Some(owner)).unwrap();
    assert_eq!(row_of(&doc, "A.7.2").owner, Some(owner));
}

#[test]
fn concurrent_choices_are_reported_with_who_set_each_and_keeping_the_shown_one_settles_them() {
    let mut ada = soa();
    ada.set_actor(automerge::ActorId::from(b"ada".to_vec()));
    let mut bea = ada.fork();
    bea.set_actor(automerge::ActorId::from(b"bea".to_vec()));
    let c = control("A.9.3");
    set_implementation_status(&mut ada, 1_000, c, ImplementationStatus::Planned).unwrap();
    set_implementation_status(&mut bea, 1_000, c, ImplementationStatus::Implemented).unwrap();
    set_control_owner(&mut bea, 1_000, control("A.2.2"), None).unwrap();
    ada.merge(&mut bea).unwrap();

    let conflicts = soa_conflicts(&ada).unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let conflict = &conflicts[0];
    assert_eq!((conflict.control, conflict.choice), (c, SoaChoice::Status));
    let mut values = conflict.values.clone();
    crate::order::sort(&mut values);
    assert_eq!(
        values,
        vec![
            ("implemented".to_owned(), automerge::ActorId::from(b"bea".to_vec())),
            ("planned".to_owned(), automerge::ActorId::from(b"ada".to_vec())),
        ]
    );
    assert!(conflict.values.iter().any(|(value, _)| *value == conflict.shown));

    // Keeping the value already shown still writes, so the conflict is gone on both sides.
    let shown = conflict.shown.clone();
    let message = format!("keep {shown} as status of A.9.3");
    one_commit(&mut ada, &message, |doc| keep_soa_value(doc, 2_000, c, SoaChoice::Status, &shown)).unwrap();
    bea.merge(&mut ada).unwrap();
    assert!(soa_conflicts(&bea).unwrap().is_empty());
    assert_eq!(row_of(&bea, "A.9.3").status.as_token(), shown);
}

#[test]
fn keeping_a_value_the_row_cannot_hold_is_refused() {
    let mut doc = soa();
    let c = control("A.9.3");
    refused(&mut doc, |doc| keep_soa_value(doc, 1_000, c, SoaChoice::Status, "done"));
    refused(&mut doc, |doc| keep_soa_value(doc, 1_000, c, SoaChoice::Applicability, "excluded"));
}

#[test]
fn a_read_brought_up_to_date_change_by_change_equals_a_fresh_read() {
    // Two people edit the SoA, each change by one of them merged into the other at random
    // moments (so that concurrent choices conflict and get settled); after every step, Ada's
    // read brought up to date from the diff equals reading her document afresh.
    let mut ada = soa();
    let mut bea = ada.fork();
    bea.set_actor(automerge::ActorId::from(vec![2; 16]));
    let heads = ada.get_heads();
    let mut read = SoaRead::read(&ada, heads).unwrap();
    let controls: Vec<ControlId> = ControlId::all().collect();
    let statuses =
        [ImplementationStatus::Planned, ImplementationStatus::InProgress, ImplementationStatus::Implemented];
    let mut seed = 7u64;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    let mut evidence = Vec::new();
    let (mut rows_only, mut conflicted) = (0, 0);
    for step in 0..300_i64 {
        let control = controls[next(4)];
        let doc = if next(2) == 0 { &mut ada } else { &mut bea };
        match next(7) {
            0 | 1 => set_implementation_status(doc, step, control, statuses[next(3)]).unwrap(),
            2 => {
                let edit = TextEdit::Splice { pos: 0, delete: 0, insert: format!("reason {step} ") };
                edit_justification(doc, step, control, edit).unwrap();
                exclude_control(doc, step, control, "").ok();
            }
            3 => include_control(doc, step, control).unwrap(),
            4 => set_control_owner(doc, step, control, Some(id::<MemberId>(next(3) as u8 + 1))).unwrap(),
            5 => evidence.push(
                crate::model::add(
                    doc,
                    step,
                    crate::model::testing::random(),
                    Evidence::new(control, "Policy", "https://example.org"),
                    Position::Last,
                )
                .unwrap(),
            ),
            _ => {
                if let Some(e) = evidence.pop() {
                    delete(doc, step, e).ok();
                }
            }
        }
        if next(3) == 0 {
            ada.merge(&mut bea).unwrap();
            bea.merge(&mut ada).unwrap();
        }
        let heads = ada.get_heads();
        let patches = ada.diff(&read.heads, &heads);
        let in_rows = |p: &automerge::Patch| matches!(p.path.first(), Some((_, automerge::Prop::Map(k))) if k == "rows");
        rows_only += usize::from(!patches.is_empty() && patches.iter().all(in_rows));
        read = read.update(&ada, heads.clone(), &patches).unwrap();
        assert_eq!(read, SoaRead::read(&ada, heads).unwrap(), "step {step}");
        conflicted += usize::from(!read.conflicts.is_empty());
    }
    // The schedule exercises what it is for: most steps read only rows, and conflicts come and go.
    assert!(rows_only > 50 && conflicted > 5, "{rows_only} row-only steps, {conflicted} with conflicts");
}

#[test]
fn a_status_reads_back_from_its_token_and_its_label_is_for_people() {
    for status in ImplementationStatus::ALL {
        assert_eq!(ImplementationStatus::from_token(status.as_token()), Some(status));
    }
    assert_eq!(ImplementationStatus::InProgress.as_token(), "in-progress");
    assert_eq!(ImplementationStatus::InProgress.label(), "in progress");
    assert_eq!(ImplementationStatus::from_token("in progress"), None, "a label is not a token");
}
