//! The whole certification cycle through the UI only: a new workspace starts with every clause
//! open on its dashboard; its owner records the context, writes and approves the AI policy,
//! assigns the roles, lists an AI system, assesses and treats its risks and approves their
//! treatment, decides the whole SoA, approves the system's impact assessment, sets an objective
//! with an indicator and readings, plans a change, records resources, competence, awareness and
//! communication, holds an internal audit that raises a minor nonconformity, closes it after an
//! effective corrective action, logs an improvement, holds a management review whose minutes are
//! approved, and registers every document. The dashboard then shows every clause 4 to 10
//! complete, and so does the dashboard of a viewer in another browser, after a reload too.
//! Then the owner makes the audit pack, which `quorum verify` accepts, and whose report prints.

use fantoccini::Locator;
use quorum_tests::cycle::plan::{self, CONTROLS, EVIDENCE, clause_bar, gaps_of_clause, objective_progress};
use quorum_tests::cycle::{
    audit, context, improvement, leadership, monitoring, pack, records, review, support,
};
use quorum_tests::form::{screenshot, screenshot_at, wait_value};
use quorum_tests::workspace::{WAIT, create_workspace, join, open_from_nav, wait_synced_and_saved};
use quorum_tests::{Browser, Server};

const CLAUSES: [&str; 7] = ["4", "5", "6", "7", "8", "9", "10"];
const NONCONFORMITY: &str = "Risk owners did not review residual risks on time";

