// Sizes of the built app, and cold start to Heute rendered from 200 stored entries at 1× and 4× CPU
// throttling, in Debian's Chromium against the real server. Run by bench/run.sh; prints JSON.
//
// "Cold start" is what a companion sees when reopening the installed app: a new page load, served by
// the service worker, that opens the encrypted store, unlocks the partition, reads and decrypts the
// day's entries and renders them. It ends at the `heute-ready` performance mark the page sets when
// the entries are on screen (the same moment `data-ready="true"` appears).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { DIST, launchBrowser, startServer, waitForController } from '../tests/e2e/harness.mjs';

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

const server = await startServer();
const browser = await launchBrowser();
try {
  const { page, context } = browser;
  await page.goto(`${server.url}/heute`);
  await waitForController(page);
  await page.reload();
  await ready(page);
  await seed(page);

  const cdp = await context.newCDPSession(page);
  const coldStart = {};
  for (const rate of [1, 4]) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const samples = [];
    for (let run = 0; run < RUNS; run += 1) {
      await page.reload();
      await ready(page);
      const rendered = await page.getByTestId('entry').count();
      if (rendered !== ENTRIES) throw new Error(`expected ${ENTRIES} entries on screen, saw ${rendered}`);
      samples.push(await page.evaluate(() => performance.getEntriesByName('heute-ready')[0].startTime));
    }
    coldStart[`${rate}x`] = { median_ms: median(samples), min_ms: Math.min(...samples), max_ms: Math.max(...samples) };
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  console.log(JSON.stringify({ sizes: await sizes(), cold_start: coldStart, entries: ENTRIES, runs: RUNS }, null, 2));
} finally {
  await browser.close();
  await server.stop();
}
