//! The competence matrix (7.2): the competences the AIMS needs, its roles with the competences
//! each needs and the members who hold them, and a grid of roles by competences showing, for
//! each holder, whether a valid training record shows it. Gaps say so in words as well as colour.

use leptos::prelude::*;
use quorum_shared::model::{
    self, AimsRole, AimsRoleField, AimsRoleId, Competence, CompetenceField, CompetenceId, GapReason,
    MemberId, Position, Support,
};

use super::Ctx;
use crate::components::field::TextField;
use crate::session::today;
use crate::session::{now_ms, random_id};

/// Ids of a register in rank order.
fn ordered<I: Copy + Ord, R>(
    records: &std::collections::BTreeMap<I, R>,
    rank: fn(&R) -> &model::Rank,
) -> Vec<I> {
    let mut ids: Vec<_> = records.iter().map(|(id, r)| (rank(r).clone(), *id)).collect();
    quorum_shared::order::sort(&mut ids);
    ids.into_iter().map(|(_, id)| id).collect()
}

#[component]
pub fn CompetenceMatrix(ctx: Ctx) -> impl IntoView {
    let competences = Memo::new(move |_| {
        ctx.support.with(|s| s.as_ref().map(|s| ordered(&s.competences, |c| &c.rank)).unwrap_or_default())
    });
    let roles = Memo::new(move |_| {
        ctx.support.with(|s| s.as_ref().map(|s| ordered(&s.roles, |r| &r.rank)).unwrap_or_default())
    });
    let can_edit = ctx.session.can_edit();
    view! {
        <section class="support-section" id="support-competence" aria-labelledby="support-competence-heading">
            <h2 id="support-competence-heading">"Competence"</h2>
            <p class="hint">"The roles of the AI management system, the competences each needs, and who holds them. A holder needs a training record for each, not expired."</p>
            <Matrix ctx competences roles/>
            <div class="support-columns">
                <div class="card">
                    <h3>"Competences"</h3>
                    <Show when=move || competences.with(Vec::is_empty)>
                        <p class="muted" data-empty="competences">"No competences yet. Add one a role needs, such as “AI risk assessment”."</p>
                    </Show>
                    <ul class="register competence-list">
                        <For each=move || competences.get() key=|id| *id children=move |id| view! { <CompetenceRow ctx id/> }/>
                    </ul>
                    <Show when=move || can_edit>
                        <AddNamed ctx id="support-new-competence" label="New competence" button="Add competence"
                            add=|doc, name| model::add(doc, now_ms(), random_id(), Competence { name, ..Default::default() }, Position::Last).map(|_| ())/>
                    </Show>
                </div>
                <div class="card">
                    <h3>"Roles"</h3>
                    <Show when=move || roles.with(Vec::is_empty)>
                        <p class="muted" data-empty="roles">"No roles yet. Add one, such as “AIMS lead”, then tick what it needs and who holds it."</p>
                    </Show>
                    <ul class="register role-list">
                        <For each=move || roles.get() key=|id| *id children=move |id| view! { <RoleRow ctx id competences/> }/>
                    </ul>
                    <Show when=move || can_edit>
                        <AddNamed ctx id="support-new-role" label="New role" button="Add role"
                            add=|doc, name| model::add(doc, now_ms(), random_id(), AimsRole { name, ..Default::default() }, Position::Last).map(|_| ())/>
                    </Show>
                </div>
            </div>
        </section>
    }
}

