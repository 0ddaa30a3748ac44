//! Each row of a sheet read into a record of the target register, or the reasons it cannot be
//! one, and the good rows written in one commit.

use std::collections::BTreeMap;

use automerge::AutoCommit;
use autosurgeon::Text;

use super::fields::{Target, normalize};
use super::{MAX_ROWS, Sheet};
use crate::model::{
    self, AiSystem, Applicability, ControlId, ImplementationStatus, LifeCycleStage, MemberId, ModelError,
    OrganizationRole, Risk, RiskCriteria, RiskId, SoaRowImport, SystemId, Treatment, Workspace,
};

/// What values are checked against: the workspace's members (owners are named) and its risk
/// criteria (likelihood and consequence are levels of its scales).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    pub members: Vec<(MemberId, String)>,
    pub criteria: RiskCriteria,
}

impl Context {
    pub fn new(workspace: Option<&Workspace>, criteria: Option<&RiskCriteria>) -> Self {
        Self {
            members: workspace
                .map(|w| w.members.iter().map(|(id, m)| (*id, m.name.clone())).collect())
                .unwrap_or_default(),
            criteria: criteria.cloned().unwrap_or_default(),
        }
    }
}

/// One row of the sheet as the preview shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RowResult {
    /// The row's number in the sheet, counting from 1 as spreadsheet programs do.
    pub line: usize,
    /// What it becomes, in a few words (its title or control).
    pub summary: String,
    /// Why it cannot be imported; empty if it can.
    pub errors: Vec<String>,
}

/// Every row under the header, read; the good ones ready to write.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    pub target: Target,
    pub rows: Vec<RowResult>,
    parsed: Parsed,
}

impl Preview {
    /// How many rows can be imported.
    pub fn good(&self) -> usize {
        self.rows.iter().filter(|r| r.errors.is_empty()).count()
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Parsed {
    Risks(Vec<Risk>),
    Systems(Vec<AiSystem>),
    Soa(Vec<(ControlId, SoaRowImport)>),
}

/// Reads every row under `header` (an index into the sheet's rows) with `mapping` (a field key
/// per column, or none to leave the column out). Empty rows are skipped.
pub fn preview(
    target: Target,
    sheet: &Sheet,
    header: usize,
    mapping: &[Option<&'static str>],
    context: &Context,
) -> Preview {
    let mut rows = Vec::new();
    let mut parsed = match target {
        Target::Risks => Parsed::Risks(Vec::new()),
        Target::AiSystems => Parsed::Systems(Vec::new()),
        Target::Soa => Parsed::Soa(Vec::new()),
    };
    let mut seen_controls: BTreeMap<ControlId, usize> = BTreeMap::new();
    for (index, cells) in sheet.rows.iter().enumerate().skip(header + 1).take(MAX_ROWS) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let values: BTreeMap<&str, &str> = mapping
            .iter()
            .zip(cells)
            .filter_map(|(field, cell)| Some(((*field)?, cell.trim())))
            .filter(|(_, cell)| !cell.is_empty())
            .collect();
        let mut row = Row { values, context, errors: Vec::new() };
        let line = index + 1;
        let summary = match &mut parsed {
            Parsed::Risks(risks) => {
                let risk = row.risk();
                let summary = risk.title.clone();
                if row.errors.is_empty() {
                    risks.push(risk);
                }
                summary
            }
            Parsed::Systems(systems) => {
                let system = row.system();
                let summary = system.name.clone();
                if row.errors.is_empty() {
                    systems.push(system);
                }
                summary
            }
            Parsed::Soa(imports) => match row.soa() {
                Some((control, import)) => {
                    if let Some(first) = seen_controls.insert(control, line) {
                        row.errors.push(format!("{control} is on row {first} already"));
                    }
                    if row.errors.is_empty() {
                        imports.push((control, import));
                    }
                    control.to_string()
                }
                None => String::new(),
            },
        };
        rows.push(RowResult { line, summary, errors: row.errors });
    }
    Preview { target, rows, parsed }
}

/// Writes every good row of `preview` into `doc` (the target's document) in one commit, new
/// records under ids made of `random`'s bytes. Returns how many were written.
pub fn apply(
    doc: &mut AutoCommit,
    now_ms: i64,
    mut random: impl FnMut() -> [u8; model::ID_LEN],
    preview: &Preview,
) -> Result<usize, ModelError> {
    let nouns = preview.target.nouns();
    match &preview.parsed {
        Parsed::Risks(risks) => {
            let records: Vec<(RiskId, Risk)> =
                risks.iter().map(|r| (RiskId::from_bytes(random()), r.clone())).collect();
            model::register::add_all(doc, now_ms, records, nouns)?;
            Ok(risks.len())
        }
        Parsed::Systems(systems) => {
            let records: Vec<(SystemId, AiSystem)> =
                systems.iter().map(|s| (SystemId::from_bytes(random()), s.clone())).collect();
            model::register::add_all(doc, now_ms, records, nouns)?;
            Ok(systems.len())
        }
        Parsed::Soa(imports) => {
            model::import_soa_rows(doc, now_ms, imports)?;
            Ok(imports.len())
        }
    }
}

/// One row's values by field, and what is wrong with them.
struct Row<'a> {
    values: BTreeMap<&'static str, &'a str>,
    context: &'a Context,
    errors: Vec<String>,
}

impl Row<'_> {
    fn text(&self, field: &str) -> String {
        self.values.get(field).map(|v| v.to_string()).unwrap_or_default()
    }

