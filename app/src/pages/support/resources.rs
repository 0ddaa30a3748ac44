//! Resources (7.1, A.4.2 to A.4.6), grouped by the AI system of the inventory they serve: its
//! data, tooling, system and computing, and human resources, each with who provides it.

use leptos::prelude::*;
use quorum_shared::model::{
    self, Position, Resource, ResourceField, ResourceId, ResourceKind, SystemId, TextEdit,
};

use super::Ctx;
use crate::components::field::{SelectField, TextField};
use crate::components::owner::OwnerSelect;
use crate::components::prose::Prose;
use crate::session::{now_ms, random_id};

fn kind_options() -> Vec<(String, String)> {
    ResourceKind::ALL.iter().map(|k| (k.as_token().to_owned(), k.label().to_owned())).collect()
}

#[component]
pub fn Resources(ctx: Ctx, systems: Memo<Vec<(SystemId, String)>>) -> impl IntoView {
    // Resources of no system, or of one since removed from the inventory.
    let unlinked = Memo::new(move |_| {
        systems.with(|systems| {
            ctx.support.with(|s| {
                s.iter()
                    .flat_map(|s| s.resources.values())
                    .any(|r| r.system.is_none_or(|id| systems.iter().all(|(s, _)| *s != id)))
            })
        })
    });
    view! {
        <section class="support-section" id="support-resources" aria-labelledby="support-resources-heading">
            <h2 id="support-resources-heading">"Resources"</h2>
            <p class="hint">"For each AI system: the data, tools, computing and people it depends on, and who provides each."</p>
            <Show when=move || systems.with(Vec::is_empty)>
                <p class="empty card" data-empty="systems">
                    "No AI systems in the inventory yet. Add the systems you provide, develop or use on the "
                    <a href="/inventory">"AI systems"</a>
                    " page first; their resources are recorded here."
                </p>
            </Show>
            <For
                each=move || systems.get()
                key=|(id, name)| (*id, name.clone())
                children=move |(system, name)| view! { <SystemResources ctx systems system=Some(system) name/> }
            />
            <Show when=move || unlinked.get()>
                <SystemResources ctx systems system=None name="Not linked to an AI system".to_owned()/>
            </Show>
        </section>
    }
}

#[component]
fn SystemResources(
    ctx: Ctx,
    systems: Memo<Vec<(SystemId, String)>>,
    system: Option<SystemId>,
    name: String,
) -> impl IntoView {
    let ids = Memo::new(move |_| {
        systems.with(|systems| {
            ctx.support.with(|s| {
                let Some(s) = s else { return Vec::new() };
                let mut ids: Vec<_> = s
                    .resources
                    .iter()
                    .filter(|(_, r)| match system {
                        Some(system) => r.system == Some(system),
                        None => r.system.is_none_or(|id| systems.iter().all(|(s, _)| *s != id)),
                    })
                    .map(|(id, r)| (r.rank.clone(), *id))
                    .collect();
                quorum_shared::order::sort(&mut ids);
                ids.into_iter().map(|(_, id)| id).collect::<Vec<ResourceId>>()
            })
        })
    });
    let key = system.map(|s| s.to_string()).unwrap_or_else(|| "none".to_owned());
    let heading = format!("support-system-{key}-heading");
    let (labelled_by, data_key) = (heading.clone(), key.clone());
    view! {
        <section class="support-system card" data-system=data_key aria-labelledby=labelled_by>
            <h3 id=heading>{name}</h3>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="muted" data-empty="resources">"No resources recorded for this system yet."</p>
            </Show>
            <ul class="register resource-list">
                <For each=move || ids.get() key=|id| *id children=move |id| view! { <ResourceRow ctx systems id/> }/>
            </ul>
            {system.filter(|_| ctx.session.can_edit()).map(|system| view! { <AddResource ctx system key=key.clone()/> })}
        </section>
    }
}

