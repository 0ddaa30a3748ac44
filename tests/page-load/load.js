// Times the app's page loads in headless Chromium against a running server: a first visit (the
// home page), then reloads of the dashboard of a workspace created in that visit, with the
// service worker's copy and with nothing kept (the worker unregistered, its caches and the HTTP
// cache off), as a browser that lost its copy meets it. Prints medians; asserts nothing.
//   node load.js URL [RUNS]
// Run through scripts/bench-page-load. The times are the page's own (performance.now(), from
// navigation), taken by a MutationObserver installed before the app's script runs.
const fs = require('fs');
const puppeteer = require('puppeteer-core');

const url = process.argv[2];
const runs = Number(process.argv[3] || 5);
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';

// When each state of the page first shows.
const MARKS = `
  window.__loaded = {};
  const seen = (name, selector) => {
    if (!window.__loaded[name] && document.querySelector(selector)) window.__loaded[name] = performance.now();
  };
  new MutationObserver(() => {
    seen('home', '#workspace-name');
    seen('lastSeen', '.dashboard-last-seen');
    seen('live', '.dashboard[aria-busy="false"]');
  }).observe(document, { subtree: true, childList: true, attributes: true });
`;

const median = (values) => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
};
const ms = (v) => (Number.isNaN(v) ? '-' : `${v.toFixed(1)} ms`);

async function main() {
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    userDataDir: fs.mkdtempSync('/tmp/quorum-page-load-'),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.evaluateOnNewDocument(MARKS);
    await page.goto(`${url}/`, { waitUntil: 'load' });
    await page.waitForSelector('#workspace-name');
    const first = await page.evaluate(() => ({
      home: window.__loaded.home,
      bytes: performance.getEntriesByType('resource').reduce((n, r) => n + r.transferSize, 0),
    }));
    console.log(`first visit: the home page drawn at ${ms(first.home)}, ${first.bytes.toLocaleString('en')} bytes transferred`);

    await page.type('#workspace-name', 'Page load');
    await page.type('#your-name', 'Ada');
    await page.click('.create-workspace button[type=submit]');
    await page.waitForFunction(() => location.pathname === '/soa', { timeout: 60000 });
    await page.goto(`${url}/dashboard`, { waitUntil: 'load' });
    await page.waitForSelector('.dashboard[aria-busy="false"]', { timeout: 60000 });
    // The dashboard is remembered as last seen, and the worker keeps every file.
    await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration())?.active, { timeout: 90000 });
    await new Promise((resolve) => setTimeout(resolve, 2000));

    for (const [label, keep] of [['with the service worker\'s copy', true], ['with nothing kept', false]]) {
      const rows = [];
      for (let run = 0; run < runs; run++) {
        if (!keep) {
          await page.evaluate(async () => {
            for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
            for (const key of await caches.keys()) await caches.delete(key);
          });
          await page.setCacheEnabled(false);
        }
        await page.goto(`${url}/dashboard`, { waitUntil: 'load' });
        await page.waitForSelector('.dashboard[aria-busy="false"]', { timeout: 60000 });
        rows.push(await page.evaluate(() => {
          const runtime = performance.getEntriesByType('resource').find((r) => r.name.includes('split_workspace'));
          return { ...window.__loaded, runtime: runtime ? runtime.responseEnd : NaN };
        }));
      }
      const at = (key) => ms(median(rows.map((r) => r[key] ?? NaN)));
      console.log(`the dashboard ${label} (${runs} reloads, medians from navigation): as last seen ${at('lastSeen')}, `
        + `live ${at('live')}; the runtime's chunk arrived at ${at('runtime')}`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
