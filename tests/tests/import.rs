//! Spreadsheet import in two real browsers against the real relay: A imports a CSV into the
//! risk register, sees every row's result first (the bad row says why), imports the good rows as
//! one change, and B sees them; A's Undo takes the whole import back, in B too. Then A imports an
//! Excel workbook (as Quorum's own audit pack writes it) into the AI system inventory.

use fantoccini::Locator;
use quorum_shared::pack::{Cell, Table};
use quorum_tests::form::screenshot;
use quorum_tests::wait::wait_until;
use quorum_tests::workspace::{WAIT, create_workspace, join, open_from_nav, wait_synced_and_saved};
use quorum_tests::{Browser, Server};

const RISKS: &str = "Risk title;Probability;Impact;Risk owner;Controls\n\
Biased screening;3;4;Ada;A.6.2.4\n\
Model drift;2;2;;\n\
Data leak;1;5;;A.99\n";

#[tokio::test]
async fn a_spreadsheet_is_previewed_then_imported_as_one_change_that_undo_takes_back() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    wait_synced_and_saved(&a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;
    let dir = tempfile::tempdir()?;

    // A chooses the CSV: every row's result shows before anything is written.
    let csv = dir.path().join("risks.csv");
    std::fs::write(&csv, RISKS)?;
    open_from_nav(&a, "/risks").await?;
    a.wait_for(Locator::Css("#import-risks-panel summary"), WAIT).await?.click().await?;
    a.client.find(Locator::Id("import-risks-file")).await?.send_keys(&csv.display().to_string()).await?;
    let bad = a.wait_for(Locator::Css("tr.import-row[data-ok='false'][data-line='4']"), WAIT).await?;
    let why = bad.text().await?;
    assert!(why.contains("\"A.99\" is not an Annex A control"), "{why}");
    assert_eq!(a.client.find_all(Locator::Css("tr.import-row[data-ok='true']")).await?.len(), 2);
    assert!(a.client.find_all(Locator::Css("li.risk")).await?.is_empty(), "nothing is written yet");
    screenshot(&a, "import-preview.png").await?;

    // A imports the good rows; B sees them.
    a.client.find(Locator::Id("import-risks-apply")).await?.click().await?;
    a.wait_for(Locator::Css(".import-done"), WAIT).await?;
    open_from_nav(&b, "/risks").await?;
    let titles = wait_until("B sees the imported risks", WAIT, async |seen| {
        let mut titles = Vec::new();
        for row in b.client.find_all(Locator::Css("li.risk")).await? {
            titles.push(
                row.find(Locator::Css("input[id$='-title']")).await?.prop("value").await?.unwrap_or_default(),
            );
        }
        *seen = format!("{titles:?}");
        Ok((titles.len() == 2).then_some(titles))
    })
    .await?;
    assert_eq!(titles, ["Biased screening", "Model drift"]);
    b.wait_for(Locator::Css("li.risk[data-likelihood='3'][data-consequence='4']"), WAIT).await?;

    // One undo takes the whole import back, in B too.
    a.client.find(Locator::Css(".undo-button")).await?.click().await?;
    wait_until("the import is undone in B", WAIT, async |seen| {
        let left = b.client.find_all(Locator::Css("li.risk")).await?.len();
        *seen = format!("{left} risks");
        Ok((left == 0).then_some(()))
    })
    .await?;

    // An Excel workbook, as the audit pack writes the inventory, goes into the inventory.
    let mut table = Table::new(
        "ai-systems",
        "AI system inventory",
        "4.3",
        &["AI system", "Purpose", "Organization's role", "Life cycle stage", "Data", "Owner", "In scope"],
    );
    table.push(
        ["CV screener", "Ranks applications", "customer (user)", "deployment", "CVs", "Ada", "yes"]
            .map(Cell::from)
            .to_vec(),
    );
    let xlsx = dir.path().join("systems.xlsx");
    std::fs::write(&xlsx, table.xlsx(&[("Workspace", "Elsewhere".to_owned())])?)?;
    open_from_nav(&a, "/inventory").await?;
    a.wait_for(Locator::Css("#import-systems-panel summary"), WAIT).await?.click().await?;
    a.client.find(Locator::Id("import-systems-file")).await?.send_keys(&xlsx.display().to_string()).await?;
    a.wait_for(Locator::Css("tr.import-row[data-ok='true']"), WAIT).await?;
    a.client.find(Locator::Id("import-systems-apply")).await?.click().await?;
    open_from_nav(&b, "/inventory").await?;
    b.wait_for(
        Locator::Css("tr.system[data-stage='deployment'][data-role='customer'][data-status='in-scope']"),
        WAIT,
    )
    .await?;

    a.close().await?;
    b.close().await
}
