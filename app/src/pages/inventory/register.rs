//! The inventory's list as plain data: one [`SystemRow`] per AI system, and the search, filters
//! and sort order the person picked, applied by [`select`]. Pure functions, so they are tested
//! without a page.

use quorum_shared::model::{AiSystem, LifeCycleStage, OrganizationRole, SystemId};

/// What the register shows of one AI system.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SystemRow {
    pub id: SystemId,
    pub name: String,
    pub purpose: String,
    pub role: OrganizationRole,
    pub stage: LifeCycleStage,
    pub data: String,
    /// The owner's name, or empty when nobody owns it yet.
    pub owner: String,
    pub in_scope: bool,
}

impl SystemRow {
    pub fn new(id: SystemId, system: &AiSystem, owner: String) -> Self {
        Self {
            id,
            name: system.name.clone(),
            purpose: system.purpose.as_str().to_owned(),
            role: system.organization_role,
            stage: system.life_cycle,
            data: system.data.as_str().to_owned(),
            owner,
            in_scope: system.in_scope,
        }
    }
}

/// The order of the register.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Name,
    /// Life-cycle order: inception first, retirement last.
    Stage,
    /// In scope first.
    Status,
}

/// The search text, the filters (none means any) and the order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub search: String,
    pub stage: Option<LifeCycleStage>,
    /// Whether the system is within the AIMS scope.
    pub in_scope: Option<bool>,
    pub role: Option<OrganizationRole>,
    pub sort: SortKey,
}

/// The rows that match `query`, in its order; ties keep the register's own order.
pub fn select(rows: &[SystemRow], query: &Query) -> Vec<SystemRow> {
    let words: Vec<String> = query.search.split_whitespace().map(str::to_lowercase).collect();
    let mut out: Vec<SystemRow> = rows
        .iter()
        .filter(|row| query.stage.is_none_or(|stage| row.stage == stage))
        .filter(|row| query.in_scope.is_none_or(|in_scope| row.in_scope == in_scope))
        .filter(|row| query.role.is_none_or(|role| row.role == role))
        .filter(|row| matches_search(row, &words))
        .cloned()
        .collect();
    match query.sort {
        SortKey::Name => quorum_shared::order::sort_by_key(&mut out, |row| row.name.to_lowercase()),
        SortKey::Stage => quorum_shared::order::sort_by_key(&mut out, |row| stage_order(row.stage)),
        SortKey::Status => quorum_shared::order::sort_by_key(&mut out, |row| !row.in_scope),
    }
    out
}

/// Every word appears somewhere in the name, purpose, data or owner, in any case.
fn matches_search(row: &SystemRow, words: &[String]) -> bool {
    if words.is_empty() {
        return true;
    }
    let haystack = format!("{}\n{}\n{}\n{}", row.name, row.purpose, row.data, row.owner).to_lowercase();
    words.iter().all(|word| haystack.contains(word))
}

/// The life-cycle stages in the order a system goes through them, with their value in forms
/// and their name on screen.
pub const STAGES: [(LifeCycleStage, &str, &str); 7] = [
    (LifeCycleStage::Inception, "inception", "Inception"),
    (LifeCycleStage::DesignAndDevelopment, "design-and-development", "Design and development"),
    (LifeCycleStage::VerificationAndValidation, "verification-and-validation", "Verification and validation"),
    (LifeCycleStage::Deployment, "deployment", "Deployment"),
    (LifeCycleStage::Operation, "operation", "Operation and monitoring"),
    (LifeCycleStage::ReEvaluation, "re-evaluation", "Re-evaluation"),
    (LifeCycleStage::Retirement, "retirement", "Retirement"),
];

/// The organization's roles for an AI system, with their value in forms and their name on screen.
pub const ROLES: [(OrganizationRole, &str, &str); 6] = [
    (OrganizationRole::Provider, "provider", "Provider"),
    (OrganizationRole::Producer, "producer", "Producer"),
    (OrganizationRole::Customer, "customer", "Customer (user)"),
    (OrganizationRole::Partner, "partner", "Partner"),
    (OrganizationRole::Subject, "subject", "AI subject"),
    (OrganizationRole::Authority, "authority", "Relevant authority"),
];

fn stage_order(stage: LifeCycleStage) -> usize {
    STAGES.iter().position(|(s, ..)| *s == stage).unwrap_or(STAGES.len())
}

pub fn stage_value(stage: LifeCycleStage) -> &'static str {
    STAGES.iter().find(|(s, ..)| *s == stage).map_or("inception", |(_, value, _)| value)
}

