// Fetches a document through the relay, sets `key` to `value`, and prints the document and its
// heads once the relay holds the change.
//
//   node edit.mjs <server-url> <token> <document-id> <key> <value>

import { connect, confirmRelayed, run, scalar, snapshot } from "./peer.mjs";

run("edit.mjs <server-url> <token> <document-id> <key> <value>", 5, async (server, token, id, key, value) => {
  const repo = await connect(server, token);
  const handle = await repo.find(id);
  handle.change((doc) => {
    doc[key] = scalar(value);
  });
  await confirmRelayed(server, token, handle);
  const result = snapshot(handle);
  await repo.shutdown();
  return result;
});
