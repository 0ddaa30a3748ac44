//! The filters above the SoA: a search and four selects, how many controls they leave, and a
//! way back to all of them. They change only what this browser shows.

use leptos::prelude::*;
use quorum_shared::catalog;
use quorum_shared::model::{Applicability, ImplementationStatus, MemberId};

use super::filter::{OwnerFilter, SoaFilter};

#[component]
pub fn FilterBar(
    filter: RwSignal<SoaFilter>,
    #[prop(into)] shown: Signal<usize>,
    members: Memo<Vec<(MemberId, String)>>,
) -> impl IntoView {
    let on_applicability = move |event: leptos::ev::Event| {
        let applicability = match event_target_value(&event).as_str() {
            "applicable" => Some(Applicability::Applicable),
            "excluded" => Some(Applicability::Excluded),
            _ => None,
        };
        filter.update(|f| f.applicability = applicability);
    };
    let on_status = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        let status = ImplementationStatus::from_token(&value);
        filter.update(|f| f.status = status);
    };
    let on_owner = move |event: leptos::ev::Event| {
        let owner = match event_target_value(&event).as_str() {
            "" => OwnerFilter::Anyone,
            "nobody" => OwnerFilter::Nobody,
            member => member.parse().map_or(OwnerFilter::Anyone, OwnerFilter::Member),
        };
        filter.update(|f| f.owner = owner);
    };
    let total = catalog::controls().len();
    view! {
        <form class="card filters soa-filters" role="search" aria-label="Filter the controls" on:submit=|e| e.prevent_default()>
            <div class="field field-wide">
                <label for="soa-search">"Search"</label>
                <input
                    id="soa-search"
                    type="search"
                    placeholder="Control, title or justification"
                    prop:value=move || filter.with(|f| f.query.clone())
                    on:input=move |event| filter.update(|f| f.query = event_target_value(&event))
                />
            </div>
            <div class="field">
                <label for="soa-filter-applicability">"Applicability"</label>
                <select id="soa-filter-applicability" on:change=on_applicability prop:value=move || match filter.with(|f| f.applicability) {
                    Some(Applicability::Applicable) => "applicable",
                    Some(Applicability::Excluded) => "excluded",
                    None => "",
                }>
                    <option value="">"Any"</option>
                    <option value="applicable">"Applicable"</option>
                    <option value="excluded">"Excluded"</option>
                </select>
            </div>
            <div class="field">
                <label for="soa-filter-status">"Status"</label>
                <select id="soa-filter-status" on:change=on_status prop:value=move || {
                    filter.with(|f| f.status).map_or("", ImplementationStatus::as_token)
                }>
                    <option value="">"Any"</option>
                    {ImplementationStatus::ALL.into_iter().map(|status| view! { <option value=status.as_token()>{super::row::capitalized(status.label())}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="soa-filter-owner">"Owner"</label>
                <select id="soa-filter-owner" on:change=on_owner prop:value=move || match filter.with(|f| f.owner) {
                    OwnerFilter::Anyone => String::new(),
                    OwnerFilter::Nobody => "nobody".to_owned(),
                    OwnerFilter::Member(id) => id.to_string(),
                }>
                    <option value="">"Anyone"</option>
                    <option value="nobody">"Nobody yet"</option>
                    {move || members.get().into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select>
            </div>
            <div class="field checkbox-field">
                <input
                    id="soa-filter-open"
                    type="checkbox"
                    prop:checked=move || filter.with(|f| f.open_only)
                    on:change=move |event| filter.update(|f| f.open_only = event_target_checked(&event))
                />
                <label for="soa-filter-open">"Only what is still open"</label>
            </div>
            <p class="soa-shown" role="status" data-shown=move || shown.get()>
                {move || {
                    let n = shown.get();
                    if filter.with(SoaFilter::is_active) { format!("Showing {n} of {total} controls") } else { format!("All {total} controls") }
                }}
                <Show when=move || filter.with(SoaFilter::is_active)>
                    " · "
                    <button type="button" class="link-button" on:click=move |_| filter.set(SoaFilter::default())>"Show all"</button>
                </Show>
            </p>
        </form>
    }
}
