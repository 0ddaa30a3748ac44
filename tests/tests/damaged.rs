//! Poison-proof reading, end to end: an editor's device that writes what no build of Quorum
//! would (an unknown role, a key that is not an id, a value of the wrong type) into the
//! workspace's root document no longer blanks the workspace. Every page still works, a notice
//! names each damaged record with who wrote it, and an owner repairs one and removes another,
//! which the other browser sees.

use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, ROOT, ReadDoc};
use fantoccini::Locator;
use quorum_tests::Browser;
use quorum_tests::form::screenshot;
use quorum_tests::sync_peer::{SyncPeer, run_until};
use quorum_tests::wait::wait_until;
use quorum_tests::workspace::{WAIT, ada_and_bea, open_from_nav, wait_until_text};

#[tokio::test]
async fn a_poisoned_root_shows_a_notice_keeps_every_page_and_can_be_repaired() -> anyhow::Result<()> {
    let (server, a, b) = ada_and_bea("editor").await?;
    let ada = membership(&a).await?;
    let bea = membership(&b).await?;
    let root =
        ada["root_document_url"].as_str().unwrap_or_default().trim_start_matches("automerge:").to_owned();

    // Bea's token in a hand-made client: the relay takes an editor's changes, whatever they say.
    let mut mallory =
        SyncPeer::connect(server.addr, bea["token"].as_str().unwrap_or_default(), "mallory").await?;
    mallory.client.open(&root)?;
    mallory.flush().await?;
    run_until(&mut [&mut mallory], "the root document", |p| p[0].client.is_synced(&root)).await?;
    mallory.client.change(&root, |doc| -> anyhow::Result<()> {
        let members = object(doc, &ROOT, "members")?;
        let bea = named(doc, &members, "Bea")?;
        doc.put(&bea, "role", "auditor")?;
        let bad = doc.put_object(&members, "not-a-member-id", ObjType::Map)?;
        doc.put(&bad, "name", "Eve")?;
        let ada = named(doc, &members, "Ada")?;
        let devices = object(doc, &ada, "devices")?;
        doc.put(&devices, "f00d", 7)?;
        // Sizes no version writes are still read without freezing the tab: a 10 MB name.
        doc.put(ROOT, "name", "N".repeat(10 << 20))?;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
        doc.commit_with(automerge::transaction::CommitOptions::default().with_time(now));
        Ok(())
    })??;
    mallory.flush().await?;
    run_until(&mut [&mut mallory], "the poison at the relay", |p| p[0].client.is_synced(&root)).await?;

    // Ada's workspace still opens its pages, with a notice naming the three and the device that
    // wrote them (one the workspace does not list: a hand-made client registers none).
    let notice = a.wait_for(Locator::Css(".damage-notice h2"), WAIT).await?;
    wait_until_text(&notice, "3 damaged records in The workspace").await?;
    let lines = a.client.find_all(Locator::Css(".damaged-record")).await?;
    let mut texts = Vec::new();
    for line in &lines {
        texts.push(line.text().await?);
    }
    let year = (1970
        + std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() / 31_556_952)
        .to_string();
    assert!(
        texts
            .iter()
            .all(|t| t.contains("Last written by a device the workspace does not list") && t.contains(&year)),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.starts_with("Members › “Ada” › Devices › f00d")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("“auditor” is unknown (newer version?)")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("its key is not a record id")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("wrong form")), "{texts:?}");

    screenshot(&a, "damaged-records.png").await?;
    let started = std::time::Instant::now();
    open_from_nav(&a, "/members").await?;
    let roster = a.wait_for(Locator::Css(".member-list"), WAIT).await?;
    wait_until_text(&roster, "Ada").await?;
    open_from_nav(&a, "/soa").await?;
    a.wait_for(Locator::Css("li.soa-row"), WAIT).await?;
    eprintln!("two pages opened in {:?} with a 10 MB workspace name", started.elapsed());

    // Ada repairs Bea's record (her role comes back) and removes the stranger; Bea's browser
    // sees the notice go.
    click_on_line(&a, "“auditor”", "Repair").await?;
    wait_until_text(&a.wait_for(Locator::Css(".damage-notice h2"), WAIT).await?, "2 damaged records").await?;
    click_on_line(&a, "“Eve”", "Remove").await?;
    wait_until_text(&a.wait_for(Locator::Css(".damage-notice h2"), WAIT).await?, "1 damaged record in")
        .await?;
    let bea_notice = b.wait_for(Locator::Css(".damage-notice h2"), WAIT).await?;
    wait_until_text(&bea_notice, "1 damaged record in").await?;
    a.close().await?;
    b.close().await
}

async fn membership(browser: &Browser) -> anyhow::Result<serde_json::Value> {
    Ok(browser.client.execute("return JSON.parse(localStorage.getItem('quorum.membership'))", vec![]).await?)
}

fn object(doc: &automerge::AutoCommit, obj: &ObjId, key: &str) -> anyhow::Result<ObjId> {
    match doc.get(obj, key)? {
        Some((automerge::Value::Object(_), id)) => Ok(id),
        other => anyhow::bail!("{key} is not an object: {other:?}"),
    }
}

/// The member record in `members` whose name is `name`.
fn named(doc: &automerge::AutoCommit, members: &ObjId, name: &str) -> anyhow::Result<ObjId> {
    for item in doc.map_range(members, ..) {
        let member = object(doc, members, &item.key)?;
        if matches!(doc.get(&member, "name")?, Some((automerge::Value::Scalar(s), _)) if s.as_str() == Some(name))
        {
            return Ok(member);
        }
    }
    anyhow::bail!("no member named {name}")
}

/// Clicks `button` on the damaged record whose line mentions `mentions`.
async fn click_on_line(browser: &Browser, mentions: &str, button: &str) -> anyhow::Result<()> {
    let line = wait_until(&format!("a damaged record mentioning {mentions}"), WAIT, async |_| {
        for line in browser.client.find_all(Locator::Css(".damaged-record")).await? {
            if line.text().await?.contains(mentions) {
                return Ok(Some(line));
            }
        }
        Ok(None)
    })
    .await?;
    let Some(asked) = first_with_text(line.find_all(Locator::Css("button")).await?, button).await? else {
        anyhow::bail!("no {button} button on the line mentioning {mentions}")
    };
    asked.click().await?;
    // The in-page question, answered yes.
    let yes = wait_until("the question to confirm", WAIT, async |_| {
        first_with_text(line.find_all(Locator::Css("button.damage-confirm-yes")).await?, "Yes").await
    })
    .await?;
    Ok(yes.click().await?)
}

/// The first of `elements` whose text starts with `text`.
async fn first_with_text(
    elements: Vec<fantoccini::elements::Element>,
    text: &str,
) -> anyhow::Result<Option<fantoccini::elements::Element>> {
    for element in elements {
        if element.text().await?.starts_with(text) {
            return Ok(Some(element));
        }
    }
    Ok(None)
}