#[component]
fn ResourceRow(ctx: Ctx, systems: Memo<Vec<(SystemId, String)>>, id: ResourceId) -> impl IntoView {
    let resource =
        Memo::new(move |_| ctx.support.with(|s| s.as_ref().and_then(|s| s.resources.get(&id).cloned())));
    let error = RwSignal::new(None::<String>);
    let read = move |f: fn(&Resource) -> String| {
        Signal::<String>::from(Memo::new(move |_| resource.with(|r| r.as_ref().map(f).unwrap_or_default())))
    };
    let name = read(|r| r.name.clone());
    let field = move |f: &str| format!("support-{id}-{f}");
    let system_options = Signal::derive(move || {
        std::iter::once((String::new(), "No AI system".to_owned()))
            .chain(systems.get().into_iter().map(|(id, name)| (id.to_string(), name)))
            .collect()
    });
    let on_name =
        Callback::new(move |text: String| ctx.save(error, id, ResourceField::Name(text.trim().to_owned())));
    let on_provider = Callback::new(move |text: String| {
        ctx.save(error, id, ResourceField::Provider(text.trim().to_owned()))
    });
    let on_kind = Callback::new(move |token: String| {
        ResourceKind::from_token(&token).is_some_and(|kind| ctx.save(error, id, ResourceField::Kind(kind)))
    });
    let on_system = Callback::new(move |value: String| {
        let system = value.parse::<SystemId>().ok();
        ctx.save(error, id, ResourceField::System(system))
    });
    let on_owner = Callback::new(move |member| ctx.save(error, id, ResourceField::Owner(member)));
    let on_description = Callback::new(move |text: String| {
        ctx.save(error, id, ResourceField::Description(TextEdit::Replace(text)))
    });
    let on_delete = move |_| {
        ctx.edit(error, |doc| model::delete(doc, now_ms(), id));
    };
    let can_edit = ctx.session.can_edit();
    view! {
        <li class="record resource" data-resource=id.to_string()>
            <fieldset class="record-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">{move || format!("Resource: {}", name.get())}</legend>
                <SelectField id=field("kind") label="Type" options=Signal::derive(kind_options)
                    value=read(|r| r.kind.as_token().to_owned()) on_change=on_kind/>
                <TextField id=field("name") label="Resource" value=name on_change=on_name classes="field-grow"/>
                <TextField id=field("provider") label="Provided by" placeholder="A supplier or team" value=read(|r| r.provider.clone()) on_change=on_provider/>
                <div class="field">
                    <label for=field("owner")>"Member who provides it"</label>
                    <OwnerSelect id=field("owner") members=ctx.members value=Signal::derive(move || resource.with(|r| r.as_ref().and_then(|r| r.owner))) on_change=on_owner/>
                </div>
                <SelectField id=field("system") label="AI system" options=system_options
                    value=read(|r| r.system.map(|s| s.to_string()).unwrap_or_default()) on_change=on_system/>
                <Prose id=field("description") label="Notes" value=read(|r| r.description.as_str().to_owned()) on_edit=on_description rows=2/>
            </fieldset>
            <Show when=move || resource.with(|r| r.as_ref().is_some_and(|r| !r.has_provider()))>
                <p class="support-warning">"Nobody is named as providing this resource yet."</p>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" on:click=on_delete aria-label=move || format!("Delete resource {}", name.get())>
                    "Delete resource"
                </button>
            </Show>
        </li>
    }
}

#[component]
fn AddResource(ctx: Ctx, system: SystemId, key: String) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let name_ref = NodeRef::<leptos::html::Input>::new();
    let kind_ref = NodeRef::<leptos::html::Select>::new();
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(input), Some(select)) = (name_ref.get_untracked(), kind_ref.get_untracked()) else {
            return;
        };
        let name = input.value().trim().to_owned();
        if name.is_empty() {
            error.set(Some("Name the resource first, such as “Applicant records 2019-2024”.".into()));
            return;
        }
        let kind = ResourceKind::from_token(&select.value()).unwrap_or_default();
        let resource = Resource { name, kind, system: Some(system), ..Resource::default() };
        if ctx.edit(error, |doc| model::add(doc, now_ms(), random_id(), resource, Position::Last).map(|_| ()))
        {
            input.set_value("");
        }
    };
    let id = move |f: &str| format!("support-new-resource-{key}-{f}");
    view! {
        <form class="add-record add-resource" data-system=system.to_string() on:submit=on_add>
            <div class="field">
                <label for=id("kind")>"Type"</label>
                <select id=id("kind") node_ref=kind_ref>
                    {kind_options().into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                </select>
            </div>
            <div class="field field-grow">
                <label for=id("name")>"New resource"</label>
                <input id=id("name") class="new-resource-name" type="text" node_ref=name_ref/>
            </div>
            <button type="submit" class="button">"Add resource"</button>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
