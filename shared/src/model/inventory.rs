//! The AI system inventory (ISO/IEC 42001 4.3, A.4, A.6): each AI system with its purpose, the
//! organization's role for it, its life-cycle stage, its data and its owner. Risks and impact
//! assessments point at a system by its id, so the links are derived, never kept twice.
//!
//! ```
//! use quorum_shared::model::{self, AiSystem, Inventory, LifeCycleStage, Position};
//!
//! let mut doc = model::new_document();
//! model::create_inventory(&mut doc, 0).unwrap();
//! let system = AiSystem { name: "CV screener".into(), life_cycle: LifeCycleStage::Operation, ..Default::default() };
//! let id = model::add(&mut doc, 1_000, [1; 16], system, Position::Last).unwrap();
//! assert_eq!(Inventory::load(&doc).unwrap().systems[&id].name, "CV screener");
//! ```

use std::collections::BTreeMap;

use automerge::AutoCommit;
use autosurgeon::{Hydrate, Reconcile, Text};

use super::document::{artifact, create};
use super::register::{record, record_fields};
use super::{MemberId, ModelError, Rank, SystemId, TextEdit};

/// The inventory document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Inventory {
    #[autosurgeon(with = "crate::model::records")]
    pub systems: BTreeMap<SystemId, AiSystem>,
}

artifact!(Inventory, Inventory);

/// An AI system the organization provides, develops or uses.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct AiSystem {
    pub rank: Rank,
    pub name: String,
    pub purpose: Text,
    pub organization_role: OrganizationRole,
    pub life_cycle: LifeCycleStage,
    /// The data it is trained on and processes, and where that comes from.
    pub data: Text,
    pub owner: Option<MemberId>,
    /// Whether the system is within the AIMS scope.
    pub in_scope: bool,
}

/// The organization's role for an AI system (ISO/IEC 42001 4.1, ISO/IEC 22989 5.19).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum OrganizationRole {
    #[autosurgeon(rename = "provider")]
    Provider,
    #[autosurgeon(rename = "producer")]
    Producer,
    #[default]
    #[autosurgeon(rename = "customer")]
    Customer,
    #[autosurgeon(rename = "partner")]
    Partner,
    #[autosurgeon(rename = "subject")]
    Subject,
    #[autosurgeon(rename = "authority")]
    Authority,
}

impl OrganizationRole {
    /// As people read it, in the middle of a sentence or in a register's cell.
    pub fn label(self) -> &'static str {
        match self {
            Self::Provider => "provider",
            Self::Producer => "producer",
            Self::Customer => "customer (user)",
            Self::Partner => "partner",
            Self::Subject => "AI subject",
            Self::Authority => "relevant authority",
        }
    }
}

/// Where an AI system is in its life cycle (after ISO/IEC 22989 figure 3).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum LifeCycleStage {
    #[default]
    #[autosurgeon(rename = "inception")]
    Inception,
    #[autosurgeon(rename = "design-and-development")]
    DesignAndDevelopment,
    #[autosurgeon(rename = "verification-and-validation")]
    VerificationAndValidation,
    #[autosurgeon(rename = "deployment")]
    Deployment,
    #[autosurgeon(rename = "operation")]
    Operation,
    #[autosurgeon(rename = "re-evaluation")]
    ReEvaluation,
    #[autosurgeon(rename = "retirement")]
    Retirement,
}

impl LifeCycleStage {
    /// As people read it, in the middle of a sentence or in a register's cell.
    pub fn label(self) -> &'static str {
        match self {
            Self::Inception => "inception",
            Self::DesignAndDevelopment => "design and development",
            Self::VerificationAndValidation => "verification and validation",
            Self::Deployment => "deployment",
            Self::Operation => "operation and monitoring",
            Self::ReEvaluation => "re-evaluation",
            Self::Retirement => "retirement",
        }
    }
}

record_fields! {
    /// A field of an [`AiSystem`].
    pub enum AiSystemField for AiSystem {
        Name(String) => scalar name,
        Purpose(TextEdit) => text purpose,
        OrganizationRole(OrganizationRole) => scalar organization_role,
        LifeCycle(LifeCycleStage) => scalar life_cycle,
        Data(TextEdit) => text data,
        Owner(Option<MemberId>) => scalar owner,
        InScope(bool) => scalar in_scope,
    }
}

record! {
    AiSystem { id: SystemId, field: AiSystemField, kind: Inventory, register: "systems", noun: "AI system", label: |s| s.name.clone() }
    {}
}

pub fn create_inventory(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    create(doc, now_ms, &Inventory::default(), "create AI system inventory")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{id, one_commit};
    use crate::model::{Position, add_with_id, edit, get, new_document};

    #[test]
    fn systems_are_added_and_edited_field_by_field() {
        let mut doc = new_document();
        create_inventory(&mut doc, 0).unwrap();
        let s = id::<SystemId>(1);
        add_with_id(
            &mut doc,
            0,
            s,
            AiSystem { name: "Chatbot".into(), ..Default::default() },
            Position::Last,
        )
        .unwrap();
        for (field, message) in [
            (AiSystemField::InScope(true), "edit AI system \"Chatbot\": in_scope"),
            (AiSystemField::Purpose("Answers customers".into()), "edit AI system \"Chatbot\": purpose"),
            (
                AiSystemField::OrganizationRole(OrganizationRole::Provider),
                "edit AI system \"Chatbot\": organization_role",
            ),
            (AiSystemField::LifeCycle(LifeCycleStage::Deployment), "edit AI system \"Chatbot\": life_cycle"),
        ] {
            one_commit(&mut doc, message, |doc| edit(doc, 0, s, field).unwrap());
        }
        let system = get(&doc, s).unwrap();
        assert!(system.in_scope);
        assert_eq!(system.purpose.as_str(), "Answers customers");
        assert_eq!(system.organization_role, OrganizationRole::Provider);
        assert_eq!(system.life_cycle, LifeCycleStage::Deployment);
    }
}