/// The grid of roles by competences; each needed cell lists the role's holders with their state.
#[component]
fn Matrix(ctx: Ctx, competences: Memo<Vec<CompetenceId>>, roles: Memo<Vec<AimsRoleId>>) -> impl IntoView {
    let gaps = Memo::new(move |_| {
        ctx.support.with(|s| s.as_ref().map(|s| model::competence_gaps(s, today())).unwrap_or_default())
    });
    let cell = move |s: &Support, role: AimsRoleId, competence: CompetenceId| {
        let r = &s.roles[&role];
        if !r.required.contains_key(&competence) {
            return view! { <td class="matrix-cell not-needed"><span class="muted">"Not needed"</span></td> }
                .into_any();
        }
        if r.holders.is_empty() {
            return view! { <td class="matrix-cell needed"><span class="muted">"Needed; nobody holds the role"</span></td> }.into_any();
        }
        let holders: Vec<MemberId> = r.holders.keys().copied().collect();
        let items = gaps.with(|gaps| {
            holders
                .into_iter()
                .map(|member| {
                    let gap = gaps
                        .iter()
                        .find(|g| g.role == role && g.competence == competence && g.member == member);
                    let name = ctx.name(member);
                    let (class, text) = match gap.map(|g| g.reason) {
                        None => ("holder ok", format!("✓ {name}: trained")),
                        Some(GapReason::NoRecord) => ("holder gap", format!("✗ {name}: no training record")),
                        Some(GapReason::Expired(date)) => {
                            ("holder gap", format!("✗ {name}: training expired {date}"))
                        }
                    };
                    view! { <li class=class data-member=member.to_string()>{text}</li> }
                })
                .collect_view()
        });
        view! { <td class="matrix-cell needed"><ul class="holders">{items}</ul></td> }.into_any()
    };
    view! {
        <div class="card matrix-card">
            <p class="matrix-summary" role="status" data-gaps=move || gaps.with(Vec::len).to_string()>
                {move || match gaps.with(Vec::len) {
                    0 => "No gaps: every holder of a role is trained in what it needs.".to_owned(),
                    1 => "1 gap: a holder lacks valid training for a competence the role needs.".to_owned(),
                    n => format!("{n} gaps: holders lack valid training for competences their roles need."),
                }}
            </p>
            <Show when=move || !roles.with(Vec::is_empty) && !competences.with(Vec::is_empty)>
                <div class="matrix-scroll">
                    <table class="competence-matrix">
                        <caption class="visually-hidden">"Roles by the competences they need"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Role"</th>
                                {move || ctx.support.with(|s| {
                                    let s = s.as_ref()?;
                                    Some(competences.get().into_iter().filter_map(|c| s.competences.get(&c).map(|c| c.name.clone()))
                                        .map(|name| view! { <th scope="col">{name}</th> }).collect_view())
                                })}
                            </tr>
                        </thead>
                        <tbody>
                            {move || ctx.support.with(|s| {
                                let s = s.as_ref()?;
                                Some(roles.get().into_iter().filter(|r| s.roles.contains_key(r)).map(|role| {
                                    let cells = competences.get().into_iter().map(|c| cell(s, role, c)).collect_view();
                                    view! { <tr data-role=role.to_string()><th scope="row">{s.roles[&role].name.clone()}</th>{cells}</tr> }
                                }).collect_view())
                            })}
                        </tbody>
                    </table>
                </div>
            </Show>
        </div>
    }
}

#[component]
fn CompetenceRow(ctx: Ctx, id: CompetenceId) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let name = Signal::<String>::from(Memo::new(move |_| {
        ctx.support.with(|s| {
            s.as_ref().and_then(|s| s.competences.get(&id)).map(|c| c.name.clone()).unwrap_or_default()
        })
    }));
    let on_name =
        Callback::new(move |text: String| ctx.save(error, id, CompetenceField::Name(text.trim().to_owned())));
    let can_edit = ctx.session.can_edit();
    view! {
        <li class="record competence" data-competence=id.to_string()>
            <fieldset class="record-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">"Competence"</legend>
                <TextField id=format!("support-competence-{id}-name") label="Competence" value=name on_change=on_name classes="field-grow"/>
            </fieldset>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" aria-label=move || format!("Delete competence {}", name.get())
                    on:click=move |_| { ctx.edit(error, |doc| model::delete(doc, now_ms(), id)); }>"Delete"</button>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
}

