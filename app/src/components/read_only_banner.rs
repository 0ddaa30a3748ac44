//! The header's note for a viewer: they can read everything and change nothing, so every
//! disabled field on every page has one calm explanation instead of none.

use leptos::prelude::*;

use crate::session::Sessions;

#[component]
pub fn ReadOnlyBanner() -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    move || {
        let session = sessions.current.get()?;
        (!session.can_edit()).then(|| {
            view! {
                <p class="read-only-banner" role="note">
                    "You can view this workspace; only owners and editors can change it."
                </p>
            }
        })
    }
}
