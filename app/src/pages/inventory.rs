//! The AI system inventory (ISO/IEC 42001 4.3, A.4, A.6): the register of AI systems, searched,
//! filtered and sorted by [`register::select`], and one page per system ([`AiSystemPage`]) with
//! its fields and what links to it: its risks, its impact assessments and the Annex A controls
//! that treat those risks.

mod links;

pub mod register;
mod system;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use quorum_shared::import::Target;
use quorum_shared::model::{self, AiSystem, DocumentKind, Inventory, Position};

pub use system::AiSystemPage;

use crate::components::import_sheet::ImportSheet;
use crate::components::owner;
use crate::explain::explain;
use crate::session::{Session, now_ms, random_id};
use register::{Query, ROLES, STAGES, SortKey, SystemRow};

#[component]
pub fn InventoryPage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! { <InventoryRegister session/> }
}

#[component]
fn InventoryRegister(session: Session) -> impl IntoView {
    let doc_id = Memo::new(move |_| session.document_of(DocumentKind::Inventory));
    let inventory = Memo::new(move |_| {
        doc_id.get().and_then(|id| session.read(&id, |doc| Inventory::load(doc).ok()).flatten())
    });
    let members = owner::members(session);
    let rows = Memo::new(move |_| {
        let members = members.get();
        inventory.with(|inventory| {
            let Some(inventory) = inventory else { return Vec::new() };
            let mut systems: Vec<_> = inventory.systems.iter().collect();
            quorum_shared::order::sort_by(&mut systems, |(a_id, a), (b_id, b)| {
                a.rank.cmp(&b.rank).then(a_id.cmp(b_id))
            });
            systems
                .into_iter()
                .map(|(id, system)| SystemRow::new(*id, system, owner::owner_name(&members, system.owner)))
                .collect::<Vec<_>>()
        })
    });
    // Only loading flips this, so later edits do not re-render (and clear) the search box.
    let loaded = Memo::new(move |_| inventory.with(Option::is_some));
    let query = RwSignal::new(Query::default());
    let shown = Memo::new(move |_| rows.with(|rows| query.with(|q| register::select(rows, q))));

    view! {
        <div class="page inventory">
            <h1>"AI systems"</h1>
            <p class="lede">
                "Every AI system the organization provides, develops or uses: what it is for, your role for it, where it is in its life, the data it relies on and who owns it."
            </p>
            {move || {
                if !loaded.get() {
                    return view! { <p class="muted" role="status">"Loading the inventory…"</p> }.into_any();
                }
                view! {
                    <Toolbar query/>
                    <p class="muted register-count" role="status">
                        {move || format!("Showing {} of {} AI systems", shown.with(Vec::len), rows.with(Vec::len))}
                    </p>
                    <Show
                        when=move || !shown.with(Vec::is_empty)
                        fallback=move || if rows.with(Vec::is_empty) {
                            view! {
                                <p class="empty" data-empty="systems">
                                    "No AI systems yet. Add each AI system the organization provides, develops or uses, starting with those that make or support decisions about people."
                                </p>
                            }.into_any()
                        } else {
                            view! { <p class="empty" data-empty="matches">"No AI system matches. Clear the search or set the filters back to “Any”."</p> }.into_any()
                        }
                    >
                        <SystemTable shown/>
                    </Show>
                }
                .into_any()
            }}
            <Show when=move || session.can_edit()>
                <AddSystem session doc_id/>
                <ImportSheet session target=Target::AiSystems kind=DocumentKind::Inventory/>
            </Show>
        </div>
    }
}

