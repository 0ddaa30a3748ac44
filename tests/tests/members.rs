//! Members and sharing, end to end with the real relay: an owner invites a viewer through the
//! members page, the viewer reads the owner's edits with every SoA field disabled and a note
//! saying why, both see the member list, and the owner revokes the viewer, whose header then
//! says what happened, while the viewer's avatar leaves the owner's and a third member's header
//! at once. And one browser keeping two workspaces, switching between them from the
//! home page.

use std::time::Duration;

use fantoccini::Locator;
use quorum_tests::form::screenshot;
use quorum_tests::wait::wait_until;
use quorum_tests::workspace::{
    WAIT, create_workspace, join, open_from_nav, set_soa_status, wait_synced_and_saved, wait_until_text,
};
use quorum_tests::{Browser, Server};

/// Every SoA field on the page, and how many of them can still be changed.
const SOA_FIELDS: &str =
    "const fields = [...document.querySelectorAll('li.soa-row select, li.soa-row textarea')];
     return [fields.length, fields.filter(f => !f.matches(':disabled')).length];";

#[tokio::test]
async fn an_owner_invites_a_viewer_who_reads_but_cannot_change_then_revokes_them() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    set_soa_status(&a, "A.6.2.4", "implemented").await?;
    wait_synced_and_saved(&a).await?;

    // A makes a viewer invite on the members page and reads the link from it.
    open_from_nav(&a, "/members").await?;
    a.wait_for(Locator::Css("li.member[data-member-name='Ada'][data-you='true'][data-role='owner']"), WAIT)
        .await?;
    a.wait_for(Locator::Id("invite-role"), WAIT).await?.select_by_value("viewer").await?;
    a.client.find(Locator::Css("form.invite-form button[type=submit]")).await?.click().await?;
    let link = a.wait_for(Locator::Id("invite-link"), WAIT).await?.prop("value").await?.unwrap_or_default();
    assert!(link.starts_with(&server.url("/join?invite=")), "an invite link on this origin: {link}");
    let label = a.client.find(Locator::Css("label[for='invite-link']")).await?.text().await?;
    assert!(label.contains("Viewer"), "the link says which role it gives: {label}");

    // B follows the link and joins as a viewer.
    let b = Browser::launch().await?;
    b.client.goto(&link).await?;
    b.wait_for(Locator::Id("your-name"), WAIT).await?.send_keys("Bea").await?;
    b.client.find(Locator::Css("form button[type=submit]")).await?.click().await?;
    b.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='implemented']"), WAIT).await?;
    let banner = b.wait_for(Locator::Css(".read-only-banner"), WAIT).await?;
    wait_until_text(&banner, "only owners and editors can change it").await?;
    let fields = b.client.execute(SOA_FIELDS, vec![]).await?;
    assert_eq!(fields, serde_json::json!([38 * 4, 0]), "every SoA field is shown, none can be changed");
    assert!(a.client.find(Locator::Css(".read-only-banner")).await.is_err(), "the owner has no such note");

    // B's members page lists both, read-only.
    open_from_nav(&b, "/members").await?;
    b.wait_for(Locator::Css("li.member[data-member-name='Ada'][data-role='owner'][data-you='false']"), WAIT)
        .await?;
    b.wait_for(Locator::Css("li.member[data-member-name='Bea'][data-role='viewer'][data-you='true']"), WAIT)
        .await?;
    assert!(b.client.find(Locator::Id("invite-role")).await.is_err(), "a viewer cannot invite");
    assert!(b.client.find(Locator::Css("button.revoke")).await.is_err(), "nor revoke");

    // A sees Bea after a refresh and revokes her, confirming first.
    a.client.find(Locator::Css(".members-roster-header button")).await?.click().await?;
    let bea = "li.member[data-member-name='Bea'][data-revoked='false']";
    a.wait_for(Locator::Css(&format!("{bea}[data-role='viewer']")), WAIT).await?;
    a.client.find(Locator::Css(&format!("{bea} button.revoke"))).await?.click().await?;
    let confirm = a.wait_for(Locator::Css(&format!("{bea} button.revoke-confirm")), WAIT).await?;
    let question = a.client.find(Locator::Css(&format!("{bea} .member-confirm"))).await?.text().await?;
    assert!(question.contains("Revoke Bea's access?"), "asks first: {question}");
    // Cleo, an editor in a third browser, is on the members page too: both headers show Bea
    // until her access goes.
    let c = Browser::launch().await?;
    join(&server, &a, &c, "editor", "Cleo").await?;
    open_from_nav(&c, "/members").await?;
    let bea_here = Locator::Css(".presence-avatar[data-presence-member='Bea']");
    a.wait_for(bea_here, WAIT).await?;
    c.wait_for(bea_here, WAIT).await?;
    confirm.click().await?;
    a.wait_for(Locator::Css("li.member[data-member-name='Bea'][data-revoked='true']"), WAIT).await?;
    // At once, not when her presence lapses 20 to 30 s later: in A at once, and in C as soon as
    // A's goodbye on her behalf arrives through the relay.
    assert!(a.client.find(bea_here).await.is_err(), "a revoked member still shows as present");
    wait_until_gone(&c, bea_here, Duration::from_secs(10)).await?;

    // B's connection is closed by the relay, and B's header says why and what to do.
    let status = b.wait_for(Locator::Css(".sync-status[data-state='error']"), WAIT).await?;
    wait_until_text(&status, "An owner has removed your access").await?;
    wait_until_text(&status, "ask an owner for a new invite").await?;
    screenshot(&a, "members-owner.png").await?;
    screenshot(&b, "members-revoked.png").await?;

    a.close().await?;
    b.close().await?;
    c.close().await
}

