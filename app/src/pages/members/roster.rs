//! The list of members. An owner may revoke anyone but themselves, in two steps: "Revoke
//! access" asks, "Yes, revoke" does it, so one stray click never locks a colleague out.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{MemberView, Roster};
use crate::session::{self, Membership, Sessions};

#[component]
pub fn RosterView(
    roster: Memo<Roster>,
    is_owner: bool,
    membership: Membership,
    offline: Memo<bool>,
    refresh: Callback<()>,
) -> impl IntoView {
    let membership = StoredValue::new(membership);
    let list = move |members: Vec<MemberView>, revocable: bool| {
        let (current, revoked): (Vec<_>, Vec<_>) = members.into_iter().partition(|m| !m.revoked);
        let row = move |member: MemberView| {
            view! { <MemberRow member revocable membership=membership.get_value() offline refresh/> }
        };
        view! {
            <ul class="member-list" aria-label="Members">
                {current.into_iter().map(row).collect_view()}
            </ul>
            {(!revoked.is_empty()).then(|| view! {
                <h3 class="members-subheading">"Access removed"</h3>
                <ul class="member-list member-list-revoked" aria-label="Access removed">
                    {revoked.into_iter().map(row).collect_view()}
                </ul>
            })}
        }
    };
    view! {
        <section class="card members-roster" aria-labelledby="members-heading">
            <div class="members-roster-header">
                <h2 id="members-heading">"Members"</h2>
                <button type="button" class="button-quiet" on:click=move |_| refresh.run(())>"Refresh"</button>
            </div>
            {move || match roster.get() {
                Roster::Loading => view! { <p class="muted" role="status">"Loading the members…"</p> }.into_any(),
                Roster::Relay(members) => list(members, is_owner).into_any(),
                Roster::Copy { reason, members } => view! {
                    <p class="members-copy-note" role="status">
                        {format!("The current list could not be fetched ({reason}). This is the list as this device last saw it.")}
                    </p>
                    {if members.is_empty() {
                        view! { <p class="muted">"This device has no copy of the members yet."</p> }.into_any()
                    } else {
                        list(members, false).into_any()
                    }}
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn MemberRow(
    member: MemberView,
    revocable: bool,
    membership: Membership,
    offline: Memo<bool>,
    refresh: Callback<()>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let name = member.name.clone();
    let can_revoke = revocable && !member.you && !member.revoked && member.relay_id.is_some();
    let relay_id = StoredValue::new(member.relay_id.clone().unwrap_or_default());
    let membership = StoredValue::new(membership);
    let sessions = expect_context::<Sessions>();
    let error_id = format!("member-{}-error", relay_id.get_value());
    let revoke = move |_| {
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let done = session::revoke_member(&membership.get_value(), &relay_id.get_value()).await;
            pending.set(false);
            match done {
                Ok(()) => {
                    confirming.set(false);
                    if let Some(session) = sessions.current.get_untracked() {
                        session.forget_presence_of(&relay_id.get_value());
                    }
                    refresh.run(());
                }
                Err(reason) => error.set(Some(format!("Access was not revoked: {reason}."))),
            }
        });
    };
    view! {
        <li
            class="member"
            data-member=member.relay_id.clone()
            data-member-name=member.name.clone()
            data-role=member.role.as_token()
            data-you=member.you.to_string()
            data-revoked=member.revoked.to_string()
        >
            <span class="member-name">{member.name.clone()}</span>
            {member.you.then(|| view! { <span class="member-you">"you"</span> })}
            <span class="member-role">{member.role.label()}</span>
            {can_revoke.then(|| {
                let name = name.clone();
                view! {
                    <span class="member-actions">
                        {move || if confirming.get() {
                            view! {
                                <span class="member-confirm" role="group" aria-label=format!("Revoke {name}'s access")>
                                    <span>{format!("Revoke {name}'s access? They will no longer see or change this workspace.")}</span>
                                    <button
                                        type="button"
                                        class="button-danger revoke-confirm"
                                        prop:disabled=move || pending.get() || offline.get()
                                        aria-describedby=error_id.clone()
                                        on:click=revoke
                                    >
                                        "Yes, revoke"
                                    </button>
                                    <button type="button" class="button-quiet" on:click=move |_| confirming.set(false)>
                                        "Cancel"
                                    </button>
                                </span>
                            }
                            .into_any()
                        } else {
                            view! {
                                <button
                                    type="button"
                                    class="button-quiet revoke"
                                    prop:disabled=move || offline.get()
                                    on:click=move |_| confirming.set(true)
                                >
                                    "Revoke access"
                                </button>
                            }
                            .into_any()
                        }}
                    </span>
                }
            })}
            <p id=format!("member-{}-error", relay_id.get_value()) class="field-error" role="alert">
                {move || error.get()}
            </p>
        </li>
    }
}
