//! What the impact assessment pages show, as plain values read from the documents: the
//! assessment with its approval, what is still missing before it can be approved, and the dates
//! the pages print. Kept apart from the views so that the logic is tested without a session.

use std::collections::BTreeMap;

use automerge::AutoCommit;
use quorum_shared::model::{
    self, AssessedImpact, AssessmentStatus, AssessmentViolation, Date, ImpactAssessment, ImpactId, MemberId,
    SectionId, SystemId, Workspace,
};

/// One assessment as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssessmentView {
    pub title: String,
    pub system: Option<SystemId>,
    pub status: AssessmentStatus,
    pub review_date: Option<Date>,
    /// Every section the document holds, in ISO/IEC 42005 order.
    pub sections: BTreeMap<SectionId, SectionView>,
    pub approval: Option<ApprovalView>,
    pub violations: Vec<AssessmentViolation>,
    /// The rated impacts of section 6.8, in order.
    pub impacts: Vec<(ImpactId, AssessedImpact)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SectionView {
    pub narrative: String,
    pub complete: bool,
}

/// The latest sign-off, with the text it signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovalView {
    pub member: MemberId,
    pub at_ms: i64,
    pub note: String,
    /// Each section's narrative as it was approved.
    pub sections: BTreeMap<SectionId, String>,
    /// The approval as stored, to check its signature against.
    pub stored: model::Approval,
}

impl AssessmentView {
    /// Reads the assessment document; none when it is not (or not yet) a readable assessment.
    pub fn read(doc: &AutoCommit) -> Option<Self> {
        let assessment = ImpactAssessment::load(doc).ok()?;
        let approval = assessment.latest_approval().map(|(member, approval)| ApprovalView {
            member,
            at_ms: approval.at_ms,
            note: approval.note.clone(),
            // Heads that cannot be read (a damaged approval) show as an empty approved text,
            // which the page then reports as changed: the safe reading for an auditor.
            sections: model::sections_at(doc, &approval.heads).unwrap_or_default(),
            stored: approval.clone(),
        });
        let sections = assessment
            .sections
            .iter()
            .map(|(id, s)| {
                (*id, SectionView { narrative: s.narrative.as_str().to_owned(), complete: s.complete })
            })
            .collect();
        Some(Self {
            title: assessment.title,
            system: assessment.system,
            status: assessment.status,
            review_date: assessment.review_date,
            sections,
            approval,
            violations: model::assessment_violations(doc).unwrap_or_default(),
            impacts: model::list::<AssessedImpact>(doc).unwrap_or_default(),
        })
    }

    /// The sections whose text differs from the approved text, in order; empty with no approval.
    pub fn changed_since_approval(&self) -> Vec<SectionId> {
        let Some(approval) = &self.approval else { return Vec::new() };
        SectionId::all()
            .filter(|id| {
                let now = self.sections.get(id).map(|s| s.narrative.as_str());
                let then = approval.sections.get(id).map(String::as_str);
                now.unwrap_or_default() != then.unwrap_or_default()
            })
            .collect()
    }

    /// What stands between the assessment and a sound approval, in words a person acts on.
    /// The model approves whatever is in review; this is the list a reviewer checks first.
    pub fn missing_before_approval(&self) -> Vec<String> {
        let mut missing = Vec::new();
        for violation in &self.violations {
            match violation {
                AssessmentViolation::MissingSection(id) => missing.push(format!(
                    "Section {id} is missing from this document (two edits crossed); restore it with the button below."
                )),
                AssessmentViolation::UnknownSection(key) => missing.push(format!(
                    "The document holds a section {key:?} that ISO/IEC 42005 does not have; it is ignored."
                )),
                // Shown by the approval notice, which also offers the approved text.
                AssessmentViolation::EditedAfterApproval(_) => {}
            }
        }
        let empty: Vec<&str> = self
            .sections
            .iter()
            .filter(|(_, s)| s.narrative.trim().is_empty())
            .map(|(id, _)| id.as_str())
            .collect();
        if !empty.is_empty() {
            missing.push(format!(
                "{} empty: {}.",
                plural(empty.len(), "Section is", "Sections are"),
                empty.join(", ")
            ));
        }
        let open: Vec<&str> =
            self.sections.iter().filter(|(_, s)| !s.complete).map(|(id, _)| id.as_str()).collect();
        if !open.is_empty() {
            missing.push(format!(
                "{} not marked complete: {}.",
                plural(open.len(), "Section", "Sections"),
                open.join(", ")
            ));
        }
        if self.review_date.is_none() {
            missing.push("No next review date: set when the assessment is looked at again.".to_owned());
        }
        missing
    }

