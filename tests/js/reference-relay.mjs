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

socket.on("listening", () => process.stdout.write(JSON.stringify({ listening: Number(port) }) + "\n"));
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, async () => {
    await repo.shutdown();
    socket.close();
    process.exit(0);
  });
}
