//! Poison-proof reading: one record that does not read (a key that is not an id, a value of the
//! wrong type, a status this version does not know) is left out of what a page reads, never fatal
//! to the document; [`damaged`] lists such records so the app can show them, with who wrote them
//! last, and an editor can [`repair`] one (as it was before the write that broke it) or
//! [`remove`] it. Nothing here rewrites a record it skipped: writes are field by field, so a
//! value a newer version wrote stays in the document for that version to read.
//!
//! Every map of records in an artifact is read through [`records`] (as an autosurgeon `with`
//! adaptor), which skips what does not read.
//!
//! ```
//! use automerge::{ReadDoc, transaction::Transactable};
//! use quorum_shared::model::{self, Damage, Workspace};
//!
//! let mut doc = model::new_document();
//! let device = doc.get_actor().clone();
//! let ada = model::create_workspace(&mut doc, 0, [1; 16], "Acme", "Ada", &device).unwrap();
//! let members = doc.get(automerge::ROOT, "members").unwrap().unwrap().1;
//! let bea = doc.put_object(&members, "not-an-id", automerge::ObjType::Map).unwrap();
//! doc.put(&bea, "name", "Bea").unwrap();
//!
//! let workspace = Workspace::load(&doc).unwrap();
//! assert_eq!(workspace.members.len(), 1, "Ada still reads; the bad entry is left out");
//! let damaged = model::damaged(&doc);
//! assert_eq!(damaged[0].path, ["members", "not-an-id"]);
//! assert_eq!(damaged[0].damage, Damage::Key);
//! # let _ = ada;
//! ```

use std::cell::RefCell;
use std::fmt;

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, Automerge, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, Value, ValueRef};
use autosurgeon::HydrateError;
use autosurgeon::hydrate::Unexpected;

use super::document::change;
use super::history::{HistoryEntry, PartPath};
use super::{DocumentKind, ModelError};

/// A record that did not read, and where it is.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Damaged {
    /// The map keys from the root to the record, such as `["members", "3vQ…"]`; empty when the
    /// document as a whole does not read.
    pub path: PartPath,
    pub damage: Damage,
    /// The newest write within the record (its actor and operation counter), the likeliest to
    /// have broken it; [`written_by`] finds its change.
    pub last_write: Option<(ActorId, u64)>,
}

/// Why a record did not read.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Damage {
    /// The key is not an id of this register.
    Key,
    /// A value this version does not know, such as a status a newer version added.
    Unknown { expected: String, found: String },
    /// A value of the wrong shape, such as a number where text belongs.
    Unreadable(String),
}

/// Why a record does not read, in the words the app shows beside it; the detail of an
/// unreadable value stays in `Debug`, for whoever investigates.
impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Key => f.write_str("its key is not a record id"),
            Self::Unknown { found, .. } => {
                let found: String = found.chars().take(60).collect();
                write!(f, "the value “{found}” is unknown (newer version?)")
            }
            Self::Unreadable(_) => f.write_str("a value in it has the wrong form"),
        }
    }
}

impl From<HydrateError> for Damage {
    fn from(error: HydrateError) -> Self {
        match error {
            HydrateError::ParseMapKey(_) => Self::Key,
            HydrateError::Unexpected(Unexpected::Other { expected, found }) => {
                Self::Unknown { expected, found }
            }
            other => Self::Unreadable(other.to_string()),
        }
    }
}

/// The autosurgeon `with` adaptor for a map of records keyed by ids (or any key that parses):
/// entries whose key does not parse or whose value does not read are left out (and, while
/// [`damaged`] reads, noted). Writing is autosurgeon's own.
pub mod records {
    use std::str::FromStr;

    use automerge::{ObjType, Value};
    use autosurgeon::{Hydrate, HydrateError, Prop, ReadDoc};

    pub use autosurgeon::map_with_parseable_keys::reconcile;

