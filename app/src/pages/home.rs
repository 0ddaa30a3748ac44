//! The start page: the workspaces this browser belongs to, each a button away, and a form to
//! create another. Each workspace keeps its own IndexedDB database, so switching is opening
//! another session; nothing is copied between them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use quorum_shared::model::Role;

use crate::components::signup_token::{SignupToken, entered};
use crate::session::{self, KeptMembership, Membership, Memberships, Sessions};
use crate::split::{ChunkUnavailable, Lazy, split};

#[component]
pub fn HomePage() -> impl IntoView {
    // Read once: the list changes only by creating or joining, which leave this page.
    let memberships = Memberships::load();
    let has_workspaces = !memberships.is_empty();
    view! {
        <section class="page home">
            {has_workspaces.then(|| view! { <WorkspaceList memberships/> })}
            <CreateWorkspace has_workspaces/>
            <p class="home-more muted">
                <A href="/restore" attr:id="home-restore">"Restore a workspace from a backup"</A>
                " · "
                <A href="/verify" attr:id="home-verify">"Verify an audit pack"</A>
            </p>
        </section>
    }
}

/// "Your workspaces": name, role, and a button that opens it on its dashboard.
#[component]
fn WorkspaceList(memberships: Memberships) -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    let navigate = use_navigate();
    let current = sessions.current;
    let open_id = move || current.get().map(|s| s.membership().workspace_id);
    let rows = memberships
        .iter()
        .map(|membership| {
            let id = membership.workspace_id.clone();
            let is_open = {
                let id = id.clone();
                Memo::new(move |_| open_id().as_deref() == Some(id.as_str()))
            };
            // The open workspace's name as its root document has it now (it may have been
            // renamed since this browser joined); the others' as the relay gave it.
            let name = {
                let fallback = membership.workspace_name.clone();
                move || match current.get() {
                    Some(session) if is_open.get() => {
                        view! { <Lazy quiet=true load=move || open_name(session)/> }.into_any()
                    }
                    _ => fallback.clone().into_any(),
                }
            };
            let open = {
                let (navigate, membership, sessions) = (navigate.clone(), membership.clone(), sessions.clone());
                move |_| {
                    open_workspace(&sessions, membership.clone());
                    navigate("/dashboard", Default::default());
                }
            };
            let heading = format!("workspace-{id}-name");
            let labelled_by = heading.clone();
            view! {
                <li
                    class="workspace-entry"
                    data-workspace=id.clone()
                    data-open=move || is_open.get().to_string()
                    aria-labelledby=labelled_by
                >
                    <span class="workspace-entry-name" id=heading>{name}</span>
                    <span class="workspace-entry-role">{role_phrase(membership.role)}</span>
                    {move || is_open.get().then(|| view! { <span class="workspace-entry-open">"Open now"</span> })}
                    <button type="button" class="button workspace-open" on:click=open>
                        "Open"
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>"Your workspaces"</h1>
        <ul class="workspace-list" aria-label="Your workspaces">{rows}</ul>
    }
}

/// Switches this tab to `membership`'s workspace (unless it is open already) and keeps it as
/// the one to reopen next time.
fn open_workspace(sessions: &Sessions, membership: Membership) {
    let open = sessions.current.get_untracked().map(|s| s.membership().workspace_id);
    if open.as_deref() == Some(membership.workspace_id.as_str()) {
        return;
    }
    let kept = membership.save();
    sessions.open(membership, Vec::new());
    if let (Err(reason), Some(session)) = (kept, sessions.current.get_untracked()) {
        // The workspace is open; only the next visit would reopen the previous one.
        session
            .problem
            .set(Some(format!("This browser will not remember which workspace you opened: {reason}.")));
    }
}

// The open workspace's name, read from its root document: the workspace's chunk, which is here
// once a session is.
split!(fn open_name(session: session::Session) in workspace => move || session.workspace_name());

fn role_phrase(role: Role) -> &'static str {
    match role {
        Role::Owner => "You are an owner",
        Role::Editor => "You are an editor",
        Role::Viewer => "You are a viewer",
    }
}

