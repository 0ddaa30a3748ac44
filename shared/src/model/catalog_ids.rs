//! Ids that name entries of the standards' catalog: Annex A controls and ISO/IEC 42005
//! sections. Only ids in the catalog parse, so a stored key that is not one is caught on load.
//!
//! ```
//! use quorum_shared::model::ControlId;
//!
//! let control: ControlId = "A.6.2.4".parse().unwrap();
//! assert_eq!(control.control().objective, "A.6");
//! assert!("A.11.1".parse::<ControlId>().is_err());
//! ```

use std::fmt;
use std::str::FromStr;

use super::ids::string_in_document;
use crate::catalog;

/// The id of one of Annex A's 38 controls, such as `A.5.2`; only catalog controls parse.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ControlId(&'static str);

impl ControlId {
    /// All 38 controls, in the order of Annex A.
    pub fn all() -> impl Iterator<Item = ControlId> {
        catalog::controls().iter().map(|control| ControlId(control.id))
    }

    /// The control's entry in the catalog.
    pub fn control(&self) -> &'static catalog::Control {
        catalog::control(self.0).expect("a ControlId is only made from a catalog control")
    }

    /// The id as written in the standard.
    pub fn as_str(&self) -> &'static str {
        self.0
    }

    /// Where the control stands in Annex A, for sorting.
    fn position(&self) -> usize {
        catalog::controls().iter().position(|control| control.id == self.0).unwrap_or(usize::MAX)
    }
}

// Controls sort in the order of Annex A ("A.10.2" after "A.9.4"), not as strings.
impl Ord for ControlId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.position().cmp(&other.position())
    }
}

impl PartialOrd for ControlId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for ControlId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// Why a string is not a [`ControlId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an Annex A control")]
pub struct ParseControlIdError(String);

impl FromStr for ControlId {
    type Err = ParseControlIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        catalog::control(s)
            .map(|control| ControlId(control.id))
            .ok_or_else(|| ParseControlIdError(s.to_string()))
    }
}

string_in_document!(ControlId, "an annex a control id");

/// The id of an ISO/IEC 42005 impact assessment section, `6.2` to `6.9`; only catalog sections
/// parse.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct SectionId(&'static str);

impl SectionId {
    /// All sections an assessment records, in order.
    pub fn all() -> impl Iterator<Item = SectionId> {
        catalog::impact_sections().iter().map(|section| SectionId(section.id))
    }

    /// The section's entry in the catalog.
    pub fn section(&self) -> &'static catalog::ImpactSection {
        catalog::impact_sections()
            .iter()
            .find(|section| section.id == self.0)
            .expect("a SectionId is only made from a catalog section")
    }

    /// The id as written in ISO/IEC 42005.
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl fmt::Display for SectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// Why a string is not a [`SectionId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an impact assessment section")]
pub struct ParseSectionIdError(String);

impl FromStr for SectionId {
    type Err = ParseSectionIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        catalog::impact_sections()
            .iter()
            .find(|section| section.id == s)
            .map(|section| SectionId(section.id))
            .ok_or_else(|| ParseSectionIdError(s.to_string()))
    }
}

string_in_document!(SectionId, "an impact assessment section id");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_section_ids_come_from_the_catalog() {
        assert_eq!(ControlId::all().count(), 38);
        let control: ControlId = "A.5.2".parse().unwrap();
        assert_eq!(control.control().objective, "A.5");
        assert!("A.99".parse::<ControlId>().is_err());
        let mut sorted: Vec<ControlId> = ControlId::all().collect();
        crate::order::sort(&mut sorted);
        assert_eq!(sorted, ControlId::all().collect::<Vec<_>>());
        let sections: Vec<String> = SectionId::all().map(|s| s.to_string()).collect();
        assert_eq!(sections.first().map(String::as_str), Some("6.2"));
        assert_eq!(sections.last().map(String::as_str), Some("6.9"));
        assert!("5.11".parse::<SectionId>().is_err());
    }
}
