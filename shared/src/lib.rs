//! Quorum's pure core, shared by the browser app and the relay.
//!
//! Nothing here does I/O: no sockets, files, clocks or browser APIs. Callers pass the current time
//! in where a record needs it, so every operation is deterministic and testable natively.
//!
//! - [`api`]: the relay's JSON API, each request and response body.
//! - [`catalog`]: ISO/IEC 42001 clauses, Annex A controls, Annex C, ISO/IEC 42005 sections, with
//!   our own descriptions and auditor hints.
//! - [`import`]: spreadsheets (CSV, XLSX) into the risk register, the AI system inventory and
//!   the SoA, previewed row by row before one commit.
//! - [`model`]: the typed artifacts of an AI management system, stored as Automerge documents,
//!   and the domain operations that edit them while keeping their invariants; approvals signed
//!   by device keys, and their verification ([`model::signature`]).
//! - [`pack`]: the audit pack, built from the documents and verified offline.
//! - [`readiness`]: how complete each clause and control is, and what is missing.

pub mod api;
pub mod catalog;
pub mod import;
pub mod model;
pub mod order;
pub mod pack;
pub mod readiness;
pub mod relay;
pub mod sync;
pub mod wire;
