//! The header's view of the open workspace: its name, how it stands with the relay, and
//! whether every edit is saved on this device. Both states sit in live regions, so a screen
//! reader hears "Synced" or "Offline" without looking for it.

use leptos::prelude::*;

use crate::session::{SaveState, Sessions};

#[component]
pub fn SyncStatus() -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    move || {
        sessions.current.get().map(|session| {
            view! {
                <div class="workspace-status">
                    <span class="workspace-name">{move || session.workspace_name()}</span>
                    <span
                        class="sync-status"
                        role="status"
                        aria-live="polite"
                        data-state=move || session.status.with(|s| s.state())
                    >
                        {move || session.status.with(|s| s.label())}
                    </span>
                    <span
                        class="save-state"
                        aria-live="polite"
                        data-state=move || {
                            session.save_state.with(|s| match s {
                                SaveState::Saved => "saved",
                                SaveState::Saving => "saving",
                                SaveState::Failed(_) => "failed",
                            })
                        }
                    >
                        {move || {
                            session.save_state.with(|s| match s {
                                SaveState::Saved => "Saved on this device".to_owned(),
                                SaveState::Saving => "Saving…".to_owned(),
                                SaveState::Failed(reason) => format!("Not saved: {reason}"),
                            })
                        }}
                    </span>
                </div>
                {move || {
                    session.problem.get().map(|problem| view! { <p class="workspace-problem" role="alert">{problem}</p> })
                }}
            }
        })
    }
}
