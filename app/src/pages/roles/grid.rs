//! The RACI matrix: one row per AIMS process, one column per member, each cell a select saved as
//! one `model::assign`. Rows can be renamed, added and removed; each row says calmly when it
//! breaks the model's rule of one accountable member.

use std::collections::BTreeMap;

use leptos::prelude::*;
use quorum_shared::model::{self, AimsProcess, AimsProcessField, MemberId, Position, ProcessId};
use web_sys::HtmlSelectElement;

use super::RolesView;
use super::raci::{self, Column, ProcessView};
use crate::explain::explain;
use crate::session::{Session, now_ms, random_id};

/// The select's choices: the stored letter and what it means.
static PARTS: [(&str, &str, &str); 5] = [
    ("", "—", "No part"),
    ("R", "R", "Responsible: does the work"),
    ("A", "A", "Accountable: answers for it; one per process"),
    ("C", "C", "Consulted: asked before decisions"),
    ("I", "I", "Informed: told after decisions"),
];

#[component]
pub fn RaciGrid(
    session: Session,
    doc_id: StoredValue<String>,
    roles: Memo<Option<RolesView>>,
    members: Memo<BTreeMap<MemberId, String>>,
) -> impl IntoView {
    let processes =
        Memo::new(move |_| roles.with(|r| r.as_ref().map(|r| r.processes.clone()).unwrap_or_default()));
    let columns = Memo::new(move |_| processes.with(|p| members.with(|m| raci::columns(m, p))));
    let order = Memo::new(move |_| processes.with(|p| p.iter().map(|p| p.id).collect::<Vec<_>>()));

    view! {
        <section class="card raci" aria-labelledby="raci-heading">
            <h2 id="raci-heading"><span class="ref">"5.3 · A.3.2"</span>"Who does what"</h2>
            <p class="hint raci-key">
                {PARTS[1..].iter().map(|&(_, letter, meaning)| view! {
                    <span class="raci-key-item"><strong>{letter}</strong>" "{meaning}</span>
                }).collect_view()}
            </p>
            <fieldset class="raci-fieldset" prop:disabled=move || !session.can_edit()>
                <legend class="roles-legend">"Responsibilities by process and member"</legend>
                {move || {
                    let columns = columns.get();
                    if order.with(Vec::is_empty) {
                        return view! {
                            <p class="muted">"No processes yet. Add the first process of your AI management system below."</p>
                        }
                        .into_any();
                    }
                    let foot = columns.clone();
                    let row_columns = columns.clone();
                    view! {
                        <div class="raci-scroll">
                            <table class="raci-grid">
                                <thead>
                                    <tr>
                                        <th scope="col" class="raci-process-head">"Process"</th>
                                        {columns.iter().map(|c| view! {
                                            <th scope="col" class="raci-member" class:raci-former=c.former data-member=c.member.to_string()>
                                                {c.name.clone()}
                                            </th>
                                        }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    <For
                                        each=move || order.get()
                                        key=|id| *id
                                        children=move |process| {
                                            let columns = row_columns.clone();
                                            view! { <ProcessRow session doc_id process processes columns/> }
                                        }
                                    />
                                </tbody>
                                <tfoot>
                                    <tr>
                                        <th scope="row">"Carries"</th>
                                        {foot.into_iter().map(|c| {
                                            let member = c.member;
                                            view! {
                                                <td class="raci-carries" data-member=member.to_string()>
                                                    {move || processes.with(|p| raci::column_summary(member, p))}
                                                </td>
                                            }
                                        }).collect_view()}
                                    </tr>
                                </tfoot>
                            </table>
                        </div>
                    }
                    .into_any()
                }}
            </fieldset>
            <Show when=move || session.can_edit()>
                <AddProcess session doc_id/>
            </Show>
        </section>
    }
}

#[component]
fn ProcessRow(
    session: Session,
    doc_id: StoredValue<String>,
    process: ProcessId,
    processes: Memo<Vec<ProcessView>>,
    columns: Vec<Column>,
) -> impl IntoView {
    let row = Memo::new(move |_| processes.with(|ps| ps.iter().find(|p| p.id == process).cloned()));
    let name = Memo::new(move |_| row.with(|r| r.as_ref().map(|r| r.name.clone()).unwrap_or_default()));
    let warning =
        Memo::new(move |_| row.with(|r| r.as_ref().and_then(|r| r.violation).and_then(raci::row_warning)));
    let error = RwSignal::new(None::<String>);
    let ids = move |what: &str| format!("process-{process}-{what}");
    let summary_columns = columns.clone();
    let summary =
        move || row.with(|r| r.as_ref().map(|r| raci::row_summary(r, &summary_columns)).unwrap_or_default());

    let rename = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        if value.trim() == name.get_untracked() {
            return;
        }
        if value.trim().is_empty() {
            error.set(Some("A process needs a name; type one, or remove the process.".to_owned()));
            return;
        }
        let field = AimsProcessField::Name(value.trim().to_owned());
        let result =
            doc_id.with_value(|id| session.edit(id, |doc| model::edit(doc, now_ms(), process, field)));
        error.set(result.err().as_ref().map(explain));
    };
    let remove = move |_| {
        let result = doc_id.with_value(|id| session.edit(id, |doc| model::delete(doc, now_ms(), process)));
        error.set(result.err().as_ref().map(explain));
    };

    view! {
        <tr
            class="raci-row"
            data-process=process.to_string()
            data-name=move || name.get()
            data-warning=move || if warning.with(Option::is_some) { "true" } else { "false" }
        >
            <th scope="row" class="raci-process">
                <div class="raci-process-name">
                    <label class="roles-hidden" for=ids("name")>"Process name"</label>
                    <input
                        id=ids("name")
                        class="process-name"
                        type="text"
                        prop:value=move || name.get()
                        aria-describedby=format!("{} {}", ids("summary"), ids("error"))
                        on:change=rename
                    />
                    <Show when=move || session.can_edit()>
                        <button
                            type="button"
                            class="raci-remove"
                            aria-label=move || format!("Remove the process {}", name.get())
                            title="Remove this process"
                            on:click=remove
                        >
                            "×"
                        </button>
                    </Show>
                </div>
                <p class="raci-warning" role="status">{move || warning.get()}</p>
                <p id=ids("summary") class="roles-hidden">{summary}</p>
                <p id=ids("error") class="field-error" role="alert">{move || error.get()}</p>
            </th>
            {columns.into_iter().map(|column| view! { <RaciCell session doc_id process row column name error/> }).collect_view()}
        </tr>
    }
}

#[component]
fn RaciCell(
    session: Session,
    doc_id: StoredValue<String>,
    process: ProcessId,
    row: Memo<Option<ProcessView>>,
    column: Column,
    name: Memo<String>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let member = column.member;
    let current =
        Memo::new(move |_| raci::letter(row.with(|r| r.as_ref().and_then(|r| r.raci.get(&member).copied()))));
    let id = format!("raci-{process}-{member}");
    let on_change = move |event: leptos::ev::Event| {
        let select: HtmlSelectElement = event_target(&event);
        let part = raci::part(&select.value());
        let result = doc_id
            .with_value(|id| session.edit(id, |doc| model::assign(doc, now_ms(), process, member, part)));
        if result.is_err() {
            select.set_value(current.get_untracked());
        }
        error.set(result.err().as_ref().map(explain));
    };
    let member_name = column.name.clone();
    view! {
        <td class="raci-cell" data-member=member.to_string() data-raci=move || current.get()>
            <label class="roles-hidden" for=id.clone()>{move || format!("{}, {member_name}", name.get())}</label>
            <select id=id on:change=on_change>
                {PARTS.iter().map(|&(value, letter, meaning)| view! {
                    <option value=value title=meaning prop:selected=move || current.get() == value>{letter}</option>
                }).collect_view()}
            </select>
        </td>
    }
}

#[component]
fn AddProcess(session: Session, doc_id: StoredValue<String>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let value = name.get_untracked().trim().to_owned();
        if value.is_empty() {
            error.set(Some("Type the process's name first, such as \"Supplier assessment\".".to_owned()));
            return;
        }
        let process = AimsProcess { name: value, ..AimsProcess::default() };
        let result = doc_id.with_value(|id| {
            session.edit(id, |doc| model::add(doc, now_ms(), random_id(), process, Position::Last))
        });
        if result.is_ok() {
            name.set(String::new());
        }
        error.set(result.err().as_ref().map(explain));
    };
    view! {
        <form class="raci-add" on:submit=add>
            <div class="field">
                <label for="new-process-name">"New process"</label>
                <input
                    id="new-process-name"
                    type="text"
                    placeholder="e.g. Supplier assessment"
                    prop:value=move || name.get()
                    aria-describedby="new-process-error"
                    on:input=move |event| name.set(event_target_value(&event))
                />
            </div>
            <button type="submit" class="button">"Add process"</button>
            <p id="new-process-error" class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
