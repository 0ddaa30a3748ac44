//! A viewer can read every page and change nothing: on each page of the workspace, every field
//! and button that would change a document is disabled or absent for a viewer, while the
//! controls that only change the view (search, filters, the heat map's cells) still work.

use fantoccini::Locator;
use quorum_tests::workspace::{WAIT, create_workspace, join, open_from_nav, wait_synced_and_saved};
use quorum_tests::{Browser, Server};

/// Controls that change what is shown, never a document; a viewer keeps them.
const VIEW_ONLY: &[&str] = &[
    // Every page's history, and the policy's comparison with its approved version: reading only.
    "history-toggle",
    "policy-changed-since",
    // The heat map's inherent and residual views.
    "Inherent",
    "Residual",
    // The risk page's register and treatment plan views.
    "risks-view-register",
    "risks-view-plan",
    // The inventory's search, filters and sort.
    "inventory-search",
    "inventory-stage",
    "inventory-status",
    "inventory-role",
    "inventory-sort",
    // The SoA's search and filters.
    "soa-search",
    "soa-filter-applicability",
    "soa-filter-status",
    "soa-filter-owner",
    "soa-filter-open",
    // Re-reads the member list from the relay.
    "Refresh",
    // Making the audit pack reads the documents and writes nothing: an auditor may be a viewer.
    "audit-pack-now",
    "audit-pack-past",
    "audit-pack-date",
    "audit-pack-build",
];

#[tokio::test]
async fn a_viewer_can_change_nothing_on_any_page() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;

    // A record on each register page, so that the viewer sees records and not only empty states.
    open_from_nav(&a, "/inventory").await?;
    a.wait_for(Locator::Id("inventory-new-name"), WAIT).await?.send_keys("CV screener\u{E007}").await?;
    a.wait_for(Locator::Id("system-purpose"), WAIT).await?;
    let system = a.client.current_url().await?.path().to_owned();
    open_from_nav(&a, "/objectives").await?;
    a.wait_for(Locator::Id("objective-new-title"), WAIT).await?.send_keys("Fair screening\u{E007}").await?;
    a.wait_for(Locator::Css("li.objective"), WAIT).await?;
    open_from_nav(&a, "/risks").await?;
    a.wait_for(Locator::Id("new-risk-title"), WAIT).await?.send_keys("Biased ranking\u{E007}").await?;
    a.wait_for(Locator::Css("li.risk"), WAIT).await?;
    open_from_nav(&a, "/context").await?;
    a.wait_for(Locator::Id("issue-new-title"), WAIT).await?.send_keys("EU AI Act\u{E007}").await?;
    a.wait_for(Locator::Css("li.issue"), WAIT).await?;
    open_from_nav(&a, "/impact").await?;
    a.wait_for(Locator::Id("impact-new-title"), WAIT).await?.send_keys("CV screening\u{E007}").await?;
    a.wait_for(Locator::Css(".impact-assessment"), WAIT).await?;
    let assessment = a.client.current_url().await?.path().to_owned();
    // And on each page of support, check and improvement.
    open_from_nav(&a, "/changes").await?;
    a.wait_for(Locator::Id("change-new-title"), WAIT).await?.send_keys("Second reviewer\u{E007}").await?;
    a.wait_for(Locator::Css("li.planned-change"), WAIT).await?;
    open_from_nav(&a, "/support").await?;
    a.wait_for(Locator::Id("support-new-competence"), WAIT).await?.send_keys("AI risk\u{E007}").await?;
    a.wait_for(Locator::Id("support-new-communication"), WAIT)
        .await?
        .send_keys("Policy news\u{E007}")
        .await?;
    a.wait_for(Locator::Css("li.communication"), WAIT).await?;
    open_from_nav(&a, "/monitoring").await?;
    a.wait_for(Locator::Id("indicator-new-name"), WAIT).await?.send_keys("Appeals upheld\u{E007}").await?;
    a.wait_for(Locator::Css("li.indicator"), WAIT).await?;
    open_from_nav(&a, "/audits").await?;
    a.wait_for(Locator::Id("planned-audit-new-title"), WAIT).await?.send_keys("Q1 audit\u{E007}").await?;
    a.wait_for(Locator::Css("li.planned-audit button.planned-start"), WAIT).await?.click().await?;
    a.wait_for(Locator::Css(".audit-page"), WAIT).await?;
    let audit = a.client.current_url().await?.path().to_owned();
    open_from_nav(&a, "/improvement").await?;
    a.wait_for(Locator::Id("nc-new-title"), WAIT).await?.send_keys("No risk review\u{E007}").await?;
    a.wait_for(Locator::Css("li.nonconformity, .nonconformity"), WAIT).await?;
    a.wait_for(Locator::Id("improvement-new-title"), WAIT).await?.send_keys("Dashboards\u{E007}").await?;
    a.wait_for(Locator::Css("li.improvement-entry"), WAIT).await?;
    open_from_nav(&a, "/reviews").await?;
    a.wait_for(Locator::Id("review-new-title"), WAIT).await?.send_keys("2026 review\u{E007}").await?;
    a.wait_for(Locator::Id("review-held-on"), WAIT).await?;
    let review = a.client.current_url().await?.path().to_owned();
    wait_synced_and_saved(&a).await?;

    let b = Browser::launch().await?;
    join(&server, &a, &b, "viewer", "Vic").await?;
    let mut usable = Vec::new();
    for (path, loaded) in [
        ("/dashboard", ".readiness-ring"),
        ("/context", "li.issue"),
        ("/inventory", "tr.system"),
        (system.as_str(), "#system-purpose"),
        ("/policy", "#policy-text"),
        ("/roles", ".raci-grid"),
        ("/risks", "li.risk"),
        ("/soa", "li.soa-row"),
        ("/impact", "tr.impact-row"),
        (assessment.as_str(), ".impact-section"),
        ("/objectives", "li.objective"),
        ("/changes", "li.planned-change"),
        ("/support", "li.communication"),
        ("/documents", "li.document-row"),
        ("/monitoring", "li.indicator"),
        ("/audits", "li.planned-audit"),
        (audit.as_str(), ".audit-page"),
        ("/improvement", ".nonconformity"),
        ("/reviews", "tr.review-row"),
        (review.as_str(), "li.review-input"),
        ("/members", "li.member"),
    ] {
        b.client.goto(&server.url(path)).await?;
        b.wait_for(Locator::Css(loaded), WAIT).await?;
        b.wait_for(Locator::Css(".read-only-banner"), WAIT).await?;
        let enabled = b
            .client
            .execute(
                "return [...document.querySelectorAll('main input, main select, main textarea, main button')]
                   .filter(e => !e.matches(':disabled'))
                   .map(e => e.id || e.getAttribute('aria-label') || e.textContent.trim())
                   .filter(name => !arguments[0].includes(name));",
                vec![serde_json::json!(VIEW_ONLY)],
            )
            .await?;
        let enabled: Vec<String> = serde_json::from_value(enabled)?;
        if !enabled.is_empty() {
            usable.push(format!("{path}: {enabled:?}"));
        }
    }
    assert!(usable.is_empty(), "a viewer can still use:\n{}", usable.join("\n"));

    a.close().await?;
    b.close().await
}
