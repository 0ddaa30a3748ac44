//! An owner invites someone: pick a role, get a link to send them. The link holds a signed
//! invite that works once, until it expires; the relay makes it, so this needs a connection.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use quorum_shared::model::Role;

use crate::session::{self, Membership};

const ROLES: [(Role, &str); 2] = [
    (Role::Editor, "Editor: can change every document"),
    (Role::Viewer, "Viewer: can read everything, change nothing"),
];

#[component]
pub fn InviteForm(membership: Membership, offline: Memo<bool>, made: RwSignal<u32>) -> impl IntoView {
    let membership = StoredValue::new(membership);
    let role = RwSignal::new(Role::Editor);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let invite = RwSignal::new(None::<session::Invite>);
    let copied = RwSignal::new(None::<String>);
    let link_ref = NodeRef::<leptos::html::Input>::new();

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        pending.set(true);
        error.set(None);
        copied.set(None);
        spawn_local(async move {
            let answer = session::create_invite(&membership.get_value(), role.get_untracked()).await;
            pending.set(false);
            match answer {
                Ok(new) => {
                    invite.set(Some(new));
                    made.update(|count| *count += 1);
                }
                Err(reason) => {
                    invite.set(None);
                    error.set(Some(format!("No invite was made: {reason}.")));
                }
            }
        });
    };
    let copy = move |_| {
        let Some(link) = invite.with_untracked(|i| i.as_ref().map(|i| session::invite_link(&i.invite)))
        else {
            return;
        };
        spawn_local(async move {
            let said = match write_clipboard(&link).await {
                Ok(()) => "Copied. Send it to the person you invite.".to_owned(),
                Err(()) => {
                    // Selected, the person can copy it with the keyboard instead.
                    if let Some(input) = link_ref.get_untracked() {
                        input.select();
                    }
                    "This browser did not let Quorum copy the link; it is selected, so copy it with Ctrl+C (⌘C on a Mac).".to_owned()
                }
            };
            copied.set(Some(said));
        });
    };

    view! {
        <section class="card members-invite" aria-labelledby="invite-heading">
            <h2 id="invite-heading">"Invite someone"</h2>
            <form class="invite-form" on:submit=submit>
                <label for="invite-role">"Role"</label>
                <select
                    id="invite-role"
                    prop:disabled=move || offline.get()
                    on:change=move |event| {
                        // Only this select's own options can arrive; anything else keeps the role.
                        if let Ok(chosen) = event_target_value(&event).parse() {
                            role.set(chosen);
                        }
                    }
                >
                    {ROLES
                        .into_iter()
                        .map(|(value, text)| {
                            view! {
                                <option value=value.as_token() prop:selected=move || role.get() == value>{text}</option>
                            }
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="button" prop:disabled=move || pending.get() || offline.get()>
                    "Create invite link"
                </button>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </form>
            {move || {
                invite.get().map(|made| {
                    let link = session::invite_link(&made.invite);
                    let expires = expiry_date(made.expires_at);
                    view! {
                        <div class="invite-link">
                            <label for="invite-link">{format!("Invite link ({})", made.role.label())}</label>
                            <div class="invite-link-row">
                                <input id="invite-link" type="text" readonly prop:value=link node_ref=link_ref/>
                                <button type="button" class="button" on:click=copy>"Copy"</button>
                            </div>
                            <p class="hint">
                                {format!(
                                    "Send it to one person: it works once, until {expires}, and makes them {} of this workspace.",
                                    with_article(made.role),
                                )}
                            </p>
                            <p class="invite-copied" role="status">{move || copied.get()}</p>
                        </div>
                    }
                })
            }}
        </section>
    }
}

/// Writes `text` to the clipboard through `navigator.clipboard`, which some browsers withhold
/// (no secure context, or no permission).
async fn write_clipboard(text: &str) -> Result<(), ()> {
    let navigator = web_sys::window().ok_or(())?.navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).map_err(|_| ())?;
    if clipboard.is_undefined() {
        return Err(());
    }
    let write = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")).map_err(|_| ())?;
    let write: js_sys::Function = write.dyn_into().map_err(|_| ())?;
    let promise: js_sys::Promise =
        write.call1(&clipboard, &JsValue::from_str(text)).map_err(|_| ())?.dyn_into().map_err(|_| ())?;
    JsFuture::from(promise).await.map(|_| ()).map_err(|_| ())
}

/// The date an invite expires, in the person's own locale.
pub(super) fn expiry_date(expires_at: u64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(expires_at as f64 * 1000.0));
    date.to_locale_date_string("default", &JsValue::UNDEFINED).into()
}

pub(super) fn with_article(role: Role) -> &'static str {
    match role {
        Role::Owner => "an owner",
        Role::Editor => "an editor",
        Role::Viewer => "a viewer",
    }
}
