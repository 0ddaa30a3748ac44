//! Holding a management review through the UI, so that 5.1's review and 9.3 are met.

use fantoccini::{Locator, key::Key};
use quorum_shared::model::ReviewTopic;

use crate::Browser;
use crate::form::pick_date;
use crate::workspace::{WAIT, open_from_nav};

/// The date the cycle's review is held on.
pub const HELD_ON: &str = "2026-06-30";

/// Holds a management review in `browser` (in a workspace, its member "Ada" an owner): makes
/// one from the reviews page, sets the date and attendees, writes notes on every input, records
/// a decision and an action owned by Ada with a due date, and approves the minutes. Leaves the
/// browser on the review's page.
pub async fn hold_review(browser: &Browser) -> anyhow::Result<()> {
    open_from_nav(browser, "/reviews").await?;
    let name = browser.wait_for(Locator::Id("review-new-title"), WAIT).await?;
    name.send_keys(&format!("Management review {HELD_ON}{}", char::from(Key::Enter))).await?;
    browser.wait_for(Locator::Id("review-held-on"), WAIT).await?;
    pick_date(browser, "review-held-on", HELD_ON).await?;
    let attendees = browser.client.find(Locator::Id("review-attendees")).await?;
    attendees.send_keys(&format!("Ada (CEO), Bea (AI lead){}", char::from(Key::Tab))).await?;
    for topic in ReviewTopic::ALL {
        let notes =
            browser.wait_for(Locator::Id(&format!("review-input-{}", topic.as_token())), WAIT).await?;
        notes.send_keys(&format!("Considered: {}.", topic.label())).await?;
        browser
            .wait_for(
                Locator::Css(&format!("li.review-input[data-topic='{topic}'][data-noted='true']")),
                WAIT,
            )
            .await?;
    }
    let decision = browser.client.find(Locator::Id("decision-new-summary")).await?;
    decision.send_keys(&format!("Fund a second internal audit{}", char::from(Key::Enter))).await?;
    browser.wait_for(Locator::Css("li.review-decision"), WAIT).await?;
    let action = browser.client.find(Locator::Id("action-new-title")).await?;
    action.send_keys(&format!("Appoint a data steward{}", char::from(Key::Enter))).await?;
    let card = browser.wait_for(Locator::Css("li.review-action"), WAIT).await?;
    let id = card.attr("data-action").await?.ok_or_else(|| anyhow::anyhow!("the action has no id"))?;
    browser.wait_for(Locator::Id(&format!("action-{id}-owner")), WAIT).await?.select_by_label("Ada").await?;
    pick_date(browser, &format!("action-{id}-due"), "2026-09-30").await?;
    crate::form::wait_value(browser, &format!("#action-{id}-due"), "2026-09-30").await?;
    browser.wait_for(Locator::Css("button.approve-minutes"), WAIT).await?.click().await?;
    if let Err(timeout) =
        browser.wait_for(Locator::Css(".review-editor[data-approval='approved']"), WAIT).await
    {
        let said = browser.client.find(Locator::Css(".review-approval")).await?.text().await?;
        anyhow::bail!("the minutes were not approved ({timeout}); the page says: {said}");
    }
    Ok(())
}
