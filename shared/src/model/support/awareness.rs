//! Members' acknowledgements of the AI policy in force (7.3): each member says, in the app, that
//! they have read the approved version, and the acknowledgement names that version and the
//! policy document heads it was approved at. A newly approved version asks everyone again.
//!
//! ```
//! use automerge::ActorId;
//! use quorum_shared::model::{self, PolicyVersionId, Support, Workspace};
//!
//! let mut root = model::new_document();
//! let ada = model::create_workspace(&mut root, 0, [1; 16], "Acme", "Ada", &ActorId::random()).unwrap();
//! let mut doc = model::new_document();
//! model::create_support(&mut doc, 0).unwrap();
//! let v1 = PolicyVersionId::from_bytes([8; 16]);
//! let workspace = Workspace::load(&root).unwrap();
//! assert_eq!(model::awaiting_acknowledgement(&workspace, &Support::load(&doc).unwrap(), v1), [ada]);
//! model::acknowledge_policy(&mut doc, 1_000, ada, v1, 1, vec!["ab".into()]).unwrap();
//! assert!(model::awaiting_acknowledgement(&workspace, &Support::load(&doc).unwrap(), v1).is_empty());
//! ```

use automerge::{AutoCommit, ROOT};
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use super::super::document::{change, check_kind, object};
use super::Support;
use crate::model::{DocumentKind, MemberId, ModelError, PolicyVersionId, Role, Workspace};

/// A member's statement that they have read a version of the AI policy; the member is the key of
/// the map that holds it, so a later acknowledgement replaces an earlier one.
#[derive(Clone, PartialEq, Eq, Debug, Reconcile, Hydrate)]
pub struct Acknowledgement {
    /// When, in milliseconds since the epoch.
    pub at_ms: i64,
    pub version: PolicyVersionId,
    /// The version's number as the member saw it.
    pub number: u64,
    /// The policy document heads of the version read, as hex change hashes.
    pub heads: Vec<String>,
}

/// Records that `member` has read version `number` (`version`) of the AI policy, whose text is
/// the policy document at `heads`.
pub fn acknowledge_policy(
    doc: &mut AutoCommit,
    now_ms: i64,
    member: MemberId,
    version: PolicyVersionId,
    number: u64,
    heads: Vec<String>,
) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Support)?;
    if heads.is_empty() {
        return Err(ModelError::Empty("policy version"));
    }
    let acknowledgements = object(doc, &ROOT, "acknowledgements")?;
    let acknowledgement = Acknowledgement { at_ms: now_ms, version, number, heads };
    change(doc, now_ms, format!("acknowledge AI policy version {number}"), |doc| {
        Ok(reconcile_prop(doc, &acknowledgements, member.to_string().as_str(), &acknowledgement)?)
    })
}

/// The members who have not yet acknowledged `version`, the policy in force, by member id. An
/// acknowledgement of another version does not count. Viewers are not asked: they cannot write
/// to the workspace, so their awareness is recorded as an awareness activity instead.
pub fn awaiting_acknowledgement(
    workspace: &Workspace,
    support: &Support,
    version: PolicyVersionId,
) -> Vec<MemberId> {
    workspace
        .members
        .iter()
        .filter(|(_, member)| member.role != Role::Viewer)
        .map(|(id, _)| *id)
        .filter(|id| support.acknowledgements.get(id).is_none_or(|a| a.version != version))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::testing::{id, one_commit, refused};
    use crate::model::{Member, create_support, new_document};

    fn workspace(members: &[(u8, Role)]) -> Workspace {
        let members = members
            .iter()
            .map(|(n, role)| {
                (id::<MemberId>(*n), Member { name: format!("m{n}"), role: *role, devices: BTreeMap::new() })
            })
            .collect();
        Workspace { members, ..Default::default() }
    }

    fn awaiting(doc: &AutoCommit, workspace: &Workspace, version: u8) -> Vec<u8> {
        let support = Support::load(doc).unwrap();
        awaiting_acknowledgement(workspace, &support, id(version)).iter().map(|m| m.as_bytes()[0]).collect()
    }

    #[test]
    fn only_an_acknowledgement_of_the_version_in_force_counts() {
        let ws = workspace(&[(1, Role::Owner), (2, Role::Editor), (3, Role::Viewer)]);
        let mut doc = new_document();
        create_support(&mut doc, 0).unwrap();
        assert_eq!(awaiting(&doc, &ws, 1), [1, 2], "viewers are not asked");
        one_commit(&mut doc, "acknowledge AI policy version 1", |doc| {
            acknowledge_policy(doc, 1_000, id(2), id(1), 1, vec!["aa".into()]).unwrap()
        });
        assert_eq!(awaiting(&doc, &ws, 1), [1]);
        // Version 2 is approved: member 2's acknowledgement of version 1 no longer counts.
        assert_eq!(awaiting(&doc, &ws, 2), [1, 2]);
        acknowledge_policy(&mut doc, 2_000, id(1), id(2), 2, vec!["bb".into()]).unwrap();
        acknowledge_policy(&mut doc, 3_000, id(2), id(2), 2, vec!["bb".into()]).unwrap();
        assert!(awaiting(&doc, &ws, 2).is_empty());
        let stored = &Support::load(&doc).unwrap().acknowledgements[&id(2)];
        assert_eq!((stored.number, stored.at_ms, stored.heads.clone()), (2, 3_000, vec!["bb".to_owned()]));

        let empty = refused(&mut doc, |doc| acknowledge_policy(doc, 0, id(1), id(2), 2, Vec::new()));
        assert!(matches!(empty, ModelError::Empty("policy version")));
    }
}
