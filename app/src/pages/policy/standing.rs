//! Where the policy stands against its approved versions: in force as approved, changed since,
//! or waiting for approval. Plain data read from the document, so it is tested without a page.

use std::collections::BTreeMap;

use quorum_shared::model::{AiPolicy, Approval, Date, MemberId, PolicyVersionId};

/// What the page shows of the policy document: plain values, so views compare and copy them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyView {
    pub title: String,
    pub text: String,
    pub review_date: Option<Date>,
    /// In order of proposal; `number` counts from 1.
    pub versions: Vec<VersionView>,
}

/// One proposed version, with the text it froze.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionView {
    pub number: usize,
    pub id: PolicyVersionId,
    pub label: String,
    pub proposed_by: MemberId,
    pub proposed_at_ms: i64,
    pub text: String,
    /// Who approved it and when, earliest first.
    pub approvals: Vec<(MemberId, i64)>,
    /// The same approvals as stored, with their signatures, in the same order.
    pub sign_offs: Vec<(MemberId, Approval)>,
}

impl VersionView {
    pub fn is_approved(&self) -> bool {
        !self.approvals.is_empty()
    }
}

impl PolicyView {
    /// Reads the policy; `text_of` gives a version's frozen text (the model reads it at the
    /// version's heads, which is the costly part, so the caller may reuse what it read before).
    pub fn new(policy: &AiPolicy, mut text_of: impl FnMut(PolicyVersionId) -> String) -> Self {
        let versions = policy
            .versions_in_order()
            .into_iter()
            .map(|(number, id, version)| {
                let mut approvals: Vec<_> =
                    version.approvals.iter().map(|(member, approval)| (*member, approval.at_ms)).collect();
                quorum_shared::order::sort_by_key(&mut approvals, |(member, at)| (*at, *member));
                let sign_offs = approvals
                    .iter()
                    .map(|(member, _)| (*member, version.approvals[member].clone()))
                    .collect();
                VersionView {
                    number,
                    id,
                    label: version.label.clone(),
                    proposed_by: version.proposed_by,
                    proposed_at_ms: version.proposed_at_ms,
                    text: text_of(id),
                    approvals,
                    sign_offs,
                }
            })
            .collect();
        Self {
            title: policy.title.clone(),
            text: policy.text.as_str().to_owned(),
            review_date: policy.review_date,
            versions,
        }
    }

    /// The latest approved version: the policy in force.
    pub fn in_force(&self) -> Option<&VersionView> {
        self.versions.iter().rev().find(|v| v.is_approved())
    }

    /// Where the text stands against its versions.
    pub fn standing(&self) -> Standing<'_> {
        let in_force = self.in_force();
        match self.versions.last() {
            Some(latest) if !latest.is_approved() => Standing::AwaitingApproval {
                proposed: latest,
                changed_since: self.text != latest.text,
                in_force,
            },
            Some(_) => {
                // The latest version is approved, so it is the one in force.
                let version = in_force.expect("an approved latest version is in force");
                if self.text == version.text {
                    Standing::InForce(version)
                } else {
                    Standing::DraftChanges { since: version }
                }
            }
            None => Standing::NeverProposed,
        }
    }

    /// The number the next proposal gets, if proposing makes sense: there is text, and it is
    /// not the text of the latest version already.
    pub fn next_proposal(&self) -> Option<usize> {
        let differs = self.versions.last().is_none_or(|latest| latest.text != self.text);
        (!self.text.trim().is_empty() && differs).then_some(self.versions.len() + 1)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing<'a> {
    /// No version was ever proposed: the text is a first draft.
    NeverProposed,
    /// The latest version waits for its first approval.
    AwaitingApproval { proposed: &'a VersionView, changed_since: bool, in_force: Option<&'a VersionView> },
    /// The text is the approved latest version.
    InForce(&'a VersionView),
    /// The text has changed since the latest version was approved.
    DraftChanges { since: &'a VersionView },
}

impl Standing<'_> {
    /// A stable name for styles and tests.
    pub fn key(&self) -> &'static str {
        match self {
            Standing::NeverProposed => "never-proposed",
            Standing::AwaitingApproval { .. } => "awaiting-approval",
            Standing::InForce(_) => "in-force",
            Standing::DraftChanges { .. } => "draft-changes",
        }
    }

    /// The one sentence that says where the policy stands, naming members from `names`.
    pub fn sentence(&self, names: &BTreeMap<MemberId, String>, offset_minutes: i32) -> String {
        let approved = |version: &VersionView| approved_by(version, names, offset_minutes);
        match self {
            Standing::NeverProposed => {
                "Draft: no version has been proposed yet. When the text is ready, propose it as version 1 for approval."
                    .to_owned()
            }
            Standing::AwaitingApproval { proposed, changed_since, in_force } => {
                let mut sentence = format!(
                    "Version {} was proposed by {} on {} and is waiting for approval.",
                    proposed.number,
                    name_of(proposed.proposed_by, names),
                    Date::of_ms(proposed.proposed_at_ms, offset_minutes)
                );
                if *changed_since {
                    sentence.push_str(" The text has changed since; approving signs the proposed text, not the draft.");
                }
                if let Some(version) = in_force {
                    sentence.push_str(&format!(" Version {} stays in force until then.", version.number));
                }
                sentence
            }
            Standing::InForce(version) => format!("Version {} is in force, {}.", version.number, approved(version)),
            Standing::DraftChanges { since } => {
                format!("Draft changes since version {}, {}.", since.number, approved(since))
            }
        }
    }
}

