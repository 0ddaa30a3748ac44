//! ISO/IEC 42005:2025: the sections an AI system impact assessment records (clause 6) and the
//! steps of the process around it (clause 5).

use super::ImpactSection;

pub(super) static SECTIONS: &[ImpactSection] = &[
    ImpactSection {
        id: "6.2",
        title: "Scope of the AI system impact assessment",
        guidance: "State which system, version and uses this assessment covers, the life-cycle stage it was made at, what is deliberately left out, and who carried it out when.",
    },
    ImpactSection {
        id: "6.3",
        title: "AI system information (description, functionalities, purpose, intended uses, unintended uses)",
        guidance: "Describe in plain language what the system does and for whom, list its main functions and intended uses, and name the uses it is not meant for so that drift can be spotted later.",
    },
    ImpactSection {
        id: "6.4",
        title: "Data information and quality",
        guidance: "Summarise the data used for training, testing and live operation: its sources, who it represents, known gaps and biases, and the quality checks it passed.",
    },
    ImpactSection {
        id: "6.5",
        title: "Algorithm and model information",
        guidance: "Explain what kind of model the system uses, how it was built or obtained, the performance figures that matter for this use and its known limitations, including any third-party components.",
    },
    ImpactSection {
        id: "6.6",
        title: "Deployment environment",
        guidance: "Describe where and how the system runs: the setting, the people operating it and their expertise, the regions concerned, the human oversight in place, and conditions that differ from testing.",
    },
    ImpactSection {
        id: "6.7",
        title: "Relevant interested parties",
        guidance: "List everyone who uses the system, is affected by it or has a say over it, paying particular attention to vulnerable groups and to people who never interact with the system directly.",
    },
    ImpactSection {
        id: "6.8",
        title: "Actual and reasonably foreseeable impacts (benefits, harms, system failures, foreseeable misuse)",
        guidance: "For each affected group, set out the likely benefits and harms, including what happens when the system fails or is misused, and rate each on the organization's severity and likelihood scales.",
    },
    ImpactSection {
        id: "6.9",
        title: "Measures to address harms and benefits",
        guidance: "Record the actions that reduce each harm or secure each benefit, with an owner and a due date, and state the impact expected to remain once they are in place.",
    },
];

pub(super) static PROCESS_STEPS: &[ImpactSection] = &[
    ImpactSection {
        id: "5.4",
        title: "Timing of the assessment",
        guidance: "Decide the points at which an assessment is due, for example before design is fixed, before deployment and after a significant change, and note which trigger applies to this one.",
    },
    ImpactSection {
        id: "5.5",
        title: "Scope of the assessment",
        guidance: "Agree the boundary before starting: which system and which of its uses, which life-cycle stages, and which affected groups are in view.",
    },
    ImpactSection {
        id: "5.6",
        title: "Allocating responsibilities",
        guidance: "Name who leads the assessment, who contributes domain, technical and legal expertise, who reviews the draft and who approves the result.",
    },
    ImpactSection {
        id: "5.7",
        title: "Thresholds for sensitive and restricted uses; impact scales",
        guidance: "Fix the scales used to rate severity and likelihood, and the thresholds that mark a use as sensitive or restricted so that it gets deeper scrutiny or escalation.",
    },
    ImpactSection {
        id: "5.9",
        title: "Analysing the results",
        guidance: "Compare the impacts found against the thresholds, decide which need action, and carry the significant ones into the AI risk register.",
    },
    ImpactSection {
        id: "5.10",
        title: "Recording and reporting",
        guidance: "Store the finished assessment with its version and date, and send a summary to the people who have to act on it or be told about it.",
    },
    ImpactSection {
        id: "5.11",
        title: "Approval",
        guidance: "Have the designated authority sign off the assessment and its measures, recording who approved it, when, and any conditions attached.",
    },
    ImpactSection {
        id: "5.12",
        title: "Monitoring and review",
        guidance: "Set a review date and the events that reopen the assessment early, and check at each review that the planned measures were carried out and worked.",
    },
];