    pub fn hydrate<'a, D, K, V, M>(
        doc: &'a D,
        obj: &automerge::ObjId,
        prop: Prop<'a>,
    ) -> Result<M, HydrateError>
    where
        D: ReadDoc,
        K: FromStr,
        V: Hydrate,
        M: FromIterator<(K, V)>,
    {
        let map = match doc.get(obj, &prop)? {
            Some((Value::Object(ObjType::Map | ObjType::Table), id)) => id,
            // The whole register is not a map: noted as one damaged part, read as empty, so
            // the rest of the document still shows.
            found => {
                let error =
                    HydrateError::unexpected("a map of records", describe(found.as_ref().map(|f| &f.0)));
                super::note(obj, &prop.to_string(), error.into());
                return Ok(std::iter::empty().collect());
            }
        };
        Ok(doc
            .map_range(&map, ..)
            .filter_map(|item| {
                let Ok(key) = item.key.parse::<K>() else {
                    super::note(&map, &item.key, super::Damage::Key);
                    return None;
                };
                match V::hydrate(doc, &map, item.key.as_ref().into()) {
                    Ok(value) => Some((key, value)),
                    Err(error) => {
                        super::note(&map, &item.key, error.into());
                        None
                    }
                }
            })
            .collect())
    }

    fn describe(value: Option<&Value<'_>>) -> String {
        match value {
            None => "nothing".to_owned(),
            Some(Value::Object(kind)) => format!("a {kind}"),
            Some(Value::Scalar(scalar)) => format!("the value {scalar}"),
        }
    }
}

thread_local! {
    /// While [`damaged`] reads a document, the entries [`records`] left out. Autosurgeon hands a
    /// `with` adaptor no context of ours, so this is how the adaptor reports to the one caller
    /// that asks; any other read leaves it `None` and pays nothing.
    static LEFT_OUT: RefCell<Option<Vec<(ObjId, String, Damage)>>> = const { RefCell::new(None) };
}

/// Notes a part left out (or read as its default) while [`damaged`] reads; nothing otherwise.
pub(crate) fn note(map: &ObjId, key: &str, damage: Damage) {
    LEFT_OUT.with(|left_out| {
        if let Some(left_out) = left_out.borrow_mut().as_mut() {
            left_out.push((map.clone(), key.to_owned(), damage));
        }
    });
}

/// Collects what [`records`] leaves out while it lives, and stops collecting when dropped, even
/// if a read panics.
struct Collecting;

impl Collecting {
    fn start() -> Self {
        LEFT_OUT.with(|left_out| *left_out.borrow_mut() = Some(Vec::new()));
        Self
    }

    fn finish(self) -> Vec<(ObjId, String, Damage)> {
        LEFT_OUT.with(|left_out| left_out.borrow_mut().take()).unwrap_or_default()
    }
}

impl Drop for Collecting {
    fn drop(&mut self) {
        LEFT_OUT.with(|left_out| *left_out.borrow_mut() = None);
    }
}

/// The records of `doc` that do not read as its kind, in the order of their paths; an empty
/// document (not synced yet) has none.
pub fn damaged(doc: &AutoCommit) -> Vec<Damaged> {
    if doc.length(ROOT) == 0 {
        return Vec::new();
    }
    let collecting = Collecting::start();
    let whole = read_as_its_kind(doc);
    let left_out = collecting.finish();
    let mut found: Vec<Damaged> = left_out
        .into_iter()
        .map(|(map, key, damage)| {
            let mut path = path_of(doc, &map);
            let last_write = newest_write(doc, &map, &key);
            path.push(key);
            Damaged { path, damage, last_write }
        })
        .collect();
    if let Err(error) = whole {
        let damage = match error {
            ModelError::Hydrate(error) => error.into(),
            other => Damage::Unreadable(other.to_string()),
        };
        found.push(Damaged { path: Vec::new(), damage, last_write: None });
    }
    crate::order::sort_by(&mut found, |a, b| a.path.cmp(&b.path));
    found.dedup_by(|a, b| a.path == b.path);
    found
}

