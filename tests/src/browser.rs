use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::Duration,
};

use anyhow::Context;
use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use hyper_util::client::legacy::connect::HttpConnector;

use crate::wait::wait_until;

/// The flags Chromium needs to run headless as root on this kind of machine, without reaching
/// for the network on its own.
const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
];

/// How long [`Browser::wait_for_service_worker`] waits.
const SERVICE_WORKER_WAIT: Duration = Duration::from_secs(90);

/// A headless Chromium with its own empty profile, driven through its own chromedriver.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: TempDir,
}

impl Browser {
    pub async fn launch() -> anyhow::Result<Self> {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let port = free_port()?;
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {chromedriver} (install chromium-driver)"))?;
        let profile = TempDir::new()?;
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.0.display()));
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), serde_json::json!({ "binary": chromium, "args": args }));
        let url = format!("http://127.0.0.1:{port}");
        let client = wait_until("chromedriver to answer", Duration::from_secs(30), async |seen| {
            match ClientBuilder::new(HttpConnector::new()).capabilities(caps.clone()).connect(&url).await {
                Ok(client) => Ok(Some(client)),
                Err(error) => {
                    *seen = error.to_string();
                    Ok(None)
                }
            }
        })
        .await?;
        Ok(Self { client, driver, _profile: profile })
    }

    /// Waits until an element is on the page, and returns it.
    pub async fn wait_for(&self, locator: Locator<'_>, at_most: Duration) -> anyhow::Result<Element> {
        Ok(self.client.wait().at_most(at_most).for_element(locator).await?)
    }

    /// Waits until the page's service worker is active: it has cached the app shell, so the page
    /// can reload with the server gone. Caching a development build's 20 MB module can take a
    /// while on a busy machine, so the wait is long, and a failure says what state it saw.
    pub async fn wait_for_service_worker(&self) -> anyhow::Result<()> {
        wait_until("the service worker to become active", SERVICE_WORKER_WAIT, async |seen| {
            let state = self
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     navigator.serviceWorker.getRegistration().then(
                       (r) => done(r ? ['installing', 'waiting', 'active']
                         .map((k) => `${k}: ${r[k] ? r[k].state : 'none'}`).join(', ') : 'no registration'),
                       (e) => done(`getRegistration failed: ${e}`));",
                    vec![],
                )
                .await?;
            *seen = state.as_str().unwrap_or_default().to_owned();
            Ok(seen.contains("active: activat").then_some(()))
        })
        .await
    }

    /// Closes the browser session and stops chromedriver.
    pub async fn close(mut self) -> anyhow::Result<()> {
        self.client.clone().close().await?;
        let _ = self.driver.kill();
        Ok(())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// An empty directory removed on drop: each browser gets a profile of its own.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new() -> anyhow::Result<Self> {
        let n: u64 = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() as u64;
        let dir = std::env::temp_dir().join(format!("quorum-chromium-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Self(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
