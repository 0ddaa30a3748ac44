//! The open actions of earlier reviews, which a review goes through first. They are read from
//! the earlier reviews' own documents, never copied, so marking one done there is seen by every
//! later review at once.

use super::{ManagementReview, ReviewAction};
use crate::model::{Date, DocumentId, ReviewActionId};

/// An open action of an earlier review.
#[derive(Clone, PartialEq, Debug)]
pub struct CarriedAction {
    pub review: DocumentId,
    pub review_title: String,
    pub held_on: Date,
    pub id: ReviewActionId,
    pub action: ReviewAction,
}

/// The open actions of every review held before `this` one, oldest review first, each review's
/// actions in their order. A review not held yet has every held review before it; reviews with
/// no date are not "earlier" than anything.
pub fn carried_actions(reviews: &[(DocumentId, ManagementReview)], this: DocumentId) -> Vec<CarriedAction> {
    let until = reviews.iter().find(|(id, _)| *id == this).and_then(|(_, r)| r.held_on);
    let mut earlier: Vec<(Date, DocumentId, &ManagementReview)> = reviews
        .iter()
        .filter(|(id, _)| *id != this)
        .filter_map(|(id, review)| Some((review.held_on?, *id, review)))
        .filter(|(held, ..)| until.is_none_or(|until| *held < until))
        .collect();
    crate::order::sort_by_key(&mut earlier, |(held, id, _)| (*held, *id));
    earlier
        .into_iter()
        .flat_map(|(held_on, review_id, review)| {
            review.actions_in_order().into_iter().filter(|(_, a)| !a.done).map(move |(id, action)| {
                CarriedAction {
                    review: review_id,
                    review_title: review.title.clone(),
                    held_on,
                    id,
                    action: action.clone(),
                }
            })
        })
        .collect()
}
