//! Clause 6.3 (planned changes) and 7.5 (documented information), through their pages only.
//! Each step drives one browser that is already in a workspace whose sole member is "Ada".

use fantoccini::Locator;

use crate::Browser;
use crate::form::pick_date;
use crate::wait::wait_until;
use crate::workspace::{WAIT, open_from_nav, wait_synced_and_saved};

/// Plans one change with a purpose and Ada as its owner (6.3 met).
pub async fn plan_change(browser: &Browser) -> anyhow::Result<()> {
    open_from_nav(browser, "/changes").await?;
    start_if_missing(browser).await?;
    let before = browser.client.find_all(Locator::Css("li.planned-change")).await?.len();
    let title = browser.wait_for(Locator::Id("change-new-title"), WAIT).await?;
    title.send_keys("Add a second reviewer to model approvals").await?;
    browser.client.find(Locator::Css(".changes form.add-record button[type=submit]")).await?.click().await?;
    wait_for_count(browser, "li.planned-change", before + 1).await?;
    // A new change is added last.
    let cards = browser.client.find_all(Locator::Css("li.planned-change")).await?;
    let card = cards.last().ok_or_else(|| anyhow::anyhow!("the new change is not shown"))?;
    let id = card.attr("data-change").await?.unwrap_or_default();
    let purpose = browser.wait_for(Locator::Id(&format!("change-{id}-purpose")), WAIT).await?;
    purpose.send_keys("One person approving alone let a biased model through last year.").await?;
    select_member(browser, &format!("change-{id}-owner"), "Ada").await?;
    set_text(browser, &format!("change-{id}-resources"), "Two hours per release from the data team").await?;
    let next_year = today(browser).await?[..4].parse::<u32>()? + 1;
    pick_date(browser, &format!("change-{id}-due"), &format!("{next_year}-03-31")).await?;
    browser
        .wait_for(Locator::Css(&format!("#change-{id}-owner option:checked:not([value=''])")), WAIT)
        .await?;
    wait_synced_and_saved(browser).await
}

/// Gives every row of the documented information register an owner (Ada), an approval (Ada,
/// today) where the register records it, a review date a year ahead, where it is kept and for
/// how long, so that every 7.5 check is met. The policy and impact assessments are approved on
/// their own pages: a row of one not approved there stays flagged, and the step fails naming it.
pub async fn register_documents(browser: &Browser) -> anyhow::Result<()> {
    open_from_nav(browser, "/documents").await?;
    start_if_missing(browser).await?;
    browser.wait_for(Locator::Css(".document-counts"), WAIT).await?;
    let today = today(browser).await?;
    let next_year = today[..4].parse::<u32>()? + 1;
    let review = format!("{next_year}-{}", &today[5..]).replace("-02-29", "-02-28");
    let rows = browser.client.find_all(Locator::Css("li.document-row")).await?;
    let mut ids = Vec::new();
    for row in rows {
        ids.push(row.attr("data-row").await?.unwrap_or_default());
    }
    for id in &ids {
        let field = |name: &str| format!("documented-{id}-{name}");
        select_member(browser, &field("owner"), "Ada").await?;
        if !browser.client.find_all(Locator::Id(&field("approved-by"))).await?.is_empty() {
            select_member(browser, &field("approved-by"), "Ada").await?;
            pick_date(browser, &field("approved-on"), &today).await?;
        }
        pick_date(browser, &field("review-on"), &review).await?;
        set_text(browser, &field("location"), "This Quorum workspace").await?;
        set_text(browser, &field("retention"), "Five years after it is replaced").await?;
    }
    wait_until("no document flagged", WAIT, async |seen| {
        let flagged = browser.client.find_all(Locator::Css("li.document-row:not([data-flags=''])")).await?;
        let mut names = Vec::new();
        for row in &flagged {
            let title = row.find(Locator::Css(".document-title, input[id$='-title']")).await;
            let title = match title {
                Ok(t) => t.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            names.push(format!("{title} ({})", row.attr("data-flags").await?.unwrap_or_default()));
        }
        *seen = format!("still flagged: {}", names.join(", "));
        Ok(flagged.is_empty().then_some(()))
    })
    .await?;
    for flag in ["overdue-review", "no-owner", "no-approval"] {
        browser
            .wait_for(Locator::Css(&format!(".document-count[data-flag='{flag}'][data-count='0']")), WAIT)
            .await?;
    }
    wait_synced_and_saved(browser).await
}

/// Starts the page's register when the workspace has none yet.
async fn start_if_missing(browser: &Browser) -> anyhow::Result<()> {
    wait_until("the register to open", WAIT, async |_| {
        if !browser.client.find_all(Locator::Css("form.add-record")).await?.is_empty() {
            return Ok(Some(()));
        }
        if let Ok(start) = browser.client.find(Locator::Css("button.start-document")).await {
            start.click().await?;
        }
        Ok(None)
    })
    .await
}

/// Waits until `css` matches `count` elements.
async fn wait_for_count(browser: &Browser, css: &str, count: usize) -> anyhow::Result<()> {
    wait_until(&format!("{css} to match {count}"), WAIT, async |seen| {
        let found = browser.client.find_all(Locator::Css(css)).await?.len();
        *seen = found.to_string();
        Ok((found >= count).then_some(()))
    })
    .await
}

/// Picks the member named `name` in the owner select with this id.
pub async fn select_member(browser: &Browser, id: &str, name: &str) -> anyhow::Result<()> {
    let select = browser.wait_for(Locator::Id(id), WAIT).await?;
    wait_until(&format!("{id} to offer a member named {name}"), WAIT, async |_| {
        for option in select.find_all(Locator::Css("option")).await? {
            if option.text().await?.trim() == name {
                let value = option.attr("value").await?.unwrap_or_default();
                select.select_by_value(&value).await?;
                return Ok(Some(()));
            }
        }
        Ok(None)
    })
    .await
}

/// Sets a one-line text field and lets it save, as typing and leaving the field would.
pub async fn set_text(browser: &Browser, id: &str, text: &str) -> anyhow::Result<()> {
    browser.wait_for(Locator::Id(id), WAIT).await?;
    browser
        .client
        .execute(
            "const input = document.getElementById(arguments[0]); input.value = arguments[1]; \
             input.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![id.into(), text.into()],
        )
        .await?;
    Ok(())
}

/// The browser's date today, as `YYYY-MM-DD` in its time zone, as the app reads it.
async fn today(browser: &Browser) -> anyhow::Result<String> {
    let script = "const d = new Date(); d.setMinutes(d.getMinutes() - d.getTimezoneOffset()); \
                  return d.toISOString().slice(0, 10);";
    let today = browser.client.execute(script, vec![]).await?;
    let today = today.as_str().unwrap_or_default().to_owned();
    anyhow::ensure!(today.len() == 10, "the browser gave no date: {today:?}");
    Ok(today)
}
