//! The start page: the workspace this browser has, or a form to create one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::{components::A, hooks::use_navigate};

use crate::session::{self, Sessions};

#[component]
pub fn HomePage() -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    move || match sessions.current.get() {
        Some(session) => view! {
            <section class="page home">
                <h1>{move || session.workspace_name()}</h1>
                <p class="lede">
                    {move || format!("You are a member of this workspace as {}.", session.membership().role)}
                </p>
                <A href="/soa" attr:class="button">"Open the Statement of Applicability"</A>
            </section>
        }
        .into_any(),
        None => view! { <CreateWorkspace/> }.into_any(),
    }
}

/// Creates the workspace at the relay, then its documents in this browser.
#[component]
fn CreateWorkspace() -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    let navigate = use_navigate();
    let workspace_name = RwSignal::new(String::new());
    let your_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (name, owner) = (workspace_name.get_untracked(), your_name.get_untracked());
        if name.trim().is_empty() || owner.trim().is_empty() {
            error.set(Some("Give the workspace a name and say who you are.".to_owned()));
            return;
        }
        pending.set(true);
        let sessions = sessions.clone();
        let navigate = navigate.clone();
        spawn_local(async move {
            let created = session::create_workspace(name.trim(), owner.trim()).await.and_then(|membership| {
                let documents = session::new_workspace_documents(&membership, owner.trim())
                    .map_err(|e| format!("the workspace could not be set up ({e})"))?;
                membership.save()?;
                Ok((membership, documents))
            });
            pending.set(false);
            match created {
                Ok((membership, documents)) => {
                    sessions.open(membership, documents);
                    navigate("/soa", Default::default());
                }
                Err(reason) => error.set(Some(format!("The workspace was not created: {reason}."))),
            }
        });
    };
    view! {
        <section class="page home">
            <h1>"Create a workspace"</h1>
            <p class="lede">
                "A workspace holds your organization's AI management system. You will be its owner and can invite others."
            </p>
            <form class="form" on:submit=submit>
                <label for="workspace-name">"Workspace name"</label>
                <input id="workspace-name" type="text" required bind:value=workspace_name/>
                <label for="your-name">"Your name"</label>
                <input id="your-name" type="text" required autocomplete="name" bind:value=your_name/>
                <p class="field-error" role="alert">{move || error.get()}</p>
                <button type="submit" prop:disabled=move || pending.get()>"Create workspace"</button>
            </form>
        </section>
    }
}
