//! The competence matrix (7.2): AIMS roles, the competences each needs and the members who hold
//! them, and the gaps between what the roles need and what training records show.
//!
//! ```
//! use quorum_shared::model::{self, AimsRole, Competence, Date, MemberId, Position, Support};
//!
//! let mut doc = model::new_document();
//! model::create_support(&mut doc, 0).unwrap();
//! let ethics = model::add(&mut doc, 0, [1; 16], Competence { name: "AI ethics".into(), ..Default::default() }, Position::Last).unwrap();
//! let lead = model::add(&mut doc, 0, [2; 16], AimsRole { name: "AIMS lead".into(), ..Default::default() }, Position::Last).unwrap();
//! let ada = MemberId::from_bytes([9; 16]);
//! model::set_role_requirement(&mut doc, 0, lead, ethics, true).unwrap();
//! model::set_role_holder(&mut doc, 0, lead, ada, true).unwrap();
//! let today = Date::new(2026, 1, 1).unwrap();
//! assert_eq!(model::competence_gaps(&Support::load(&doc).unwrap(), today).len(), 1);
//! ```

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile};

use super::super::document::{change, check_kind, entry, object};
use super::super::register::{record, record_fields};
use super::{Support, TrainingRecord};
use crate::model::{AimsRoleId, CompetenceId, Date, DocumentKind, MemberId, ModelError, Rank};

/// A competence the AIMS needs, such as "AI risk assessment".
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Competence {
    pub rank: Rank,
    pub name: String,
}

record_fields! {
    /// A field of a [`Competence`].
    pub enum CompetenceField for Competence {
        Name(String) => scalar name,
    }
}

record! {
    Competence { id: CompetenceId, field: CompetenceField, kind: Support, register: "competences", noun: "competence", label: |c| c.name.clone() }
    {}
}

/// A role in the AIMS (AIMS lead, model reviewer...), the competences it needs and who holds it.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct AimsRole {
    pub rank: Rank,
    pub name: String,
    /// The competences the role needs; a key's presence is the requirement.
    #[autosurgeon(with = "crate::model::records")]
    pub required: BTreeMap<CompetenceId, bool>,
    /// The members in the role; a key's presence is the assignment.
    #[autosurgeon(with = "crate::model::records")]
    pub holders: BTreeMap<MemberId, bool>,
}

record_fields! {
    /// A field of an [`AimsRole`]; its competences and holders change one at a time through
    /// [`set_role_requirement`] and [`set_role_holder`].
    pub enum AimsRoleField for AimsRole {
        Name(String) => scalar name,
    }
}

record! {
    AimsRole { id: AimsRoleId, field: AimsRoleField, kind: Support, register: "roles", noun: "role", label: |r| r.name.clone() }
    {}
}

/// Adds (`required`) or removes a competence the role needs; only that key is written, so
/// concurrent changes to other competences of the role all survive.
pub fn set_role_requirement(
    doc: &mut AutoCommit,
    now_ms: i64,
    role: AimsRoleId,
    competence: CompetenceId,
    required: bool,
) -> Result<(), ModelError> {
    let name = competence_name(doc, competence)?;
    let verb = if required { "require" } else { "no longer require" };
    set_key(doc, now_ms, role, "required", competence.to_string(), required, |role| {
        format!("{verb} {name:?} for role {role:?}")
    })
}

/// Puts a member in the role (`holds`) or takes them out of it, writing only that key.
pub fn set_role_holder(
    doc: &mut AutoCommit,
    now_ms: i64,
    role: AimsRoleId,
    member: MemberId,
    holds: bool,
) -> Result<(), ModelError> {
    let verb = if holds { "add holder to" } else { "remove holder from" };
    set_key(doc, now_ms, role, "holders", member.to_string(), holds, |role| format!("{verb} role {role:?}"))
}

fn competence_name(doc: &AutoCommit, competence: CompetenceId) -> Result<String, ModelError> {
    check_kind(doc, DocumentKind::Support)?;
    let competences = object(doc, &ROOT, "competences")?;
    entry(doc, &competences, competence.to_string(), "competence")?;
    let stored: Competence = autosurgeon::hydrate_prop(doc, &competences, competence.to_string().as_str())?;
    Ok(stored.name)
}

fn set_key(
    doc: &mut AutoCommit,
    now_ms: i64,
    role: AimsRoleId,
    map: &'static str,
    key: String,
    present: bool,
    message: impl FnOnce(&str) -> String,
) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Support)?;
    let roles = object(doc, &ROOT, "roles")?;
    let obj = entry(doc, &roles, role.to_string(), "role")?;
    let stored: AimsRole = autosurgeon::hydrate_prop(&*doc, &roles, role.to_string().as_str())?;
    let map = object(doc, &obj, map)?;
    change(doc, now_ms, message(&stored.name), |doc| {
        if present {
            doc.put(&map, key, true)?;
        } else if doc.get(&map, key.as_str())?.is_some() {
            doc.delete(&map, key)?;
        }
        Ok(())
    })
}

/// Why a holder of a role does not show a competence the role needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GapReason {
    /// No training record of that member for that competence.
    NoRecord,
    /// Records exist, but the latest expired on this date, before today.
    Expired(Date),
}

/// A holder of a role lacking valid evidence of one of the role's competences.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CompetenceGap {
    pub role: AimsRoleId,
    pub member: MemberId,
    pub competence: CompetenceId,
    pub reason: GapReason,
}