    /// The field's text; a row without it says "the `what` has no `field`".
    fn required(&mut self, field: &str, what: &str) -> String {
        let value = self.text(field);
        if value.is_empty() {
            self.errors.push(format!("the {what} has no {field}"));
        }
        value
    }

    fn member(&mut self, field: &str) -> Option<MemberId> {
        let name = self.values.get(field)?;
        let found = self.context.members.iter().find(|(_, m)| normalize(m) == normalize(name));
        if found.is_none() {
            self.errors.push(format!("no member is named \"{name}\""));
        }
        found.map(|(id, _)| *id)
    }

    /// A level of a scale, by its number (1 to the scale's length) or its label.
    fn level(&mut self, field: &str, what: &str, scale: &[crate::model::ScaleLevel]) -> Option<u64> {
        let value = self.values.get(field)?;
        let by_number = value.parse::<u64>().ok().filter(|n| (1..=scale.len() as u64).contains(n));
        let by_label =
            || scale.iter().position(|l| normalize(&l.label) == normalize(value)).map(|i| i as u64 + 1);
        let level = by_number.or_else(by_label);
        if level.is_none() {
            self.errors.push(format!("{what} \"{value}\" is not on the scale of 1 to {}", scale.len()));
        }
        level
    }

    /// One of `all`, by its label or the first words of it ("Modify: reduce…" is modify).
    fn choice<T: Copy>(
        &mut self,
        field: &str,
        what: &str,
        all: &[T],
        label: fn(T) -> &'static str,
    ) -> Option<T> {
        let value = self.values.get(field)?;
        let wanted = normalize(value.split([':', '(']).next().unwrap_or(value));
        let found = all.iter().copied().find(|t| {
            let label = normalize(label(*t));
            label == wanted
                || normalize(label.split([':', '(']).next().unwrap_or(&label)) == wanted
                || label.replace(' ', "-") == wanted
        });
        if found.is_none() {
            let known: Vec<&str> = all.iter().map(|t| label(*t)).collect();
            self.errors.push(format!("{what} \"{value}\" is not one of: {}", known.join(", ")));
        }
        found
    }

    fn yes_no(&mut self, field: &str, what: &str) -> Option<bool> {
        let value = self.values.get(field)?;
        match normalize(value).as_str() {
            "yes" | "y" | "true" | "1" | "x" | "in" | "in scope" | "applicable" | "included" => Some(true),
            "no" | "n" | "false" | "0" | "out" | "out of scope" | "excluded" | "not applicable" => {
                Some(false)
            }
            _ => {
                self.errors.push(format!("{what} \"{value}\" is neither yes nor no"));
                None
            }
        }
    }

