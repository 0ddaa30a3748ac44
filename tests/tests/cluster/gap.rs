//! A relay away for longer than the change log keeps its entries (here: frozen while the log is
//! pruned under it) reads what it has open again when it comes back, so that its clients still
//! get every change made at another relay meanwhile.

use quorum_shared::model::Role;
use quorum_tests::cluster::Cluster;
use quorum_tests::sync_peer::{SyncPeer, run_until, share, text};

use crate::{new_doc, put};

/// What the relays' pruning (`server/src/postgres/log.rs`) does to entries an hour old, done to
/// every entry: deleted, and the last id deleted marked.
const PRUNE_EVERYTHING: &str = "WITH gone AS (DELETE FROM change_log RETURNING id) \
    UPDATE change_log_pruned SET through = greatest(through, (SELECT coalesce(max(id), 0) FROM gone))";

#[tokio::test]
async fn a_relay_that_missed_pruned_log_entries_reads_its_open_documents_again() -> anyhow::Result<()> {
    let cluster = Cluster::start(2).await?;
    let owner = cluster.workspace("Gap test").await?;
    let editor = cluster.member(&owner, Role::Editor).await?;
    let mut writer = SyncPeer::connect(cluster.relays[0].addr, &owner.token, "peer-writer").await?;
    let mut reader = SyncPeer::connect(cluster.relays[1].addr, &editor.token, "peer-reader").await?;
    let (id, doc) = new_doc("gap", "before")?;
    share(&mut writer, &mut [&mut reader], &id, doc).await?;

    // Relay 2 freezes with the document open; relay 1 acknowledges an edit, so it is committed and
    // logged; then the log is pruned, that entry with the rest, before relay 2 runs again.
    cluster.relays[1].pause()?;
    put(&mut writer, &id, "gap", "after")?;
    writer.flush().await?;
    run_until(&mut [&mut writer], "the edit to be acknowledged", |p| p[0].client.is_synced(&id)).await?;
    let pruned = cluster.postgres.psql(PRUNE_EVERYTHING).await;
    cluster.relays[1].resume()?;
    pruned?;
    assert_eq!(cluster.postgres.psql("SELECT count(*) FROM change_log").await?, "0");

    run_until(&mut [&mut reader], "the edit made while its relay was away to reach the reader", |p| {
        text(p[0], &id, "gap").as_deref() == Some("after")
    })
    .await?;
    Ok(())
}
