//! AI system impact assessments across two browsers and the real relay: A starts one, B finds it
//! in the list; both type into different sections and then into the same one, and end with the
//! same merged text; A completes, submits and approves it; B sees who approved, edits, and the
//! page says the text changed since the approval while the approved text stays readable; a
//! reload keeps all of it.

use fantoccini::{Locator, elements::Element};
use quorum_tests::form::{pick_date, screenshot, select, wait_value};
use quorum_tests::wait::wait_until;
use quorum_tests::workspace::{
    WAIT, create_workspace, join, open_from_nav, wait_synced_and_saved, wait_until_text,
};
use quorum_tests::{Browser, Server};

const SECTIONS: [&str; 8] = ["6-2", "6-3", "6-4", "6-5", "6-6", "6-7", "6-8", "6-9"];

#[tokio::test]
async fn two_people_write_an_assessment_and_its_approval_survives_later_edits() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;

    // A starts an assessment from the empty list.
    open_from_nav(&a, "/impact").await?;
    a.wait_for(Locator::Css(".impact-empty"), WAIT).await?;
    screenshot(&a, "impact-empty.png").await?;
    a.wait_for(Locator::Id("impact-new-title"), WAIT).await?.send_keys("CV screening").await?;
    a.client.find(Locator::Css("form.impact-new button[type=submit]")).await?.click().await?;
    a.wait_for(Locator::Css(".impact-assessment[data-status='draft']"), WAIT).await?;
    let url = a.client.current_url().await?;
    let doc_id = url.path().strip_prefix("/impact/").unwrap_or_default().to_owned();
    anyhow::ensure!(!doc_id.is_empty(), "A did not land on the new assessment: {url}");

    // B sees it in the list and opens it.
    open_from_nav(&b, "/impact").await?;
    let row = format!("tr.impact-row[data-assessment='{doc_id}'][data-status='draft']");
    let b_row = b.wait_for(Locator::Css(&row), WAIT).await?;
    wait_until_text(&b_row, "CV screening").await?;
    b_row.find(Locator::Css("a")).await?.click().await?;
    b.wait_for(Locator::Css(".impact-assessment[data-status='draft']"), WAIT).await?;

    // Different sections at once.
    let (a_scope, b_info) = (narrative(&a, "6-2").await?, narrative(&b, "6-3").await?);
    tokio::try_join!(
        a_scope.send_keys("Screening of job applications at Acme."),
        b_info.send_keys("Ranks applicants for recruiters.")
    )?;
    for browser in [&a, &b] {
        wait_narrative(browser, "6-2", "Screening of job applications at Acme.").await?;
        wait_narrative(browser, "6-3", "Ranks applicants for recruiters.").await?;
    }

    // The same section at once: A writes at the end while B writes at the start.
    narrative(&a, "6-4").await?.send_keys("Trained on past hires.").await?;
    wait_narrative(&b, "6-4", "Trained on past hires.").await?;
    let a_data = narrative(&a, "6-4").await?;
    let b_data = narrative(&b, "6-4").await?;
    b.client
        .execute(
            "const t = document.getElementById('impact-section-6-4-narrative'); t.focus(); t.setSelectionRange(0, 0);",
            vec![],
        )
        .await?;
    tokio::try_join!(a_data.send_keys(" Gaps: older applicants."), b_data.send_keys("Data: "))?;
    let merged = "Data: Trained on past hires. Gaps: older applicants.";
    wait_narrative(&a, "6-4", merged).await?;
    wait_narrative(&b, "6-4", merged).await?;

    // A completes every section, sets the review date, submits and approves.
    for section in SECTIONS {
        a.client.find(Locator::Id(&format!("impact-section-{section}-complete"))).await?.click().await?;
        a.wait_for(
            Locator::Css(&format!(
                ".impact-nav li[data-section='{}'][data-complete='true']",
                section.replace('-', ".")
            )),
            WAIT,
        )
        .await?;
    }
    pick_date(&a, "impact-review-date", "2027-03-31").await?;
    let missing = a.wait_for(Locator::Css(".impact-missing"), WAIT).await?;
    // The sections 6.5 to 6.9 are still empty, which the page says calmly before approval.
    wait_until_text(&missing, "Sections are empty: 6.5, 6.6, 6.7, 6.8, 6.9.").await?;
    button(&a, "Submit for review").await?.click().await?;
    a.wait_for(Locator::Css(".impact-assessment[data-status='in-review']"), WAIT).await?;
    button(&a, "Approve").await?.click().await?;
    a.wait_for(Locator::Css(".impact-assessment[data-status='approved']"), WAIT).await?;
    screenshot(&a, "impact-approved.png").await?;

    // B sees the approval and who gave it.
    b.wait_for(Locator::Css(".impact-assessment[data-status='approved']"), WAIT).await?;
    let approval = b.wait_for(Locator::Css(".impact-approval[data-approved-by='Ada']"), WAIT).await?;
    wait_until_text(&approval, "Last approved by Ada").await?;
    // Signed by Ada's device, and checked in B against the key the relay certified.
    let verdict =
        b.wait_for(Locator::Css(".impact-approval .approval-verdict[data-verdict='verified']"), WAIT).await?;
    wait_until_text(&verdict, "signature verified").await?;
    let status = b.client.find(Locator::Css(".impact-header .impact-status")).await?;
    wait_until_text(&status, "Approved").await?;

    // B edits after the approval: back to draft, and the page says the text changed.
    narrative(&b, "6-2").await?.send_keys(" Revised by Bea.").await?;
    for browser in [&a, &b] {
        browser.wait_for(Locator::Css(".impact-assessment[data-status='draft']"), WAIT).await?;
        let changed = browser.wait_for(Locator::Css(".impact-changed"), WAIT).await?;
        wait_until_text(&changed, "The text has changed since the approval").await?;
        browser
            .wait_for(Locator::Css(".impact-section[data-section='6.2'][data-changed='true']"), WAIT)
            .await?;
    }
    wait_synced_and_saved(&a).await?;
    wait_synced_and_saved(&b).await?;

    // A reload keeps everything, and the approved text is still there to read.
    for browser in [&a, &b] {
        browser.client.refresh().await?;
        browser.wait_for(Locator::Css(".impact-assessment[data-status='draft']"), WAIT).await?;
        wait_narrative(browser, "6-4", merged).await?;
        wait_narrative(browser, "6-2", "Screening of job applications at Acme. Revised by Bea.").await?;
        let approval =
            browser.wait_for(Locator::Css(".impact-approval[data-approved-by='Ada']"), WAIT).await?;
        wait_until_text(&approval, "Last approved by Ada").await?;
        for section in SECTIONS {
            let tick =
                format!(".impact-nav li[data-section='{}'][data-complete='true']", section.replace('-', "."));
            browser.wait_for(Locator::Css(&tick), WAIT).await?;
        }
        let review = browser.client.find(Locator::Id("impact-review-date")).await?.prop("value").await?;
        assert_eq!(review.as_deref(), Some("2027-03-31"));
        browser.wait_for(Locator::Css(".impact-approved-text summary"), WAIT).await?.click().await?;
        let approved =
            browser.wait_for(Locator::Css(".impact-approved-section[data-section='6.2']"), WAIT).await?;
        wait_until_text(&approved, "Screening of job applications at Acme.").await?;
        anyhow::ensure!(!approved.text().await?.contains("Revised"), "the approved text shows a later edit");
        let approved_data =
            browser.client.find(Locator::Css(".impact-approved-section[data-section='6.4']")).await?;
        wait_until_text(&approved_data, merged).await?;
    }
    screenshot(&b, "impact-changed.png").await?;

    open_from_nav(&a, "/impact").await?;
    let row = format!("tr.impact-row[data-assessment='{doc_id}'][data-status='draft']");
    let a_row = a.wait_for(Locator::Css(&row), WAIT).await?;
    wait_until_text(&a_row, "2027-03-31").await?;
    wait_until_text(&a_row, "8 of 8 sections complete").await?;
    screenshot(&a, "impact-list.png").await?;

    a.close().await?;
    b.close().await
}

