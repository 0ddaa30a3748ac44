//! An owner's list of the invites that can still be accepted, each with who made it and until
//! when it works, and a way to withdraw it: a link sent to the wrong person, or one nobody will
//! use, should not stay a way in. (An invite also dies with its maker's membership.)

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::session::{self, Membership, PendingInvite};

use super::invite::{expiry_date, with_article};

/// `made` counts the invites made on this page, so that the list follows them.
#[component]
pub fn OpenInvites(membership: Membership, offline: Memo<bool>, made: RwSignal<u32>) -> impl IntoView {
    let membership = StoredValue::new(membership);
    let listed = RwSignal::new(None::<Result<Vec<PendingInvite>, String>>);
    let error = RwSignal::new(None::<String>);
    let withdrawing = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            let answer = session::list_invites(&membership.get_value()).await;
            listed.set(Some(answer));
        });
    };
    Effect::new(move |_| {
        made.track();
        if !offline.get() {
            load();
        }
    });
    let withdraw = move |invite: PendingInvite| {
        withdrawing.set(Some(invite.id.clone()));
        error.set(None);
        spawn_local(async move {
            let done = session::withdraw_invite(&membership.get_value(), &invite.id).await;
            withdrawing.set(None);
            match done {
                Ok(()) => load(),
                Err(reason) => error.set(Some(format!("The invite was not withdrawn: {reason}."))),
            }
        });
    };

    view! {
        <section class="card members-open-invites" aria-labelledby="open-invites-heading">
            <h2 id="open-invites-heading">"Open invites"</h2>
            {move || match listed.get() {
                None => view! { <p class="muted" role="status">"Asking the server for open invites…"</p> }.into_any(),
                Some(Err(reason)) => {
                    view! { <p class="muted">{format!("The open invites cannot be listed now: {reason}.")}</p> }
                        .into_any()
                }
                Some(Ok(invites)) if invites.is_empty() => {
                    view! { <p class="muted open-invites-none">"No open invites: every link made here has been used, withdrawn or has expired."</p> }
                        .into_any()
                }
                Some(Ok(invites)) => {
                    view! {
                        <ul class="open-invites">
                            {invites
                                .into_iter()
                                .map(|invite| {
                                    let maker = invite.issued_by_name.clone().unwrap_or_else(|| "the server's operator".to_owned());
                                    let words = format!(
                                        "Makes {} · made by {maker} · works until {}",
                                        with_article(invite.role),
                                        expiry_date(invite.expires_at),
                                    );
                                    let label = format!("Withdraw the invite that makes {} (made by {maker})", with_article(invite.role));
                                    let id = invite.id.clone();
                                    let row_id = id.clone();
                                    let busy = move || withdrawing.get().as_deref() == Some(id.as_str());
                                    view! {
                                        <li class="open-invite" data-invite=row_id>
                                            <span>{words}</span>
                                            <button
                                                type="button"
                                                class="button-quiet"
                                                aria-label=label
                                                prop:disabled=move || offline.get() || busy()
                                                on:click=move |_| withdraw(invite.clone())
                                            >
                                                "Withdraw"
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
}
