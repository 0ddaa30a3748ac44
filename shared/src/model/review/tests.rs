use super::*;
use crate::model::testing::{id, one_commit, refused};
use crate::model::{DocumentId, Position, add_with_id, edit, new_document};

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn held(on: &str) -> AutoCommit {
    let mut doc = new_document();
    create_management_review(&mut doc, 0, on).unwrap();
    edit_review(&mut doc, 0, ReviewField::HeldOn(Some(date(on)))).unwrap();
    doc
}

fn action(doc: &mut AutoCommit, n: u8, title: &str, done: bool) -> ReviewActionId {
    let a = id::<ReviewActionId>(n);
    add_with_id(doc, 0, a, ReviewAction { title: title.into(), done, ..Default::default() }, Position::Last)
        .unwrap();
    a
}

#[test]
fn inputs_are_keyed_by_topic_and_edited_as_text() {
    let mut doc = new_document();
    create_management_review(&mut doc, 0, "2025").unwrap();
    let review = ManagementReview::load(&doc).unwrap();
    assert_eq!(review.inputs.keys().copied().collect::<Vec<_>>(), ReviewTopic::ALL);
    assert!(!review.every_input_noted());
    one_commit(&mut doc, "edit review attendees", |doc| {
        edit_review(doc, 0, ReviewField::Attendees("Board".into())).unwrap()
    });
    for topic in ReviewTopic::ALL {
        edit_review_input(&mut doc, 0, topic, format!("notes on {topic}").into()).unwrap();
    }
    let review = ManagementReview::load(&doc).unwrap();
    assert_eq!(review.notes(ReviewTopic::Audits), "notes on audits");
    assert!(review.every_input_noted());
    for topic in ReviewTopic::ALL {
        assert_eq!(topic.to_string().parse::<ReviewTopic>().unwrap(), topic);
    }
    assert!("agenda".parse::<ReviewTopic>().is_err());
}

#[test]
fn minutes_approval_is_refused_before_the_review_is_held() {
    let mut doc = new_document();
    create_management_review(&mut doc, 0, "2025").unwrap();
    let error = refused(&mut doc, |doc| approve_minutes(doc, 0, id(1), "", None));
    assert!(matches!(error, ModelError::ReviewNotHeld));
}

#[test]
fn minutes_change_since_approval_except_for_actions_done() {
    let mut doc = held("2025-06-30");
    let a = action(&mut doc, 1, "Hire a data steward", false);
    let ada = id::<MemberId>(1);
    assert_eq!(ManagementReview::load(&doc).unwrap().approval_state(), MinutesState::NotApproved);
    one_commit(&mut doc, "approve review minutes", |doc| approve_minutes(doc, 5, ada, "", None).unwrap());
    let state = |doc: &AutoCommit| ManagementReview::load(doc).unwrap().approval_state();
    assert_eq!(state(&doc), MinutesState::Approved { at_ms: 5, by: ada });
    // Follow-up is not minutes.
    edit(&mut doc, 0, a, ReviewActionField::Done(true)).unwrap();
    assert!(state(&doc).is_current());
    // What the minutes say is.
    let cases: [fn(&mut AutoCommit); 4] = [
        |doc| edit_review_input(doc, 0, ReviewTopic::Issues, "New law".into()).unwrap(),
        |doc| edit_review(doc, 0, ReviewField::Attendees("Board, DPO".into())).unwrap(),
        |doc| edit(doc, 0, id::<ReviewActionId>(1), ReviewActionField::Owner(Some(id(2)))).unwrap(),
        |doc| {
            add_with_id(doc, 0, id::<DecisionId>(3), Decision::default(), Position::Last).unwrap();
        },
    ];
    for case in cases {
        let mut copy = doc.fork();
        case(&mut copy);
        assert_eq!(state(&copy), MinutesState::ChangedSince { at_ms: 5, by: ada });
        approve_minutes(&mut copy, 9, ada, "again", None).unwrap();
        assert!(state(&copy).is_current());
    }
    // The approval's heads read the minutes as approved.
    let review = ManagementReview::load(&doc).unwrap();
    let then: ManagementReview = crate::model::at_heads(&mut doc, &review.approvals[&ada].heads).unwrap();
    assert!(!then.actions[&a].done);
}

#[test]
fn open_actions_of_earlier_reviews_are_carried() {
    let doc_id = |n: u8| DocumentId::from_bytes([n; 16]);
    let mut first = held("2024-06-30");
    let open = action(&mut first, 1, "Write a data policy", false);
    action(&mut first, 2, "Hire", true);
    let mut second = held("2025-01-15");
    let later = action(&mut second, 3, "Train staff", false);
    let mut undated = new_document();
    create_management_review(&mut undated, 0, "next").unwrap();
    action(&mut undated, 4, "Not held yet", false);
    let reviews: Vec<(DocumentId, ManagementReview)> = [(1, &first), (2, &second), (3, &undated)]
        .into_iter()
        .map(|(n, doc)| (doc_id(n), ManagementReview::load(doc).unwrap()))
        .collect();
    let carried = |this: u8| -> Vec<ReviewActionId> {
        carried_actions(&reviews, doc_id(this)).into_iter().map(|c| c.id).collect()
    };
    // Table: the review, and the actions it carries.
    let cases = [(1, vec![]), (2, vec![open]), (3, vec![open, later])];
    for (this, expected) in cases {
        assert_eq!(carried(this), expected, "review {this}");
    }
    let first_carried = &carried_actions(&reviews, doc_id(3))[0];
    assert_eq!((first_carried.review, first_carried.held_on), (doc_id(1), date("2024-06-30")));
}
