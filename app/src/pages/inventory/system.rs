//! One AI system's page (`/inventory/:system`): its fields, each saved as one register edit, and
//! what links to it (see [`super::links`]).

use automerge::AutoCommit;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use quorum_shared::model::{
    self, AiSystem, AiSystemField, DocumentKind, Inventory, MemberId, ModelError, SystemId, TextEdit,
};

use super::links::SystemLinks;
use super::register::{ROLES, STAGES, parse_role, parse_stage, role_value, stage_value};
use crate::components::field::{SelectField, TextField};
use crate::components::owner::{OwnerSelect, members};
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub fn AiSystemPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let system =
        Memo::new(move |_| params.with(|p| p.get("system")).and_then(|id| id.parse::<SystemId>().ok()));
    move || match system.get() {
        None => not_found().into_any(),
        Some(id) => view! { <SystemEditor session id/> }.into_any(),
    }
}

fn not_found() -> AnyView {
    view! {
        <section class="page empty-state" data-empty="system">
            <h1>"AI system not found"</h1>
            <p class="lede">"This AI system is not in the inventory: it may have been deleted, or the link is incomplete."</p>
            <A href="/inventory">"Back to the AI systems"</A>
        </section>
    }
    .into_any()
}

#[component]
fn SystemEditor(session: Session, id: SystemId) -> impl IntoView {
    let doc_id = Memo::new(move |_| session.document_of(DocumentKind::Inventory));
    let loaded = Memo::new(move |_| {
        doc_id.get().and_then(|doc| session.read(&doc, |doc| Inventory::load(doc).is_ok())).unwrap_or(false)
    });
    let system = Memo::new(move |_| {
        doc_id.get().and_then(|doc| session.read(&doc, |doc| model::get(doc, id).ok()).flatten())
    });
    let exists = Memo::new(move |_| system.with(Option::is_some));
    move || {
        if !loaded.get() {
            return view! { <p class="muted page" role="status">"Loading the inventory…"</p> }.into_any();
        }
        match (exists.get(), doc_id.get()) {
            (true, Some(doc)) => view! { <SystemFields session doc_id=doc id system/> }.into_any(),
            _ => not_found().into_any(),
        }
    }
}

