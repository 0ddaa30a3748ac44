//! The policy's versions, newest first. Each opens to its text exactly as it was proposed (read
//! at the version's document heads), with who proposed and who approved it, and when.

use std::collections::BTreeMap;

use leptos::prelude::*;
use quorum_shared::model::{self, MemberId};

use super::standing::{approved_by, name_of};
use super::{PolicyView, VersionView};
use crate::session::{Session, timezone_offset};

#[component]
pub fn VersionList(
    policy: Memo<Option<PolicyView>>,
    names: Memo<BTreeMap<MemberId, String>>,
    doc_id: StoredValue<String>,
) -> impl IntoView {
    // Only the versions: the list is not rebuilt on every keystroke in the draft.
    let versions =
        Memo::new(move |_| policy.with(|p| p.as_ref().map(|p| p.versions.clone()).unwrap_or_default()));
    view! {
        <section class="card policy-versions" aria-labelledby="policy-versions-heading">
            <h2 id="policy-versions-heading">"Versions"</h2>
            {move || {
                let versions = versions.get();
                if versions.is_empty() {
                    return view! {
                        <p class="muted">
                            "No version yet. Propose the text as version 1 when it is ready; every approved version stays readable here, as it was approved."
                        </p>
                    }
                    .into_any();
                }
                let names = names.get();
                view! {
                    <ol class="policy-version-list">
                        {versions.into_iter().rev().map(|version| view! { <Version version names=names.clone() doc_id/> }).collect_view()}
                    </ol>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn Version(
    version: VersionView,
    names: BTreeMap<MemberId, String>,
    doc_id: StoredValue<String>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let offset = timezone_offset();
    // Each approval's signature, checked against the keys the relay certified.
    let signatures = version
        .sign_offs
        .iter()
        .map(|(member, approval)| {
            let (member, approval) = (*member, approval.clone());
            let name = name_of(member, &names);
            let subject = model::policy_version_subject(version.id);
            let verdict = Memo::new(move |_| {
                let id = doc_id.get_value();
                session.verify(&id, approval.claim(&id, subject.clone(), member), approval.signature.as_ref())
            });
            view! {
                <li class="approval-signature" data-verdict=move || verdict.with(|v| v.token())>
                    {format!("{name}: ")}{move || verdict.with(|v| v.words())}
                </li>
            }
        })
        .collect_view();
    let approval = if version.is_approved() {
        approved_by(&version, &names, offset)
    } else {
        "waiting for approval".to_owned()
    };
    let proposed = format!(
        "Proposed by {} on {}",
        name_of(version.proposed_by, &names),
        quorum_shared::model::Date::of_ms(version.proposed_at_ms, offset)
    );
    let text =
        if version.text.is_empty() { "(this version has no text)".to_owned() } else { version.text.clone() };
    view! {
        <li
            class="policy-version"
            data-version=version.number.to_string()
            data-approved=if version.is_approved() { "true" } else { "false" }
        >
            <details>
                <summary>
                    <span class="policy-version-number">{format!("Version {}", version.number)}</span>
                    <span class="policy-version-label">{version.label.clone()}</span>
                    <span class="policy-version-approval">{approval}</span>
                </summary>
                <p class="policy-version-meta">{proposed}</p>
                <ul class="approval-signatures">{signatures}</ul>
                <div class="policy-version-text" aria-label=format!("Text of version {}", version.number)>{text}</div>
            </details>
        </li>
    }
}
