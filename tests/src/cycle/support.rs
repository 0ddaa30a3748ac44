//! Clause 7.1 to 7.4 through the support page: a resource of the first AI system with who
//! provides it, a role needing one competence held by Ada with a training record that has not
//! expired, Ada's acknowledgement of the AI policy in force, and a communication plan line.

use fantoccini::Locator;
use fantoccini::key::Key;

use crate::Browser;
use crate::form;
use crate::wait::wait_until;
use crate::workspace::{WAIT, open_from_nav};

/// Makes the readiness checks of 7.1 to 7.4 met through the UI of `browser`, which is in a
/// workspace whose AI policy has an approved version in force and whose inventory has at least
/// one AI system, with the member "Ada" (the only one, or every other one having acknowledged
/// the policy already). Ends on the support page with everything shown as done.
pub async fn complete(browser: &Browser) -> anyhow::Result<()> {
    open_from_nav(browser, "/support").await?;
    let tab = char::from(Key::Tab);
    let enter = char::from(Key::Enter);

    // 7.1: a resource of the first AI system, provided by Ada.
    let form = browser.wait_for(Locator::Css("form.add-resource"), WAIT).await?;
    let system = form.attr("data-system").await?.unwrap_or_default();
    let section = format!("section.support-system[data-system='{system}']");
    form.find(Locator::Css("input.new-resource-name"))
        .await?
        .send_keys(&format!("Applicant records{enter}"))
        .await?;
    let resource = browser.wait_for(Locator::Css(&format!("{section} li.resource")), WAIT).await?;
    let resource = resource.attr("data-resource").await?.unwrap_or_default();
    browser
        .client
        .find(Locator::Id(&format!("support-{resource}-owner")))
        .await?
        .select_by_label("Ada")
        .await?;
    wait_gone(browser, &format!("li.resource[data-resource='{resource}'] .support-warning")).await?;

    // 7.2: a competence, a role needing it held by Ada, and Ada's training record for it.
    let competence =
        add_named(browser, "support-new-competence", "AI risk assessment", "li.competence").await?;
    let competence = competence.attr("data-competence").await?.unwrap_or_default();
    let role = add_named(browser, "support-new-role", "AIMS lead", "li.aims-role").await?;
    let role = role.attr("data-role").await?.unwrap_or_default();
    let needs = format!("support-role-{role}-needs-{competence}");
    browser.wait_for(Locator::Id(&needs), WAIT).await?.click().await?;
    browser.wait_for(Locator::Css(&format!("#{needs}:checked")), WAIT).await?;
    let ada = browser
        .wait_for(
            Locator::XPath(&format!(
                "//li[@data-role='{role}']//label[normalize-space()='Ada']/input[starts-with(@id, 'support-role-{role}-holder-')]"
            )),
            WAIT,
        )
        .await?;
    let holder = ada.attr("id").await?.unwrap_or_default();
    ada.click().await?;
    browser.wait_for(Locator::Css(&format!("#{holder}:checked")), WAIT).await?;
    let gap = format!("tr[data-role='{role}'] li.holder.gap");
    browser.wait_for(Locator::Css(&gap), WAIT).await?;

    let before = browser.client.find_all(Locator::Css("li.training")).await?.len();
    browser.wait_for(Locator::Id("support-new-training-member"), WAIT).await?.select_by_label("Ada").await?;
    form::select(browser, "support-new-training-competence", &competence).await?;
    browser
        .client
        .find(Locator::Id("support-new-training-course"))
        .await?
        .send_keys(&format!("AI risk workshop{enter}"))
        .await?;
    wait_count(browser, "li.training", before + 1).await?;
    let records = browser.client.find_all(Locator::Css("li.training")).await?;
    let record = match records.last() {
        Some(last) => last.attr("data-training").await?.unwrap_or_default(),
        None => anyhow::bail!("no training record"),
    };
    form::pick_date(browser, &format!("support-{record}-expires"), "2099-12-31").await?;
    form::pick_date(browser, &format!("support-{record}-completed"), "2025-03-01").await?;
    wait_gone(browser, &gap).await?;
    browser.wait_for(Locator::Css(&format!("tr[data-role='{role}'] li.holder.ok")), WAIT).await?;

    // 7.3: Ada acknowledges the version in force.
    if browser.client.find_all(Locator::Css(".acknowledged[data-acknowledged='true']")).await?.is_empty() {
        browser.wait_for(Locator::Css("button.acknowledge-policy"), WAIT).await?.click().await?;
    }
    browser.wait_for(Locator::Css(".all-acknowledged"), WAIT).await?;

    // 7.4: a communication line saying what, with whom, how and who.
    let line =
        add_named(browser, "support-new-communication", "Changes to the AI policy", "li.communication")
            .await?;
    let line = line.attr("data-communication").await?.unwrap_or_default();
    for (name, text) in
        [("when", "Within a week of approval"), ("with-whom", "All staff"), ("how", "Intranet post")]
    {
        let id = format!("support-{line}-{name}");
        browser.client.find(Locator::Id(&id)).await?.send_keys(&format!("{text}{tab}")).await?;
    }
    let who = format!("support-{line}-who");
    browser.client.find(Locator::Id(&who)).await?.select_by_label("Ada").await?;
    wait_gone(browser, &format!("li.communication[data-communication='{line}'] .support-warning")).await?;
    Ok(())
}

/// Adds a named record through the one-field form `input` and returns the new `item`, the last.
async fn add_named(
    browser: &Browser,
    input: &str,
    name: &str,
    item: &str,
) -> anyhow::Result<fantoccini::elements::Element> {
    let before = browser.client.find_all(Locator::Css(item)).await?.len();
    browser
        .wait_for(Locator::Id(input), WAIT)
        .await?
        .send_keys(&format!("{name}{}", char::from(Key::Enter)))
        .await?;
    wait_count(browser, item, before + 1).await?;
    let all = browser.client.find_all(Locator::Css(item)).await?;
    all.last().cloned().ok_or_else(|| anyhow::anyhow!("no {item}"))
}

/// Waits until `css` matches at least `count` elements.
async fn wait_count(browser: &Browser, css: &str, count: usize) -> anyhow::Result<()> {
    wait_until(&format!("{css} to match {count}"), WAIT, async |seen| {
        let found = browser.client.find_all(Locator::Css(css)).await?.len();
        *seen = found.to_string();
        Ok((found >= count).then_some(()))
    })
    .await
}

/// Waits until nothing matches `css`.
pub async fn wait_gone(browser: &Browser, css: &str) -> anyhow::Result<()> {
    wait_until(&format!("{css} to go"), WAIT, async |_| {
        Ok(browser.client.find_all(Locator::Css(css)).await?.is_empty().then_some(()))
    })
    .await
}
