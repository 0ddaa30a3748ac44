//! `/join?invite=...`: accepts an invite link and opens the workspace it grants, which joins
//! this browser's list of workspaces (`Membership::save`) beside those it had.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::session::{self, KeptMembership, Sessions};

#[component]
pub fn JoinPage() -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    let navigate = use_navigate();
    let query = use_query_map();
    let invite = move || query.with(|q| q.get("invite")).filter(|i| !i.is_empty());
    let your_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(invite) = invite() else { return };
        let name = your_name.get_untracked();
        if name.trim().is_empty() {
            error.set(Some("Say who you are, so others see your changes under your name.".to_owned()));
            return;
        }
        pending.set(true);
        let sessions = sessions.clone();
        let navigate = navigate.clone();
        spawn_local(async move {
            let accepted = session::accept_invite(&invite, name.trim())
                .await
                .and_then(|membership| membership.save().map(|()| membership));
            pending.set(false);
            match accepted {
                Ok(membership) => {
                    sessions.open(membership, Vec::new());
                    navigate("/soa", Default::default());
                }
                Err(reason) => error.set(Some(format!("The invite was not accepted: {reason}."))),
            }
        });
    };
    view! {
        <section class="page join">
            <h1>"Join a workspace"</h1>
            {move || match invite() {
                None => view! {
                    <p class="lede">"This link has no invite in it. Ask a workspace owner to send the link again."</p>
                }
                .into_any(),
                Some(_) => view! {
                    <form class="form" on:submit=submit.clone()>
                        <label for="your-name">"Your name"</label>
                        <input id="your-name" type="text" required autocomplete="name" bind:value=your_name/>
                        <p class="field-error" role="alert">{move || error.get()}</p>
                        <button type="submit" prop:disabled=move || pending.get()>"Join workspace"</button>
                    </form>
                }
                .into_any(),
            }}
        </section>
    }
}