#[tokio::test]
async fn two_people_rate_the_impacts_of_section_6_8_and_a_reload_keeps_them() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;

    // A starts an assessment and rates a harm to a group.
    open_from_nav(&a, "/impact").await?;
    a.wait_for(Locator::Id("impact-new-title"), WAIT).await?.send_keys("CV screening").await?;
    a.client.find(Locator::Css("form.impact-new button[type=submit]")).await?.click().await?;
    a.wait_for(Locator::Css(".impact-assessment"), WAIT).await?;
    let path = a.client.current_url().await?.path().to_owned();
    let empty = a.wait_for(Locator::Css(".impacts-empty"), WAIT).await?;
    wait_until_text(&empty, "No impacts rated yet").await?;
    let harm = add_impact(&a, "Older applicants are rejected more often").await?;
    select(&a, &format!("impact-{harm}-likelihood"), "3").await?;
    a.wait_for(Locator::Css(&format!("li.rated-impact[data-impact='{harm}'][data-likelihood='3']")), WAIT)
        .await?;

    // B opens it, rates the same impact's severity and adds a benefit to individuals.
    b.client.goto(&server.url(&path)).await?;
    let row = format!("li.rated-impact[data-impact='{harm}'][data-kind='harm'][data-likelihood='3']");
    b.wait_for(Locator::Css(&row), WAIT).await?;
    wait_value(&b, &format!("#impact-{harm}-affected"), "groups").await?;
    select(&b, &format!("impact-{harm}-severity"), "4").await?;
    let benefit = add_impact(&b, "Applicants hear back within a day").await?;
    select(&b, &format!("impact-{benefit}-kind"), "benefit").await?;
    select(&b, &format!("impact-{benefit}-affected"), "individuals").await?;

    // A sees both, in the order they were added; a severity off the scale cannot be chosen.
    a.wait_for(Locator::Css(&format!("li.rated-impact[data-impact='{harm}'][data-severity='4']")), WAIT)
        .await?;
    a.wait_for(Locator::Css(&format!("li.rated-impact[data-impact='{benefit}'][data-kind='benefit']")), WAIT)
        .await?;
    wait_value(&a, &format!("#impact-{benefit}-affected"), "individuals").await?;
    let order = a.client.find_all(Locator::Css("li.rated-impact")).await?;
    assert_eq!(order.len(), 2);
    assert_eq!(order[0].attr("data-impact").await?.as_deref(), Some(harm.as_str()));
    wait_synced_and_saved(&a).await?;
    wait_synced_and_saved(&b).await?;
    screenshot(&a, "impact-impacts.png").await?;

    // A reload keeps every rating.
    for browser in [&a, &b] {
        browser.client.refresh().await?;
        browser.wait_for(Locator::Css(&format!("{row}[data-severity='4']")), WAIT).await?;
        browser
            .wait_for(
                Locator::Css(&format!("li.rated-impact[data-impact='{benefit}'][data-kind='benefit']")),
                WAIT,
            )
            .await?;
    }

    a.close().await?;
    b.close().await
}