/// Creates the workspace at the relay, then its documents in this browser.
#[component]
fn CreateWorkspace(has_workspaces: bool) -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    let navigate = use_navigate();
    let workspace_name = RwSignal::new(String::new());
    let your_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    // Asked for only once the server says it creates workspaces with a signup token only.
    let needs_token = RwSignal::new(false);
    let signup_token = RwSignal::new(String::new());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (name, owner) = (workspace_name.get_untracked(), your_name.get_untracked());
        if name.trim().is_empty() || owner.trim().is_empty() {
            error.set(Some("Give the workspace a name and say who you are.".to_owned()));
            return;
        }
        pending.set(true);
        error.set(None);
        let sessions = sessions.clone();
        let navigate = navigate.clone();
        spawn_local(async move {
            let token = entered(signup_token);
            let created = create(name.trim(), owner.trim(), token.as_deref()).await.map_err(|refused| {
                if let Refused::Relay(session::NotCreated::NeedsSignupToken(_)) = refused {
                    needs_token.set(true);
                }
                refused.message()
            });
            pending.set(false);
            match created {
                Ok((membership, documents)) => {
                    sessions.open(membership, documents);
                    navigate("/soa", Default::default());
                }
                Err(reason) => error.set(Some(explain(&reason, has_workspaces))),
            }
        });
    };
    let heading = move || {
        if has_workspaces {
            view! { <h2>"Create a workspace"</h2> }.into_any()
        } else {
            view! { <h1>"Create a workspace"</h1> }.into_any()
        }
    };
    view! {
        <div class="create-workspace">
            {heading}
            <p class="lede">
                "A workspace holds your organization's AI management system. You will be its owner and can invite others."
            </p>
            <form class="form" on:submit=submit>
                <label for="workspace-name">"Workspace name"</label>
                <input id="workspace-name" type="text" required bind:value=workspace_name aria-describedby="create-error"/>
                <label for="your-name">"Your name"</label>
                <input id="your-name" type="text" required autocomplete="name" bind:value=your_name/>
                <SignupToken id="signup-token" needs=needs_token token=signup_token/>
                <p id="create-error" class="field-error" role="alert">{move || error.get()}</p>
                <button type="submit" prop:disabled=move || pending.get()>"Create workspace"</button>
            </form>
        </div>
    }
}

/// Why a workspace was not created.
enum Refused {
    Relay(session::NotCreated),
    /// Made at the relay, but not set up in this browser: its documents, or keeping it.
    Here(String),
}

impl Refused {
    fn message(self) -> String {
        match self {
            Self::Relay(refused) => refused.message().to_owned(),
            Self::Here(reason) => reason,
        }
    }
}

/// Creates the workspace at the relay, then its documents here (with the workspace's code, which
/// is fetched for it in the optimized build), and keeps it as the one to reopen.
async fn create(
    name: &str,
    owner: &str,
    token: Option<&str>,
) -> Result<(Membership, Vec<(String, automerge::AutoCommit)>), Refused> {
    let membership = session::create_workspace(name, owner, token).await.map_err(Refused::Relay)?;
    let documents = match session::new_documents(membership.clone(), owner.to_owned()).await {
        Ok(made) => made.map_err(|e| Refused::Here(format!("the workspace could not be set up ({e})")))?,
        Err(ChunkUnavailable) => return Err(Refused::Here(session::UNREACHABLE.to_owned())),
    };
    membership.save().map_err(Refused::Here)?;
    Ok((membership, documents))
}

/// Why creating failed, and what the person can do. The relay makes the workspace and its
/// owner's access, so creating needs it even though everything after works offline.
fn explain(reason: &str, has_workspaces: bool) -> String {
    if reason != session::UNREACHABLE {
        return format!("The workspace was not created: {reason}.");
    }
    let elsewhere = if has_workspaces { " The workspaces above still open and work offline." } else { "" };
    format!(
        "The workspace was not created: creating one needs the Quorum server, which cannot be reached from this device. Check the network connection and try again.{elsewhere}"
    )
}
