//! Registers: the maps of records (risks, objectives, findings...) that documents hold, and the
//! four operations every register has: add, edit one field, delete, move.
//!
//! A register is an Automerge map from record id to record, ordered by each record's
//! [`Rank`] (see `rank.rs` for why not a list). An edit writes one field of one
//! record and nothing else, so two people editing different fields of a record both keep their
//! edit, and prose fields are edited as text so that edits of the same field merge by character.
//! (Reconciling a whole record would mostly work too, since Automerge drops a put of the value
//! already there, but not when the field is in conflict after a merge: then the put picks a
//! winner, which is a decision the person editing another field never made.)
//!
//! ```
//! use quorum_shared::model::{self, Position, Risk, RiskField};
//!
//! let mut doc = model::new_document();
//! model::create_risk_register(&mut doc, 0).unwrap();
//! let risk = Risk { title: "Biased screening".into(), ..Risk::default() };
//! let id = model::add(&mut doc, 1_000, [1; 16], risk, Position::Last).unwrap();
//! model::edit(&mut doc, 2_000, id, RiskField::Likelihood(Some(4))).unwrap();
//! model::edit(&mut doc, 3_000, id, RiskField::Description("Rejects older people".into())).unwrap();
//! assert_eq!(model::get(&doc, id).unwrap().likelihood, Some(4));
//! ```

use std::fmt::{Debug, Display};
use std::str::FromStr;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile};

use super::document::{change, check_kind, object, read_optional};
use super::{DocumentKind, ModelError, Position, Rank};

mod macros;

pub(crate) use macros::{record, record_fields};

/// The id type of a kind of record; ids are made by `record_id!` in `ids.rs`.
pub trait RecordKey:
    Copy + Ord + Debug + Display + FromStr<Err: std::error::Error + Send + Sync + 'static> + 'static
{
    fn from_bytes(bytes: [u8; super::ID_LEN]) -> Self;
}

/// Links an id type to the record it names, so operations can take just the id.
pub trait RecordId: RecordKey {
    type Record: Record<Id = Self>;
}

/// A kind of record kept in a register.
pub trait Record: Reconcile + Hydrate + Clone {
    type Id: RecordId<Record = Self>;
    type Field: Field<Record = Self>;
    /// The kind of document whose register holds these records.
    const KIND: DocumentKind;
    /// The root property holding the register, such as `risks`.
    const REGISTER: &'static str;
    /// What one record is called in commit messages, such as `risk`.
    const NOUN: &'static str;

    fn rank(&self) -> &Rank;
    fn set_rank(&mut self, rank: Rank);
    /// A short name for the record in commit messages.
    fn label(&self) -> String;

    /// Checks a new record against the document before it is added.
    fn check(&self, _doc: &AutoCommit) -> Result<(), ModelError> {
        Ok(())
    }

    /// Checks one field's new value against the document before it is written.
    fn check_field(_field: &Self::Field, _doc: &AutoCommit) -> Result<(), ModelError> {
        Ok(())
    }

    /// Records elsewhere in the document that belong to this one and go when it is deleted,
    /// as (register, key) pairs: registers are flat, with child records pointing at their
    /// parent, so that a child added while its parent is concurrently deleted is not silently
    /// dropped with it but stays visible as an orphan.
    fn dependants(_doc: &AutoCommit, _id: Self::Id) -> Result<Vec<(&'static str, String)>, ModelError> {
        Ok(Vec::new())
    }

    /// Runs inside the commit of every add, edit, delete and move in this register, after the
    /// write: what the document as a whole does when one of its records changes (an approved
    /// impact assessment goes back to draft), so that it never lags a commit behind.
    fn after_write(_doc: &mut AutoCommit) -> Result<(), ModelError> {
        Ok(())
    }
}

/// One field of a record with its new value, as an edit.
pub trait Field: Sized {
    type Record: Record<Field = Self>;
    /// The field's property name in the document.
    fn prop(&self) -> &'static str;
    /// Writes the value into the record object `obj`, touching nothing else.
    fn write(&self, doc: &mut AutoCommit, obj: &ObjId) -> Result<(), ModelError>;
}

