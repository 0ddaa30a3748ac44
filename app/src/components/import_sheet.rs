//! "Import from a spreadsheet", on the risk register, the AI system inventory and the SoA: choose
//! a CSV or Excel file, pick the sheet and its header row, check which column fills which field
//! (guessed from the header's names), see every row's result, then import the good rows as one
//! change, which the header's Undo takes back. Nothing is written before that last step.

use leptos::prelude::*;
use leptos::task::spawn_local;
use quorum_shared::import::{self, Context, Sheet, Target};
use quorum_shared::model::{DocumentKind, RiskRegister, Workspace};
use wasm_bindgen::JsCast;

use crate::explain::explain;
use crate::files;
use crate::session::{self, Session};
use crate::split::{ChunkUnavailable, split};

#[component]
pub fn ImportSheet(session: Session, target: Target, kind: DocumentKind) -> impl IntoView {
    let token = match target {
        Target::Risks => "risks",
        Target::AiSystems => "systems",
        Target::Soa => "soa",
    };
    let sheets = RwSignal::new(Vec::<Sheet>::new());
    let sheet_index = RwSignal::new(0usize);
    let header = RwSignal::new(0usize);
    let mapping = RwSignal::new(Vec::<Option<&'static str>>::new());
    let message = RwSignal::new(None::<Result<String, String>>);
    let sheet = Memo::new(move |_| sheets.with(|s| s.get(sheet_index.get()).cloned()));
    // Guess the header and the mapping whenever another sheet is chosen.
    let guess = move || {
        if let Some(sheet) = sheet.get_untracked() {
            let row = import::guess_header_row(target, &sheet);
            header.set(row);
            mapping.set(import::guess_mapping(target, &sheet.rows[row]));
        }
    };
    // The mapping guessed again from another header row of the sheet shown, read in place.
    let remap = move |row: usize| {
        sheet.with_untracked(|s| {
            s.as_ref().map(|s| import::guess_mapping(target, s.rows.get(row).map_or(&[][..], |r| &r[..])))
        })
    };
    let context = Memo::new(move |_| {
        let root = session.membership().root_id().to_owned();
        let workspace = session.read(&root, |doc| Workspace::load(doc).ok()).flatten();
        let criteria = match target {
            Target::Risks => session
                .document_of(DocumentKind::RiskRegister)
                .and_then(|id| session.read(&id, |doc| RiskRegister::load(doc).ok()).flatten())
                .map(|r| r.criteria),
            _ => None,
        };
        Context::new(workspace.as_ref(), criteria.as_ref())
    });
    let preview = Memo::new(move |_| {
        let sheet = sheet.get()?;
        let header = header.get().min(sheet.rows.len().saturating_sub(1));
        Some(mapping.with(|m| context.with(|c| import::preview(target, &sheet, header, m, c))))
    });
    let chosen = move |ev: leptos::ev::Event| {
        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        let Some(file) = input.and_then(|i| i.files()).and_then(|list| list.get(0)) else { return };
        message.set(None);
        spawn_local(async move {
            let read = match files::read(&file).await {
                Ok(bytes) => read_sheets(file.name(), bytes).await.unwrap_or_else(|ChunkUnavailable| {
                    Err("the spreadsheet reader has not been downloaded to this browser yet, and the server cannot be reached".to_owned())
                }),
                Err(why) => Err(why),
            };
            match read {
                Ok(read) => {
                    sheets.set(read);
                    sheet_index.set(0);
                    guess();
                }
                Err(why) => {
                    sheets.set(Vec::new());
                    message.set(Some(Err(format!("{} cannot be imported: {why}.", file.name()))));
                }
            }
        });
    };
    let apply = move |_| {
        let Some(preview) = preview.get_untracked() else { return };
        let Some(doc_id) = session.document_of(kind) else {
            message.set(Some(Err("The register is not open yet.".to_owned())));
            return;
        };
        let outcome =
            session.edit(&doc_id, |doc| import::apply(doc, session::now_ms(), session::random_id, &preview));
        message.set(Some(match outcome {
            Ok(count) => {
                sheets.set(Vec::new());
                Ok(format!("Imported {count} {}. Undo takes the whole import back.", target.nouns()))
            }
            Err(error) => Err(explain(&error)),
        }));
    };
    let id = move |part: &str| format!("import-{token}-{part}");
    view! {
        <details class="card import-sheet" id=id("panel")>
            <summary>"Import from a spreadsheet"</summary>
            <p class="muted">
                "A CSV or Excel (.xlsx) file, such as one exported from another tool or from Quorum's audit pack. "
                "You will see every row's result before anything is written."
            </p>
            <label class="import-file">
                "File "
                <input type="file" id=id("file") accept=".csv,.xlsx,text/csv" on:change=chosen/>
            </label>
            <Show when=move || sheets.with(|s| s.len() > 1)>
                <label>
                    "Sheet "
                    <select id=id("sheet") on:change=move |ev| {
                        sheet_index.set(event_target_value(&ev).parse().unwrap_or(0));
                        guess();
                    }>
                        {move || sheets.with(|s| s.iter().enumerate().map(|(i, sheet)| view! {
                            <option value=i.to_string() selected=move || sheet_index.get() == i>{sheet.name.clone()}</option>
                        }).collect_view())}
                    </select>
                </label>
            </Show>
            {move || sheet.get().map(|sheet| {
                let columns = sheet.rows.get(header.get()).cloned().unwrap_or_default();
                view! {
                    <div class="import-setup">
                        <label>
                            "Header row "
                            <input type="number" id=id("header") min="1" max=sheet.rows.len().to_string()
                                prop:value=move || (header.get() + 1).to_string()
                                on:change=move |ev| {
                                    let row = event_target_value(&ev).parse::<usize>().unwrap_or(1).max(1) - 1;
                                    header.set(row);
                                    if let Some(guessed) = remap(row) {
                                        mapping.set(guessed);
                                    }
                                }/>
                        </label>
                        <table class="import-mapping">
                            <thead><tr><th scope="col">"Column"</th><th scope="col">"Fills"</th></tr></thead>
                            <tbody>
                                {columns.into_iter().enumerate().map(|(i, name)| view! {
                                    <tr>
                                        <td>{if name.is_empty() { format!("Column {}", i + 1) } else { name }}</td>
                                        <td>
                                            <select id=format!("import-{token}-map-{i}") on:change=move |ev| {
                                                let value = event_target_value(&ev);
                                                let field = target.fields().iter().find(|f| f.key == value).map(|f| f.key);
                                                mapping.update(|m| {
                                                    if m.len() <= i { m.resize(i + 1, None); }
                                                    m[i] = field;
                                                });
                                            }>
                                                <option value="" selected=move || mapping.with(|m| m.get(i).copied().flatten().is_none())>"(leave out)"</option>
                                                {target.fields().iter().map(|f| {
                                                    let key = f.key;
                                                    view! {
                                                        <option value=key selected=move || mapping.with(|m| m.get(i).copied().flatten() == Some(key))>
                                                            {if f.required { format!("{} (required)", f.label) } else { f.label.to_owned() }}
                                                        </option>
                                                    }
                                                }).collect_view()}
                                            </select>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            })}
            {move || preview.get().map(|preview| {
                let good = preview.good();
                let total = preview.rows.len();
                view! {
                    <p class="import-count" role="status">{format!("{good} of {total} rows can be imported.")}</p>
                    <table class="import-preview" id=id("preview")>
                        <thead><tr><th scope="col">"Row"</th><th scope="col">"Becomes"</th><th scope="col">"Result"</th></tr></thead>
                        <tbody>
                            {preview.rows.into_iter().map(|row| {
                                let ok = row.errors.is_empty();
                                view! {
                                    <tr class="import-row" data-ok=ok.to_string() data-line=row.line.to_string()>
                                        <td class="num">{row.line}</td>
                                        <td>{row.summary}</td>
                                        <td>{if ok { "ready".to_owned() } else { row.errors.join("; ") }}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <button type="button" class="button" id=id("apply") prop:disabled=good == 0 || !session.can_edit() on:click=apply>
                        {format!("Import {good} {}", target.nouns())}
                    </button>
                }
            })}
            {move || message.get().map(|m| match m {
                Ok(done) => view! { <p class="import-done" role="status">{done}</p> }.into_any(),
                Err(why) => view! { <p class="field-error" role="alert">{why}</p> }.into_any(),
            })}
        </details>
    }
}

split!(
    /// The spreadsheet readers (CSV, and XLSX with its ZIP and text encodings: a third of what
    /// the pages share) are a chunk of their own, fetched when a file is first chosen.
    fn read_sheets(name: String, bytes: Vec<u8>) in spreadsheet -> Result<Vec<Sheet>, String> =>
        import::read_sheets(&name, &bytes).map_err(|e| e.to_string())
);
