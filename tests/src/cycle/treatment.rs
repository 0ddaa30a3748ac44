//! Risk treatment approval (ISO/IEC 42001 6.1.3): the risk owner approves each risk's treatment
//! plan and accepts its residual risk.

use fantoccini::Locator;

use crate::Browser;
use crate::wait::wait_until;
use crate::workspace::{WAIT, open_from_nav};

/// On the risk register, approves the treatment of every risk and waits until each shows its
/// approval. Precondition: the browser is the sole member "Ada", owner of every risk, and every
/// risk has a treatment decided (a modified one also its residual likelihood and consequence).
pub async fn approve_all(browser: &Browser) -> anyhow::Result<()> {
    open_from_nav(browser, "/risks").await?;
    browser.wait_for(Locator::Css("li.risk section.treatment-approval"), WAIT).await?;
    let mut risks = Vec::new();
    for risk in browser.client.find_all(Locator::Css("li.risk")).await? {
        risks.push(risk.attr("data-risk").await?.unwrap_or_default());
    }
    for risk in &risks {
        let approved = approved(risk);
        if !browser.client.find_all(Locator::Css(&approved)).await?.is_empty() {
            continue;
        }
        browser.wait_for(Locator::Id(&format!("risk-{risk}-approve")), WAIT).await?.click().await?;
        browser.wait_for(Locator::Css(&approved), WAIT).await?;
    }
    // Every risk approved at once, as the summary counts them.
    let summary =
        format!(".approval-summary[data-approved='{}'][data-changed='0'][data-awaiting='0']", risks.len());
    wait_until("every risk's treatment to show approved", WAIT, async |_| {
        Ok((!browser.client.find_all(Locator::Css(&summary)).await?.is_empty()).then_some(()))
    })
    .await
}

/// The approval of `risk` once it shows approved.
pub fn approved(risk: &str) -> String {
    format!("li.risk[data-risk='{risk}'] section.treatment-approval[data-approval='approved']")
}
