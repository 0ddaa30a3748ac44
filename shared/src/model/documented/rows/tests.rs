//! The rows and flags, table by table: each case builds one register and names what its rows
//! must show.

use automerge::AutoCommit;

use super::*;
use crate::model::testing::{id, one_commit};
use crate::model::{
    ArtifactControlField, DocumentedInformation, Position, add_with_id, create_documented_information,
    new_document, set_artifact_control,
};

use DocumentFlag::{NoApproval, NoOwner, OverdueReview};

const NOW: i64 = 1_800_000_000_000;

fn ada() -> MemberId {
    MemberId::from_bytes([1; 16])
}

fn doc_id(n: u8) -> DocumentId {
    DocumentId::from_bytes([n; 16])
}

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

fn listed(entries: &[(u8, DocumentKind, &str)]) -> BTreeMap<DocumentId, DocumentEntry> {
    entries
        .iter()
        .map(|(n, kind, title)| {
            (doc_id(*n), DocumentEntry { kind: *kind, title: (*title).into(), created_at_ms: 0 })
        })
        .collect()
}

/// A register document with `artifact` fields recorded and `external` entries, read back.
fn register(
    artifact: &[(u8, ArtifactControlField)],
    external: &[DocumentedInformation],
) -> DocumentedInformationRegister {
    let mut doc = new_document();
    create_documented_information(&mut doc, NOW).unwrap();
    for (n, field) in artifact {
        set_artifact_control(&mut doc, NOW, doc_id(*n), "AI policy", field.clone()).unwrap();
    }
    for (i, entry) in external.iter().enumerate() {
        add_with_id(&mut doc, NOW, id::<InformationId>(i as u8 + 1), entry.clone(), Position::Last).unwrap();
    }
    DocumentedInformationRegister::load(&doc).unwrap()
}

#[test]
fn every_listed_artifact_is_a_row_in_the_order_of_its_clause_then_the_external_documents() {
    let documents = listed(&[
        (3, DocumentKind::ManagementReview, "Review 2027"),
        (1, DocumentKind::Policy, "AI policy"),
        (4, DocumentKind::ImpactAssessment, "Chatbot"),
        (2, DocumentKind::ImpactAssessment, "CV screening"),
    ]);
    let external = DocumentedInformation { title: "Supplier contract".into(), ..Default::default() };
    let rows = document_rows(&documents, &register(&[], &[external]), &BTreeMap::new(), None);
    let titles: Vec<_> = rows.rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["AI policy", "Chatbot", "CV screening", "Review 2027", "Supplier contract"]);
    assert!(matches!(rows.rows[4].source, RowSource::External(_)));
}

