//! Training records (7.2): who (a member, or a person by name), which competence, the course,
//! when it was completed and when it lapses, and where the evidence is kept.

use leptos::prelude::*;
use quorum_shared::model::{self, CompetenceId, Position, TrainingField, TrainingId, TrainingRecord};

use super::{Ctx, parse_date};
use crate::components::field::{SelectField, TextField};
use crate::components::owner::OwnerSelect;
use crate::session::today;
use crate::session::{now_ms, random_id};

/// The competences as select options, "None" first.
fn competence_options(ctx: Ctx) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        ctx.support.with(|s| {
            let mut competences: Vec<_> = s
                .iter()
                .flat_map(|s| s.competences.iter())
                .map(|(id, c)| (c.rank.clone(), *id, c.name.clone()))
                .collect();
            quorum_shared::order::sort(&mut competences);
            std::iter::once((String::new(), "None chosen".to_owned()))
                .chain(competences.into_iter().map(|(_, id, name)| (id.to_string(), name)))
                .collect()
        })
    })
}

#[component]
pub fn Training(ctx: Ctx) -> impl IntoView {
    let ids = Memo::new(move |_| {
        ctx.support.with(|s| {
            let Some(s) = s else { return Vec::new() };
            let mut ids: Vec<_> = s.training.iter().map(|(id, t)| (t.rank.clone(), *id)).collect();
            quorum_shared::order::sort(&mut ids);
            ids.into_iter().map(|(_, id)| id).collect::<Vec<TrainingId>>()
        })
    });
    view! {
        <section class="support-section" id="support-training" aria-labelledby="support-training-heading">
            <h2 id="support-training-heading">"Training records"</h2>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty card" data-empty="training">
                    "No training records yet. Record a course or qualification of someone who holds a role, with the competence it shows."
                </p>
            </Show>
            <ul class="register training-list">
                <For each=move || ids.get() key=|id| *id children=move |id| view! { <TrainingCard ctx id/> }/>
            </ul>
            <Show when=move || ctx.session.can_edit()>
                <AddTraining ctx/>
            </Show>
        </section>
    }
}

#[component]
fn TrainingCard(ctx: Ctx, id: TrainingId) -> impl IntoView {
    let record =
        Memo::new(move |_| ctx.support.with(|s| s.as_ref().and_then(|s| s.training.get(&id).cloned())));
    let error = RwSignal::new(None::<String>);
    let read = move |f: fn(&TrainingRecord) -> String| {
        Signal::<String>::from(Memo::new(move |_| record.with(|r| r.as_ref().map(f).unwrap_or_default())))
    };
    let field = move |f: &str| format!("support-{id}-{f}");
    let text = move |make: fn(String) -> TrainingField| {
        Callback::new(move |text: String| ctx.save(error, id, make(text.trim().to_owned())))
    };
    let date = move |make: fn(Option<model::Date>) -> TrainingField| {
        Callback::new(move |text: String| match parse_date(&text) {
            Some(date) => ctx.save(error, id, make(date)),
            None => {
                error.set(Some("That is not a real date: pick one from the calendar.".into()));
                false
            }
        })
    };
    let on_competence = Callback::new(move |value: String| {
        ctx.save(error, id, TrainingField::Competence(value.parse::<CompetenceId>().ok()))
    });
    let on_member = Callback::new(move |member| ctx.save(error, id, TrainingField::Member(member)));
    let expired = Memo::new(move |_| {
        record.with(|r| r.as_ref().and_then(|r| r.expires_on.filter(|_| !r.is_valid_on(today()))))
    });
    let can_edit = ctx.session.can_edit();
    view! {
        <li class="card record training" data-training=id.to_string() data-expired=move || expired.get().is_some().to_string()>
            <fieldset class="record-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">"Training record"</legend>
                <div class="field">
                    <label for=field("member")>"Member"</label>
                    <OwnerSelect id=field("member") members=ctx.members value=Signal::derive(move || record.with(|r| r.as_ref().and_then(|r| r.member))) on_change=on_member/>
                </div>
                <TextField id=field("person") label="Or person, by name" value=read(|r| r.person.clone()) on_change=text(TrainingField::Person)/>
                <SelectField id=field("competence") label="Competence" options=competence_options(ctx)
                    value=read(|r| r.competence.map(|c| c.to_string()).unwrap_or_default()) on_change=on_competence/>
                <TextField id=field("course") label="Course or qualification" value=read(|r| r.course.clone()) on_change=text(TrainingField::Course) classes="field-grow"/>
                <TextField id=field("completed") label="Completed" kind="date" value=read(|r| r.completed_on.map(|d| d.to_string()).unwrap_or_default()) on_change=date(TrainingField::CompletedOn)/>
                <TextField id=field("expires") label="Expires" kind="date" value=read(|r| r.expires_on.map(|d| d.to_string()).unwrap_or_default()) on_change=date(TrainingField::ExpiresOn)/>
                <TextField id=field("evidence") label="Evidence (link)" kind="url" placeholder="https://…" value=read(|r| r.evidence.clone()) on_change=text(TrainingField::Evidence) classes="field-grow"/>
            </fieldset>
            {move || expired.get().map(|date| view! { <p class="support-warning">{format!("Expired on {date}: it no longer counts as evidence.")}</p> })}
            <Show when=move || record.with(|r| r.as_ref().is_some_and(|r| !r.evidence.trim().is_empty()))>
                <a class="evidence-link" href=read(|r| r.evidence.clone()) target="_blank" rel="noopener">"Open the evidence"</a>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" on:click=move |_| { ctx.edit(error, |doc| model::delete(doc, now_ms(), id)); }>
                    "Delete training record"
                </button>
            </Show>
        </li>
    }
}

#[component]
fn AddTraining(ctx: Ctx) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let course_ref = NodeRef::<leptos::html::Input>::new();
    let member_ref = NodeRef::<leptos::html::Select>::new();
    let competence_ref = NodeRef::<leptos::html::Select>::new();
    let options = competence_options(ctx);
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(course), Some(member), Some(competence)) =
            (course_ref.get_untracked(), member_ref.get_untracked(), competence_ref.get_untracked())
        else {
            return;
        };
        let text = course.value().trim().to_owned();
        if text.is_empty() {
            error.set(Some("Write the course or qualification first, such as “AI risk workshop”.".into()));
            return;
        }
        let member = member.value().parse().ok();
        let record = TrainingRecord {
            course: text,
            member,
            person: member.map(|m| ctx.name(m)).unwrap_or_default(),
            competence: competence.value().parse().ok(),
            ..TrainingRecord::default()
        };
        if ctx.edit(error, |doc| model::add(doc, now_ms(), random_id(), record, Position::Last).map(|_| ())) {
            course.set_value("");
        }
    };
    view! {
        <form class="card add-record add-training" on:submit=on_add>
            <div class="field">
                <label for="support-new-training-member">"Member"</label>
                <select id="support-new-training-member" node_ref=member_ref>
                    <option value="">"Not a member"</option>
                    {move || ctx.members.get().into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="support-new-training-competence">"Competence"</label>
                <select id="support-new-training-competence" node_ref=competence_ref>
                    {move || options.get().into_iter().map(|(value, name)| view! { <option value=value>{name}</option> }).collect_view()}
                </select>
            </div>
            <div class="field field-grow">
                <label for="support-new-training-course">"Course or qualification"</label>
                <input id="support-new-training-course" type="text" node_ref=course_ref/>
            </div>
            <button type="submit" class="button">"Add training record"</button>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
