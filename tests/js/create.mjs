// Creates a document {key: value} through the relay and prints its id and heads once the relay
// holds it.
//
//   node create.mjs <server-url> <token> <key> <value>

import { connect, confirmRelayed, run, scalar, snapshot } from "./peer.mjs";

run("create.mjs <server-url> <token> <key> <value>", 4, async (server, token, key, value) => {
  const repo = await connect(server, token);
  const handle = repo.create({ [key]: scalar(value) });
  await confirmRelayed(server, token, handle);
  const result = snapshot(handle);
  await repo.shutdown();
  return result;
});