/// The records of a register in order: by rank, then by id for ranks that tie. A record that
/// does not read is left out (see `damage.rs`), so one bad record never hides the others.
pub fn list<R: Record>(doc: &AutoCommit) -> Result<Vec<(R::Id, R)>, ModelError> {
    register_of::<R>(doc)?;
    let mut records: Vec<(R::Id, R)> = super::records::hydrate(doc, &ROOT, R::REGISTER.into())?;
    crate::order::sort_by(&mut records, |(a_id, a), (b_id, b)| a.rank().cmp(b.rank()).then(a_id.cmp(b_id)));
    Ok(records)
}

/// One record.
pub fn get<I: RecordId>(doc: &AutoCommit, id: I) -> Result<I::Record, ModelError> {
    let register = register_of::<I::Record>(doc)?;
    record_object::<I::Record>(doc, &register, id)?;
    Ok(autosurgeon::hydrate_prop(doc, &register, id.to_string().as_str())?)
}

/// Adds a record at `at` under a fresh id made of the caller's `random` bytes, and returns it.
pub fn add<R: Record>(
    doc: &mut AutoCommit,
    now_ms: i64,
    random: [u8; super::ID_LEN],
    record: R,
    at: Position<R::Id>,
) -> Result<R::Id, ModelError> {
    let id = R::Id::from_bytes(random);
    add_with_id(doc, now_ms, id, record, at)?;
    Ok(id)
}

/// Adds a record under an id the caller chose (tests, imports).
pub fn add_with_id<R: Record>(
    doc: &mut AutoCommit,
    now_ms: i64,
    id: R::Id,
    mut record: R,
    at: Position<R::Id>,
) -> Result<(), ModelError> {
    let register = register_of::<R>(doc)?;
    if doc.get(&register, id.to_string())?.is_some() {
        return Err(ModelError::Duplicate { what: R::NOUN, id: id.to_string() });
    }
    record.check(doc)?;
    record.set_rank(rank_at::<R>(doc, &register, at, None)?);
    let message = format!("add {} {:?}", R::NOUN, record.label());
    change(doc, now_ms, message, |doc| {
        autosurgeon::reconcile_prop(doc, &register, id.to_string().as_str(), &record)?;
        super::limits::check_record(doc, &record_object::<R>(doc, &register, id)?)?;
        R::after_write(doc)
    })
}

/// Adds several records at the end of the register in one commit (a spreadsheet imported, which
/// one undo takes back), under ids the caller chose; `what` names them in the message. Every
/// record is checked before anything is written.
pub fn add_all<R: Record>(
    doc: &mut AutoCommit,
    now_ms: i64,
    mut records: Vec<(R::Id, R)>,
    what: &str,
) -> Result<(), ModelError> {
    let register = register_of::<R>(doc)?;
    if records.is_empty() {
        return Err(ModelError::Missing("records to add"));
    }
    for (id, record) in &records {
        if doc.get(&register, id.to_string())?.is_some() {
            return Err(ModelError::Duplicate { what: R::NOUN, id: id.to_string() });
        }
        record.check(doc)?;
    }
    let mut last = rank_at::<R>(doc, &register, Position::Last, None)?;
    for (_, record) in &mut records {
        record.set_rank(last.clone());
        last = Rank::between(Some(&last), None);
    }
    let message = format!("import {} {}", records.len(), what);
    change(doc, now_ms, message, |doc| {
        for (id, record) in &records {
            autosurgeon::reconcile_prop(doc, &register, id.to_string().as_str(), record)?;
            super::limits::check_record(doc, &record_object::<R>(doc, &register, *id)?)?;
        }
        R::after_write(doc)
    })
}

/// Sets one field of a record.
pub fn edit<F: Field>(
    doc: &mut AutoCommit,
    now_ms: i64,
    id: <F::Record as Record>::Id,
    field: F,
) -> Result<(), ModelError> {
    let register = register_of::<F::Record>(doc)?;
    let obj = record_object::<F::Record>(doc, &register, id)?;
    <F::Record as Record>::check_field(&field, doc)?;
    let record: F::Record = autosurgeon::hydrate_prop(doc, &register, id.to_string().as_str())?;
    let noun = <F::Record as Record>::NOUN;
    let message = format!("edit {noun} {:?}: {}", record.label(), field.prop());
    change(doc, now_ms, message, |doc| {
        field.write(doc, &obj)?;
        super::limits::check_field(doc, &obj, field.prop())?;
        <F::Record as Record>::after_write(doc)
    })
}

