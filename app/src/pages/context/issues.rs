//! The issues register (4.1): each internal or external issue with a title and a description,
//! added, edited field by field and deleted through the register operations.

use automerge::AutoCommit;
use leptos::prelude::*;
use quorum_shared::model::{
    self, Context, Issue, IssueField, IssueId, IssueKind, ModelError, Position, TextEdit,
};

use super::ordered;
use crate::components::field::{SelectField, TextField};
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms, random_id};

const KINDS: [(IssueKind, &str, &str); 2] =
    [(IssueKind::External, "external", "External"), (IssueKind::Internal, "internal", "Internal")];

fn kind_value(kind: IssueKind) -> &'static str {
    KINDS.iter().find(|(k, ..)| *k == kind).map_or("internal", |(_, value, _)| value)
}

fn parse_kind(value: &str) -> Option<IssueKind> {
    KINDS.iter().find(|(_, v, _)| *v == value).map(|(kind, ..)| *kind)
}

#[component]
pub fn Issues(session: Session, doc_id: String, context: Memo<Option<Context>>) -> impl IntoView {
    let doc_id = StoredValue::new(doc_id);
    let ids = Memo::new(move |_| {
        context.with(|c| c.as_ref().map(|c| ordered(&c.issues, |i| &i.rank)).unwrap_or_default())
    });
    let can_edit = session.can_edit();
    let error = RwSignal::new(None::<String>);
    let title_ref = NodeRef::<leptos::html::Input>::new();
    let kind_ref = NodeRef::<leptos::html::Select>::new();

    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(title_input), Some(kind_select)) = (title_ref.get_untracked(), kind_ref.get_untracked())
        else {
            return;
        };
        let title = title_input.value().trim().to_owned();
        if title.is_empty() {
            error
                .set(Some("Give the issue a short title first, such as “New EU AI Act obligations”.".into()));
            return;
        }
        let kind = parse_kind(&kind_select.value()).unwrap_or_default();
        let issue = Issue { kind, title, ..Issue::default() };
        let result = doc_id.with_value(|id| {
            session.edit(id, |doc| model::add(doc, now_ms(), random_id(), issue, Position::Last))
        });
        error.set(result.as_ref().err().map(explain));
        if result.is_ok() {
            title_input.set_value("");
        }
    };

    view! {
        <section class="card context-section" aria-labelledby="issues-heading">
            <h2 id="issues-heading"><span class="ref">"4.1"</span>"Internal and external issues"</h2>
            <p class="hint">
                "What inside or around the organization helps or hinders what the AIMS is meant to achieve: laws and regulators, customers' expectations, the market, your own culture, skills and systems."
            </p>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty" data-empty="issues">
                    "No issues recorded yet. Start with the external ones, such as the AI laws that apply to you, then add what inside the organization affects how you govern AI."
                </p>
            </Show>
            <ul class="register issues">
                <For each=move || ids.get() key=|id| *id children=move |id| view! { <IssueRow session doc_id id context/> }/>
            </ul>
            <Show when=move || can_edit>
                <form class="add-record" on:submit=on_add>
                    <div class="field">
                        <label for="issue-new-kind">"Kind"</label>
                        <select id="issue-new-kind" node_ref=kind_ref>
                            {KINDS.iter().map(|(_, value, label)| view! { <option value=*value>{*label}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field field-grow">
                        <label for="issue-new-title">"New issue"</label>
                        <input id="issue-new-title" type="text" node_ref=title_ref aria-describedby="issue-new-error"/>
                    </div>
                    <button type="submit" class="button">"Add issue"</button>
                    <p id="issue-new-error" class="field-error" role="alert">{move || error.get()}</p>
                </form>
            </Show>
        </section>
    }
}

#[component]
fn IssueRow(
    session: Session,
    doc_id: StoredValue<String>,
    id: IssueId,
    context: Memo<Option<Context>>,
) -> impl IntoView {
    let issue = Memo::new(move |_| context.with(|c| c.as_ref().and_then(|c| c.issues.get(&id).cloned())));
    let error = RwSignal::new(None::<String>);
    let can_edit = session.can_edit();
    let edit = move |operation: &dyn Fn(&mut AutoCommit) -> Result<(), ModelError>| {
        let result = doc_id.with_value(|doc| session.edit(doc, operation));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let kind = move || issue.with(|i| i.as_ref().map(|i| i.kind).unwrap_or_default());
    let title = move || issue.with(|i| i.as_ref().map(|i| i.title.clone()).unwrap_or_default());
    let description = Signal::derive(move || {
        issue.with(|i| i.as_ref().map(|i| i.description.as_str().to_owned()).unwrap_or_default())
    });

    // `SelectField` and `TextField` put the stored value back when these say it was refused.
    let on_kind = Callback::new(move |chosen: String| {
        parse_kind(&chosen)
            .is_some_and(|chosen| edit(&|doc| model::edit(doc, now_ms(), id, IssueField::Kind(chosen))))
    });
    let kinds = Signal::derive(|| {
        KINDS.iter().map(|(_, name, label)| ((*name).to_owned(), (*label).to_owned())).collect()
    });
    let on_title = Callback::new(move |text: String| {
        let text = text.trim().to_owned();
        if text.is_empty() {
            error.set(Some("An issue needs a title; to remove it, use Delete instead.".into()));
            return false;
        }
        text == title() || edit(&|doc| model::edit(doc, now_ms(), id, IssueField::Title(text.clone())))
    });
    let on_description = Callback::new(move |text: String| {
        edit(&|doc| model::edit(doc, now_ms(), id, IssueField::Description(TextEdit::Replace(text.clone()))))
    });
    let on_delete = move |_: leptos::ev::MouseEvent| {
        edit(&|doc| model::delete(doc, now_ms(), id));
    };

    let field = move |name: &str| format!("issue-{id}-{name}");
    view! {
        <li class="record issue" data-issue=id.to_string() data-kind=move || kind_value(kind())>
            <fieldset class="record-fields issue-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">{move || format!("Issue: {}", title())}</legend>
                <SelectField id=field("kind") label="Kind" select_class="kind" options=kinds
                    value=Signal::derive(move || kind_value(kind()).to_owned()) on_change=on_kind/>
                <TextField id=field("title") label="Issue" classes="field-grow" input_class="title"
                    value=Signal::derive(title) on_change=on_title/>
                <Prose id=field("description") label="How it affects the AIMS" value=description on_edit=on_description rows=2/>
            </fieldset>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" on:click=on_delete>
                    "Delete issue"
                </button>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
}
