//! The signup token field of the forms that create a workspace (a new one, or one restored from
//! a backup): shown only once the server has said it creates workspaces for holders of a signup
//! token, so that on an open server nobody sees a field they do not need.
//!
//! ```ignore
//! let needs = RwSignal::new(false);
//! let token = RwSignal::new(String::new());
//! view! { <SignupToken id="signup-token" needs token/> }
//! // on a refusal: if let NotCreated::NeedsSignupToken(_) = refused { needs.set(true) }
//! ```

use leptos::prelude::*;

/// The field; `id` names its input (a page may hold one form of each kind).
#[component]
pub fn SignupToken(id: &'static str, needs: RwSignal<bool>, token: RwSignal<String>) -> impl IntoView {
    let hint = format!("{id}-hint");
    view! {
        <Show when=move || needs.get()>
            <label for=id>"Signup token"</label>
            <input id=id type="text" autocomplete="off" spellcheck="false" bind:value=token aria-describedby=hint.clone()/>
            <p id=hint.clone() class="hint">
                "This server creates workspaces for the people its operator chose: paste the signup token they gave you."
            </p>
        </Show>
    }
}

/// The token as the relay wants it: trimmed, or none.
pub fn entered(token: RwSignal<String>) -> Option<String> {
    let token = token.get_untracked();
    Some(token.trim().to_owned()).filter(|t| !t.is_empty())
}