#[test]
fn flags_follow_owner_approval_and_review_date() {
    let today = Some(date("2027-05-10"));
    let done = |n: u8, review: &str| {
        vec![
            (n, ArtifactControlField::Owner(Some(ada()))),
            (n, ArtifactControlField::ApprovedBy(Some(ada()))),
            (n, ArtifactControlField::ReviewOn(Some(date(review)))),
        ]
    };
    type Case = (&'static str, Vec<(u8, ArtifactControlField)>, Vec<DocumentFlag>);
    let cases: Vec<Case> = vec![
        ("nothing recorded", vec![], vec![NoOwner, NoApproval]),
        ("owner only", vec![(1, ArtifactControlField::Owner(Some(ada())))], vec![NoApproval]),
        ("approval only", vec![(1, ArtifactControlField::ApprovedBy(Some(ada())))], vec![NoOwner]),
        ("all done, review ahead", done(1, "2027-06-01"), vec![]),
        ("review today is not overdue", done(1, "2027-05-10"), vec![]),
        ("review yesterday", done(1, "2027-05-09"), vec![OverdueReview]),
        ("another artifact's record does not count", done(9, "2027-06-01"), vec![NoOwner, NoApproval]),
    ];
    let documents = listed(&[(1, DocumentKind::RiskRegister, "Risk register")]);
    for (name, fields, expected) in cases {
        let rows = document_rows(&documents, &register(&fields, &[]), &BTreeMap::new(), today);
        assert_eq!(rows.rows[0].flags, expected, "{name}");
    }
    let rows = document_rows(&documents, &register(&done(1, "2020-01-01"), &[]), &BTreeMap::new(), None);
    assert!(rows.rows[0].flags.is_empty(), "with no today, nothing is overdue");
}

#[test]
fn the_policy_and_impact_assessments_are_approved_in_themselves() {
    let documents = listed(&[
        (1, DocumentKind::Policy, "AI policy"),
        (2, DocumentKind::ImpactAssessment, "CV screening"),
    ]);
    let approved_here = register(
        &[
            (1, ArtifactControlField::Owner(Some(ada()))),
            (1, ArtifactControlField::ApprovedBy(Some(ada()))),
            (2, ArtifactControlField::Owner(Some(ada()))),
            (2, ArtifactControlField::ApprovedBy(Some(ada()))),
        ],
        &[],
    );
    let facts = |policy: bool, assessment: bool| {
        let own = |approved, state: &str| ArtifactFacts {
            version: "Version 1".into(),
            own_approval: Some(OwnApproval { approved, state: state.into() }),
            review_on: Some(date("2027-01-01")),
        };
        BTreeMap::from([(doc_id(1), own(policy, "P")), (doc_id(2), own(assessment, "A"))])
    };
    let cases = [
        (
            "not open yet: not approved, whatever the register says",
            None,
            [vec![NoApproval], vec![NoApproval]],
        ),
        ("neither approved", Some(facts(false, false)), [vec![NoApproval], vec![NoApproval]]),
        ("policy in force", Some(facts(true, false)), [vec![], vec![NoApproval]]),
        ("both", Some(facts(true, true)), [vec![], vec![]]),
    ];
    for (name, facts, expected) in cases {
        let rows = document_rows(&documents, &approved_here, &facts.unwrap_or_default(), None);
        let flags: Vec<_> = rows.rows.iter().map(|r| r.flags.clone()).collect();
        assert_eq!(flags, expected, "{name}");
    }
    let rows = document_rows(&documents, &approved_here, &facts(true, true), Some(date("2027-02-01")));
    assert_eq!(rows.rows[0].own_approval.as_deref(), Some("P"));
    assert_eq!(rows.rows[0].version, "Version 1");
    assert!(
        rows.rows[0].has(OverdueReview),
        "the policy's own review date counts when the register has none"
    );
}

#[test]
fn external_documents_carry_their_own_fields_and_counts_add_up() {
    let external = [
        DocumentedInformation {
            title: "Supplier contract".into(),
            owner: Some(ada()),
            approved_by: Some(ada()),
            review_on: Some(date("2026-01-01")),
            location: "Legal share".into(),
            retention: "7 years".into(),
            ..Default::default()
        },
        DocumentedInformation { title: "Vendor model card".into(), owner: Some(ada()), ..Default::default() },
    ];
    let documents = listed(&[(1, DocumentKind::Objectives, "AI objectives")]);
    let rows =
        document_rows(&documents, &register(&[], &external), &BTreeMap::new(), Some(date("2027-01-01")));
    let flags: Vec<_> = rows.rows.iter().map(|r| (r.title.as_str(), r.flags.clone())).collect();
    assert_eq!(
        flags,
        [
            ("AI objectives", vec![NoOwner, NoApproval]),
            ("Supplier contract", vec![OverdueReview]),
            ("Vendor model card", vec![NoApproval]),
        ]
    );
    assert_eq!((rows.count(OverdueReview), rows.count(NoOwner), rows.count(NoApproval)), (1, 1, 2));
    assert!(rows.rows[1].kept() && !rows.rows[2].kept());
}

#[test]
fn artifact_fields_are_cleared_by_blanks_and_each_edit_is_one_commit() {
    let mut doc = new_document();
    create_documented_information(&mut doc, NOW).unwrap();
    let policy = doc_id(1);
    one_commit(&mut doc, "edit the location of \"AI policy\" as documented information", |doc| {
        set_artifact_control(doc, NOW, policy, "AI policy", ArtifactControlField::Location(" Quorum ".into()))
            .unwrap()
    });
    set_artifact_control(&mut doc, NOW, policy, "AI policy", ArtifactControlField::Owner(Some(ada())))
        .unwrap();
    let read = |doc: &AutoCommit| DocumentedInformationRegister::load(doc).unwrap().artifacts.of(policy);
    assert_eq!(read(&doc).location, "Quorum");
    assert_eq!(read(&doc).owner, Some(ada()));
    set_artifact_control(&mut doc, NOW, policy, "AI policy", ArtifactControlField::Location("  ".into()))
        .unwrap();
    set_artifact_control(&mut doc, NOW, policy, "AI policy", ArtifactControlField::Owner(None)).unwrap();
    assert_eq!(read(&doc), ArtifactControl::default());
}