/// Waits until nothing matches `locator` in `browser`, for at most `within`.
async fn wait_until_gone(browser: &Browser, locator: Locator<'_>, within: Duration) -> anyhow::Result<()> {
    wait_until(&format!("{locator:?} to go"), within, async |_| {
        Ok(browser.client.find(locator).await.is_err().then_some(()))
    })
    .await
}

#[tokio::test]
async fn the_home_page_lists_both_workspaces_of_a_browser_and_switches_between_them() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    set_soa_status(&a, "A.6.2.4", "implemented").await?;
    wait_synced_and_saved(&a).await?;

    // A second workspace, created from the home page, which lists the first above the form.
    a.client.find(Locator::Css("header a.brand")).await?.click().await?;
    a.wait_for(Locator::Css("li.workspace-entry[data-open='true']"), WAIT).await?;
    a.client.find(Locator::Id("workspace-name")).await?.send_keys("Beta AIMS").await?;
    a.client.find(Locator::Id("your-name")).await?.send_keys("Ada").await?;
    a.client.find(Locator::Css("form button[type=submit]")).await?.click().await?;
    a.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='not-started']"), WAIT).await?;
    wait_until_text(&a.wait_for(Locator::Css(".workspace-name"), WAIT).await?, "Beta AIMS").await?;
    wait_synced_and_saved(&a).await?;

    // After a reload the home page lists both, the new one open.
    a.client.goto(&server.url("/")).await?;
    let open = a.wait_for(Locator::Css("li.workspace-entry[data-open='true']"), WAIT).await?;
    wait_until_text(&open, "Beta AIMS").await?;
    let entries = a.client.find_all(Locator::Css("li.workspace-entry")).await?;
    let mut names = Vec::new();
    for entry in &entries {
        names.push(entry.find(Locator::Css(".workspace-entry-name")).await?.text().await?);
    }
    assert_eq!(names, ["Acme AIMS", "Beta AIMS"], "in the order they were made");
    let acme = a.client.find(Locator::Css("li.workspace-entry[data-open='false']")).await?;
    wait_until_text(&acme, "You are an owner").await?;
    screenshot(&a, "home.png").await?;

    // Opening Acme switches the session to it, on its dashboard, with its own SoA.
    acme.find(Locator::Css("button.workspace-open")).await?.click().await?;
    wait_for_path(&a, "/dashboard").await?;
    wait_until_text(&a.wait_for(Locator::Css(".workspace-name"), WAIT).await?, "Acme AIMS").await?;
    open_from_nav(&a, "/soa").await?;
    a.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='implemented']"), WAIT).await?;
    let kept = a
        .client
        .execute("return JSON.parse(localStorage.getItem('quorum.membership')).workspace_name", vec![])
        .await?;
    assert_eq!(kept, serde_json::json!("Acme AIMS"), "the next visit reopens Acme");

    // And back to Beta, whose SoA was never touched.
    a.client.find(Locator::Css("header a.brand")).await?.click().await?;
    let beta = a.wait_for(Locator::Css("li.workspace-entry[data-open='false']"), WAIT).await?;
    wait_until_text(&beta, "Beta AIMS").await?;
    beta.find(Locator::Css("button.workspace-open")).await?.click().await?;
    wait_until_text(&a.wait_for(Locator::Css(".workspace-name"), WAIT).await?, "Beta AIMS").await?;
    open_from_nav(&a, "/soa").await?;
    a.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='not-started']"), WAIT).await?;
    wait_synced_and_saved(&a).await?;

    a.close().await
}

async fn wait_for_path(browser: &Browser, path: &str) -> anyhow::Result<()> {
    wait_until(&format!("the page {path}"), WAIT, async |seen| {
        let url = browser.client.current_url().await?;
        *seen = url.to_string();
        Ok((url.path() == path).then_some(()))
    })
    .await
}

/// An owner withdraws an invite link before anyone uses it: the page lists it as open, then not,
/// and the link no longer lets anyone in.
#[tokio::test]
async fn an_owner_withdraws_an_open_invite_and_its_link_stops_working() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    wait_synced_and_saved(&a).await?;
    open_from_nav(&a, "/members").await?;
    a.wait_for(Locator::Css(".open-invites-none"), WAIT).await?;
    a.wait_for(Locator::Id("invite-role"), WAIT).await?.select_by_value("editor").await?;
    a.client.find(Locator::Css("form.invite-form button[type=submit]")).await?.click().await?;
    let link = a.wait_for(Locator::Id("invite-link"), WAIT).await?.prop("value").await?.unwrap_or_default();
    let open = a.wait_for(Locator::Css("li.open-invite"), WAIT).await?;
    wait_until_text(&open, "made by Ada").await?;
    let withdraw = a.client.find(Locator::Css("li.open-invite button")).await?;
    let label = withdraw.attr("aria-label").await?.unwrap_or_default();
    assert!(label.contains("an editor"), "the button says which invite: {label}");
    withdraw.click().await?;
    a.wait_for(Locator::Css(".open-invites-none"), WAIT).await?;

    let b = Browser::launch().await?;
    b.client.goto(&link).await?;
    b.wait_for(Locator::Id("your-name"), WAIT).await?.send_keys("Bea").await?;
    b.client.find(Locator::Css("form button[type=submit]")).await?.click().await?;
    let error = b.wait_for(Locator::Css("p.field-error[role=alert]"), WAIT).await?;
    wait_until_text(&error, "withdrawn").await?;
    a.close().await?;
    b.close().await
}
