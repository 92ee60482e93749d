// Sizes of the built app, and cold start to Heute rendered from 200 stored entries at 1× and 4× CPU
// throttling, in Debian's Chromium against the real server. Run by bench/run.sh; prints JSON.
//
// "Cold start" is what a companion sees when reopening the installed app: a new page load, served by
// the service worker, that opens the encrypted store, unlocks the partition, reads and decrypts the
// day's entries and renders them. It ends at the `heute-ready` performance mark the page sets when
// the entries are on screen (the same moment `data-ready="true"` appears). Alongside, each run reports
// where its time went, from the navigation timing and the app's own marks, and the first contentful
// paint: since the app renders Heute only once its entries are read, that is when they are painted.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { DIST, offlineTablet, startServer } from '../tests/e2e/harness.mjs';

const ENTRIES = 200;
const RUNS = 10;

async function sizes() {
  const result = {};
  for (const file of await readdir(DIST)) {
    const kind = path.extname(file).slice(1);
    if (!['wasm', 'js', 'css'].includes(kind)) continue;
    const bytes = await readFile(path.join(DIST, file));
    const entry = (result[kind] ??= { raw: 0, gzip: 0, brotli: 0 });
    entry.raw += bytes.length;
    entry.gzip += gzipSync(bytes, { level: 9 }).length;
    entry.brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  result.total_brotli = Object.values(result).reduce((sum, s) => sum + s.brotli, 0);
  return result;
}

function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function ready(page) {
  await page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor({ timeout: 60000 });
}

/**
 * Waits for the app's `heute-ready` mark with a few bytes of script sent over the DevTools protocol.
 * A Playwright locator would first evaluate Playwright's own script in the page (over 300 KB, about
 * 50 ms of the page's main thread at 4× throttling), in the middle of the start it measures.
 */
async function heuteReady(cdp) {
  const timeout = new Promise((_, reject) => {
    setTimeout(() => reject(new Error('no heute-ready mark within 60 s')), 60000).unref();
  });
  const marked = cdp.send('Runtime.evaluate', {
    awaitPromise: true,
    expression: `new Promise((resolve) => {
      const marked = () => performance.getEntriesByName('heute-ready').length > 0;
      if (marked()) return resolve();
      new PerformanceObserver((_, observer) => {
        if (marked()) { observer.disconnect(); resolve(); }
      }).observe({ type: 'mark' });
    })`,
  });
  await Promise.race([marked, timeout]);
}

/** Lets the previous page finish rendering, so that its leftover work is not counted in the next start. */
async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => {
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 200)));
  }));
}

/** Milliseconds from the start of the navigation to each step of the start that just ended. */
async function timings(page) {
  return page.evaluate(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
    const navigation = performance.getEntriesByType('navigation')[0];
    return {
      html_received: navigation.responseEnd,
      html_parsed: navigation.domInteractive,
      app_started: at('app-start'),
      store_opened: at('store-opened'),
      heute_ready: at('heute-ready'),
      first_contentful_paint: at('first-contentful-paint'),
    };
  });
}

async function seed(page) {
  for (let i = 0; i < ENTRIES; i += 1) {
    const start = i * 5;
    const time = (minutes) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    await page.getByLabel('Beginn').fill(time(start));
    await page.getByLabel('Ende', { exact: true }).fill(time(start + 4));
    await page.getByLabel('Tätigkeit').selectOption(i % 3 === 0 ? 'documentation' : 'individual');
    await page.getByLabel('Notiz (optional)').fill(`Eintrag ${i + 1}: Begleitung im Unterricht`);
    await page.getByTestId('entry-save').click();
    await page.getByTestId('entry').nth(i).waitFor();
  }
}

const server = await startServer({ demo: true });
// Nothing is recorded before sign-in: a demo companion's tablet, signed in and then offline, so the
// entries wait in the outbox as on a tablet without Wi-Fi, and every start comes from the service worker.
const browser = await offlineTablet(server.url, 'begleitung01', { clock: null });
try {
  const { page, context } = browser;
  await page.goto(`${server.url}/heute`);
  await ready(page);
  await seed(page);

  const cdp = await context.newCDPSession(page);
  const coldStart = {};
  for (const rate of [1, 4]) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const runs = [];
    for (let run = 0; run < RUNS; run += 1) {
      await settle(page);
      await page.reload();
      await heuteReady(cdp);
      await ready(page);
      const rendered = await page.getByTestId('entry').count();
      if (rendered !== ENTRIES) throw new Error(`expected ${ENTRIES} entries on screen, saw ${rendered}`);
      // The paint entry appears after the frame that follows the mark.
      await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
      runs.push(await timings(page));
    }
    const samples = runs.map((timing) => timing.heute_ready);
    const steps = Object.fromEntries(Object.keys(runs[0]).map((step) => {
      const times = runs.map((timing) => timing[step]).filter((time) => time !== null);
      return [step, times.length ? Math.round(median(times)) : null];
    }));
    coldStart[`${rate}x`] = {
      median_ms: median(samples), min_ms: Math.min(...samples), max_ms: Math.max(...samples), median_steps_ms: steps,
    };
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  console.log(JSON.stringify({ sizes: await sizes(), cold_start: coldStart, entries: ENTRIES, runs: RUNS }, null, 2));
} finally {
  await browser.close();
  await server.stop();
}