    fn risk(&mut self) -> Risk {
        let criteria = self.context.criteria.clone();
        let mut controls = BTreeMap::new();
        for id in self.text("controls").split([',', ';', ' ', '\n']).filter(|s| !s.is_empty()) {
            match id.parse::<ControlId>() {
                Ok(control) => _ = controls.insert(control, true),
                Err(_) => self.errors.push(format!("\"{id}\" is not an Annex A control")),
            }
        }
        let source = self.text("source");
        Risk {
            title: self.required("title", "risk"),
            description: Text::with_value(self.text("description")),
            source: (!source.is_empty()).then_some(source),
            likelihood: self.level("likelihood", "likelihood", &criteria.likelihood),
            consequence: self.level("consequence", "consequence", &criteria.consequence),
            owner: self.member("owner"),
            treatment: self
                .choice("treatment", "treatment", &TREATMENTS, Treatment::label)
                .unwrap_or_default(),
            controls,
            residual_likelihood: self.level(
                "residual_likelihood",
                "residual likelihood",
                &criteria.likelihood,
            ),
            residual_consequence: self.level(
                "residual_consequence",
                "residual consequence",
                &criteria.consequence,
            ),
            ..Risk::default()
        }
    }

    fn system(&mut self) -> AiSystem {
        AiSystem {
            name: self.required("name", "AI system"),
            purpose: Text::with_value(self.text("purpose")),
            organization_role: self
                .choice("organization_role", "the organization's role", &ROLES, OrganizationRole::label)
                .unwrap_or_default(),
            life_cycle: self
                .choice("life_cycle", "life cycle stage", &STAGES, LifeCycleStage::label)
                .unwrap_or_default(),
            data: Text::with_value(self.text("data")),
            owner: self.member("owner"),
            in_scope: self.yes_no("in_scope", "in scope").unwrap_or(true),
            ..AiSystem::default()
        }
    }

    fn soa(&mut self) -> Option<(ControlId, SoaRowImport)> {
        let id = self.text("control");
        if id.is_empty() {
            self.errors.push("the row names no control".to_owned());
            return None;
        }
        let Ok(control) = id.split_whitespace().next().unwrap_or(&id).parse::<ControlId>() else {
            self.errors.push(format!("\"{id}\" is not an Annex A control"));
            return None;
        };
        let applicability = self
            .yes_no("applicability", "applicability")
            .map(|yes| if yes { Applicability::Applicable } else { Applicability::Excluded });
        let justification = self.values.get("justification").map(|j| j.to_string());
        let status = self.choice("status", "implementation status", &STATUSES, ImplementationStatus::label);
        let owner = self.values.contains_key("owner").then(|| self.member("owner"));
        if applicability == Some(Applicability::Excluded) {
            if justification.as_deref().unwrap_or("").is_empty() {
                self.errors.push(format!("{control} is excluded without a justification"));
            }
            if status.is_some_and(|s| s != ImplementationStatus::NotStarted) {
                self.errors.push(format!("{control} is excluded, so it has no implementation status"));
            }
        }
        Some((control, SoaRowImport { applicability, justification, status, owner }))
    }
}

const TREATMENTS: [Treatment; 5] =
    [Treatment::Undecided, Treatment::Modify, Treatment::Avoid, Treatment::Share, Treatment::Retain];
const ROLES: [OrganizationRole; 6] = [
    OrganizationRole::Provider,
    OrganizationRole::Producer,
    OrganizationRole::Customer,
    OrganizationRole::Partner,
    OrganizationRole::Subject,
    OrganizationRole::Authority,
];
const STAGES: [LifeCycleStage; 7] = [
    LifeCycleStage::Inception,
    LifeCycleStage::DesignAndDevelopment,
    LifeCycleStage::VerificationAndValidation,
    LifeCycleStage::Deployment,
    LifeCycleStage::Operation,
    LifeCycleStage::ReEvaluation,
    LifeCycleStage::Retirement,
];
const STATUSES: [ImplementationStatus; 4] = [
    ImplementationStatus::NotStarted,
    ImplementationStatus::Planned,
    ImplementationStatus::InProgress,
    ImplementationStatus::Implemented,
];