    /// How many sections are marked complete, of all the document holds.
    pub fn progress(&self) -> (usize, usize) {
        (self.sections.values().filter(|s| s.complete).count(), self.sections.len())
    }
}

/// The name the root document gives a member, or a neutral phrase for one it does not list.
pub fn member_name(workspace: Option<&Workspace>, member: MemberId) -> String {
    workspace
        .and_then(|w| w.members.get(&member))
        .map(|m| m.name.clone())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "a former member".to_owned())
}

/// The status as the pages write it, and as the `data-status` hook names it.
pub fn status_label(status: AssessmentStatus) -> (&'static str, &'static str) {
    match status {
        AssessmentStatus::Draft => ("Draft", "draft"),
        AssessmentStatus::InReview => ("In review", "in-review"),
        AssessmentStatus::Approved => ("Approved", "approved"),
    }
}

/// Whether a review date has passed on `today`.
pub fn overdue(review: Option<Date>, today: Option<Date>) -> bool {
    matches!((review, today), (Some(review), Some(today)) if review < today)
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> AssessmentView {
        let mut doc = model::new_document();
        model::create_impact_assessment(&mut doc, 0, "CV screening", None).unwrap();
        AssessmentView::read(&doc).unwrap()
    }

    fn section(id: &str) -> SectionId {
        id.parse().unwrap()
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_new_assessment_lists_every_section_and_the_review_date_as_missing() {
        let missing = view().missing_before_approval();
        assert_eq!(
            missing,
            [
                "Sections are empty: 6.2, 6.3, 6.4, 6.5, 6.6, 6.7, 6.8, 6.9.",
                "Sections not marked complete: 6.2, 6.3, 6.4, 6.5, 6.6, 6.7, 6.8, 6.9.",
                "No next review date: set when the assessment is looked at again.",
            ]
        );
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_written_complete_assessment_with_a_review_date_misses_nothing() {
        let mut view = view();
        for (id, s) in view.sections.iter_mut() {
            *s = SectionView { narrative: format!("About {id}"), complete: true };
        }
        view.sections.get_mut(&section("6.5")).unwrap().complete = false;
        view.review_date = "2027-01-31".parse().ok();
        assert_eq!(view.missing_before_approval(), ["Section not marked complete: 6.5."]);
        assert_eq!(view.progress(), (7, 8));
        view.sections.get_mut(&section("6.5")).unwrap().complete = true;
        assert!(view.missing_before_approval().is_empty());
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn an_edit_after_approval_shows_as_changed_and_the_approved_text_stays() {
        let mut doc = model::new_document();
        model::create_impact_assessment(&mut doc, 0, "CV screening", None).unwrap();
        model::edit_section(&mut doc, 1, section("6.8"), "May reject older applicants".into()).unwrap();
        model::submit_for_review(&mut doc, 2).unwrap();
        let ada = MemberId::from_bytes([1; 16]);
        model::approve_assessment(&mut doc, 3, ada, "", None).unwrap();
        let approved = AssessmentView::read(&doc).unwrap();
        assert_eq!(approved.approval.as_ref().map(|a| a.member), Some(ada));
        assert!(approved.changed_since_approval().is_empty());

        model::edit_section(&mut doc, 4, section("6.8"), "May reject older applicants, and women".into())
            .unwrap();
        let edited = AssessmentView::read(&doc).unwrap();
        assert_eq!(edited.status, AssessmentStatus::Draft);
        assert_eq!(edited.changed_since_approval(), [section("6.8")]);
        let approval = edited.approval.unwrap();
        assert_eq!(approval.sections[&section("6.8")], "May reject older applicants");
        assert_eq!(view().changed_since_approval(), Vec::<SectionId>::new());
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_review_date_is_overdue_only_once_it_has_passed() {
        let day = |s: &str| s.parse::<Date>().ok();
        assert!(overdue(day("2026-01-01"), day("2026-01-02")));
        assert!(!overdue(day("2026-01-02"), day("2026-01-02")));
        assert!(!overdue(None, day("2026-01-02")));
        assert!(!overdue(day("2026-01-01"), None));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn members_are_named_from_the_root_document() {
        let mut root = model::new_document();
        let device = root.get_actor().clone();
        let ada = model::create_workspace(&mut root, 0, [1; 16], "Acme", "Ada", &device).unwrap();
        let workspace = Workspace::load(&root).unwrap();
        assert_eq!(member_name(Some(&workspace), ada), "Ada");
        assert_eq!(member_name(Some(&workspace), MemberId::from_bytes([2; 16])), "a former member");
        assert_eq!(member_name(None, ada), "a former member");
    }
}
