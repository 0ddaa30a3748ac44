//! Which controls the SoA page shows: a search over the control's id and title, and filters on
//! applicability, implementation status, owner, and "still open" (what the dashboard lists as
//! missing). Plain data and functions, so the rules are tested without a browser.

use quorum_shared::model::{Applicability, ImplementationStatus, MemberId};

use super::RowView;

/// The filters as chosen on the page; the default shows every control.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SoaFilter {
    pub query: String,
    pub applicability: Option<Applicability>,
    pub status: Option<ImplementationStatus>,
    pub owner: OwnerFilter,
    /// Only controls not yet done: undecided, or applicable and not implemented with evidence.
    pub open_only: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OwnerFilter {
    #[default]
    Anyone,
    Nobody,
    Member(MemberId),
}

impl SoaFilter {
    pub fn is_active(&self) -> bool {
        *self != Self::default()
    }

    /// Whether the control `id` titled `title`, with its row, passes every filter.
    pub fn shows(&self, id: &str, title: &str, row: &RowView) -> bool {
        let query = self.query.trim().to_lowercase();
        let matches_query = query.is_empty()
            || id.to_lowercase().contains(&query)
            || title.to_lowercase().contains(&query)
            || row.justification.to_lowercase().contains(&query);
        let matches_owner = match self.owner {
            OwnerFilter::Anyone => true,
            OwnerFilter::Nobody => row.owner.is_none(),
            OwnerFilter::Member(member) => row.owner == Some(member),
        };
        matches_query
            && self.applicability.is_none_or(|a| a == row.applicability)
            && self.status.is_none_or(|s| s == row.status && row.applicability == Applicability::Applicable)
            && matches_owner
            && (!self.open_only || !row.done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(applicability: Applicability, status: ImplementationStatus, justification: &str) -> RowView {
        RowView {
            applicability,
            justification: justification.to_owned(),
            status,
            done: false,
            ..RowView::default()
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_default_shows_everything_and_each_filter_narrows() {
        let excluded =
            row(Applicability::Excluded, ImplementationStatus::NotStarted, "We buy no AI services");
        let planned = row(Applicability::Applicable, ImplementationStatus::Planned, "");
        let all = SoaFilter::default();
        assert!(!all.is_active());
        assert!(
            all.shows("A.10.4", "Customers", &excluded) && all.shows("A.7.4", "Quality of data", &planned)
        );

        let search = SoaFilter { query: "DATA".into(), ..SoaFilter::default() };
        assert!(search.is_active());
        assert!(search.shows("A.7.4", "Quality of data for AI systems", &planned));
        assert!(!search.shows("A.10.4", "Customers", &excluded));
        let by_reason = SoaFilter { query: "ai services".into(), ..SoaFilter::default() };
        assert!(by_reason.shows("A.10.4", "Customers", &excluded), "the justification is searched too");

        let excluded_only =
            SoaFilter { applicability: Some(Applicability::Excluded), ..SoaFilter::default() };
        assert!(excluded_only.shows("A.10.4", "", &excluded) && !excluded_only.shows("A.7.4", "", &planned));
        // An excluded control has no implementation status, whatever is stored.
        let not_started =
            SoaFilter { status: Some(ImplementationStatus::NotStarted), ..SoaFilter::default() };
        assert!(!not_started.shows("A.10.4", "", &excluded));
        let planned_only = SoaFilter { status: Some(ImplementationStatus::Planned), ..SoaFilter::default() };
        assert!(planned_only.shows("A.7.4", "", &planned));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn owners_and_open_controls_filter() {
        let ada = MemberId::from_bytes([1; 16]);
        let owned = RowView { owner: Some(ada), ..RowView::default() };
        let done = RowView { done: true, ..RowView::default() };
        let mine = SoaFilter { owner: OwnerFilter::Member(ada), ..SoaFilter::default() };
        assert!(mine.shows("A.2.2", "", &owned) && !mine.shows("A.2.2", "", &done));
        let unowned = SoaFilter { owner: OwnerFilter::Nobody, ..SoaFilter::default() };
        assert!(!unowned.shows("A.2.2", "", &owned) && unowned.shows("A.2.2", "", &done));
        let open = SoaFilter { open_only: true, ..SoaFilter::default() };
        assert!(open.shows("A.2.2", "", &owned) && !open.shows("A.2.2", "", &done));
    }
}