#[component]
fn SystemFields(
    session: Session,
    doc_id: String,
    id: SystemId,
    system: Memo<Option<AiSystem>>,
) -> impl IntoView {
    let doc_id = StoredValue::new(doc_id);
    let error = RwSignal::new(None::<String>);
    let can_edit = session.can_edit();
    let members = members(session);
    let navigate = use_navigate();
    let edit = move |operation: &dyn Fn(&mut AutoCommit) -> Result<(), ModelError>| {
        let result = doc_id.with_value(|doc| session.edit(doc, operation));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let read =
        move |f: fn(&AiSystem) -> String| move || system.with(|s| s.as_ref().map(f).unwrap_or_default());
    let name = read(|s| s.name.clone());
    let purpose = Signal::derive(read(|s| s.purpose.as_str().to_owned()));
    let data = Signal::derive(read(|s| s.data.as_str().to_owned()));
    let role = move || system.with(|s| s.as_ref().map(|s| s.organization_role).unwrap_or_default());
    let stage = move || system.with(|s| s.as_ref().map(|s| s.life_cycle).unwrap_or_default());
    let in_scope = move || system.with(|s| s.as_ref().is_some_and(|s| s.in_scope));
    let owner = Signal::derive(move || system.with(|s| s.as_ref().and_then(|s| s.owner)));

    // `TextField` and `SelectField` put the stored value back when these say it was refused.
    let on_name = Callback::new(move |text: String| {
        let text = text.trim().to_owned();
        if text.is_empty() {
            error.set(Some(
                "An AI system needs a name; to remove it, use Delete at the bottom of the page.".into(),
            ));
            return false;
        }
        text == name() || edit(&|doc| model::edit(doc, now_ms(), id, AiSystemField::Name(text.clone())))
    });
    let on_purpose = Callback::new(move |text: String| {
        edit(&|doc| model::edit(doc, now_ms(), id, AiSystemField::Purpose(TextEdit::Replace(text.clone()))))
    });
    let on_data = Callback::new(move |text: String| {
        edit(&|doc| model::edit(doc, now_ms(), id, AiSystemField::Data(TextEdit::Replace(text.clone()))))
    });
    let on_role = Callback::new(move |chosen: String| {
        parse_role(&chosen).is_some_and(|chosen| {
            edit(&|doc| model::edit(doc, now_ms(), id, AiSystemField::OrganizationRole(chosen)))
        })
    });
    let on_stage = Callback::new(move |chosen: String| {
        parse_stage(&chosen).is_some_and(|chosen| {
            edit(&|doc| model::edit(doc, now_ms(), id, AiSystemField::LifeCycle(chosen)))
        })
    });
    let roles: Vec<_> =
        ROLES.iter().map(|(_, name, label)| ((*name).to_owned(), (*label).to_owned())).collect();
    let stages: Vec<_> =
        STAGES.iter().map(|(_, name, label)| ((*name).to_owned(), (*label).to_owned())).collect();
    let on_owner = Callback::new(move |chosen: Option<MemberId>| {
        edit(&|doc| model::edit(doc, now_ms(), id, AiSystemField::Owner(chosen)))
    });
    let on_scope = move |event: leptos::ev::Event| {
        let checked = event_target_checked(&event);
        if !edit(&|doc| model::edit(doc, now_ms(), id, AiSystemField::InScope(checked))) {
            let input: web_sys::HtmlInputElement = event_target(&event);
            input.set_checked(in_scope());
        }
    };
    let on_delete = move |_: leptos::ev::MouseEvent| {
        if edit(&|doc| model::delete(doc, now_ms(), id)) {
            navigate("/inventory", Default::default());
        }
    };

    view! {
        <div class="page ai-system" data-system=id.to_string()>
            <p class="breadcrumb"><A href="/inventory">"AI systems"</A>" / "</p>
            <h1>{name}</h1>
            <div class="system-layout">
                <fieldset class="card record-fields system-fields" prop:disabled=!can_edit>
                    <legend class="visually-hidden">"The AI system"</legend>
                    <TextField id="system-name" label="Name" classes="field-wide" value=Signal::derive(name) on_change=on_name/>
                    <Prose id="system-purpose" label="Purpose" hint="What it is for, what it decides or supports, and for whom." value=purpose on_edit=on_purpose rows=3/>
                    <SelectField id="system-role" label="Our role for it" options=Signal::derive(move || roles.clone())
                        value=Signal::derive(move || role_value(role()).to_owned()) on_change=on_role/>
                    <SelectField id="system-stage" label="Life-cycle stage" options=Signal::derive(move || stages.clone())
                        value=Signal::derive(move || stage_value(stage()).to_owned()) on_change=on_stage/>
                    <Prose id="system-data" label="Data used" hint="The data it was trained on and the data it processes, and where each comes from." value=data on_edit=on_data rows=3/>
                    <div class="field">
                        <label for="system-owner">"Owner"</label>
                        <OwnerSelect id="system-owner" members value=owner on_change=on_owner/>
                    </div>
                    <div class="field check">
                        <input id="system-in-scope" type="checkbox" prop:checked=in_scope on:change=on_scope/>
                        <label for="system-in-scope">"Within the AIMS scope"</label>
                    </div>
                    <p class="field-error field-wide" role="alert">{move || error.get()}</p>
                </fieldset>
                <SystemLinks session id/>
            </div>
            <Show when=move || can_edit>
                <p class="danger-zone">
                    <button type="button" class="link-button delete" on:click=on_delete.clone()>
                        "Delete this AI system"
                    </button>
                    <span class="hint">" Risks and assessments that name it will then name no system."</span>
                </p>
            </Show>
        </div>
    }
}