/// Every (role, holder, required competence) without a training record of that member for that
/// competence that is still valid on `today`, in role, member and competence order. A required
/// competence deleted meanwhile is no longer asked for.
pub fn competence_gaps(support: &Support, today: Date) -> Vec<CompetenceGap> {
    let mut gaps = Vec::new();
    for (role_id, role) in &support.roles {
        for member in role.holders.keys() {
            for competence in role.required.keys().filter(|c| support.competences.contains_key(c)) {
                let records: Vec<&TrainingRecord> = support
                    .training
                    .values()
                    .filter(|t| t.member == Some(*member) && t.competence == Some(*competence))
                    .collect();
                if records.iter().any(|t| t.is_valid_on(today)) {
                    continue;
                }
                let reason = records
                    .iter()
                    .filter_map(|t| t.expires_on)
                    .max()
                    .map_or(GapReason::NoRecord, GapReason::Expired);
                gaps.push(CompetenceGap { role: *role_id, member: *member, competence: *competence, reason });
            }
        }
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{id, one_commit, refused};
    use crate::model::{Position, TrainingId, add_with_id, create_support, new_document};

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// A support document with role 1 needing competences 1 and 2, held by members 1 and 2.
    fn matrix() -> AutoCommit {
        let mut doc = new_document();
        create_support(&mut doc, 0).unwrap();
        for (n, name) in [(1, "AI risk"), (2, "Data quality")] {
            let competence = Competence { name: name.into(), ..Default::default() };
            add_with_id(&mut doc, 0, id::<CompetenceId>(n), competence, Position::Last).unwrap();
        }
        let role = AimsRole { name: "Model reviewer".into(), ..Default::default() };
        add_with_id(&mut doc, 0, id::<AimsRoleId>(1), role, Position::Last).unwrap();
        for n in [1, 2] {
            set_role_requirement(&mut doc, 0, id(1), id(n), true).unwrap();
            set_role_holder(&mut doc, 0, id(1), id(n), true).unwrap();
        }
        doc
    }

    fn train(doc: &mut AutoCommit, n: u8, member: u8, competence: u8, expires: Option<&str>) {
        let record = TrainingRecord {
            member: Some(id(member)),
            competence: Some(id(competence)),
            expires_on: expires.map(date),
            ..Default::default()
        };
        add_with_id(doc, 0, id::<TrainingId>(n), record, Position::Last).unwrap();
    }

    /// (member, competence, reason) of each gap on 2026-06-01.
    fn gaps(doc: &AutoCommit) -> Vec<(u8, u8, GapReason)> {
        let support = Support::load(doc).unwrap();
        competence_gaps(&support, date("2026-06-01"))
            .into_iter()
            .map(|g| (g.member.as_bytes()[0], g.competence.as_bytes()[0], g.reason))
            .collect()
    }

    /// A training record as (member, competence, expiry), and a gap as (member, competence, reason).
    type Training = (u8, u8, Option<&'static str>);
    type Gap = (u8, u8, GapReason);

    #[test]
    fn gaps_are_holders_without_a_valid_record_for_each_required_competence() {
        use GapReason::*;
        // (training records as (member, competence, expiry), expected gaps)
        let cases: &[(&[Training], &[Gap])] = &[
            (&[], &[(1, 1, NoRecord), (1, 2, NoRecord), (2, 1, NoRecord), (2, 2, NoRecord)]),
            (&[(1, 1, None), (1, 2, None), (2, 1, None)], &[(2, 2, NoRecord)]),
            // Expiring today still counts; the day before does not.
            (
                &[(1, 1, Some("2026-06-01")), (1, 2, None), (2, 1, Some("2026-05-31")), (2, 2, None)],
                &[(2, 1, Expired(date("2026-05-31")))],
            ),
            // An expired record next to a valid one is no gap; two expired ones name the latest.
            (
                &[
                    (1, 1, Some("2020-01-01")),
                    (1, 1, Some("2030-01-01")),
                    (1, 2, None),
                    (2, 1, Some("2024-01-01")),
                    (2, 1, Some("2025-01-01")),
                    (2, 2, None),
                ],
                &[(2, 1, Expired(date("2025-01-01")))],
            ),
            // A record for another competence, or of another member, does not fill the gap.
            (&[(1, 1, None), (1, 2, None), (2, 2, None), (3, 1, None)], &[(2, 1, NoRecord)]),
        ];
        for (records, expected) in cases {
            let mut doc = matrix();
            for (n, (member, competence, expiry)) in records.iter().enumerate() {
                train(&mut doc, n as u8 + 1, *member, *competence, *expiry);
            }
            assert_eq!(gaps(&doc), *expected, "records {records:?}");
        }
    }

    #[test]
    fn requirements_and_holders_change_one_key_each() {
        let mut doc = matrix();
        one_commit(&mut doc, "no longer require \"Data quality\" for role \"Model reviewer\"", |doc| {
            set_role_requirement(doc, 0, id(1), id(2), false).unwrap()
        });
        one_commit(&mut doc, "remove holder from role \"Model reviewer\"", |doc| {
            set_role_holder(doc, 0, id(1), id(2), false).unwrap()
        });
        assert_eq!(gaps(&doc), [(1, 1, GapReason::NoRecord)]);
        // A deleted competence is no longer asked for.
        crate::model::delete(&mut doc, 0, id::<CompetenceId>(1)).unwrap();
        assert!(gaps(&doc).is_empty());
        let missing = refused(&mut doc, |doc| set_role_holder(doc, 0, id(9), id(1), true));
        assert!(matches!(missing, ModelError::NotFound { what: "role", .. }));
        let missing = refused(&mut doc, |doc| set_role_requirement(doc, 0, id(1), id(9), true));
        assert!(matches!(missing, ModelError::NotFound { what: "competence", .. }));
    }
}
