// Fetches a document through the relay, waits until `key` holds `value`, and prints the
// document and its heads.
//
//   node read.mjs <server-url> <token> <document-id> <key> <value>

import { connect, holds, run, snapshot, until } from "./peer.mjs";

run("read.mjs <server-url> <token> <document-id> <key> <value>", 5, async (server, token, id, key, value) => {
  const repo = await connect(server, token);
  const handle = await repo.find(id);
  await until(handle, (doc) => holds(doc, key, value));
  const result = snapshot(handle);
  await repo.shutdown();
  return result;
});