/// Deletes a record and the records that belong to it.
pub fn delete<I: RecordId>(doc: &mut AutoCommit, now_ms: i64, id: I) -> Result<(), ModelError> {
    let register = register_of::<I::Record>(doc)?;
    let record = get(doc, id)?;
    let dependants = I::Record::dependants(doc, id)?;
    let message = format!("delete {} {:?}", I::Record::NOUN, record.label());
    change(doc, now_ms, message, |doc| {
        doc.delete(&register, id.to_string())?;
        for (child_register, key) in dependants {
            let child_register = object(doc, &ROOT, child_register)?;
            doc.delete(&child_register, key)?;
        }
        I::Record::after_write(doc)
    })
}

/// Moves a record to `at`, by writing its rank only; makes no commit if `at` is the record.
pub fn move_to<I: RecordId>(
    doc: &mut AutoCommit,
    now_ms: i64,
    id: I,
    at: Position<I>,
) -> Result<(), ModelError> {
    let register = register_of::<I::Record>(doc)?;
    let obj = record_object::<I::Record>(doc, &register, id)?;
    if matches!(at, Position::After(target) | Position::Before(target) if target == id) {
        // Next to itself is where it already is.
        return Ok(());
    }
    let record = get(doc, id)?;
    let rank = rank_at::<I::Record>(doc, &register, at, Some(id))?;
    let message = format!("move {} {:?}", I::Record::NOUN, record.label());
    change(doc, now_ms, message, |doc| {
        autosurgeon::reconcile_prop(doc, &obj, "rank", &rank)?;
        I::Record::after_write(doc)
    })
}

/// The register's map, after checking the document is of the right kind.
fn register_of<R: Record>(doc: &AutoCommit) -> Result<ObjId, ModelError> {
    check_kind(doc, R::KIND)?;
    object(doc, &ROOT, R::REGISTER)
}

/// The record's map object, or `NotFound`.
fn record_object<R: Record>(doc: &AutoCommit, register: &ObjId, id: R::Id) -> Result<ObjId, ModelError> {
    match doc.get(register, id.to_string())? {
        Some((automerge::Value::Object(_), obj)) => Ok(obj),
        _ => Err(ModelError::NotFound { what: R::NOUN, id: id.to_string() }),
    }
}

/// The rank that puts a record at `at`, among the register's records other than `moving`.
fn rank_at<R: Record>(
    doc: &AutoCommit,
    register: &ObjId,
    at: Position<R::Id>,
    moving: Option<R::Id>,
) -> Result<Rank, ModelError> {
    let mut ranks: Vec<(Rank, R::Id)> = Vec::new();
    for item in doc.map_range(register, ..) {
        let Ok(id) = item.key.parse::<R::Id>() else {
            continue;
        };
        if Some(id) == moving {
            continue;
        }
        let obj = record_object::<R>(doc, register, id)?;
        let rank: Option<Rank> = read_optional(doc, &obj, "rank")?;
        ranks.push((rank.unwrap_or_default(), id));
    }
    crate::order::sort(&mut ranks);
    let index_of = |target: R::Id| {
        ranks
            .iter()
            .position(|(_, id)| *id == target)
            .ok_or_else(|| ModelError::NotFound { what: R::NOUN, id: target.to_string() })
    };
    let (low, high) = match at {
        Position::First => (None, ranks.first()),
        Position::Last => (ranks.last(), None),
        Position::After(target) => {
            let i = index_of(target)?;
            (ranks.get(i), ranks.get(i + 1))
        }
        Position::Before(target) => {
            let i = index_of(target)?;
            (i.checked_sub(1).and_then(|j| ranks.get(j)), ranks.get(i))
        }
    };
    Ok(Rank::between(low.map(|(r, _)| r), high.map(|(r, _)| r)))
}

#[cfg(test)]
mod tests;
