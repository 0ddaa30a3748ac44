//! The topics a management review considers, in our words; each is the key of its input.

use std::fmt;
use std::str::FromStr;

/// One input of a management review.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum ReviewTopic {
    EarlierActions,
    Issues,
    InterestedParties,
    Nonconformities,
    Monitoring,
    Audits,
    Objectives,
    RisksAndImpacts,
    Improvement,
    Resources,
}

impl ReviewTopic {
    /// Every topic, in the order a review goes through them.
    pub const ALL: [ReviewTopic; 10] = [
        Self::EarlierActions,
        Self::Issues,
        Self::InterestedParties,
        Self::Nonconformities,
        Self::Monitoring,
        Self::Audits,
        Self::Objectives,
        Self::RisksAndImpacts,
        Self::Improvement,
        Self::Resources,
    ];

    /// The key the input is stored under.
    pub fn as_token(&self) -> &'static str {
        match self {
            Self::EarlierActions => "earlier-actions",
            Self::Issues => "issues",
            Self::InterestedParties => "interested-parties",
            Self::Nonconformities => "nonconformities",
            Self::Monitoring => "monitoring",
            Self::Audits => "audits",
            Self::Objectives => "objectives",
            Self::RisksAndImpacts => "risks-and-impacts",
            Self::Improvement => "improvement",
            Self::Resources => "resources",
        }
    }

    /// The topic as the review shows it.
    pub fn label(&self) -> &'static str {
        match self {
            Self::EarlierActions => "Where the actions of earlier reviews stand",
            Self::Issues => "What changed in the internal and external issues",
            Self::InterestedParties => "What interested parties now need and expect",
            Self::Nonconformities => "Nonconformities and the corrective actions taken",
            Self::Monitoring => "What monitoring and measurement show",
            Self::Audits => "What the audits found",
            Self::Objectives => "How far the AI objectives have come",
            Self::RisksAndImpacts => "Where the risk and impact assessments stand",
            Self::Improvement => "Chances to keep improving",
            Self::Resources => "Whether the resources are enough",
        }
    }

    /// A hint for the committee's notes.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::EarlierActions => {
                "Which actions were done, which slipped and why, and what happens to them now."
            }
            Self::Issues => {
                "New laws, market or technology shifts, reorganizations: what they mean for the AI management system."
            }
            Self::InterestedParties => {
                "Customers, regulators, staff and the people AI affects: anything they now ask for."
            }
            Self::Nonconformities => "Patterns in what went wrong, and whether the fixes worked.",
            Self::Monitoring => "Indicators off target, trends, and what they say about performance.",
            Self::Audits => "Findings of internal and external audits and how they are handled.",
            Self::Objectives => "Objectives on track, at risk or missed, and whether they still fit.",
            Self::RisksAndImpacts => {
                "New or grown risks, treatments that lag, assessments due for another look."
            }
            Self::Improvement => "Ideas to make the AI management system work better.",
            Self::Resources => "People, money, tools and time: enough for what is planned?",
        }
    }
}

impl fmt::Display for ReviewTopic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_token())
    }
}

/// Why a string is not a [`ReviewTopic`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a management review topic")]
pub struct ParseReviewTopicError(String);

impl FromStr for ReviewTopic {
    type Err = ParseReviewTopicError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|t| t.as_token() == s).ok_or_else(|| ParseReviewTopicError(s.to_string()))
    }
}
