//! Conflicting choices on the SoA. When two people set the same field of one control at the
//! same time (one to "planned", the other to "implemented"), Automerge keeps both values and
//! lets one win by a rule no person would guess. The page says so: it shows the values, who set
//! each and which one is shown, and lets someone keep one, which replaces them all.
//!
//! ```
//! use quorum_shared::model::{self, ControlId, ImplementationStatus, SoaChoice};
//!
//! let control: ControlId = "A.6.2.4".parse().unwrap();
//! let mut ada = model::new_document();
//! model::create_soa(&mut ada, 0).unwrap();
//! let mut bea = ada.fork();
//! model::set_implementation_status(&mut ada, 1_000, control, ImplementationStatus::Planned).unwrap();
//! model::set_implementation_status(&mut bea, 1_000, control, ImplementationStatus::Implemented).unwrap();
//! ada.merge(&mut bea).unwrap();
//!
//! let conflict = &model::soa_conflicts(&ada).unwrap()[0];
//! assert_eq!((conflict.control, conflict.choice), (control, SoaChoice::Status));
//! model::keep_soa_value(&mut ada, 2_000, control, SoaChoice::Status, "planned").unwrap();
//! assert!(model::soa_conflicts(&ada).unwrap().is_empty());
//! ```

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ObjId, ReadDoc, ScalarValue, Value};

use super::{row, rows};
use crate::model::document::change;
use crate::model::text::read_text;
use crate::model::{ControlId, ImplementationStatus, ModelError};

/// The fields of a row that hold one choice (the justification is text, which merges instead).
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord)]
pub enum SoaChoice {
    Applicability,
    Status,
    Owner,
}

impl SoaChoice {
    const ALL: [SoaChoice; 3] = [Self::Applicability, Self::Status, Self::Owner];

    /// The row's property, which is also how the page names the choice to tests.
    pub fn prop(self) -> &'static str {
        match self {
            Self::Applicability => "applicability",
            Self::Status => "status",
            Self::Owner => "owner",
        }
    }

    /// The values a person may keep; any for the owner (a member id or "" for nobody).
    fn allows(self, value: &str) -> bool {
        match self {
            Self::Applicability => matches!(value, "applicable" | "excluded"),
            Self::Status => ImplementationStatus::from_token(value).is_some(),
            Self::Owner => true,
        }
    }
}

/// One field of one control holding several values at once.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SoaConflict {
    pub control: ControlId,
    pub choice: SoaChoice,
    /// The value the document shows, as stored ("in-progress", a member id, "" for none).
    pub shown: String,
    /// Every value set concurrently, each with the actor that set it; the shown one among them.
    pub values: Vec<(String, ActorId)>,
}

/// Every conflicting choice in the SoA, in Annex A order.
pub fn soa_conflicts(doc: &AutoCommit) -> Result<Vec<SoaConflict>, ModelError> {
    let rows = rows(doc)?;
    let mut conflicts = Vec::new();
    for control in ControlId::all() {
        conflicts.extend(row_conflicts(doc, &rows, control)?);
    }
    Ok(conflicts)
}

/// The conflicting choices of one control's row (none if it has no row), in [`SoaChoice`] order.
pub(super) fn row_conflicts(
    doc: &AutoCommit,
    rows: &ObjId,
    control: ControlId,
) -> Result<Vec<SoaConflict>, ModelError> {
    let Some((Value::Object(_), row)) = doc.get(rows, control.as_str())? else { return Ok(Vec::new()) };
    let mut conflicts = Vec::new();
    for choice in SoaChoice::ALL {
        let values = doc.get_all(&row, choice.prop())?;
        if values.len() < 2 {
            continue;
        }
        let values: Vec<(String, ActorId)> = values
            .into_iter()
            .filter_map(|(value, id)| match id {
                ObjId::Id(_, actor, _) => Some((scalar_text(&value), actor)),
                ObjId::Root => None,
            })
            .collect();
        let shown = doc.get(&row, choice.prop())?.map(|(value, _)| scalar_text(&value)).unwrap_or_default();
        conflicts.push(SoaConflict { control, choice, shown, values });
    }
    Ok(conflicts)
}

/// Keeps `value` for a conflicting choice: one write that replaces every concurrent value, even
/// when it is the one already shown (a plain edit would see no change and write nothing).
pub fn keep_soa_value(
    doc: &mut AutoCommit,
    now_ms: i64,
    control: ControlId,
    choice: SoaChoice,
    value: &str,
) -> Result<(), ModelError> {
    if !choice.allows(value) {
        return Err(ModelError::NotAChoice { choice: choice.prop(), value: value.to_owned() });
    }
    let row: ObjId = row(doc, control)?;
    if choice == SoaChoice::Applicability
        && value == "excluded"
        && read_text(doc, &row, "justification")?.trim().is_empty()
    {
        return Err(ModelError::JustificationRequired(control));
    }
    change(doc, now_ms, format!("keep {value} as {} of {control}", choice.prop()), |doc| {
        match (choice, value) {
            (SoaChoice::Owner, "") => doc.put(&row, choice.prop(), ScalarValue::Null)?,
            _ => doc.put(&row, choice.prop(), value)?,
        }
        Ok(())
    })
}

fn scalar_text(value: &Value<'_>) -> String {
    match value {
        Value::Scalar(scalar) => match scalar.as_ref() {
            ScalarValue::Str(text) => text.to_string(),
            ScalarValue::Null => String::new(),
            other => other.to_string(),
        },
        Value::Object(_) => String::new(),
    }
}
