//! Members and sharing: who belongs to the workspace and with which role, and for an owner,
//! inviting people by link, withdrawing open invites and revoking access. The relay's tables are the authority on who
//! is a member (they decide access); with no relay, the page shows the root document's copy of
//! the members instead and says that inviting and revoking wait for a connection.

mod invite;
mod keys;
mod open_invites;
mod roster;

use leptos::prelude::*;
use leptos::task::spawn_local;
use quorum_shared::model::{Role, Workspace};

use crate::net::SyncStatus;
use crate::session::{self, Session};

#[component]
pub fn MembersPage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! { <Members session/> }
}

/// One member as the page lists them, from the relay or from the root document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberView {
    /// The relay's id of the member, which a revoke names; none in the root document's copy.
    pub relay_id: Option<String>,
    pub name: String,
    pub role: Role,
    pub you: bool,
    pub revoked: bool,
}

/// Where the list came from, so the page can say how far to trust it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Roster {
    Loading,
    /// The relay's own list: current, and what invites and revokes act on.
    Relay(Vec<MemberView>),
    /// The relay did not answer (its words); the root document's copy as this device has it.
    Copy {
        reason: String,
        members: Vec<MemberView>,
    },
}

#[component]
fn Members(session: Session) -> impl IntoView {
    let membership = session.membership();
    let is_owner = membership.role == Role::Owner;
    let offline = Memo::new(move |_| session.status.with(|s| *s == SyncStatus::Offline));
    let from_relay = RwSignal::new(None::<Result<Vec<MemberView>, String>>);
    let root_copy = {
        let root_id = membership.root_id().to_owned();
        Memo::new(move |_| session.read(&root_id, members_in_root).flatten().unwrap_or_default())
    };
    let roster = Memo::new(move |_| match from_relay.get() {
        None => Roster::Loading,
        Some(Ok(members)) => Roster::Relay(members),
        Some(Err(reason)) => Roster::Copy { reason, members: root_copy.get() },
    });

    // Each request is numbered so that a slow answer never replaces a newer one.
    let requests = StoredValue::new(0u32);
    let refresh = Callback::new({
        let membership = membership.clone();
        move |()| {
            let number = requests.with_value(|n| n + 1);
            requests.set_value(number);
            let membership = membership.clone();
            spawn_local(async move {
                let answer = session::list_members(&membership).await;
                if requests.get_value() == number {
                    let you = membership.member_id.as_str();
                    from_relay.set(Some(answer.map(|list| relay_members(list, you))));
                }
            });
        }
    });
    // Asked again whenever someone joins (the root document lists editors who join) and when
    // the connection comes back, so that the list follows the relay without a reload.
    let connected = Memo::new(move |_| session.status.with(|s| matches!(s, SyncStatus::Synced)));
    Effect::new(move |_| {
        root_copy.track();
        connected.track();
        refresh.run(());
        spawn_local(async move { session.refresh_keys().await });
    });

    view! {
        <section class="page members">
            <h1>"Members and sharing"</h1>
            <p class="lede">
                "Everyone who can open this workspace, and what they may do: owners invite and revoke, editors change the documents, viewers read them."
            </p>
            <Show when=move || offline.get()>
                <p class="members-offline" role="status">
                    "You are offline. Inviting people and revoking access need the Quorum server; they will work again once this device is back online."
                </p>
            </Show>
            <roster::RosterView roster is_owner membership=membership.clone() offline refresh/>
            <keys::DeviceKeys session roster/>
            {if is_owner {
                let made = RwSignal::new(0u32);
                view! {
                    <invite::InviteForm membership=membership.clone() offline made/>
                    <open_invites::OpenInvites membership=membership.clone() offline made/>
                }
                .into_any()
            } else {
                view! {
                    <p class="muted members-read-only">
                        "Only owners can invite people or revoke access. Ask an owner if someone needs to join."
                    </p>
                }
                .into_any()
            }}
        </section>
    }
}

/// The relay's list: current members first, in the relay's order, then those revoked.
fn relay_members(list: Vec<session::RelayMember>, you: &str) -> Vec<MemberView> {
    let mut members: Vec<MemberView> = list
        .into_iter()
        .map(|member| MemberView {
            you: member.id == you,
            relay_id: Some(member.id),
            name: member.name,
            role: member.role,
            revoked: member.revoked,
        })
        .collect();
    quorum_shared::order::sort_by_key(&mut members, |member| member.revoked);
    members
}

/// The members the root document lists, with this device's member marked as you.
fn members_in_root(doc: &automerge::AutoCommit) -> Option<Vec<MemberView>> {
    let workspace = Workspace::load(doc).ok()?;
    let you = workspace.member_for_actor_hex(&session::storage_id());
    let members = workspace.members.iter().map(|(id, member)| MemberView {
        relay_id: None,
        name: member.name.clone(),
        role: member.role,
        you: Some(*id) == you,
        revoked: false,
    });
    Some(members.collect())
}