/// Adds an impact through the section 6.8 form and returns its id.
async fn add_impact(browser: &Browser, description: &str) -> anyhow::Result<String> {
    let before = browser.client.find_all(Locator::Css("li.rated-impact")).await?.len();
    browser.wait_for(Locator::Id("impact-new-description"), WAIT).await?.send_keys(description).await?;
    browser.client.find(Locator::Css("form.impact-add button[type=submit]")).await?.click().await?;
    let last = wait_until(&format!("the impact {description:?} to be added"), WAIT, async |_| {
        let rows = browser.client.find_all(Locator::Css("li.rated-impact")).await?;
        Ok(if rows.len() > before { rows.last().cloned() } else { None })
    })
    .await?;
    let id = last.attr("data-impact").await?.unwrap_or_default();
    wait_value(browser, &format!("#impact-{id}-description"), description).await?;
    Ok(id)
}

/// The narrative textarea of a section (`6-4` for 6.4).
async fn narrative(browser: &Browser, section: &str) -> anyhow::Result<Element> {
    browser.wait_for(Locator::Id(&format!("impact-section-{section}-narrative")), WAIT).await
}

/// Waits until a section's narrative holds exactly `expected`.
async fn wait_narrative(browser: &Browser, section: &str, expected: &str) -> anyhow::Result<()> {
    wait_value(browser, &format!("#impact-section-{section}-narrative"), expected).await
}

/// The page's button with this exact text.
async fn button(browser: &Browser, text: &str) -> anyhow::Result<Element> {
    browser.wait_for(Locator::XPath(&format!("//button[normalize-space()='{text}']")), WAIT).await
}
