//! Clause 4 through the context page: an internal and an external issue, an interested party
//! with a requirement, and the scope.

use fantoccini::Locator;

use crate::Browser;
use crate::form::wait_value;
use crate::workspace::{WAIT, open_from_nav};

const SCOPE: &str = "The AI systems Acme develops and uses for recruitment, at every site.";

/// Makes every clause 4.1 to 4.3 check about the context met (the inventory's is the plan's).
pub async fn record_context(browser: &Browser) -> anyhow::Result<()> {
    open_from_nav(browser, "/context").await?;
    for (kind, title) in [("internal", "Few staff trained in AI risk"), ("external", "The EU AI Act applies")]
    {
        browser.wait_for(Locator::Id("issue-new-kind"), WAIT).await?.select_by_value(kind).await?;
        browser
            .client
            .find(Locator::Id("issue-new-title"))
            .await?
            .send_keys(&format!("{title}\u{E007}"))
            .await?;
        browser.wait_for(Locator::Css(&format!("li.issue[data-kind='{kind}']")), WAIT).await?;
    }
    browser.client.find(Locator::Id("party-new-name")).await?.send_keys("Job applicants\u{E007}").await?;
    let requirement = browser.wait_for(Locator::Css("li.party input[id$='-new-requirement']"), WAIT).await?;
    requirement.send_keys("Be told when AI ranks their application\u{E007}").await?;
    browser.wait_for(Locator::Css("li.party li.requirement"), WAIT).await?;
    browser.client.find(Locator::Id("scope")).await?.send_keys(SCOPE).await?;
    wait_value(browser, "#scope", SCOPE).await
}
