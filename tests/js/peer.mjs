// Shared by the interop scripts: a JS automerge-repo peer that dials Quorum's relay with a token.
//
// Every script prints one JSON object on stdout and exits 0, or prints {"error": "..."} and
// exits 1; none runs longer than its deadline, so a hung sync fails the calling test instead of
// hanging it.

import { ImmutableString, Repo, decodeHeads } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";

const DEADLINE_MS = Number(process.env.QUORUM_JS_DEADLINE_MS ?? 15000);

/** Ends the process with `{"error": message}` on stdout. */
export function fail(message) {
  process.stdout.write(JSON.stringify({ error: String(message) }) + "\n");
  process.exit(1);
}

/** Runs `main` under the deadline and prints what it returns. */
export function run(usage, arity, main) {
  const args = process.argv.slice(2);
  if (args.length !== arity) fail(`usage: node ${usage}`);
  // The WebSocket adapter rethrows a refused upgrade (such as 401) from an event handler, where
  // no promise can catch it.
  process.on("uncaughtException", (e) => fail(e?.message ?? e));
  process.on("unhandledRejection", (e) => fail(e?.message ?? e));
  setTimeout(() => fail(`no result within ${DEADLINE_MS} ms`), DEADLINE_MS).unref();
  main(...args).then(
    (result) => {
      process.stdout.write(JSON.stringify(result) + "\n");
      process.exit(0);
    },
    (e) => fail(e?.message ?? e),
  );
}

/** A repo without storage whose only peer is the relay at `server` (http:// or ws://). */
export async function connect(server, token) {
  const url = new URL("/sync", server.replace(/^http/, "ws"));
  url.searchParams.set("token", token);
  // A retry interval longer than any script runs turns reconnection off: a refused token must
  // fail, not loop. (0 does not: the adapter's connect repeats on an interval of that length
  // until a socket opens, so 0 opened a new socket every millisecond, leaving the others open,
  // until the relay's per-member cap refused them.)
  const repo = new Repo({ network: [new WebSocketClientAdapter(url.toString(), DEADLINE_MS * 2)] });
  await new Promise((resolve) => {
    if (repo.peers.length > 0) return resolve();
    repo.networkSubsystem.once("peer", resolve);
  });
  return repo;
}

/**
 * `value` as Automerge stores a Rust `String`: a scalar string (samod's `put` of a `&str`, and
 * autosurgeon's default), not the collaborative text a plain JS string becomes.
 */
export function scalar(value) {
  return new ImmutableString(value);
}

/** Whether `doc[key]` reads as `value`, be it a scalar string or text. */
export function holds(doc, key, value) {
  return doc?.[key]?.toString() === value;
}

/** Resolves once `predicate(doc)` holds for `handle`'s document. */
export function until(handle, predicate) {
  return new Promise((resolve) => {
    const check = () => {
      if (predicate(handle.doc())) {
        handle.off("change", check);
        resolve();
      }
    };
    handle.on("change", check);
    check();
  });
}

/** The document and its heads as hex change hashes, as samod reports them. */
export function snapshot(handle) {
  return { documentId: handle.documentId, url: handle.url, doc: handle.doc(), heads: decodeHeads(handle.heads()).sort() };
}

/**
 * Waits until the relay holds `handle`'s changes: a second, fresh peer with the same token fetches
 * the document and reaches the same heads. The relay answers "unavailable" while the creator's
 * first sync message is still on its way (the relay asks no one about a document no workspace
 * has claimed yet), so an unavailable answer is asked again until the deadline.
 */
export async function confirmRelayed(server, token, handle) {
  const want = JSON.stringify(decodeHeads(handle.heads()).sort());
  for (;;) {
    const probe = await connect(server, token);
    try {
      const copy = await probe.find(handle.documentId);
      await until(copy, () => JSON.stringify(decodeHeads(copy.heads()).sort()) === want);
      return;
    } catch (e) {
      if (!String(e?.message ?? e).includes("unavailable")) throw e;
    } finally {
      await probe.shutdown();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
