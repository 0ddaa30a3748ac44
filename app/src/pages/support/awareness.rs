//! Awareness (7.3): each member acknowledges, here, the approved AI policy version in force; the
//! page lists who has not yet, and a newly approved version asks everyone again. Awareness
//! activities (briefings, workshops) are kept below.

use leptos::prelude::*;
use quorum_shared::model::{
    self, AiPolicy, Awareness as Activity, AwarenessField, AwarenessId, Position, TextEdit,
};

use super::competence::AddNamed;
use super::{Ctx, parse_date};
use crate::components::field::TextField;
use crate::components::prose::Prose;
use crate::session::{now_ms, random_id};

/// The version in force: its number, id and heads.
type InForce = (usize, model::PolicyVersionId, Vec<String>);

#[component]
pub fn Awareness(ctx: Ctx, policy: Memo<Option<AiPolicy>>) -> impl IntoView {
    let in_force: Memo<Option<InForce>> = Memo::new(move |_| {
        policy.with(|p| p.as_ref()?.current_version().map(|(n, id, v)| (n, id, v.heads.clone())))
    });
    let error = RwSignal::new(None::<String>);
    let awaiting = Memo::new(move |_| {
        let (_, version, _) = in_force.get()?;
        ctx.workspace.with(|w| {
            ctx.support.with(|s| Some(model::awaiting_acknowledgement(w.as_ref()?, s.as_ref()?, version)))
        })
    });
    let me = Memo::new(move |_| ctx.session.member_id());
    // This member's acknowledgement of the version in force, as the date it was given.
    let mine = Memo::new(move |_| {
        let (_, version, _) = in_force.get()?;
        let me = me.get()?;
        ctx.support.with(|s| {
            let a = s.as_ref()?.acknowledgements.get(&me)?;
            (a.version == version)
                .then(|| quorum_shared::model::Date::of_ms(a.at_ms, crate::session::timezone_offset()))
        })
    });
    let acknowledge = move |_| {
        let (Some((number, version, heads)), Some(me)) = (in_force.get_untracked(), me.get_untracked())
        else {
            return;
        };
        ctx.edit(error, |doc| model::acknowledge_policy(doc, now_ms(), me, version, number as u64, heads));
    };
    view! {
        <section class="support-section" id="support-awareness" aria-labelledby="support-awareness-heading">
            <h2 id="support-awareness-heading">"Awareness"</h2>
            <div class="card policy-acknowledgement">
                {move || match in_force.get() {
                    None => view! {
                        <p class="empty" data-empty="policy-version">
                            "No version of the AI policy is approved yet. Approve one on the "
                            <a href="/policy">"AI policy"</a>
                            " page; then everyone is asked here to read it."
                        </p>
                    }.into_any(),
                    Some((n, ..)) => view! {
                        <p class="lede" data-version=n.to_string()>{format!("Version {n} of the AI policy is in force. Each member confirms here that they have read it.")}</p>
                        {move || match (mine.get(), ctx.session.can_edit() && me.get().is_some()) {
                            (Some(date), _) => view! { <p class="acknowledged" data-acknowledged="true">{format!("✓ You acknowledged version {n} on {date}.")}</p> }.into_any(),
                            (None, true) => view! {
                                <button type="button" class="button acknowledge-policy" on:click=acknowledge>
                                    {format!("I have read version {n}")}
                                </button>
                            }.into_any(),
                            (None, false) => view! { <p class="muted">"Viewers cannot sign in the app; record their briefing as an awareness activity below."</p> }.into_any(),
                        }}
                        <h3>{format!("Not yet acknowledged version {n}")}</h3>
                        {move || {
                            let awaiting = awaiting.get().unwrap_or_default();
                            if awaiting.is_empty() {
                                view! { <p class="all-acknowledged" data-awaiting="0">"Everyone has acknowledged the version in force."</p> }.into_any()
                            } else {
                                let count = awaiting.len().to_string();
                                view! {
                                    <ul class="awaiting" id="support-awaiting" data-awaiting=count>
                                        {awaiting.into_iter().map(|m| view! { <li class="awaiting-member" data-member=m.to_string()>{ctx.name(m)}</li> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }
                        }}
                    }.into_any(),
                }}
                <p class="field-error" role="alert">{move || error.get()}</p>
            </div>
            <Activities ctx/>
        </section>
    }
}

#[component]
fn Activities(ctx: Ctx) -> impl IntoView {
    let ids = Memo::new(move |_| {
        ctx.support.with(|s| {
            let Some(s) = s else { return Vec::new() };
            let mut ids: Vec<_> = s.awareness.iter().map(|(id, a)| (a.rank.clone(), *id)).collect();
            quorum_shared::order::sort(&mut ids);
            ids.into_iter().map(|(_, id)| id).collect::<Vec<AwarenessId>>()
        })
    });
    view! {
        <h3>"Awareness activities"</h3>
        <Show when=move || ids.with(Vec::is_empty)>
            <p class="muted" data-empty="awareness">"No activities yet. Record briefings or workshops that explain the policy and each person's part in the AIMS."</p>
        </Show>
        <ul class="register awareness-list">
            <For each=move || ids.get() key=|id| *id children=move |id| view! { <ActivityCard ctx id/> }/>
        </ul>
        <Show when=move || ctx.session.can_edit()>
            <AddNamed ctx id="support-new-awareness" label="New activity" button="Add activity"
                add=|doc, topic| model::add(doc, now_ms(), random_id(), Activity { topic, ..Default::default() }, Position::Last).map(|_| ())/>
        </Show>
    }
}

#[component]
fn ActivityCard(ctx: Ctx, id: AwarenessId) -> impl IntoView {
    let activity =
        Memo::new(move |_| ctx.support.with(|s| s.as_ref().and_then(|s| s.awareness.get(&id).cloned())));
    let error = RwSignal::new(None::<String>);
    let read = move |f: fn(&Activity) -> String| {
        Signal::<String>::from(Memo::new(move |_| activity.with(|a| a.as_ref().map(f).unwrap_or_default())))
    };
    let field = move |f: &str| format!("support-{id}-{f}");
    let on_topic =
        Callback::new(move |t: String| ctx.save(error, id, AwarenessField::Topic(t.trim().to_owned())));
    let on_audience =
        Callback::new(move |t: String| ctx.save(error, id, AwarenessField::Audience(t.trim().to_owned())));
    let on_held = Callback::new(move |t: String| match parse_date(&t) {
        Some(date) => ctx.save(error, id, AwarenessField::HeldOn(date)),
        None => {
            error.set(Some("That is not a real date: pick one from the calendar.".into()));
            false
        }
    });
    let on_notes =
        Callback::new(move |t: String| ctx.save(error, id, AwarenessField::Notes(TextEdit::Replace(t))));
    let can_edit = ctx.session.can_edit();
    view! {
        <li class="card record awareness" data-awareness=id.to_string()>
            <fieldset class="record-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">"Awareness activity"</legend>
                <TextField id=field("topic") label="Activity" value=read(|a| a.topic.clone()) on_change=on_topic classes="field-grow"/>
                <TextField id=field("audience") label="For whom" value=read(|a| a.audience.clone()) on_change=on_audience/>
                <TextField id=field("held") label="Held on" kind="date" value=read(|a| a.held_on.map(|d| d.to_string()).unwrap_or_default()) on_change=on_held/>
                <Prose id=field("notes") label="Notes" value=read(|a| a.notes.as_str().to_owned()) on_edit=on_notes rows=2/>
            </fieldset>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" on:click=move |_| { ctx.edit(error, |doc| model::delete(doc, now_ms(), id)); }>
                    "Delete activity"
                </button>
            </Show>
        </li>
    }
}