pub fn stage_label(stage: LifeCycleStage) -> &'static str {
    STAGES.iter().find(|(s, ..)| *s == stage).map_or("Inception", |(.., label)| label)
}

pub fn parse_stage(value: &str) -> Option<LifeCycleStage> {
    STAGES.iter().find(|(_, v, _)| *v == value).map(|(stage, ..)| *stage)
}

pub fn role_value(role: OrganizationRole) -> &'static str {
    ROLES.iter().find(|(r, ..)| *r == role).map_or("customer", |(_, value, _)| value)
}

pub fn role_label(role: OrganizationRole) -> &'static str {
    ROLES.iter().find(|(r, ..)| *r == role).map_or("Customer (user)", |(.., label)| label)
}

pub fn parse_role(value: &str) -> Option<OrganizationRole> {
    ROLES.iter().find(|(_, v, _)| *v == value).map(|(role, ..)| *role)
}

/// The scope status as the register says it.
pub fn scope_label(in_scope: bool) -> &'static str {
    if in_scope { "In scope" } else { "Outside scope" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, stage: LifeCycleStage, role: OrganizationRole, in_scope: bool) -> SystemRow {
        SystemRow {
            id: SystemId::from_bytes(crate::session::random_id()),
            name: name.into(),
            purpose: format!("{name} purpose"),
            role,
            stage,
            data: String::new(),
            owner: String::new(),
            in_scope,
        }
    }

    fn names(rows: &[SystemRow], query: &Query) -> Vec<String> {
        select(rows, query).into_iter().map(|r| r.name).collect()
    }

    fn register() -> Vec<SystemRow> {
        use LifeCycleStage::*;
        use OrganizationRole::*;
        let mut rows = vec![
            row("chatbot", Operation, Provider, true),
            row("CV screener", Deployment, Customer, true),
            row("Anomaly detector", Inception, Producer, false),
            row("Translator", Retirement, Customer, false),
        ];
        rows[1].data = "Applicants' CVs from the careers site".into();
        rows[3].owner = "Bea Jones".into();
        rows
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn sorts_by_name_ignoring_case_by_stage_in_life_cycle_order_and_by_status() {
        let rows = register();
        let cases = [
            (SortKey::Name, ["Anomaly detector", "chatbot", "CV screener", "Translator"]),
            (SortKey::Stage, ["Anomaly detector", "CV screener", "chatbot", "Translator"]),
            (SortKey::Status, ["chatbot", "CV screener", "Anomaly detector", "Translator"]),
        ];
        for (sort, expected) in cases {
            assert_eq!(names(&rows, &Query { sort, ..Query::default() }), expected, "{sort:?}");
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn filters_by_stage_status_and_role_together() {
        let rows = register();
        let check = |query: Query, expected: &[&str]| assert_eq!(names(&rows, &query), expected, "{query:?}");
        check(Query { stage: Some(LifeCycleStage::Deployment), ..Query::default() }, &["CV screener"]);
        check(Query { in_scope: Some(false), ..Query::default() }, &["Anomaly detector", "Translator"]);
        check(
            Query { role: Some(OrganizationRole::Customer), ..Query::default() },
            &["CV screener", "Translator"],
        );
        check(
            Query { role: Some(OrganizationRole::Customer), in_scope: Some(true), ..Query::default() },
            &["CV screener"],
        );
        check(Query { stage: Some(LifeCycleStage::VerificationAndValidation), ..Query::default() }, &[]);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn search_matches_every_word_in_name_purpose_data_or_owner_in_any_case() {
        let rows = register();
        let search = |text: &str| names(&rows, &Query { search: text.into(), ..Query::default() });
        assert_eq!(search("  "), ["Anomaly detector", "chatbot", "CV screener", "Translator"]);
        assert_eq!(search("CHAT"), ["chatbot"]);
        assert_eq!(search("careers"), ["CV screener"], "the data used");
        assert_eq!(search("bea"), ["Translator"], "the owner");
        assert_eq!(search("purpose screener"), ["CV screener"], "every word, anywhere");
        assert_eq!(search("chatbot screener"), Vec::<String>::new());
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn every_stage_and_role_reads_back_from_its_form_value() {
        for (stage, value, _) in STAGES {
            assert_eq!(parse_stage(value), Some(stage));
            assert_eq!(stage_value(stage), value);
        }
        for (role, value, _) in ROLES {
            assert_eq!(parse_role(value), Some(role));
            assert_eq!(role_value(role), value);
        }
        assert_eq!(parse_stage("launch"), None);
    }
}
