// Quorum's service worker: keeps the app shell (index.html, the hashed .js and .wasm, styles,
// icons) so that the app opens with no network once it has been loaded. The data itself lives in
// IndexedDB, not here.
//
// Pages are network-first, so a new deployment is picked up on the next load while the network
// is there; trunk's hashed assets never change, so they are served from the cache first.

const SHELL = "quorum-shell-v1";
const ASSET = /["'](\/[^"'?#\s]+\.(?:js|wasm|css|svg|png|webmanifest))["']/g;
// Live endpoints of the relay are never cached.
const LIVE = ["/sync", "/api/", "/healthz", "/metrics"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    fetch("/", { cache: "no-cache" })
      .then((response) => {
        if (!response.ok) throw new Error(`index.html answered ${response.status}`);
        return keepShell(response);
      })
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== SHELL).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (LIVE.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else {
    event.respondWith(asset(request));
  }
});

// Keeps this index.html and every asset it names; fetches only the assets not kept yet, and drops
// those of older versions.
async function keepShell(response) {
  const cache = await caches.open(SHELL);
  const html = await response.clone().text();
  const assets = [...new Set([...html.matchAll(ASSET)].map((m) => m[1]))];
  const kept = new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
  await cache.addAll(assets.filter((path) => !kept.has(path)));
  await cache.put("/", response);
  const current = new Set(["/", ...assets]);
  await Promise.all([...kept].filter((path) => !current.has(path)).map((path) => cache.delete(path)));
}

// Any app route gets index.html: fresh from the network when it answers (and then the shell it
// names is kept), else the kept one.
async function page(event) {
  try {
    const response = await fetch(event.request);
    if (response.ok) event.waitUntil(keepShell(response.clone()).catch(() => {}));
    return response;
  } catch (offline) {
    const cached = await caches.match("/", { cacheName: SHELL });
    if (cached) return cached;
    throw offline;
  }
}

async function asset(request) {
  const cached = await caches.match(request, { cacheName: SHELL });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(SHELL);
    cache.put(request, response.clone());
  }
  return response;
}