#[component]
fn Toolbar(query: RwSignal<Query>) -> impl IntoView {
    let on_search = move |event: leptos::ev::Event| {
        let text = event_target_value(&event);
        query.update(|q| q.search = text);
    };
    let on_stage = move |event: leptos::ev::Event| {
        let stage = register::parse_stage(&event_target_value(&event));
        query.update(|q| q.stage = stage);
    };
    let on_status = move |event: leptos::ev::Event| {
        let status = match event_target_value(&event).as_str() {
            "in-scope" => Some(true),
            "outside-scope" => Some(false),
            _ => None,
        };
        query.update(|q| q.in_scope = status);
    };
    let on_role = move |event: leptos::ev::Event| {
        let role = register::parse_role(&event_target_value(&event));
        query.update(|q| q.role = role);
    };
    let on_sort = move |event: leptos::ev::Event| {
        let sort = match event_target_value(&event).as_str() {
            "stage" => SortKey::Stage,
            "status" => SortKey::Status,
            _ => SortKey::Name,
        };
        query.update(|q| q.sort = sort);
    };
    view! {
        <div class="register-toolbar" role="search">
            <div class="field field-grow">
                <label for="inventory-search">"Search"</label>
                <input id="inventory-search" type="search" placeholder="Name, purpose, data or owner" on:input=on_search/>
            </div>
            <div class="field">
                <label for="inventory-stage">"Life-cycle stage"</label>
                <select id="inventory-stage" on:change=on_stage>
                    <option value="">"Any"</option>
                    {STAGES.iter().map(|(_, value, label)| view! { <option value=*value>{*label}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="inventory-status">"Status"</label>
                <select id="inventory-status" on:change=on_status>
                    <option value="">"Any"</option>
                    <option value="in-scope">"In scope"</option>
                    <option value="outside-scope">"Outside scope"</option>
                </select>
            </div>
            <div class="field">
                <label for="inventory-role">"Our role"</label>
                <select id="inventory-role" on:change=on_role>
                    <option value="">"Any"</option>
                    {ROLES.iter().map(|(_, value, label)| view! { <option value=*value>{*label}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="inventory-sort">"Sort by"</label>
                <select id="inventory-sort" on:change=on_sort>
                    <option value="name">"Name"</option>
                    <option value="stage">"Life-cycle stage"</option>
                    <option value="status">"Status"</option>
                </select>
            </div>
        </div>
    }
}

#[component]
fn SystemTable(shown: Memo<Vec<SystemRow>>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="register-table systems">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Purpose"</th>
                        <th scope="col">"Our role"</th>
                        <th scope="col">"Stage"</th>
                        <th scope="col">"Data used"</th>
                        <th scope="col">"Owner"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || shown.get().into_iter().map(|row| {
                            let status = if row.in_scope { "in-scope" } else { "outside-scope" };
                            view! {
                                <tr
                                    class="system"
                                    data-system=row.id.to_string()
                                    data-stage=register::stage_value(row.stage)
                                    data-role=register::role_value(row.role)
                                    data-status=status
                                >
                                    <th scope="row"><A href=format!("/inventory/{}", row.id)>{row.name.clone()}</A></th>
                                    <td class="clip" title=row.purpose.clone()>{row.purpose.clone()}</td>
                                    <td>{register::role_label(row.role)}</td>
                                    <td>{register::stage_label(row.stage)}</td>
                                    <td class="clip" title=row.data.clone()>{row.data.clone()}</td>
                                    <td>{if row.owner.is_empty() { view! { <span class="muted">"Nobody yet"</span> }.into_any() } else { row.owner.clone().into_any() }}</td>
                                    <td><span class="badge" data-status=status>{register::scope_label(row.in_scope)}</span></td>
                                </tr>
                            }
                        }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Adds a system by name and opens its page, where the rest of it is filled in.
#[component]
fn AddSystem(session: Session, doc_id: Memo<Option<String>>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let name_ref = NodeRef::<leptos::html::Input>::new();
    let navigate = use_navigate();
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(input), Some(doc)) = (name_ref.get_untracked(), doc_id.get_untracked()) else { return };
        let name = input.value().trim().to_owned();
        if name.is_empty() {
            error.set(Some("Name the AI system first, such as “CV screening assistant”.".into()));
            return;
        }
        let system = AiSystem { name, ..AiSystem::default() };
        match session.edit(&doc, |doc| model::add(doc, now_ms(), random_id(), system, Position::Last)) {
            Ok(id) => {
                error.set(None);
                input.set_value("");
                navigate(&format!("/inventory/{id}"), Default::default());
            }
            Err(refused) => error.set(Some(explain(&refused))),
        }
    };
    view! {
        <form class="card add-record" on:submit=on_add>
            <div class="field field-grow">
                <label for="inventory-new-name">"New AI system"</label>
                <input id="inventory-new-name" type="text" node_ref=name_ref aria-describedby="inventory-new-error"/>
            </div>
            <button type="submit" class="button">"Add AI system"</button>
            <p id="inventory-new-error" class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
