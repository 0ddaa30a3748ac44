//! "Restore a workspace": an audit pack (which must verify) or a folder of Automerge binaries
//! becomes a new workspace at this relay, every document with its whole history. What the files
//! hold is checked and shown before anything is created; a file that is not a backup changes
//! nothing.

use automerge::AutoCommit;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use quorum_shared::pack::{Backup, backup_from_files, backup_from_pack};
use wasm_bindgen::JsCast;

use crate::components::signup_token::{SignupToken, entered};
use crate::files;
use crate::session::{self, KeptMembership, Sessions};
use crate::timer::delay;

/// A backup read and checked, with what the page shows of it.
#[derive(Clone)]
struct Checked {
    backup: Backup,
    documents: usize,
    changes: usize,
}

#[component]
pub fn RestorePage() -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    let navigate = use_navigate();
    let checked = RwSignal::new(None::<Checked>);
    let reading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let workspace_name = RwSignal::new(String::new());
    let your_name = RwSignal::new(String::new());
    // Who the person is in the restored workspace: one of its members (this browser joins them
    // as a device of theirs, so the workspace reads as it did), or "" for someone new.
    let you_are = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    // Asked for only once the server says it creates workspaces with a signup token only.
    let needs_token = RwSignal::new(false);
    let signup_token = RwSignal::new(String::new());

    let chosen = move |ev: leptos::ev::Event| {
        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        let Some(list) = input.and_then(|i| i.files()) else { return };
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        checked.set(None);
        error.set(None);
        reading.set(true);
        spawn_local(async move {
            let outcome = read(chosen).await;
            reading.set(false);
            match outcome {
                Ok(mut backup) => {
                    workspace_name.set(backup.workspace_name.clone());
                    // The first owner, as restoring one's own backup is the common case.
                    let first = backup.members().into_iter().next();
                    you_are.set(first.as_ref().map(|(id, ..)| id.to_string()).unwrap_or_default());
                    your_name.set(first.map(|(_, name, _)| name).unwrap_or_default());
                    let (documents, changes) = (backup.documents.len() + 1, backup.changes());
                    checked.set(Some(Checked { backup, documents, changes }));
                }
                Err(why) => error.set(Some(why)),
            }
        });
    };

    let restore = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(Checked { mut backup, .. }) = checked.get_untracked() else {
            error.set(Some("Choose a pack or the binaries of a workspace first.".to_owned()));
            return;
        };
        let (name, owner) = (workspace_name.get_untracked(), your_name.get_untracked());
        if name.trim().is_empty() || owner.trim().is_empty() {
            error.set(Some("Give the workspace a name and say who you are.".to_owned()));
            return;
        }
        if let Ok(member) = you_are.get_untracked().parse()
            && let Err(why) = backup.claim_member(
                session::now_ms(),
                member,
                &session::this_device(),
                session::fresh_actor(),
            )
        {
            error.set(Some(format!("The workspace was not restored: {why}.")));
            return;
        }
        pending.set(true);
        error.set(None);
        let (sessions, navigate) = (sessions.clone(), navigate.clone());
        spawn_local(async move {
            let token = entered(signup_token);
            let created = session::create_workspace(name.trim(), owner.trim(), token.as_deref())
                .await
                .map_err(|refused| {
                    if let session::NotCreated::NeedsSignupToken(_) = refused {
                        needs_token.set(true);
                    }
                    refused.message().to_owned()
                })
                .and_then(|membership| {
                    membership.save()?;
                    Ok(membership)
                });
            pending.set(false);
            match created {
                Ok(membership) => {
                    // The backup's root becomes the new workspace's root, under the id the relay
                    // gave it; every other document keeps its id, which the root lists.
                    let mut documents: Vec<(String, AutoCommit)> =
                        vec![(membership.root_id().to_owned(), backup.root)];
                    documents.extend(backup.documents.into_iter().map(|(id, doc)| (id.to_string(), doc)));
                    sessions.open(membership, documents);
                    navigate("/dashboard", Default::default());
                }
                Err(reason) => error.set(Some(format!("The workspace was not restored: {reason}."))),
            }
        });
    };

    view! {
        <div class="page restore-page">
            <header class="page-header">
                <h1>"Restore a workspace"</h1>
                <p class="lede">
                    "Bring back a workspace from its audit pack, or from the Automerge binaries of its documents "
                    "(named like a pack's "<code>"documents/"</code>" folder). It becomes a new workspace here, "
                    "with every document's whole history; you are its owner."
                </p>
            </header>
            <label class="drop-zone" for="restore-files">
                <span>"Choose a pack (.zip), or every .automerge file of a workspace"</span>
                <input type="file" id="restore-files" multiple accept=".zip,.automerge,application/zip" on:change=chosen/>
            </label>
            <Show when=move || reading.get()>
                <p class="muted" role="status">"Reading and checking the files…"</p>
            </Show>
            // Read in place: a clone of the backup would copy every document.
            {move || checked.with(|c| c.as_ref().map(|c| {
                let missing = c.backup.missing.clone();
                let name = c.backup.workspace_name.clone();
                view! {
                    <div id="restore-preview" class="card restore-preview" role="status">
                        <h2>{format!("\u{201c}{name}\u{201d}")}</h2>
                        <p>{format!("{} documents, {} changes in all, ready to restore.", c.documents, c.changes)}</p>
                        {(!missing.is_empty()).then(|| view! {
                            <p class="field-error">{format!("Not in the files, so not restored: {}.", missing.join(", "))}</p>
                        })}
                    </div>
                }
            }))}
            <form class="form" on:submit=restore>
                <label for="restore-you-are">"You are"</label>
                <select id="restore-you-are" on:change=move |ev| you_are.set(event_target_value(&ev))>
                    {move || checked.with(|c| c.as_ref().map(|c| c.backup.members())).unwrap_or_default().into_iter().map(|(id, name, role)| {
                        let value = id.to_string();
                        let selected = you_are.get() == value;
                        view! { <option value=value selected=selected>{format!("{name} ({})", role.label())}</option> }
                    }).collect_view()}
                    <option value="" selected=move || you_are.get().is_empty()>"Someone new"</option>
                </select>
                <label for="restore-name">"Workspace name"</label>
                <input id="restore-name" type="text" required bind:value=workspace_name/>
                <label for="restore-your-name">"Your name"</label>
                <input id="restore-your-name" type="text" required autocomplete="name" bind:value=your_name/>
                <SignupToken id="restore-signup-token" needs=needs_token token=signup_token/>
                <p id="restore-error" class="field-error" role="alert">{move || error.get()}</p>
                <button type="submit" id="restore-submit" prop:disabled=move || pending.get() || checked.with(Option::is_none)>
                    "Restore workspace"
                </button>
            </form>
        </div>
    }
}

/// The backup in the chosen files: one pack, or the binaries of a workspace.
async fn read(chosen: Vec<web_sys::File>) -> Result<Backup, String> {
    let mut read = Vec::new();
    for file in &chosen {
        read.push((file.name(), files::read(file).await?));
    }
    // Let "Reading and checking" show before the check holds the page.
    let _ = delay(0).await;
    match &read[..] {
        [(name, bytes)] if name.to_lowercase().ends_with(".zip") => {
            backup_from_pack(bytes).map_err(|e| e.to_string())
        }
        _ => backup_from_files(&read).map_err(|e| e.to_string()),
    }
}
