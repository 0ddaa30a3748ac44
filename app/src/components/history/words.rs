//! How the history reads: a change as a sentence, a moment as people write it, and which
//! document a page's history is. Pure functions, tested natively.

use quorum_shared::model::{ChangeSummary, Date, DocumentKind};

/// A change as a sentence: "Bea set A.6.2.4 to implemented", "Ada edit policy text: +212 −40
/// characters". `message` is the commit's own words, which every domain operation writes.
pub fn sentence(who: &str, message: Option<&str>, summary: Option<&ChangeSummary>) -> String {
    let message = message.map(str::trim).filter(|m| !m.is_empty()).unwrap_or("made a change");
    // "Undo: …" is written for a button; in a sentence it reads "undo: …".
    let mut chars = message.chars();
    let lowered = match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(message[first.len_utf8()..].chars()).collect()
        }
        _ => message.to_owned(),
    };
    let prose = summary
        .filter(|s| s.added + s.removed > 0)
        .map(|s| format!(": +{} −{} characters", s.added, s.removed))
        .unwrap_or_default();
    format!("{who} {lowered}{prose}")
}

/// A moment where the person is, such as "3 March 2026, 14:02". `offset_minutes` is how far UTC
/// is ahead of local time (`Date.getTimezoneOffset`).
pub fn moment(ms: i64, offset_minutes: i32) -> String {
    let local = ms - i64::from(offset_minutes) * 60_000;
    let minutes = local.rem_euclid(86_400_000) / 60_000;
    format!("{}, {:02}:{:02}", Date::of_ms(ms, offset_minutes).spoken(), minutes / 60, minutes % 60)
}

/// The short form of a device, from a change's actor (hex): the device id's first eight digits,
/// which the members page shows too.
pub fn device(actor: &str) -> &str {
    actor.get(..8).unwrap_or(actor)
}

/// Which document a page's history is, from the address: a document of the page's kind, the
/// document the address names (`/audits/<id>`), or the workspace root (the dashboard, the
/// members, and the lists of documents a workspace has many of).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageDocument {
    Root,
    Kind(DocumentKind),
    Named(String),
}

pub fn page_document(path: &str) -> Option<PageDocument> {
    let mut segments = path.trim_start_matches('/').split('/').filter(|s| !s.is_empty());
    let section = segments.next()?;
    let named = segments.next().map(str::to_owned);
    let kind = match section {
        "dashboard" | "members" => return Some(PageDocument::Root),
        "impact" | "reviews" => return Some(named.map_or(PageDocument::Root, PageDocument::Named)),
        "audits" => {
            return Some(named.map_or(PageDocument::Kind(DocumentKind::AuditProgramme), PageDocument::Named));
        }
        "context" => DocumentKind::Context,
        "inventory" => DocumentKind::Inventory,
        "policy" => DocumentKind::Policy,
        "roles" => DocumentKind::Roles,
        "risks" => DocumentKind::RiskRegister,
        "soa" => DocumentKind::StatementOfApplicability,
        "objectives" => DocumentKind::Objectives,
        "changes" => DocumentKind::PlannedChanges,
        "support" => DocumentKind::Support,
        "documents" => DocumentKind::DocumentedInformation,
        "monitoring" => DocumentKind::Monitoring,
        "improvement" => DocumentKind::Improvement,
        _ => return None,
    };
    Some(PageDocument::Kind(kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_change_reads_as_a_sentence() {
        assert_eq!(
            sentence("Bea", Some("set A.6.2.4 to implemented"), None),
            "Bea set A.6.2.4 to implemented"
        );
        assert_eq!(sentence("Ada", Some("Undo: exclude A.10.4"), None), "Ada undo: exclude A.10.4");
        assert_eq!(sentence("someone", None, None), "someone made a change");
        let prose = ChangeSummary { records: Vec::new(), added: 212, removed: 40 };
        assert_eq!(
            sentence("Bea", Some("edit policy text"), Some(&prose)),
            "Bea edit policy text: +212 −40 characters"
        );
        let none = ChangeSummary::default();
        assert_eq!(sentence("Bea", Some("set owner of A.5.2"), Some(&none)), "Bea set owner of A.5.2");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_moment_is_the_local_day_and_time() {
        // 2026-03-03T13:02:00Z, seen from UTC+1 (an offset of -60 minutes).
        let ms = 1_772_542_920_000;
        assert_eq!(moment(ms, 0), "3 March 2026, 13:02");
        assert_eq!(moment(ms, -60), "3 March 2026, 14:02");
        assert_eq!(moment(ms, 14 * 60), "2 March 2026, 23:02");
        assert_eq!(device("0123456789abcdef"), "01234567");
        assert_eq!(device("abc"), "abc");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn every_workspace_page_has_a_document_for_its_history() {
        assert_eq!(page_document("/soa"), Some(PageDocument::Kind(DocumentKind::StatementOfApplicability)));
        assert_eq!(page_document("/audits"), Some(PageDocument::Kind(DocumentKind::AuditProgramme)));
        assert_eq!(page_document("/audits/2BHg"), Some(PageDocument::Named("2BHg".into())));
        assert_eq!(page_document("/impact"), Some(PageDocument::Root));
        assert_eq!(page_document("/inventory/abc"), Some(PageDocument::Kind(DocumentKind::Inventory)));
        assert_eq!(page_document("/dashboard"), Some(PageDocument::Root));
        assert_eq!(page_document("/"), None);
        assert_eq!(page_document("/nowhere"), None);
    }
}
