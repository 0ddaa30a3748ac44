// The JS ecosystem's reference relay, for the load benchmark to compare with: an automerge-repo
// `Repo` behind `NodeWSServerAdapter` with `NodeFSStorageAdapter`, set up as automerge-repo's own
// sync server is (it announces nothing and answers what peers ask for). No authentication.
//
//   node reference-relay.mjs <port> <data-dir>
//
// Prints {"listening": port} once it accepts connections; stops on SIGTERM or SIGINT.

import { Repo } from "@automerge/automerge-repo";
import { NodeWSServerAdapter } from "@automerge/automerge-repo-network-websocket";
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs";
import { WebSocketServer } from "ws";

const [port, dataDir] = process.argv.slice(2);
if (!port || !dataDir) {
  console.error("usage: node reference-relay.mjs <port> <data-dir>");
  process.exit(2);
}

const socket = new WebSocketServer({ host: "127.0.0.1", port: Number(port) });
const repo = new Repo({
  network: [new NodeWSServerAdapter(socket)],
  storage: new NodeFSStorageAdapter(dataDir),
  peerId: `reference-relay-${process.pid}`,
  sharePolicy: async () => false,
});

// The adapter answers connections only once the repo knows its storage id (read from disk): one
// accepted before that is never answered. So "listening" waits for both.
await new Promise((resolve) => socket.on("listening", resolve));
await repo.storageId();
await new Promise((resolve) => setImmediate(resolve));
process.stdout.write(JSON.stringify({ listening: Number(port) }) + "\n");
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, async () => {
    await repo.shutdown();
    socket.close();
    process.exit(0);
  });
}