#[component]
fn RoleRow(ctx: Ctx, id: AimsRoleId, competences: Memo<Vec<CompetenceId>>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let role = Memo::new(move |_| ctx.support.with(|s| s.as_ref().and_then(|s| s.roles.get(&id).cloned())));
    let name = Signal::<String>::from(Memo::new(move |_| {
        role.with(|r| r.as_ref().map(|r| r.name.clone()).unwrap_or_default())
    }));
    let on_name =
        Callback::new(move |text: String| ctx.save(error, id, AimsRoleField::Name(text.trim().to_owned())));
    let can_edit = ctx.session.can_edit();
    let needs = move || {
        competences
            .get()
            .into_iter()
            .map(|c| {
                let label = ctx
                    .support
                    .with(|s| s.as_ref().and_then(|s| s.competences.get(&c)).map(|c| c.name.clone()));
                let box_id = format!("support-role-{id}-needs-{c}");
                let checked = move || role.with(|r| r.as_ref().is_some_and(|r| r.required.contains_key(&c)));
                let on_change = move |event: leptos::ev::Event| {
                    let on = event_target_checked(&event);
                    if !ctx.edit(error, |doc| model::set_role_requirement(doc, now_ms(), id, c, on)) {
                        let input: web_sys::HtmlInputElement = event_target(&event);
                        input.set_checked(!on);
                    }
                };
                let label_for = box_id.clone();
                view! {
                    <label class="check" for=label_for>
                        <input type="checkbox" id=box_id prop:checked=checked on:change=on_change/>
                        {label}
                    </label>
                }
            })
            .collect_view()
    };
    let holders = move || {
        ctx.members
            .get()
            .into_iter()
            .map(|(member, member_name)| {
                let box_id = format!("support-role-{id}-holder-{member}");
                let checked =
                    move || role.with(|r| r.as_ref().is_some_and(|r| r.holders.contains_key(&member)));
                let on_change = move |event: leptos::ev::Event| {
                    let on = event_target_checked(&event);
                    if !ctx.edit(error, |doc| model::set_role_holder(doc, now_ms(), id, member, on)) {
                        let input: web_sys::HtmlInputElement = event_target(&event);
                        input.set_checked(!on);
                    }
                };
                let label_for = box_id.clone();
                view! {
                    <label class="check" for=label_for>
                        <input type="checkbox" id=box_id prop:checked=checked on:change=on_change/>
                        {member_name}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <li class="record aims-role" data-role=id.to_string()>
            <fieldset class="record-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">{move || format!("Role: {}", name.get())}</legend>
                <TextField id=format!("support-role-{id}-name") label="Role" value=name on_change=on_name classes="field-grow"/>
                <fieldset class="checks">
                    <legend>"Needs"</legend>
                    <Show when=move || competences.with(Vec::is_empty)>
                        <p class="muted">"Add competences first."</p>
                    </Show>
                    {needs}
                </fieldset>
                <fieldset class="checks">
                    <legend>"Held by"</legend>
                    {holders}
                </fieldset>
            </fieldset>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" aria-label=move || format!("Delete role {}", name.get())
                    on:click=move |_| { ctx.edit(error, |doc| model::delete(doc, now_ms(), id)); }>"Delete role"</button>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
}

/// A one-field form adding a named record (a competence, a role).
#[component]
pub(super) fn AddNamed(
    ctx: Ctx,
    id: &'static str,
    label: &'static str,
    button: &'static str,
    add: fn(&mut automerge::AutoCommit, String) -> Result<(), model::ModelError>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(input) = input_ref.get_untracked() else { return };
        let name = input.value().trim().to_owned();
        if name.is_empty() {
            error.set(Some("Write a name first.".into()));
            return;
        }
        if ctx.edit(error, |doc| add(doc, name)) {
            input.set_value("");
        }
    };
    view! {
        <form class="add-record" on:submit=on_add>
            <div class="field field-grow">
                <label for=id>{label}</label>
                <input id=id type="text" node_ref=input_ref/>
            </div>
            <button type="submit" class="button">{button}</button>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
