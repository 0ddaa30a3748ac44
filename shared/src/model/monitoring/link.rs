//! What an indicator tells about: an AI objective (6.2) or an Annex A control.
//!
//! Stored as one string, `objective:<id>` or `control:<control id>`, so that choosing one
//! replaces the other in a single write and a merge keeps one link, never half of each.

use std::fmt;
use std::str::FromStr;

use crate::model::ids::string_in_document;
use crate::model::{ControlId, ObjectiveId};

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
pub enum IndicatorLink {
    Objective(ObjectiveId),
    Control(ControlId),
}

impl fmt::Display for IndicatorLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndicatorLink::Objective(id) => write!(f, "objective:{id}"),
            IndicatorLink::Control(id) => write!(f, "control:{id}"),
        }
    }
}

/// Why a string is not an [`IndicatorLink`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an objective or a control link")]
pub struct ParseIndicatorLinkError(String);

impl FromStr for IndicatorLink {
    type Err = ParseIndicatorLinkError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ParseIndicatorLinkError(s.to_string());
        match s.split_once(':') {
            Some(("objective", id)) => id.parse().map(IndicatorLink::Objective).map_err(|_| bad()),
            Some(("control", id)) => id.parse().map(IndicatorLink::Control).map_err(|_| bad()),
            _ => Err(bad()),
        }
    }
}

string_in_document!(IndicatorLink, "an objective or control link");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::id;

    #[test]
    fn links_read_back_what_they_write() {
        let objective = IndicatorLink::Objective(id::<ObjectiveId>(3));
        let control = IndicatorLink::Control("A.6.2.4".parse().unwrap());
        for link in [objective, control] {
            assert_eq!(link.to_string().parse::<IndicatorLink>(), Ok(link));
        }
        assert_eq!(control.to_string(), "control:A.6.2.4");
        for bad in ["", "control:A.99", "objective:", "risk:A.6.2.4", "A.6.2.4"] {
            assert!(bad.parse::<IndicatorLink>().is_err(), "{bad:?}");
        }
    }
}
