//! The audit pack of a workspace taken through the cycle: made in the browser from the
//! dashboard, checked by `quorum verify` (and refused, naming the file, once one byte of a
//! register is changed), its report opened without Quorum and printed to PDF by Chromium, and
//! the workspace restored from it into a fresh browser and relay.

use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use base64::Engine;
use fantoccini::Locator;
use fantoccini::wd::PrintConfiguration;

use crate::form::screenshot;
use crate::workspace::{WAIT, open_from_nav};
use crate::{Browser, Server, server_binary};

/// Making a pack of a whole workspace takes a few seconds on a debug build.
const PACK_WAIT: Duration = Duration::from_secs(120);

/// Makes the pack from the dashboard and hands back its bytes, as the download link offers them.
pub async fn make_pack(browser: &Browser) -> anyhow::Result<Vec<u8>> {
    open_from_nav(browser, "/dashboard").await?;
    browser.wait_for(Locator::Id("audit-pack-build"), PACK_WAIT).await?.click().await?;
    browser.wait_for(Locator::Id("audit-pack-download"), PACK_WAIT).await?;
    screenshot(browser, "audit-pack-made.png").await?;
    let encoded = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(document.getElementById('audit-pack-download').href)
               .then(r => r.arrayBuffer())
               .then(buffer => {
                 const bytes = new Uint8Array(buffer);
                 let text = '';
                 for (let i = 0; i < bytes.length; i += 0x8000) {
                   text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
                 }
                 done(btoa(text));
               }, e => done('failed: ' + e));",
            vec![],
        )
        .await?;
    let encoded = encoded.as_str().unwrap_or_default();
    Ok(base64::engine::general_purpose::STANDARD.decode(encoded)?)
}

/// `quorum verify` on the pack at `path`: its exit code and what it printed.
pub fn verify(path: &Path) -> anyhow::Result<(i32, String)> {
    let output = Command::new(server_binary()?).arg("verify").arg(path).output()?;
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    Ok((output.status.code().unwrap_or(-1), text))
}

/// The files of a pack.
pub fn unzip(pack: &[u8]) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(pack))?;
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        files.push((entry.name()?.into_owned(), bytes));
    }
    Ok(files)
}

/// The pack again with one byte in the middle of `target` changed.
pub fn with_byte_changed(pack: &[u8], target: &str) -> anyhow::Result<Vec<u8>> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, mut bytes) in unzip(pack)? {
        if name == target {
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x01;
        }
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())?;
        out.write_all(&bytes)?;
    }
    Ok(out.finish()?.into_inner())
}

/// Makes the pack, verifies it, tampers with it, and prints its report, which has one section
/// per document of the workspace; hands back the pack. The browser is left on the report.
pub async fn make_verify_and_print(browser: &Browser) -> anyhow::Result<Vec<u8>> {
    let pack = make_pack(browser).await?;
    let files = unzip(&pack)?;
    let manifest = files.iter().find(|(name, _)| name == "manifest.json").map(|(_, bytes)| bytes.clone());
    let manifest: serde_json::Value = serde_json::from_slice(&manifest.unwrap_or_default())?;
    let documents = manifest["documents"].as_array().map_or(0, Vec::len);
    anyhow::ensure!(documents > 15, "the cycle's documents are all in the pack: {documents}");
    let dir = tempfile::tempdir()?;
    let good = dir.path().join("pack.zip");
    std::fs::write(&good, &pack)?;
    let (code, text) = verify(&good)?;
    anyhow::ensure!(code == 0, "quorum verify refused the pack the app made:\n{text}");
    anyhow::ensure!(text.contains("The pack holds"), "{text}");
    anyhow::ensure!(!text.contains("!!"), "every approval of the cycle verifies:\n{text}");
    anyhow::ensure!(!text.contains(" 0 approvals verified"), "the cycle's approvals are signed:\n{text}");

    let changed = dir.path().join("changed.zip");
    std::fs::write(&changed, with_byte_changed(&pack, "registers/soa.csv")?)?;
    let (code, text) = verify(&changed)?;
    anyhow::ensure!(code == 1, "a changed pack is refused:\n{text}");
    anyhow::ensure!(text.contains("registers/soa.csv was changed"), "{text}");

    // The app's "Verify a pack" page says the same, with no network needed.
    for (path, holds) in [(&good, "true"), (&changed, "false")] {
        open_from_nav(browser, "/dashboard").await?;
        browser.wait_for(Locator::Css(".audit-pack a[href='/verify']"), WAIT).await?.click().await?;
        browser
            .wait_for(Locator::Id("verify-file"), WAIT)
            .await?
            .send_keys(&path.display().to_string())
            .await?;
        let result = browser
            .wait_for(Locator::Css(&format!("#verify-result[data-holds='{holds}']")), PACK_WAIT)
            .await?;
        if holds == "false" {
            let problem = result.find(Locator::Css("li.pack-problem")).await?.text().await?;
            anyhow::ensure!(problem.contains("registers/soa.csv"), "{problem}");
            screenshot(browser, "verify-changed.png").await?;
        }
    }

    // The report opens and prints with nothing but a browser.
    let report = dir.path().join("report");
    for (name, bytes) in files {
        let path = report.join(&name);
        std::fs::create_dir_all(path.parent().unwrap_or(&report))?;
        std::fs::write(path, bytes)?;
    }
    browser.client.goto(&format!("file://{}", report.join("index.html").display())).await?;
    browser.wait_for(Locator::Css("section.artifact"), PACK_WAIT).await?;
    let sections = browser.client.find_all(Locator::Css("section.artifact")).await?.len();
    anyhow::ensure!(
        sections == documents,
        "one section per artifact: {sections} sections, {documents} documents"
    );
    screenshot(browser, "audit-pack-report.png").await?;
    let pdf = browser.client.print(PrintConfiguration::default()).await?;
    anyhow::ensure!(pdf.starts_with(b"%PDF"), "Chromium printed a PDF");
    let pages = count_pages(&pdf);
    // The cover and contents, then each artifact starting on a page of its own.
    anyhow::ensure!(
        pages >= sections + 2,
        "each artifact starts a page: {pages} pages for {sections} sections"
    );
    if let Ok(dir) = std::env::var("QUORUM_SCREENSHOT_DIR") {
        std::fs::write(Path::new(&dir).join("audit-pack-report.pdf"), &pdf)?;
    }
    Ok(pack)
}

/// Restores the workspace in `pack` through `browser`'s "Restore a workspace" page at `server`,
/// as its first owner (the page's default), and waits for its dashboard.
pub async fn restore(server: &Server, browser: &Browser, pack: &[u8]) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("audit-pack.zip");
    std::fs::write(&path, pack)?;
    browser.client.goto(&server.url("/")).await?;
    browser.wait_for(Locator::Id("home-restore"), WAIT).await?.click().await?;
    let input = browser.wait_for(Locator::Id("restore-files"), WAIT).await?;
    input.send_keys(&path.display().to_string()).await?;
    browser.wait_for(Locator::Id("restore-preview"), PACK_WAIT).await?;
    screenshot(browser, "restore-preview.png").await?;
    browser.client.find(Locator::Id("restore-submit")).await?.click().await?;
    browser.wait_for(Locator::Css(".page.dashboard[aria-busy='false']"), PACK_WAIT).await?;
    Ok(())
}

/// The pages of a PDF as Chromium writes it: one `/Type /Page` object per page.
fn count_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1).filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's').count()
}
