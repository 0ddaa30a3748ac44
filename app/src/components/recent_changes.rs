//! The latest commits across the workspace's documents: when, who (the member behind the
//! device's actor id, or "someone" for a device the workspace does not know) and what.

use leptos::prelude::*;
use quorum_shared::model::{HistoryEntry, Workspace};
use serde::{Deserialize, Serialize};

/// One line of the list, ready to show; the dashboard keeps the latest for its next open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeLine {
    /// The change hash, which keys the line.
    pub hash: String,
    pub time_ms: i64,
    pub who: String,
    pub what: String,
    /// The document's title, such as "Statement of Applicability".
    pub document: String,
}

/// The `limit` latest changes of several documents' histories (each oldest first), newest
/// first. Commits keep whole seconds, so changes in the same second keep their causal order.
pub fn latest(
    histories: Vec<(String, Vec<HistoryEntry>)>,
    workspace: Option<&Workspace>,
    limit: usize,
) -> Vec<ChangeLine> {
    let mut all: Vec<(i64, usize, usize, HistoryEntry, &str)> = Vec::new();
    for (doc_index, (title, entries)) in histories.iter().enumerate() {
        let skip = entries.len().saturating_sub(limit);
        for (index, entry) in entries.iter().enumerate().skip(skip) {
            all.push((entry.time_ms, index, doc_index, entry.clone(), title.as_str()));
        }
    }
    quorum_shared::order::sort_by_key(&mut all, |&(time, index, doc, ..)| {
        std::cmp::Reverse((time, index, doc))
    });
    all.into_iter()
        .take(limit)
        .map(|(time_ms, _, _, entry, title)| ChangeLine {
            who: member_name(workspace, &entry.actor),
            what: describe(entry.message.as_deref()),
            hash: entry.hash,
            time_ms,
            document: title.to_owned(),
        })
        .collect()
}

/// The member whose device is `actor` (hex), or "someone".
pub fn member_name(workspace: Option<&Workspace>, actor: &str) -> String {
    workspace
        .and_then(|w| w.member_for_actor_hex(actor).map(|id| w.members[&id].name.clone()))
        .unwrap_or_else(|| "someone".to_owned())
}

/// A commit message as a sentence start: "exclude A.10.4" reads "Exclude A.10.4".
pub fn describe(message: Option<&str>) -> String {
    let message = message.map(str::trim).filter(|m| !m.is_empty()).unwrap_or("a change");
    let mut chars = message.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// How long ago `then_ms` was at `now_ms`, in words; a clock a little ahead reads "just now".
pub fn relative_time(now_ms: i64, then_ms: i64) -> String {
    let seconds = (now_ms - then_ms).max(0) / 1000;
    let (amount, unit) = match seconds {
        0..60 => return "just now".to_owned(),
        60..3_600 => (seconds / 60, "minute"),
        3_600..86_400 => (seconds / 3_600, "hour"),
        86_400..2_592_000 => (seconds / 86_400, "day"),
        2_592_000..31_536_000 => (seconds / 2_592_000, "month"),
        _ => (seconds / 31_536_000, "year"),
    };
    let plural = if amount == 1 { "" } else { "s" };
    format!("{amount} {unit}{plural} ago")
}

/// `now_ms` is read by the caller, so that the list re-renders with it.
#[component]
pub fn RecentChanges(
    #[prop(into)] changes: Signal<Vec<ChangeLine>>,
    #[prop(into)] now_ms: Signal<i64>,
) -> impl IntoView {
    move || {
        let changes = changes.get();
        if changes.is_empty() {
            return view! { <p class="muted">"No changes yet."</p> }.into_any();
        }
        let now = now_ms.get();
        view! {
            <ol class="recent-changes">
                {changes
                    .into_iter()
                    .map(|change| {
                        view! {
                            <li class="change" data-hash=change.hash>
                                <span class="change-what">{change.what}</span>
                                <span class="change-meta">
                                    <span class="change-who">{change.who}</span>
                                    " · "
                                    <span class="change-document">{change.document}</span>
                                    " · "
                                    <span class="change-when">{relative_time(now, change.time_ms)}</span>
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use quorum_shared::model;

    use super::*;

    fn entry(hash: &str, actor: &str, time_s: i64, message: &str) -> HistoryEntry {
        HistoryEntry {
            hash: hash.into(),
            actor: actor.into(),
            time_ms: time_s * 1000,
            message: Some(message.into()),
        }
    }

    // Plain data, so the tests run natively and, in the wasm suite, under wasm-bindgen-test.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_latest_changes_of_all_documents_come_newest_first_and_named() {
        let mut root = model::new_document();
        let ada = root.get_actor().clone();
        model::create_workspace(&mut root, 0, [1; 16], "Acme", "Ada", &ada).unwrap();
        let workspace = Workspace::load(&root).unwrap();
        let ada = ada.to_string();
        let soa = vec![
            entry("a", &ada, 10, "create soa"),
            entry("b", &ada, 30, "exclude A.10.4"),
            entry("c", "ff", 30, "set A.2.2 to implemented"),
        ];
        let policy = vec![entry("d", &ada, 20, "edit policy text")];
        let lines = latest(vec![("SoA".into(), soa), ("Policy".into(), policy)], Some(&workspace), 3);
        let shape: Vec<(&str, &str, &str)> =
            lines.iter().map(|l| (l.hash.as_str(), l.who.as_str(), l.what.as_str())).collect();
        assert_eq!(
            shape,
            vec![
                ("c", "someone", "Set A.2.2 to implemented"),
                ("b", "Ada", "Exclude A.10.4"),
                ("d", "Ada", "Edit policy text")
            ],
            "same-second changes keep their causal order, unknown devices are someone, the oldest falls off"
        );
        assert_eq!(lines[2].document, "Policy");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn times_read_as_words() {
        let cases = [
            (0, "just now"),
            (-5, "just now"),
            (59, "just now"),
            (60, "1 minute ago"),
            (150, "2 minutes ago"),
            (7_200, "2 hours ago"),
            (86_400, "1 day ago"),
            (40_000_000, "1 year ago"),
        ];
        for (ago_s, expected) in cases {
            assert_eq!(
                relative_time(1_000_000_000_000, 1_000_000_000_000 - ago_s * 1000),
                expected,
                "{ago_s}s"
            );
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn messages_read_as_sentences() {
        assert_eq!(describe(Some("exclude A.10.4")), "Exclude A.10.4");
        assert_eq!(describe(None), "A change");
        assert_eq!(describe(Some("  ")), "A change");
    }
}
