//! Picking an owner among the workspace's members (AI systems, objectives, SoA controls): the members
//! come from the root document, so someone who joins appears in every owner list at once.

use leptos::prelude::*;
use quorum_shared::model::{MemberId, Workspace};

use crate::session::Session;

/// The workspace's members as (id, name), by name.
pub fn members(session: Session) -> Memo<Vec<(MemberId, String)>> {
    let root = session.membership().root_id().to_owned();
    Memo::new(move |_| {
        let mut members: Vec<(MemberId, String)> = session
            .read(&root, |doc| Workspace::load(doc).ok())
            .flatten()
            .map(|w| w.members.into_iter().map(|(id, member)| (id, member.name)).collect())
            .unwrap_or_default();
        quorum_shared::order::sort_by_key(&mut members, |(id, name)| (name.to_lowercase(), *id));
        members
    })
}

/// The name of `owner` among `members`; a member since removed still reads as someone.
pub fn owner_name(members: &[(MemberId, String)], owner: Option<MemberId>) -> String {
    match owner {
        None => String::new(),
        Some(owner) => members
            .iter()
            .find(|(id, _)| *id == owner)
            .map_or_else(|| "A former member".to_owned(), |(_, name)| name.clone()),
    }
}

/// A select of the members with "Nobody yet" first. `on_change` gets the chosen owner and says
/// whether the model took it; when it did not, the select shows the stored owner again.
#[component]
pub fn OwnerSelect(
    #[prop(into)] id: String,
    members: Memo<Vec<(MemberId, String)>>,
    #[prop(into)] value: Signal<Option<MemberId>>,
    on_change: Callback<Option<MemberId>, bool>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let on_select = move |event: leptos::ev::Event| {
        let chosen = event_target_value(&event);
        let owner = if chosen.is_empty() { None } else { chosen.parse::<MemberId>().ok() };
        if !on_change.run(owner) {
            let select: web_sys::HtmlSelectElement = event_target(&event);
            select.set_value(&value.get_untracked().map(|o| o.to_string()).unwrap_or_default());
        }
    };
    view! {
        <select id=id class="owner" prop:disabled=move || disabled.get() on:change=on_select>
            <option value="" prop:selected=move || value.get().is_none()>"Nobody yet"</option>
            {move || {
                let stored = value.get();
                let mut options = members.get();
                // An owner who has left the workspace stays visible rather than silently unset.
                if let Some(gone) = stored.filter(|o| options.iter().all(|(id, _)| id != o)) {
                    options.push((gone, "A former member".to_owned()));
                }
                options
                    .into_iter()
                    .map(|(member, name)| {
                        view! {
                            <option value=member.to_string() prop:selected=move || value.get() == Some(member)>
                                {name}
                            </option>
                        }
                    })
                    .collect_view()
            }}
        </select>
    }
}
