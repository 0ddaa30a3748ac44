//! What each register takes from a spreadsheet: its fields, with the header names that suggest
//! each (Quorum's own export first, then what other tools and people commonly write).

/// A register a spreadsheet can be imported into.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Target {
    Risks,
    AiSystems,
    Soa,
}

/// One field a column can fill.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Field {
    /// The name the mapping uses, such as `likelihood`.
    pub key: &'static str,
    /// The name people read.
    pub label: &'static str,
    /// Whether a row without it cannot be imported.
    pub required: bool,
    aliases: &'static [&'static str],
}

impl Field {
    const fn new(
        key: &'static str,
        label: &'static str,
        required: bool,
        aliases: &'static [&'static str],
    ) -> Self {
        Self { key, label, required, aliases }
    }

    /// Every header name that suggests this field.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        [self.key, self.label].into_iter().chain(self.aliases.iter().copied())
    }
}

const RISK_FIELDS: &[Field] = &[
    Field::new(
        "title",
        "Risk",
        true,
        &["risk title", "title", "name", "risk name", "risk description short"],
    ),
    Field::new("description", "Description", false, &["details", "risk description", "scenario"]),
    Field::new("source", "Source", false, &["risk source", "cause"]),
    Field::new("likelihood", "Likelihood", false, &["probability", "inherent likelihood", "l"]),
    Field::new("consequence", "Consequence", false, &["impact", "severity", "inherent impact", "c", "i"]),
    Field::new("owner", "Owner", false, &["risk owner", "responsible"]),
    Field::new("treatment", "Treatment", false, &["treatment option", "response", "risk response"]),
    Field::new("controls", "Controls", false, &["annex a controls", "linked controls", "control"]),
    Field::new("residual_likelihood", "Residual likelihood", false, &["residual probability"]),
    Field::new(
        "residual_consequence",
        "Residual consequence",
        false,
        &["residual impact", "residual severity"],
    ),
];

const SYSTEM_FIELDS: &[Field] = &[
    Field::new("name", "AI system", true, &["name", "system", "system name", "ai system name", "title"]),
    Field::new("purpose", "Purpose", false, &["intended purpose", "use", "description"]),
    Field::new(
        "organization_role",
        "Organization's role",
        false,
        &["role", "our role", "organisation's role", "organization role"],
    ),
    Field::new(
        "life_cycle",
        "Life cycle stage",
        false,
        &["stage", "life cycle", "lifecycle", "lifecycle stage", "status"],
    ),
    Field::new("data", "Data", false, &["data used", "datasets", "training data"]),
    Field::new("owner", "Owner", false, &["system owner", "responsible"]),
    Field::new("in_scope", "In scope", false, &["scope", "in aims scope"]),
];

const SOA_FIELDS: &[Field] = &[
    Field::new("control", "Control", true, &["control id", "id", "reference", "annex a control", "ref"]),
    Field::new(
        "applicability",
        "Applicability",
        false,
        &["applicable", "applicable?", "included", "status of applicability"],
    ),
    Field::new(
        "justification",
        "Justification",
        false,
        &["reason", "justification for inclusion or exclusion", "rationale"],
    ),
    Field::new(
        "status",
        "Implementation",
        false,
        &["implementation status", "implemented", "status", "state"],
    ),
    Field::new("owner", "Owner", false, &["control owner", "responsible"]),
];

impl Target {
    pub fn fields(self) -> &'static [Field] {
        match self {
            Target::Risks => RISK_FIELDS,
            Target::AiSystems => SYSTEM_FIELDS,
            Target::Soa => SOA_FIELDS,
        }
    }

    /// What a row becomes, for "12 risks".
    pub fn nouns(self) -> &'static str {
        match self {
            Target::Risks => "risks",
            Target::AiSystems => "AI systems",
            Target::Soa => "rows of the statement of applicability",
        }
    }
}

/// A header or value as compared: lowercase, single spaces, no surrounding punctuation.
pub(crate) fn normalize(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()
}
