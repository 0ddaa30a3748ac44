//! "Verify a pack": drop an audit pack (or choose it) and see, without any network, whether
//! every file is as it was made, every document agrees with its JSON, and every approval's
//! signature holds (`quorum_shared::pack::verify_pack`, as `quorum verify` runs it).

use leptos::prelude::*;
use leptos::task::spawn_local;
use quorum_shared::pack::{PackReport, utc_time, verify_pack};
use wasm_bindgen::JsCast;

use crate::files;
use crate::timer::delay;

#[derive(Clone, Debug, PartialEq)]
enum State {
    Waiting,
    Checking(String),
    Checked { file: String, report: Box<PackReport> },
    Refused { file: String, why: String },
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let state = RwSignal::new(State::Waiting);
    let dragging = RwSignal::new(false);
    let check = move |file: web_sys::File| {
        let name = file.name();
        state.set(State::Checking(name.clone()));
        spawn_local(async move {
            let outcome = match files::read(&file).await {
                Err(why) => Err(why),
                Ok(bytes) => {
                    // Let "Checking…" show before the work holds the page.
                    let _ = delay(0).await;
                    verify_pack(&bytes).map_err(|e| e.to_string())
                }
            };
            state.set(match outcome {
                Ok(report) => State::Checked { file: name, report: Box::new(report) },
                Err(why) => State::Refused { file: name, why },
            });
        });
    };
    let chosen = move |ev: leptos::ev::Event| {
        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(file) = input.and_then(|i| i.files()).and_then(|list| list.get(0)) {
            check(file);
        }
    };
    let dropped = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|list| list.get(0)) {
            check(file);
        }
    };
    view! {
        <div class="page verify-page">
            <header class="page-header">
                <h1>"Verify an audit pack"</h1>
                <p class="lede">
                    "Checks a pack made by Quorum here in the browser, with no network: every file against the SHA-256 "
                    "its manifest records, every document against its JSON, every approval's signature against the "
                    "certified device keys. The same check runs on the command line as "<code>"quorum verify pack.zip"</code>"."
                </p>
            </header>
            <label
                class="drop-zone"
                class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=dropped
            >
                <span>"Drop a pack here, or choose one"</span>
                <input type="file" id="verify-file" accept=".zip,application/zip" on:change=chosen/>
            </label>
            {move || match state.get() {
                State::Waiting => ().into_any(),
                State::Checking(file) => view! { <p class="muted" role="status">{format!("Checking {file}…")}</p> }.into_any(),
                State::Refused { file, why } => view! {
                    <div id="verify-result" class="card verify-result" data-holds="false" role="alert">
                        <h2>{format!("{file} is not a pack Quorum can check")}</h2>
                        <p>{why}</p>
                    </div>
                }.into_any(),
                State::Checked { file, report } => view! { <Report file report=*report/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Report(file: String, report: PackReport) -> impl IntoView {
    let holds = report.holds();
    let manifest = &report.manifest;
    let as_of = manifest
        .as_of_ms
        .map_or_else(|| "as it stood then".to_owned(), |at| format!("as of {}", utc_time(at)));
    let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    view! {
        <div id="verify-result" class="card verify-result" data-holds=holds.to_string() role="status">
            <h2>{if holds { format!("{file} holds") } else { format!("{file} does not hold") }}</h2>
            <p>{format!("The audit pack of \u{201c}{}\u{201d}, made at {}, showing the workspace {as_of}.", manifest.workspace_name, manifest.generated_at)}</p>
            <ul class="verify-checks">
                <li>{format!("{} files checked against their SHA-256", report.files_checked)}</li>
                <li>{format!("{} documents loaded and compared with their JSON", report.documents_checked)}</li>
                <li>{format!("{} approvals with a verified signature", report.approvals_verified)}</li>
                {(report.approvals_unsigned > 0).then(|| view! {
                    <li>{format!("{} approvals recorded without a signature", report.approvals_unsigned)}</li>
                })}
            </ul>
            {(!holds).then(|| view! {
                <h3>"What was changed or cannot be trusted"</h3>
                <ul class="verify-problems">
                    {problems.into_iter().map(|p| view! { <li class="pack-problem">{p}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}
