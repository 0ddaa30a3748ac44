//! The communication plan (7.4): what is communicated, when, with whom, how, by which member, and
//! whether inside or outside the organization.

use leptos::prelude::*;
use quorum_shared::model::{self, Communication, CommunicationField, CommunicationId, Position};

use super::Ctx;
use super::competence::AddNamed;
use crate::components::field::{SelectField, TextField};
use crate::components::owner::OwnerSelect;
use crate::session::{now_ms, random_id};

#[component]
pub fn CommunicationPlan(ctx: Ctx) -> impl IntoView {
    let ids = Memo::new(move |_| {
        ctx.support.with(|s| {
            let Some(s) = s else { return Vec::new() };
            let mut ids: Vec<_> = s.communications.iter().map(|(id, c)| (c.rank.clone(), *id)).collect();
            quorum_shared::order::sort(&mut ids);
            ids.into_iter().map(|(_, id)| id).collect::<Vec<CommunicationId>>()
        })
    });
    view! {
        <section class="support-section" id="support-communication" aria-labelledby="support-communication-heading">
            <h2 id="support-communication-heading">"Communication plan"</h2>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty card" data-empty="communications">
                    "No communication planned yet. Start with what people must hear about, such as changes to the AI policy, and say when, with whom, how and who tells them."
                </p>
            </Show>
            <ul class="register communication-list">
                <For each=move || ids.get() key=|id| *id children=move |id| view! { <CommunicationCard ctx id/> }/>
            </ul>
            <Show when=move || ctx.session.can_edit()>
                <AddNamed ctx id="support-new-communication" label="What to communicate" button="Add to the plan"
                    add=|doc, what| model::add(doc, now_ms(), random_id(), Communication { what, ..Default::default() }, Position::Last).map(|_| ())/>
            </Show>
        </section>
    }
}

#[component]
fn CommunicationCard(ctx: Ctx, id: CommunicationId) -> impl IntoView {
    let line =
        Memo::new(move |_| ctx.support.with(|s| s.as_ref().and_then(|s| s.communications.get(&id).cloned())));
    let error = RwSignal::new(None::<String>);
    let read = move |f: fn(&Communication) -> String| {
        Signal::<String>::from(Memo::new(move |_| line.with(|c| c.as_ref().map(f).unwrap_or_default())))
    };
    let field = move |f: &str| format!("support-{id}-{f}");
    let text = move |make: fn(String) -> CommunicationField| {
        Callback::new(move |t: String| ctx.save(error, id, make(t.trim().to_owned())))
    };
    let on_who = Callback::new(move |member| ctx.save(error, id, CommunicationField::Who(member)));
    let on_external =
        Callback::new(move |v: String| ctx.save(error, id, CommunicationField::External(v == "external")));
    let reach = Signal::derive(|| {
        vec![("internal".to_owned(), "Internal".to_owned()), ("external".to_owned(), "External".to_owned())]
    });
    let can_edit = ctx.session.can_edit();
    view! {
        <li class="card record communication" data-communication=id.to_string()>
            <fieldset class="record-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">"Communication"</legend>
                <TextField id=field("what") label="What" value=read(|c| c.what.clone()) on_change=text(CommunicationField::What) classes="field-grow"/>
                <TextField id=field("when") label="When" placeholder="e.g. within a week of approval" value=read(|c| c.when.clone()) on_change=text(CommunicationField::When)/>
                <TextField id=field("with-whom") label="With whom" value=read(|c| c.with_whom.clone()) on_change=text(CommunicationField::WithWhom)/>
                <TextField id=field("how") label="How" placeholder="e.g. intranet post" value=read(|c| c.how.clone()) on_change=text(CommunicationField::How)/>
                <div class="field">
                    <label for=field("who")>"Who communicates"</label>
                    <OwnerSelect id=field("who") members=ctx.members value=Signal::derive(move || line.with(|c| c.as_ref().and_then(|c| c.who))) on_change=on_who/>
                </div>
                <SelectField id=field("external") label="Inside or out" options=reach
                    value=Signal::derive(move || if line.with(|c| c.as_ref().is_some_and(|c| c.external)) { "external".to_owned() } else { "internal".to_owned() })
                    on_change=on_external/>
            </fieldset>
            <Show when=move || line.with(|c| c.as_ref().is_some_and(|c| !c.is_complete()))>
                <p class="support-warning">"Still to say: what, with whom, how and who communicates it."</p>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" on:click=move |_| { ctx.edit(error, |doc| model::delete(doc, now_ms(), id)); }>
                    "Delete line"
                </button>
            </Show>
        </li>
    }
}