/// Reads the document as the kind its root names, so that every register is read once.
fn read_as_its_kind(doc: &AutoCommit) -> Result<(), ModelError> {
    use super::{
        AiPolicy, AuditProgramme, Context, DocumentedInformationRegister, ImpactAssessment, Improvement,
        InternalAudit, Inventory, ManagementReview, Monitoring, Objectives, PlannedChanges, RiskRegister,
        Roles, StatementOfApplicability, Support, Workspace,
    };
    let kind = autosurgeon::hydrate_prop::<_, Option<String>, _, _>(doc, ROOT, "kind").ok().flatten();
    let Some(kind) = kind.as_deref().and_then(DocumentKind::from_name) else {
        let found = kind.unwrap_or_default();
        return Err(ModelError::WrongKind { expected: DocumentKind::Workspace, found });
    };
    match kind {
        DocumentKind::Workspace => Workspace::load(doc).map(drop),
        DocumentKind::Context => Context::load(doc).map(drop),
        DocumentKind::Inventory => Inventory::load(doc).map(drop),
        DocumentKind::Policy => AiPolicy::load(doc).map(drop),
        DocumentKind::Roles => Roles::load(doc).map(drop),
        DocumentKind::RiskRegister => RiskRegister::load(doc).map(drop),
        DocumentKind::StatementOfApplicability => StatementOfApplicability::load(doc).map(drop),
        DocumentKind::ImpactAssessment => ImpactAssessment::load(doc).map(drop),
        DocumentKind::Objectives => Objectives::load(doc).map(drop),
        DocumentKind::PlannedChanges => PlannedChanges::load(doc).map(drop),
        DocumentKind::Support => Support::load(doc).map(drop),
        DocumentKind::DocumentedInformation => DocumentedInformationRegister::load(doc).map(drop),
        DocumentKind::Monitoring => Monitoring::load(doc).map(drop),
        DocumentKind::AuditProgramme => AuditProgramme::load(doc).map(drop),
        DocumentKind::Audit => InternalAudit::load(doc).map(drop),
        DocumentKind::ManagementReview => ManagementReview::load(doc).map(drop),
        DocumentKind::Improvement => Improvement::load(doc).map(drop),
    }
}

/// The map keys from the root to `obj`.
fn path_of(doc: &AutoCommit, obj: &ObjId) -> PartPath {
    let Ok(parents) = doc.parents(obj) else { return Vec::new() };
    let mut path: PartPath = parents.map(|parent| parent.prop.to_string()).collect();
    path.reverse();
    path
}

/// At most this many values are looked at for a record's newest write, so that a hostile record
/// of a million nested objects costs a bounded read.
const NEWEST_WRITE_LOOKS: usize = 10_000;

/// The newest operation among the values at `map[key]` and everything under them, in Lamport
/// order (counter, then actor).
fn newest_write(doc: &AutoCommit, map: &ObjId, key: &str) -> Option<(ActorId, u64)> {
    let mut newest: Option<(u64, ActorId)> = None;
    let consider = |newest: &mut Option<(u64, ActorId)>, id: &ObjId| {
        if let ObjId::Id(counter, actor, _) = id {
            let candidate = (*counter, actor.clone());
            if newest.as_ref().is_none_or(|n| candidate > *n) {
                *newest = Some(candidate);
            }
        }
    };
    let mut todo: Vec<ObjId> = Vec::new();
    for (value, id) in doc.get_all(map, key).unwrap_or_default() {
        consider(&mut newest, &id);
        if let Value::Object(_) = value {
            todo.push(id);
        }
    }
    let mut looks = 0;
    while let Some(obj) = todo.pop() {
        // Each value with whether it is an object to look into.
        let left = NEWEST_WRITE_LOOKS.saturating_sub(looks) + 1;
        let items: Vec<(bool, ObjId)> = match doc.object_type(&obj) {
            Ok(ObjType::Map | ObjType::Table) => doc
                .map_range(&obj, ..)
                .take(left)
                .map(|item| (matches!(item.value, ValueRef::Object(_)), item.id()))
                .collect(),
            Ok(ObjType::List) => doc
                .list_range(&obj, ..)
                .take(left)
                .map(|item| (matches!(item.value, ValueRef::Object(_)), item.id()))
                .collect(),
            _ => Vec::new(),
        };
        for (is_object, id) in items {
            looks += 1;
            if looks > NEWEST_WRITE_LOOKS {
                return newest.map(|(counter, actor)| (actor, counter));
            }
            consider(&mut newest, &id);
            if is_object {
                todo.push(id);
            }
        }
    }
    newest.map(|(counter, actor)| (actor, counter))
}

