//! The risk register and its heat map in two real browsers against the real relay: A adds and
//! rates a risk with a source, a treatment, a linked Annex A control and a treatment action; B,
//! an editor, sees it in the register and in its heat map cell, and re-rates it; A sees it move
//! cell. Choosing a cell (by click or Enter) filters the register, the dashboard's map opens the
//! register filtered, and a reload keeps everything, the filter included.

use fantoccini::{Locator, key::Key};
use quorum_tests::form::{pick_date, screenshot, select, wait_value};
use quorum_tests::wait::wait_until;
use quorum_tests::workspace::{
    WAIT, create_workspace, join, open_from_nav, wait_synced_and_saved, wait_until_text,
};
use quorum_tests::{Browser, Server};

const TITLE: &str = "Screening model rejects older applicants";
const ACTION: &str = "Test the model on applicants over 55";

#[tokio::test]
async fn a_risk_rated_in_one_browser_is_on_the_other_browsers_heat_map_and_filters_the_register()
-> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    wait_synced_and_saved(&a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;

    // A adds a risk and rates it: Annex C source, likelihood 4, consequence 5, a treatment,
    // a linked control and a treatment action with an owner and a due date.
    open_from_nav(&a, "/risks").await?;
    let empty = a.wait_for(Locator::Css(".empty-register"), WAIT).await?;
    wait_until_text(&empty, "No risks yet").await?;
    let id = add_risk(&a, TITLE).await?;
    let row = format!("li.risk[data-risk='{id}']");
    select(&a, &format!("risk-{id}-source"), "ml-specific").await?;
    select(&a, &format!("risk-{id}-likelihood"), "4").await?;
    select(&a, &format!("risk-{id}-consequence"), "5").await?;
    select(&a, &format!("risk-{id}-treatment"), "modify").await?;
    select(&a, &format!("risk-{id}-link-control"), "A.7.4").await?;
    a.wait_for(Locator::Css(&format!("{row} li.control-chip[data-control='A.7.4']")), WAIT).await?;
    a.client.find(Locator::Id(&format!("risk-{id}-new-action"))).await?.send_keys(ACTION).await?;
    a.client.find(Locator::Css(&format!("{row} form.add-action button[type=submit]"))).await?.click().await?;
    let action = a.wait_for(Locator::Css(&format!("{row} li.treatment-action")), WAIT).await?;
    let action_id = action.attr("data-action").await?.unwrap_or_default();
    a.client.find(Locator::Id(&format!("action-{action_id}-owner"))).await?.select_by_label("Ada").await?;
    pick_date(&a, &format!("action-{action_id}-due"), "2026-06-30").await?;
    a.wait_for(
        Locator::Css(&format!("{row}[data-likelihood='4'][data-consequence='5'][data-level='Critical']")),
        WAIT,
    )
    .await?;
    let level = a.client.find(Locator::Css(&format!("{row} .level-badge.inherent"))).await?;
    wait_until_text(&level, "Critical (20)").await?;
    a.wait_for(Locator::Css(&cell("risks-heat-map", 4, 5, 1)), WAIT).await?;
    wait_synced_and_saved(&a).await?;

    // B sees the risk in the register, with everything A set, and on its heat map.
    open_from_nav(&b, "/risks").await?;
    b.wait_for(Locator::Css(&format!("{row}[data-likelihood='4'][data-consequence='5']")), WAIT).await?;
    wait_value(&b, &format!("#risk-{id}-source"), "ml-specific").await?;
    wait_value(&b, &format!("#risk-{id}-treatment"), "modify").await?;
    b.wait_for(Locator::Css(&format!("{row} li.control-chip[data-control='A.7.4']")), WAIT).await?;
    wait_value(&b, &format!("#action-{action_id}-title"), ACTION).await?;
    wait_value(&b, &format!("#action-{action_id}-due"), "2026-06-30").await?;
    let cell_45 = b.wait_for(Locator::Css(&cell("risks-heat-map", 4, 5, 1)), WAIT).await?;
    assert_eq!(
        cell_45.attr("aria-label").await?.as_deref(),
        Some("Likelihood 4, consequence 5: 1 risk (Critical)")
    );

    // B lowers the likelihood; the risk moves cell in both browsers.
    select(&b, &format!("risk-{id}-likelihood"), "2").await?;
    b.wait_for(Locator::Css(&cell("risks-heat-map", 2, 5, 1)), WAIT).await?;
    a.wait_for(Locator::Css(&cell("risks-heat-map", 2, 5, 1)), WAIT).await?;
    a.wait_for(Locator::Css(&cell("risks-heat-map", 4, 5, 0)), WAIT).await?;
    a.wait_for(Locator::Css(&format!("{row}[data-likelihood='2'][data-level='High']")), WAIT).await?;

    // A second risk elsewhere on the map, then clicking a cell filters the register to it.
    let other = add_risk(&a, "Training data leaks personal data").await?;
    select(&a, &format!("risk-{other}-likelihood"), "3").await?;
    select(&a, &format!("risk-{other}-consequence"), "3").await?;
    a.wait_for(Locator::Css(&cell("risks-heat-map", 3, 3, 1)), WAIT).await?;
    assert_eq!(risks_shown(&a).await?, 2);
    a.client.find(Locator::Css(&cell("risks-heat-map", 2, 5, 1))).await?.click().await?;
    let chip = a.wait_for(Locator::Css(".filter-chip"), WAIT).await?;
    wait_until_text(&chip, "Showing 1 risk in likelihood 2, consequence 5").await?;
    wait_until_count(&a, 1).await?;
    a.client.find(Locator::Css(&row)).await?;
    assert!(a.client.current_url().await?.as_str().ends_with("/risks?l=2&c=5"));

    // Enter on a focused cell filters too; "clear" shows every risk again.
    a.client
        .find(Locator::Css(&cell("risks-heat-map", 3, 3, 1)))
        .await?
        .send_keys(&Key::Enter.to_string())
        .await?;
    wait_until_text(&a.client.find(Locator::Css(".filter-chip")).await?, "likelihood 3, consequence 3")
        .await?;
    wait_until_count(&a, 1).await?;
    a.client.find(Locator::Css(&format!("li.risk[data-risk='{other}']"))).await?;
    a.client.find(Locator::Css(".filter-chip button")).await?.click().await?;
    wait_until_count(&a, 2).await?;
    assert!(a.client.find_all(Locator::Css(".filter-chip")).await?.is_empty());
    wait_synced_and_saved(&a).await?;
    screenshot(&a, "risks.png").await?;

    // The dashboard shows the same map; a cell there opens the register filtered.
    open_from_nav(&a, "/dashboard").await?;
    let dashboard_cell = a.wait_for(Locator::Css(&cell("dashboard-heat-map", 2, 5, 1)), WAIT).await?;
    screenshot(&a, "dashboard.png").await?;
    dashboard_cell.click().await?;
    let chip = a.wait_for(Locator::Css(".filter-chip"), WAIT).await?;
    wait_until_text(&chip, "Showing 1 risk in likelihood 2, consequence 5").await?;
    wait_until_count(&a, 1).await?;

    // A reload keeps the filter and every field of the risk.
    a.client.refresh().await?;
    a.wait_for(
        Locator::Css(&format!("{row}[data-likelihood='2'][data-consequence='5'][data-treatment='modify']")),
        WAIT,
    )
    .await?;
    wait_until_count(&a, 1).await?;
    let chip = a.wait_for(Locator::Css(".filter-chip"), WAIT).await?;
    wait_until_text(&chip, "Showing 1 risk in likelihood 2, consequence 5").await?;
    wait_value(&a, &format!("#risk-{id}-source"), "ml-specific").await?;
    a.client.find(Locator::Css(&format!("{row} li.control-chip[data-control='A.7.4']"))).await?;
    wait_value(&a, &format!("#action-{action_id}-due"), "2026-06-30").await?;
    let owner = a.client.find(Locator::Css(&format!("#action-{action_id}-owner option:checked"))).await?;
    assert_eq!(owner.text().await?, "Ada");
    a.wait_for(Locator::Css(&cell("risks-heat-map", 3, 3, 1)), WAIT).await?;

    a.close().await?;
    b.close().await
}

