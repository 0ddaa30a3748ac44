//! The device keys the relay certified, by member: each device that signs approvals, with the
//! short id that each signed approval names, and since when it is certified.

use leptos::prelude::*;

use super::{MemberView, Roster};
use crate::session::Session;

#[component]
pub fn DeviceKeys(session: Session, roster: Memo<Roster>) -> impl IntoView {
    let name_of = move |relay_id: &str| {
        roster.with(|roster| match roster {
            Roster::Relay(members) => members
                .iter()
                .find(|m: &&MemberView| m.relay_id.as_deref() == Some(relay_id))
                .map(|m| m.name.clone()),
            _ => None,
        })
    };
    view! {
        <section class="card device-keys" aria-labelledby="device-keys-heading">
            <h2 id="device-keys-heading">"Signing keys"</h2>
            <p class="muted">
                "Each device signs the approvals made on it with its own key; the Quorum server certifies whose each key is, so anyone can check an approval later."
            </p>
            {move || {
                let keys = session.certified_keys();
                if keys.is_empty() {
                    return view! { <p class="muted">"No key certified yet: a device's key is certified the first time it connects."</p> }.into_any();
                }
                view! {
                    <ul class="device-key-list">
                        {keys.into_iter().map(|key| {
                            let name = name_of(&key.member_id).unwrap_or_else(|| "a member".to_owned());
                            let since = quorum_shared::model::Date::of_ms(key.registered_at as i64 * 1000, crate::session::timezone_offset());
                            view! {
                                <li class="device-key" data-key=key.key_id.clone()>
                                    <span class="device-key-member">{name}</span>
                                    " · key " <code>{key.key_id.clone()}</code>
                                    " · device " <code>{key.device.chars().take(8).collect::<String>()}</code>
                                    {format!(" · certified {}", since.spoken())}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