/// The change that made the write `last_write` of a damaged record: who (its actor) and when.
pub fn written_by(doc: &Automerge, last_write: &(ActorId, u64)) -> Option<HistoryEntry> {
    let (actor, counter) = last_write;
    doc.get_changes_meta(&[])
        .into_iter()
        .find(|meta| meta.actor.as_ref() == actor && (meta.start_op..=meta.max_op).contains(counter))
        .map(|meta| HistoryEntry {
            hash: meta.hash.to_string(),
            actor: meta.actor.to_string(),
            time_ms: meta.timestamp.saturating_mul(1000),
            message: meta.message.map(|m| m.into_owned()),
        })
}

/// Brings a damaged record back as it was just before the write that broke it, as one new
/// change; refused, writing nothing, when there was no readable version then.
pub fn repair(doc: &mut AutoCommit, now_ms: i64, damaged: &Damaged) -> Result<(), ModelError> {
    let unrepairable = || ModelError::Unrepairable(damaged.path.join("/"));
    let last_write = damaged.last_write.as_ref().ok_or_else(unrepairable)?;
    let entry = written_by(doc.document(), last_write).ok_or_else(unrepairable)?;
    let hash: ChangeHash = entry.hash.parse().map_err(|_| unrepairable())?;
    let before = doc.get_change_meta_by_hash(&hash).map(|meta| meta.deps).ok_or_else(unrepairable)?;
    if !existed_at(doc, &before, &damaged.path) {
        return Err(unrepairable());
    }
    // Tried on a copy first: the version before may be damaged too (a record created broken).
    let mut trial = doc.fork();
    super::restore(&mut trial, now_ms, &before, &damaged.path, "damaged record")?;
    if self::damaged(&trial).iter().any(|d| d.path == damaged.path) {
        return Err(unrepairable());
    }
    super::restore(doc, now_ms, &before, &damaged.path, "damaged record")
}

/// Whether there was anything at `path` at `heads`.
fn existed_at(doc: &AutoCommit, heads: &[ChangeHash], path: &[String]) -> bool {
    let mut obj = ROOT;
    for (i, key) in path.iter().enumerate() {
        match doc.get_at(&obj, key.as_str(), heads) {
            Ok(Some(_)) if i + 1 == path.len() => return true,
            Ok(Some((Value::Object(_), id))) => obj = id,
            _ => return false,
        }
    }
    false
}

/// Removes a damaged record, as one new change (history keeps it).
pub fn remove(doc: &mut AutoCommit, now_ms: i64, damaged: &Damaged) -> Result<(), ModelError> {
    let Some((key, holder)) = damaged.path.split_last() else {
        return Err(ModelError::Unrepairable(String::new()));
    };
    let mut parent = ROOT;
    for step in holder {
        parent = match doc.get(&parent, step.as_str())? {
            Some((Value::Object(ObjType::Map | ObjType::Table), id)) => id,
            _ => return Err(ModelError::NotFound { what: "record", id: damaged.path.join("/") }),
        };
    }
    if doc.get(&parent, key.as_str())?.is_none() {
        return Err(ModelError::NotFound { what: "record", id: damaged.path.join("/") });
    }
    change(doc, now_ms, format!("remove damaged record {key}"), |doc| Ok(doc.delete(&parent, key.as_str())?))
}

#[cfg(test)]
mod tests;
