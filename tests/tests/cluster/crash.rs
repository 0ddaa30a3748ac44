//! A relay of the cluster killed with SIGKILL in the middle of a burst of edits, again and again:
//! every change a client saw acknowledged is in the database afterwards (a client that never held
//! the document loads it from another relay before the writer comes back), and once the writer
//! has moved to a surviving relay everyone converges on everything it wrote.

use quorum_shared::model::Role;
use quorum_tests::cluster::Cluster;
use quorum_tests::sync_peer::{SyncPeer, converged, run_until, share, text};

use crate::{new_doc, put};

/// How many times in a row a relay is killed.
const KILLS: usize = 10;

/// One client's edits: each a key `{prefix}-{n}` of its own, counted as written and as
/// acknowledged by its relay.
struct Writes {
    prefix: &'static str,
    written: usize,
    acknowledged: usize,
}

impl Writes {
    fn new(prefix: &'static str) -> Self {
        Self { prefix, written: 0, acknowledged: 0 }
    }

    fn key(&self, n: usize) -> String {
        format!("{}-{n}", self.prefix)
    }

    /// Makes `count` more edits and sends each at once, without waiting for the relay.
    async fn burst(&mut self, peer: &mut SyncPeer, doc: &str, count: usize) -> anyhow::Result<()> {
        for _ in 0..count {
            put(peer, doc, &self.key(self.written), "written")?;
            peer.flush().await?;
            self.written += 1;
        }
        Ok(())
    }

    /// Whether `peer` holds the first `n` of these edits.
    fn held_by(&self, peer: &SyncPeer, doc: &str, n: usize) -> bool {
        (0..n).all(|i| text(peer, doc, &self.key(i)).is_some())
    }
}

#[tokio::test]
async fn a_relay_killed_ten_times_mid_burst_loses_no_acknowledged_change() -> anyhow::Result<()> {
    let mut cluster = Cluster::start(3).await?;
    let owner = cluster.workspace("Crash test").await?;
    let editor = cluster.member(&owner, Role::Editor).await?;
    let viewer = cluster.member(&owner, Role::Viewer).await?;
    let relay = |cluster: &Cluster, n: usize| cluster.relays[n % 3].addr;

    // The writer is always on the relay about to die, the other client on another one.
    let mut writer = SyncPeer::connect(relay(&cluster, 0), &editor.token, "peer-writer").await?;
    let mut other = SyncPeer::connect(relay(&cluster, 1), &owner.token, "peer-other").await?;
    let (id, doc) = new_doc("crash", "test")?;
    share(&mut writer, &mut [&mut other], &id, doc).await?;
    let (mut w, mut o) = (Writes::new("w"), Writes::new("o"));

    for round in 0..KILLS {
        let victim = round % 3;
        if round > 0 {
            other.move_to(relay(&cluster, victim + 1)).await?;
        }
        // Both write in batches the relays acknowledge, a different number each round; then the
        // writer sends more, and its relay dies with them in flight.
        for _ in 0..2 + round % 3 {
            w.burst(&mut writer, &id, 5).await?;
            o.burst(&mut other, &id, 5).await?;
            run_until(&mut [&mut writer, &mut other], "both clients' edits acknowledged", |p| {
                p[0].client.is_synced(&id) && p[1].client.is_synced(&id)
            })
            .await?;
            (w.acknowledged, o.acknowledged) = (w.written, o.written);
        }
        w.burst(&mut writer, &id, 5).await?;
        cluster.relays[victim].kill();

        // Before the writer can send anything again, a client that never held the document loads
        // it from the third relay, which has it only from the database.
        let mut reader =
            SyncPeer::connect(relay(&cluster, victim + 2), &viewer.token, &format!("peer-reader-{round}"))
                .await?;
        reader.client.open(&id)?;
        reader.flush().await?;
        let what = format!(
            "round {round}: {} and {} acknowledged edits to be stored",
            w.acknowledged, o.acknowledged
        );
        run_until(&mut [&mut reader, &mut other], &what, |p| {
            w.held_by(p[0], &id, w.acknowledged) && o.held_by(p[0], &id, o.acknowledged)
        })
        .await?;

        // The writer reconnects to a surviving relay (the next round's victim); what it sent as
        // its relay died goes again, and everyone converges on everything.
        writer.move_to(relay(&cluster, victim + 1)).await?;
        run_until(&mut [&mut writer, &mut other, &mut reader], "everyone to converge after the kill", |p| {
            converged(p, &id)
        })
        .await?;
        assert!(w.held_by(&reader, &id, w.written) && o.held_by(&reader, &id, o.written), "round {round}");
        cluster.relays[victim].restart().await?;
    }
    assert!(w.acknowledged >= KILLS * 10, "{} acknowledged", w.acknowledged);
    Ok(())
}
