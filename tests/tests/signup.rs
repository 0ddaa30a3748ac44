//! A server whose operator closed signup: the home page says a signup token is needed and asks
//! for one; with the token from `quorum token signup`, the workspace is made as usual.

use fantoccini::Locator;
use quorum_tests::workspace::{WAIT, wait_until_text};
use quorum_tests::{Browser, Server, server_binary};

#[tokio::test]
async fn where_signup_is_closed_the_home_page_asks_for_the_operators_signup_token() -> anyhow::Result<()> {
    let server = Server::start_with(&["--signup", "closed"]).await?;
    let a = Browser::launch().await?;
    a.client.goto(&server.url("/")).await?;
    a.wait_for(Locator::Id("workspace-name"), WAIT).await?.send_keys("Acme AIMS").await?;
    a.client.find(Locator::Id("your-name")).await?.send_keys("Ada").await?;
    a.client.find(Locator::Css("form button[type=submit]")).await?.click().await?;
    wait_until_text(&a.wait_for(Locator::Id("create-error"), WAIT).await?, "signup token").await?;

    // The operator makes a token on the server's machine; Ada pastes it and tries again.
    let output = std::process::Command::new(server_binary()?)
        .args(["token", "signup", "--hours", "1", "--data-dir"])
        .arg(server.data_dir())
        .output()?;
    anyhow::ensure!(
        output.status.success(),
        "quorum token signup: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let token = printed["signup_token"].as_str().unwrap_or_default().to_owned();
    a.wait_for(Locator::Id("signup-token"), WAIT).await?.send_keys(&token).await?;
    a.client.find(Locator::Css("form button[type=submit]")).await?.click().await?;
    a.wait_for(Locator::Css("li[data-control='A.5.2']"), WAIT).await?;
    wait_until_text(&a.wait_for(Locator::Css(".workspace-name"), WAIT).await?, "Acme AIMS").await?;
    a.close().await
}
