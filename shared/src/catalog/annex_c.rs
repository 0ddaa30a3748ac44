//! ISO/IEC 42001:2023 Annex C: potential AI-related organizational objectives and risk sources,
//! keyed for pick-lists in the risk register.

use super::AnnexCEntry;

pub(super) static OBJECTIVES: &[AnnexCEntry] = &[
    AnnexCEntry {
        key: "accountability",
        title: "Accountability",
        description: "Someone can be held answerable for what an AI system does and decides, with clear ownership at every stage of its life.",
    },
    AnnexCEntry {
        key: "ai-expertise",
        title: "AI expertise",
        description: "The organization has enough people with the mix of technical, domain, legal and ethical skills needed to build, judge and oversee its AI systems.",
    },
    AnnexCEntry {
        key: "data-quality",
        title: "Availability and quality of training and test data",
        description: "Data for training, validation and testing exists in sufficient volume, is relevant to the task and is of a quality that supports the system's purpose.",
    },
    AnnexCEntry {
        key: "environmental-impact",
        title: "Environmental impact",
        description: "The energy, water and hardware footprint of training and running AI is known and kept in proportion, and uses of AI that help the environment are weighed too.",
    },
    AnnexCEntry {
        key: "fairness",
        title: "Fairness",
        description: "The system does not disadvantage individuals or groups without justification, and differences in outcomes between groups are examined and explained.",
    },
    AnnexCEntry {
        key: "maintainability",
        title: "Maintainability",
        description: "The system can be corrected, updated and retrained over time without losing control of how it behaves.",
    },
    AnnexCEntry {
        key: "privacy",
        title: "Privacy",
        description: "Personal data that the system uses or infers is kept to what is needed, protected and processed lawfully, and people's rights over it are respected.",
    },
    AnnexCEntry {
        key: "robustness",
        title: "Robustness",
        description: "The system keeps performing acceptably when inputs are unusual, conditions change or someone tries to manipulate it.",
    },
    AnnexCEntry {
        key: "safety",
        title: "Safety",
        description: "The system does not expose people, property or the environment to unacceptable danger, including when it fails or is used in unexpected ways.",
    },
    AnnexCEntry {
        key: "security",
        title: "Security",
        description: "The system, its data and its models are protected against AI-specific attacks such as data poisoning, model theft and adversarial inputs as well as against conventional threats.",
    },
    AnnexCEntry {
        key: "transparency",
        title: "Transparency and explainability",
        description: "People can find out that AI is in use and what it does, and can get an account, at a suitable level of detail, of why it produced a particular output.",
    },
];

pub(super) static RISK_SOURCES: &[AnnexCEntry] = &[
    AnnexCEntry {
        key: "environment-complexity",
        title: "Complexity of environment",
        description: "When the setting a system works in varies widely or cannot be fully foreseen, the system meets situations it was never tested on and may behave unpredictably.",
    },
    AnnexCEntry {
        key: "lack-of-transparency",
        title: "Lack of transparency and explainability",
        description: "When nobody can see how a system works or why it decided something, errors go unnoticed, decisions cannot be challenged and trust erodes.",
    },
    AnnexCEntry {
        key: "automation-level",
        title: "Level of automation",
        description: "The more a system acts without a person in the loop, the fewer chances there are to catch a mistake before it takes effect.",
    },
    AnnexCEntry {
        key: "ml-specific",
        title: "Risk sources related to machine learning",
        description: "Learning from data brings its own hazards: biased or unrepresentative data, overfitting, drift after deployment and behaviour that is hard to predict from the code alone.",
    },
    AnnexCEntry {
        key: "hardware",
        title: "System hardware issues",
        description: "Faults, limits or vulnerabilities in processors, sensors or devices can degrade outputs, and a model moved to different hardware may not behave the same way.",
    },
    AnnexCEntry {
        key: "life-cycle",
        title: "System life cycle issues",
        description: "Weak practice at any stage, from hasty design or unchecked retraining to neglected decommissioning, can introduce flaws that every later stage inherits.",
    },
    AnnexCEntry {
        key: "technology-readiness",
        title: "Technology readiness",
        description: "Immature or novel techniques have failure modes nobody has mapped yet, while well-established ones can be trusted too readily outside the conditions they were proven in.",
    },
];