#[tokio::test]
async fn a_viewer_sees_the_register_but_cannot_change_it() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    open_from_nav(&a, "/risks").await?;
    let id = add_risk(&a, TITLE).await?;
    select(&a, &format!("risk-{id}-likelihood"), "4").await?;
    select(&a, &format!("risk-{id}-consequence"), "2").await?;
    a.wait_for(
        Locator::Css(&format!("li.risk[data-risk='{id}'][data-likelihood='4'][data-consequence='2']")),
        WAIT,
    )
    .await?;
    wait_synced_and_saved(&a).await?;

    let v = Browser::launch().await?;
    join(&server, &a, &v, "viewer", "Vic").await?;
    open_from_nav(&v, "/risks").await?;
    wait_value(&v, &format!("#risk-{id}-likelihood"), "4").await?;
    let likelihood = v.client.find(Locator::Id(&format!("risk-{id}-likelihood"))).await?;
    assert!(!likelihood.is_enabled().await?, "a viewer's fields are disabled");
    let threshold = v.client.find(Locator::Id("criteria-threshold")).await?;
    assert!(!threshold.is_enabled().await?, "a viewer cannot change the criteria");
    for hidden in ["#new-risk-title", ".delete-risk", "select.link-control", "form.add-action"] {
        assert!(v.client.find_all(Locator::Css(hidden)).await?.is_empty(), "{hidden} is hidden from viewers");
    }
    // The heat map still filters for a viewer: reading is not editing.
    v.client.find(Locator::Css("#risks-heat-map button[data-view='residual']")).await?.click().await?;
    v.wait_for(Locator::Css("#risks-heat-map[data-view='residual']"), WAIT).await?;
    v.client.find(Locator::Css("#risks-heat-map button[data-view='inherent']")).await?.click().await?;
    v.wait_for(Locator::Css(&cell("risks-heat-map", 4, 2, 1)), WAIT).await?.click().await?;
    let chip = v.wait_for(Locator::Css(".filter-chip"), WAIT).await?;
    wait_until_text(&chip, "Showing 1 risk in likelihood 4, consequence 2").await?;

    a.close().await?;
    v.close().await
}