/// "approved by Ada on 2026-11-20 and Bea on 2026-11-21".
pub fn approved_by(version: &VersionView, names: &BTreeMap<MemberId, String>, offset_minutes: i32) -> String {
    let approvals: Vec<String> = version
        .approvals
        .iter()
        .map(|(member, at)| format!("{} on {}", name_of(*member, names), Date::of_ms(*at, offset_minutes)))
        .collect();
    match approvals.split_last() {
        None => "not approved".to_owned(),
        Some((last, [])) => format!("approved by {last}"),
        Some((last, rest)) => format!("approved by {} and {last}", rest.join(", ")),
    }
}

/// A member's name; approvals outlive membership, so a removed member is still accounted for.
pub fn name_of(member: MemberId, names: &BTreeMap<MemberId, String>) -> String {
    names.get(&member).cloned().unwrap_or_else(|| "a former member".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(byte: u8) -> MemberId {
        MemberId::from_bytes([byte; 16])
    }

    fn version(number: usize, text: &str, approvals: &[(MemberId, i64)]) -> VersionView {
        VersionView {
            number,
            id: PolicyVersionId::from_bytes([number as u8; 16]),
            label: String::new(),
            proposed_by: member(1),
            proposed_at_ms: 0,
            text: text.to_owned(),
            approvals: approvals.to_vec(),
            sign_offs: Vec::new(),
        }
    }

    fn policy(text: &str, versions: Vec<VersionView>) -> PolicyView {
        PolicyView { title: "AI policy".into(), text: text.into(), review_date: None, versions }
    }

    // 2026-11-20 12:00 UTC.
    const NOV_20: i64 = 1_795_176_000_000;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_text_is_compared_with_the_latest_version() {
        let (ada, bea) = (member(1), member(2));
        let names = BTreeMap::from([(ada, "Ada".to_owned()), (bea, "Bea".to_owned())]);

        let draft = policy("We use AI.", vec![]);
        assert_eq!(draft.standing(), Standing::NeverProposed);
        assert_eq!(draft.next_proposal(), Some(1));
        assert_eq!(policy("  ", vec![]).next_proposal(), None, "an empty text is not proposed");

        let approved =
            vec![version(1, "v1", &[(ada, NOV_20)]), version(2, "v2", &[(bea, NOV_20), (ada, NOV_20 + 1)])];
        let same = policy("v2", approved.clone());
        assert_eq!(same.standing().key(), "in-force");
        assert_eq!(same.next_proposal(), None);
        assert_eq!(
            same.standing().sentence(&names, 0),
            "Version 2 is in force, approved by Bea on 2026-11-20 and Ada on 2026-11-20."
        );

        let changed = policy("v2, amended", approved.clone());
        assert_eq!(changed.standing(), Standing::DraftChanges { since: &approved[1] });
        assert_eq!(changed.next_proposal(), Some(3));

        let mut proposed = approved.clone();
        proposed.push(version(3, "v3", &[]));
        let waiting = policy("v3", proposed.clone());
        assert_eq!(
            waiting.standing(),
            Standing::AwaitingApproval {
                proposed: &proposed[2],
                changed_since: false,
                in_force: Some(&proposed[1])
            }
        );
        assert_eq!(waiting.next_proposal(), None, "the text is already proposed");
        let moved_on = policy("v3, and more", proposed);
        assert!(matches!(moved_on.standing(), Standing::AwaitingApproval { changed_since: true, .. }));
        assert!(moved_on.standing().sentence(&names, 0).contains("approving signs the proposed text"));

        let removed = policy("v1!", vec![version(1, "v1", &[(member(9), NOV_20)])]);
        assert_eq!(
            removed.standing().sentence(&names, 0),
            "Draft changes since version 1, approved by a former member on 2026-11-20."
        );
    }
}
