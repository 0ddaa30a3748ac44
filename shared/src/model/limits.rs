//! How large a value may be written: far above anything a person types, far below what would
//! freeze every collaborator's tab (a 10 MB title pasted by accident, or written by a hostile
//! client through the model). Checked inside the commit, so an edit past them writes nothing.
//! What arrives from elsewhere past them is still read (see `damage.rs` for what cannot be).
//!
//! ```
//! use quorum_shared::model::{self, ModelError, Position, Risk, RiskField};
//!
//! let mut doc = model::new_document();
//! model::create_risk_register(&mut doc, 0).unwrap();
//! let id = model::add(&mut doc, 1_000, [1; 16], Risk { title: "Bias".into(), ..Risk::default() }, Position::Last).unwrap();
//! let huge = "x".repeat(model::MAX_FIELD_CHARS + 1);
//! let refused = model::edit(&mut doc, 2_000, id, RiskField::Title(huge));
//! assert!(matches!(refused, Err(ModelError::TooLong { .. })));
//! assert_eq!(model::get(&doc, id).unwrap().title, "Bias");
//! ```

use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value};

use super::ModelError;

/// The most characters a short field (a title, a name, a label) may hold: about 50 pages.
pub const MAX_FIELD_CHARS: usize = 100_000;

/// The most UTF-16 code units a prose field (the policy text, a justification) may hold: about
/// 500 pages.
pub const MAX_PROSE_UNITS: usize = 1_000_000;

/// Refuses a record whose own fields are past the limits.
pub(crate) fn check_record(doc: &AutoCommit, record: &ObjId) -> Result<(), ModelError> {
    for item in doc.map_range(record, ..) {
        check_field(doc, record, &item.key)?;
    }
    Ok(())
}

/// Refuses one field of a record past the limits: an edit checks only what it wrote, so a record
/// that arrived with another field too long (see `damage.rs`) can still be edited and fixed.
pub(crate) fn check_field(doc: &AutoCommit, record: &ObjId, key: &str) -> Result<(), ModelError> {
    let too_long = |max| ModelError::TooLong { field: key.to_owned(), max };
    match doc.get(record, key)? {
        Some((Value::Scalar(scalar), _)) => match scalar.as_ref() {
            ScalarValue::Str(text) if text.chars().count() > MAX_FIELD_CHARS => {
                Err(too_long(MAX_FIELD_CHARS))
            }
            _ => Ok(()),
        },
        Some((Value::Object(ObjType::Text), text)) if doc.length(&text) > MAX_PROSE_UNITS => {
            Err(too_long(MAX_PROSE_UNITS))
        }
        _ => Ok(()),
    }
}

/// Refuses prose of `units` UTF-16 code units past the limit.
pub(crate) fn check_prose(field: &str, units: usize) -> Result<(), ModelError> {
    match units > MAX_PROSE_UNITS {
        true => Err(ModelError::TooLong { field: field.to_owned(), max: MAX_PROSE_UNITS }),
        false => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use automerge::ReadDoc;
    use automerge::transaction::Transactable;

    use crate::model::{self, AiPolicy, ModelError, Position, Risk, RiskField, TextEdit};

    #[test]
    fn a_record_that_arrived_with_one_field_too_long_can_still_have_another_edited() {
        let mut doc = model::new_document();
        model::create_risk_register(&mut doc, 0).unwrap();
        let id = model::add(&mut doc, 1_000, [1; 16], Risk::default(), Position::Last).unwrap();
        // What another client wrote past the model's checks.
        let risks = doc.get(automerge::ROOT, "risks").unwrap().unwrap().1;
        let risk = doc.get(&risks, id.to_string()).unwrap().unwrap().1;
        doc.put(&risk, "source", "d".repeat(super::MAX_FIELD_CHARS + 1)).unwrap();
        doc.commit();

        model::edit(&mut doc, 2_000, id, RiskField::Title("Bias".into())).unwrap();
        let refused =
            model::edit(&mut doc, 3_000, id, RiskField::Title("t".repeat(super::MAX_FIELD_CHARS + 1)));
        assert!(
            matches!(refused, Err(ModelError::TooLong { ref field, .. }) if field == "title"),
            "{refused:?}"
        );
        assert_eq!(model::get(&doc, id).unwrap().title, "Bias");
    }

    #[test]
    fn prose_past_the_limit_is_refused_whole_or_typed_and_writes_nothing() {
        let mut doc = model::new_document();
        model::create_policy(&mut doc, 0, "AI policy", "Short.").unwrap();
        let heads = doc.get_heads();
        let pasted = "y".repeat(super::MAX_PROSE_UNITS);
        let typed = TextEdit::Splice { pos: 0, delete: 0, insert: pasted.clone() };
        for edit in [TextEdit::Replace(pasted + "z"), typed] {
            let refused = model::edit_policy_text(&mut doc, 1_000, edit);
            assert!(matches!(refused, Err(ModelError::TooLong { .. })), "{refused:?}");
        }
        assert_eq!(doc.get_heads(), heads);
        assert_eq!(AiPolicy::load(&doc).unwrap().text.as_str(), "Short.");
    }
}
