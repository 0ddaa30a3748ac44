//! Who and when, as a pack writes them: members by name, changes by the member behind their
//! device, moments in UTC so that a pack reads the same wherever it is opened.

use crate::model::{Date, MemberId, Workspace};

/// Names the workspace's members and the devices behind changes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Names {
    workspace: Workspace,
}

impl Names {
    pub(crate) fn new(workspace: Workspace) -> Self {
        Self { workspace }
    }

    pub(crate) fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// A member's name, or their id when the workspace no longer lists them.
    pub(crate) fn member(&self, member: MemberId) -> String {
        self.workspace.members.get(&member).map_or_else(|| format!("member {member}"), |m| m.name.clone())
    }

    /// [`Names::member`] of an optional member, empty for none.
    pub(crate) fn member_or_empty(&self, member: Option<MemberId>) -> String {
        member.map(|m| self.member(m)).unwrap_or_default()
    }

    /// The member whose device made a change (an actor in hex), or "unknown device".
    pub(crate) fn author(&self, actor: &str) -> String {
        self.workspace
            .member_for_actor_hex(actor)
            .map_or_else(|| "unknown device".to_owned(), |m| self.member(m))
    }
}

/// A moment (milliseconds since the epoch) as `2026-03-03 14:02 UTC`.
pub fn utc_time(ms: i64) -> String {
    let date = Date::of_ms(ms, 0);
    let minutes = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!("{date} {:02}:{:02} UTC", minutes / 60, minutes % 60)
}

/// The first 8 hex digits of each head, enough to tell versions apart on paper.
pub(crate) fn short_heads(heads: &[String]) -> String {
    heads.iter().map(|h| h.get(..8).unwrap_or(h)).collect::<Vec<_>>().join(" ")
}