/// Adds a risk by title through the register's form and returns its id.
async fn add_risk(browser: &Browser, title: &str) -> anyhow::Result<String> {
    let before = browser.client.find_all(Locator::Css("li.risk")).await?.len();
    let input = browser.wait_for(Locator::Id("new-risk-title"), WAIT).await?;
    input.send_keys(title).await?;
    browser.client.find(Locator::Css("form.add-risk button[type=submit]")).await?.click().await?;
    wait_until_count(browser, before + 1).await?;
    let risks = browser.client.find_all(Locator::Css("li.risk")).await?;
    let last = risks.last().expect("the new risk is listed last");
    let heading = last.find(Locator::Css("h3")).await?;
    wait_until_text(&heading, title).await?;
    Ok(last.attr("data-risk").await?.unwrap_or_default())
}

/// A heat map cell holding `count` risks.
fn cell(map: &str, likelihood: u64, consequence: u64, count: usize) -> String {
    format!(
        "#{map} .heat-cell[data-likelihood='{likelihood}'][data-consequence='{consequence}'][data-count='{count}']"
    )
}

async fn risks_shown(browser: &Browser) -> anyhow::Result<usize> {
    Ok(browser.client.find_all(Locator::Css("li.risk")).await?.len())
}

async fn wait_until_count(browser: &Browser, expected: usize) -> anyhow::Result<()> {
    wait_until(&format!("{expected} risks listed"), WAIT, async |seen| {
        let found = risks_shown(browser).await?;
        *seen = found.to_string();
        Ok((found == expected).then_some(()))
    })
    .await
}