#[tokio::test]
async fn a_new_workspace_completes_the_certification_cycle_through_the_ui() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;

    // The new workspace's dashboard: every clause is open, with its gaps listed.
    open_from_nav(&a, "/dashboard").await?;
    for clause in CLAUSES {
        a.wait_for(Locator::Css(&clause_bar(clause, "open")), WAIT).await?;
        assert!(!gaps_of_clause(&a, clause).await?.is_empty(), "a new workspace has clause {clause} gaps");
    }

    // Plan (clauses 4 to 6 and 8): context, leadership, the AI system, risks, SoA, impact, aims.
    context::record_context(&a).await?;
    plan::list_system(&a).await?;
    leadership::approve_policy(&a).await?;
    leadership::assign_roles(&a).await?;
    plan::assess_risks(&a).await?;
    plan::decide_soa(&a).await?;
    let (assessment, impact) = plan::approve_impact_assessment(&a).await?;
    plan::set_objective(&a).await?;
    records::plan_change(&a).await?;

    // Support (clause 7) and check (clause 9.1).
    support::complete(&a).await?;
    monitoring::measure(&a).await?;

    // Check and act: an internal audit raises a nonconformity, which is corrected and closed;
    // an improvement is logged; the management review is held and its minutes approved.
    audit::hold_audit(&a, NONCONFORMITY).await?;
    improvement::close_nonconformity(&a, NONCONFORMITY).await?;
    improvement::log_improvement(&a).await?;
    review::hold_review(&a).await?;

    // Every document the workspace now holds, registered as documented information (7.5).
    records::register_documents(&a).await?;
    wait_synced_and_saved(&a).await?;

    // The dashboard: every clause 4 to 10 complete, none of its gaps left.
    open_from_nav(&a, "/dashboard").await?;
    for clause in CLAUSES {
        let bar = a
            .wait_for(Locator::Css(&clause_bar(clause, "complete")), WAIT)
            .await
            .map_err(|e| anyhow::anyhow!("clause {clause} is not complete: {e}"))?;
        assert_eq!(bar.attr("data-met").await?, bar.attr("data-total").await?);
        let left = gaps_of_clause(&a, clause).await?;
        assert!(left.is_empty(), "clause {clause} still lists gaps: {left:?}");
    }
    screenshot(&a, "scenario-dashboard.png").await?;
    // Every page of the cycle, filled in, at a desktop's width and a narrow one, when asked for.
    if std::env::var_os("QUORUM_SCREENSHOT_DIR").is_some() {
        let pages = [
            "/context",
            "/policy",
            "/roles",
            "/risks",
            "/soa",
            "/objectives",
            "/changes",
            "/support",
            "/documents",
            "/monitoring",
            "/audits",
            "/reviews",
            "/improvement",
            "/dashboard",
        ];
        for page in pages {
            open_from_nav(&a, page).await?;
            a.wait_for(Locator::Css("main h1"), WAIT).await?;
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            let name = page.trim_start_matches('/');
            screenshot_at(&a, &format!("cycle-{name}-1280.png"), 1280).await?;
            screenshot_at(&a, &format!("cycle-{name}-800.png"), 800).await?;
        }
        for (list, link, name) in
            [("/audits", "a.planned-open", "audit"), ("/reviews", "tr.review-row a", "review")]
        {
            open_from_nav(&a, list).await?;
            a.wait_for(Locator::Css(link), WAIT).await?.click().await?;
            a.wait_for(Locator::Css("main h1"), WAIT).await?;
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            screenshot_at(&a, &format!("cycle-{name}-1280.png"), 1280).await?;
            screenshot_at(&a, &format!("cycle-{name}-800.png"), 800).await?;
        }
    }

    // A viewer in another browser sees the same, after a reload from its own storage too.
    let b = Browser::launch().await?;
    join(&server, &a, &b, "viewer", "Vic").await?;
    open_from_nav(&b, "/dashboard").await?;
    for clause in CLAUSES {
        b.wait_for(Locator::Css(&clause_bar(clause, "complete")), WAIT).await?;
    }
    b.client.refresh().await?;
    for clause in CLAUSES {
        b.wait_for(Locator::Css(&clause_bar(clause, "complete")), WAIT).await?;
    }

    // The viewer sees A.10 complete, and the evidence that makes it so.
    b.wait_for(Locator::Css("li.progress-bar[data-bar='A.10'][data-state='complete']"), WAIT).await?;
    open_from_nav(&b, "/soa").await?;
    let evidence = b.wait_for(Locator::Css("li[data-control='A.10.2'] li.evidence a"), WAIT).await?;
    quorum_tests::workspace::wait_until_text(&evidence, EVIDENCE).await?;
    b.wait_for(Locator::Css(&objective_progress("A.10", 3, 3)), WAIT).await?;
    assert_eq!(b.client.find_all(Locator::Css("li.soa-row")).await?.len(), CONTROLS);

    // The viewer reads the approved assessment's rated impact, and can change none of it.
    b.client.goto(&server.url(&assessment)).await?;
    b.wait_for(Locator::Css(".impact-assessment[data-status='approved']"), WAIT).await?;
    let severity = b.wait_for(Locator::Id(&format!("impact-{impact}-severity")), WAIT).await?;
    wait_value(&b, &format!("#impact-{impact}-severity"), "4").await?;
    assert!(!severity.is_enabled().await?, "a viewer cannot rate an impact");
    assert!(b.client.find_all(Locator::Id("impact-new-description")).await?.is_empty());

    // The audit pack of the whole cycle: made in A's browser, verified by `quorum verify`,
    // refused once a register is changed, and its report printed to PDF.
    open_from_nav(&a, "/dashboard").await?;
    let latest = recent_changes(&a).await?;
    let pack = pack::make_verify_and_print(&a).await?;

    // Restored into a fresh browser and relay: the same dashboard, and the same history, each
    // change still attributed to who made it.
    let other_server = Server::start().await?;
    let c = Browser::launch().await?;
    pack::restore(&other_server, &c, &pack).await?;
    screenshot(&c, "restored-dashboard.png").await?;
    for clause in CLAUSES {
        c.wait_for(Locator::Css(&clause_bar(clause, "complete")), WAIT).await?;
    }
    let restored = quorum_tests::wait::wait_until("the restored history", WAIT, async |seen| {
        let restored = recent_changes(&c).await?;
        *seen = format!("{restored:?}");
        let hashes: Vec<&String> = restored.iter().map(|(hash, _)| hash).collect();
        Ok(latest[..5].iter().all(|(hash, _)| hashes.contains(&hash)).then_some(restored))
    })
    .await?;
    assert!(restored.iter().any(|(_, who)| who == "Ada"), "{restored:?}");

    a.close().await?;
    b.close().await?;
    c.close().await
}

/// The dashboard's recent changes: each change's hash and who made it.
async fn recent_changes(browser: &Browser) -> anyhow::Result<Vec<(String, String)>> {
    browser.wait_for(Locator::Css(".recent-changes li.change"), WAIT).await?;
    let mut changes = Vec::new();
    for row in browser.client.find_all(Locator::Css(".recent-changes li.change")).await? {
        let hash = row.attr("data-hash").await?.unwrap_or_default();
        let who = row.find(Locator::Css(".change-who")).await?.text().await?;
        changes.push((hash, who));
    }
    Ok(changes)
}
