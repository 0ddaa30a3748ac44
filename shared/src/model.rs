//! The typed artifacts of an AI management system, each stored as one Automerge document, and
//! the domain operations that edit them while keeping their invariants.
//!
//! Every edit is a function on the document (`&mut AutoCommit`) that takes the current time in
//! milliseconds (this crate has no clock) and makes exactly one commit, stamped with that time and
//! a message saying what changed, which the history view reads. Invalid edits return a
//! [`ModelError`] and leave the document untouched. Invariants that a merge of concurrent edits
//! can still break (an excluded control whose justification was emptied meanwhile) are not
//! stored facts but checks: `soa_violations`, `risk_violations` and friends list them.
//!
//! ```
//! use quorum_shared::model::{self, ControlId, StatementOfApplicability};
//!
//! let mut doc = model::new_document();
//! model::create_soa(&mut doc, 1_700_000_000_000).unwrap();
//! let control: ControlId = "A.5.2".parse().unwrap();
//! model::exclude_control(&mut doc, 1_700_000_060_000, control, "No AI systems of our own").unwrap();
//! let soa = StatementOfApplicability::load(&doc).unwrap();
//! assert_eq!(soa.rows.len(), 38);
//! assert!(model::soa_violations(&doc).unwrap().is_empty());
//! ```
//!
//! Registers of records (risks, objectives, findings...) share one set of operations:
//! [`add`], [`edit`] (one field), [`delete`], [`move_to`], [`list`] and [`get`].
//!
//! The documents, each created once by its `create_*` function and read with `Type::load`:
//! [`Workspace`] (the root: documents, members, devices, settings), [`Context`],
//! [`Inventory`], [`AiPolicy`], [`Roles`], [`RiskRegister`] (with its [`RiskCriteria`]),
//! [`StatementOfApplicability`], [`ImpactAssessment`] (one per system or use), [`Objectives`],
//! [`PlannedChanges`], [`Support`], [`DocumentedInformationRegister`], [`Monitoring`],
//! [`AuditProgramme`], [`InternalAudit`] (one per audit), [`ManagementReview`] (one per
//! review) and [`Improvement`].

mod approval;
mod audit;
mod catalog_ids;
mod changes;
mod context;
mod damage;
mod date;
mod document;
mod documented;
mod error;
mod history;
mod ids;
mod impact;
mod improvement;
mod inventory;
mod limits;
mod monitoring;
mod objectives;
mod policy;
mod rank;
pub mod register;
mod review;
mod risk;
mod risk_criteria;
mod roles;
pub mod signature;
mod soa;
mod support;
#[cfg(test)]
pub(crate) mod testing;
mod text;
mod undo;
mod workspace;

pub use approval::{ASSESSMENT_SUBJECT, Approval, Signed, claim, policy_version_subject};
pub use audit::*;
pub use catalog_ids::*;
pub use changes::*;
pub use context::*;
pub use damage::{Damage, Damaged, damaged, records, remove as remove_damaged, repair, written_by};
pub use date::{Date, ParseDateError};
pub use document::{Artifact, DocumentKind, check_kind, load_document, new_document};
pub use documented::*;
pub use error::ModelError;
pub use history::{
    ChangeSummary, Comparison, Difference, FieldDifference, HistoryEntry, HistoryWalk, PartPath, Segment,
    at_heads, compare, heads_hex, history, latest_history, parse_heads, prose_diff, records, restore,
    summarize,
};
pub use ids::*;
pub use impact::*;
pub use improvement::*;
pub use inventory::*;
pub use limits::{MAX_FIELD_CHARS, MAX_PROSE_UNITS};
pub use monitoring::*;
pub use objectives::*;
pub use policy::*;
pub use rank::{Position, Rank};
pub use register::{Field, Record, RecordId, RecordKey, add, add_with_id, delete, edit, get, list, move_to};
pub use review::*;
pub use risk::*;
pub use risk_criteria::*;
pub use roles::*;
pub use soa::*;
pub use support::*;
pub use text::TextEdit;
pub use undo::{Undone, change_message, undo_change};
pub use workspace::*;
