// The first pull of a new tablet: 10,000 time entries (about 500 bytes of JSON each) stored in
// IndexedDB through the app's real pull path, against two baselines measured in the same run and the
// same Chromium: a raw IndexedDB bulk put of the same records, and PouchDB replicating the same records
// from express-pouchdb. At 1× and 4× CPU throttling; run by bench/run.sh, prints JSON.
//
// The pull is the app's own: a fresh profile (a new device) signs in as a demo companion on /anmelden,
// and the app's first sync pulls every page (500 records each) from the real server, checks the
// outbox for pending changes, seals each record with the user's data key, and writes its server copy
// and its view into IndexedDB, page by page. The measured span runs from the app's `pull-start` mark
// (before the first page is requested) to `pull-done` (after the last page is stored), read over the
// DevTools protocol so that no Playwright script runs in the page while it pulls.
//
// Run with `npm ci` done in bench/ (express, express-pouchdb, pouchdb-browser, esbuild) and
// BEGLEITBUCH_SERVER_BIN / BEGLEITBUCH_DIST pointing at the server binary and a release build.
import express from 'express';
import expressPouchdb from 'express-pouchdb';
import PouchCore from 'pouchdb-core';
import PouchMemory from 'pouchdb-adapter-memory';
import { build } from 'esbuild';
import { loadavg } from 'node:os';
import { deviceSecret, launchBrowser, startServer, waitForController, waitForPage } from '../tests/e2e/harness.mjs';

const LOGIN = 'begleitung01';
const PASSWORD = 'demo-begleitbuch';
const ENTRIES = 10_000;
const PUSH_BATCH = 500;
const RUNS = 3;
const RATES = [1, 4];
const ENTRIES_PER_DAY = 20;
/** Long enough for a 4× pull on a busy machine; a run that takes longer is a failure, not a result. */
const TIMEOUT_MS = 10 * 60 * 1000;

function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A UUIDv7, as the app makes record ids (the time in the first 48 bits, then random bits). */
function uuidV7() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let millis = Date.now();
  for (let i = 5; i >= 0; i -= 1) {
    bytes[i] = millis % 256;
    millis = Math.floor(millis / 256);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function call(url, path, body, token) {
  const response = await fetch(`${url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Every record a device of the companion pulls, page by page, as the server sends them. */
async function pullAll(url, token) {
  const records = [];
  let cursors = [];
  for (;;) {
    const page = await call(url, '/sync/pull', { protocol: 1, cursors, limit: 500 }, token);
    records.push(...page.records);
    cursors = page.cursors;
    if (!page.has_more) return { records, cursors };
  }
}

const WORDS = ('Begleitung im Unterricht, Absprache mit der Klassenlehrerin, Pause auf dem Hof, ' +
  'Gespräch über den Streit am Morgen, Lesen in der Kleingruppe, Wechsel in die Sporthalle, ' +
  'Rückmeldung an die Eltern, Vorbereitung des Sitzkreises, Ruhephase im Nebenraum').split(' ');

/** A note of `length` characters that differs from entry to entry. */
function note(index, length) {
  let text = `Eintrag ${index + 1}:`;
  for (let word = index; text.length < length; word += 1) text += ` ${WORDS[word % WORDS.length]}`;
  return text.slice(0, length);
}

/**
 * Seeds ENTRIES time entries for the demo companion through the real API: signs in as a device of
 * the companion (an office computer) and pushes creating mutations in batches of 500. The entries lie
 * on consecutive days from 2024-01-01, twenty a day at half-hour steps from 06:00 (25 minutes each),
 * before the demo's own three weeks of entries, so none overlaps another and no week is approved.
 */
async function seed(url) {
  const device = crypto.randomUUID();
  const session = await call(url, '/auth/sign-in', { login: LOGIN, password: PASSWORD, device: { id: device, label: 'Büro', secret: deviceSecret() } });
  const token = session.access_token;
  const { cursors } = await pullAll(url, token);
  const pool = cursors[0].pool;
  const time = (minutes) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;
  const mutations = [];
  for (let i = 0; i < ENTRIES; i += 1) {
    const day = new Date(Date.UTC(2024, 0, 1 + Math.floor(i / ENTRIES_PER_DAY)));
    const start = 6 * 60 + (i % ENTRIES_PER_DAY) * 30;
    const fields = {
      pool,
      companion: session.user.id,
      date: day.toISOString().slice(0, 10),
      start: time(start),
      end: time(start + 25),
      category: i % 3 === 0 ? { type: 'indirect', kind: 'documentation' } : { type: 'direct', kind: 'individual' },
      note: note(i, 115),
    };
    mutations.push({
      device, number: i + 1, user: session.user.id, kind: 'time_entry', record: uuidV7(), base_version: 0,
      change: { op: 'put', fields, sets: {} }, payload_version: 1,
    });
  }
  for (let i = 0; i < mutations.length; i += PUSH_BATCH) {
    const answer = await call(url, '/sync/push', { protocol: 1, device, mutations: mutations.slice(i, i + PUSH_BATCH) }, token);
    const refused = answer.results.filter((result) => result.outcome !== 'applied');
    if (refused.length) throw new Error(`seeding: ${refused.length} refused, e.g. ${JSON.stringify(refused[0])}`);
  }
  // What a new device of the companion pulls: the seeded entries and the demo's records, among them
  // tombstones for the records of the pool the companion may not see (their colleague's entries).
  return (await pullAll(url, token)).records;
}

/** Evaluates `expression` in the page over CDP (no Playwright script in the page) and returns its value. */
async function evaluate(cdp, expression) {
  const timeout = new Promise((_, reject) => {
    setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref();
  });
  const answer = await Promise.race([
    cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }),
    timeout,
  ]);
  if (answer.exceptionDetails) throw new Error(JSON.stringify(answer.exceptionDetails));
  return answer.result.value;
}

/**
 * A fresh device signs in and pulls. Returns the pull's span and, from the resource timing, how long
 * the pull requests were under way (request sent → answer read; the app asks for the next page while
 * it stores one, so this overlaps the storing), and what the store holds afterwards.
 */
async function appPull(tablet, url, rate) {
  const { page, context } = tablet;
  await page.goto(`${url}/einstellungen`);
  await waitForPage(page, 'page-einstellungen');
  await waitForController(page);
  await page.getByTestId('sign-in-link').click();
  await waitForPage(page, 'page-anmelden');
  await page.getByLabel('Benutzername').fill(LOGIN);
  await page.getByLabel('Passwort').fill(PASSWORD);
  await page.getByLabel('Name dieses Geräts (optional)').fill('Benchmark-Tablet');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.getByTestId('sign-in-submit').click();
  const timing = await evaluate(cdp, `new Promise((resolve) => {
    const done = () => {
      if (performance.getEntriesByName('pull-done').length === 0) return false;
      const span = performance.measure('first-pull', 'pull-start', 'pull-done');
      const pages = performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('/api/v1/sync/pull'));
      resolve({
        ms: span.duration,
        pages: pages.length,
        requests_ms: pages.reduce((sum, entry) => sum + entry.responseEnd - entry.startTime, 0),
      });
      return true;
    };
    if (!done()) new PerformanceObserver((_, observer) => { if (done()) observer.disconnect(); }).observe({ type: 'mark' });
  })`);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const stored = await evaluate(cdp, `new Promise((resolve, reject) => {
    const open = indexedDB.open('begleitbuch');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const transaction = open.result.transaction(['records', 'server'], 'readonly');
      const views = transaction.objectStore('records').count();
      const copies = transaction.objectStore('server').count();
      transaction.oncomplete = () => { resolve({ views: views.result, copies: copies.result }); open.result.close(); };
      transaction.onerror = () => reject(transaction.error);
    };
  })`);
  await cdp.detach();
  // The app would go on syncing every minute; closed, it cannot run into the baselines' time.
  await page.close();
  return { ...timing, stored };
}

/**
 * The raw baseline: the same records put into a throwaway IndexedDB database by a page of the app's
 * origin that runs no app (an /api/ address, which the service worker leaves alone): one readwrite
 * transaction, one put per record, until `complete`.
 */
async function rawPut(tablet, url, recordsJson, rate, run) {
  const page = await tablet.context.newPage();
  await page.goto(`${url}/api/v1/bench`);
  const cdp = await tablet.context.newCDPSession(page);
  await evaluate(cdp, `window.records = JSON.parse(${JSON.stringify(recordsJson)}); true`);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  const ms = await evaluate(cdp, `new Promise((resolve, reject) => {
    const name = 'raw-bench-${rate}-${run}';
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => open.result.createObjectStore('records', { keyPath: 'id' });
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const start = performance.now();
      const transaction = db.transaction('records', 'readwrite');
      const store = transaction.objectStore('records');
      for (const record of window.records) store.put(record);
      transaction.oncomplete = () => {
        const ms = performance.now() - start;
        db.close();
        indexedDB.deleteDatabase(name).onsuccess = () => resolve(ms);
      };
      transaction.onerror = () => reject(transaction.error);
    };
  })`);
  await cdp.detach();
  await page.close();
  return { ms };
}

/** express-pouchdb serving the same records from memory, and a page that loads pouchdb-browser. */
async function startPouchServer(records) {
  const bundle = await build({
    stdin: { contents: "import PouchDB from 'pouchdb-browser'; window.PouchDB = PouchDB;", resolveDir: import.meta.dirname },
    bundle: true, minify: true, write: false, platform: 'browser', format: 'iife',
  });
  const MemoryPouch = PouchCore.plugin(PouchMemory).defaults({ adapter: 'memory' });
  const db = new MemoryPouch('records');
  await db.bulkDocs(records.map((record) => ({ _id: record.id, ...record })));
  const app = express();
  app.get('/', (_, response) => response.type('html').send('<!doctype html><title>PouchDB</title><script src="/pouchdb.js"></script>'));
  app.get('/pouchdb.js', (_, response) => response.type('js').send(bundle.outputFiles[0].text));
  app.use('/db', expressPouchdb(MemoryPouch, { mode: 'minimumForPouchDB' }));
  const server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((resolve) => server.close(resolve)) };
}

/** PouchDB in the browser replicates the remote database into a new local one (its defaults: IndexedDB, batches of 100). */
async function pouchReplicate(tablet, url, rate, run) {
  const page = await tablet.context.newPage();
  await page.goto(`${url}/`);
  const cdp = await tablet.context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  const result = await evaluate(cdp, `(async () => {
    const local = new PouchDB('pouch-bench-${rate}-${run}');
    const remote = new PouchDB(location.origin + '/db/records');
    const start = performance.now();
    const replicated = await local.replicate.from(remote);
    const ms = performance.now() - start;
    const stored = (await local.info()).doc_count;
    await local.destroy();
    return { ms, stored, written: replicated.docs_written };
  })()`);
  await cdp.detach();
  await page.close();
  return result;
}

const perSecond = (count, ms) => Math.round((count * 1000) / ms);

// The 2 cores are often shared with compilers and tests: the load is printed with the results.
const loadBefore = loadavg()[0];
const server = await startServer({ demo: true });
let pouchServer;
try {
  const pulled = await seed(server.url);
  // The baselines store the records the pull keeps (it only deletes for a tombstone, and has nothing
  // to delete on a new device), and every rate counts those.
  const records = pulled.filter((record) => !record.deleted);
  const recordsJson = JSON.stringify(records);
  const entryBytes = records.filter((r) => r.kind === 'time_entry').map((r) => Buffer.byteLength(JSON.stringify(r)));
  pouchServer = await startPouchServer(records);

  const samples = Object.fromEntries(RATES.map((rate) => [rate, { pull: [], raw: [], pouch: [] }]));
  for (let run = 0; run < RUNS; run += 1) {
    for (const rate of RATES) {
      // A new browser on a new profile for each run: the app's pull is a new device's first one.
      const tablet = await launchBrowser();
      try {
        const pull = await appPull(tablet, server.url, rate);
        if (pull.stored.views < ENTRIES || pull.stored.views !== records.length || pull.stored.copies !== records.length) {
          throw new Error(`the pull stored ${JSON.stringify(pull.stored)}, expected ${records.length} of each`);
        }
        const raw = await rawPut(tablet, server.url, recordsJson, rate, run);
        const pouch = await pouchReplicate(tablet, pouchServer.url, rate, run);
        if (pouch.stored !== records.length || pouch.written !== records.length) {
          throw new Error(`PouchDB wrote ${pouch.written} and holds ${pouch.stored} of ${records.length}`);
        }
        samples[rate].pull.push(pull);
        samples[rate].raw.push(raw);
        samples[rate].pouch.push(pouch);
        console.error(`run ${run + 1} at ${rate}×: pull ${Math.round(pull.ms)} ms (requests ${Math.round(pull.requests_ms)} ms), raw ${Math.round(raw.ms)} ms, PouchDB ${Math.round(pouch.ms)} ms`);
      } finally {
        await tablet.close();
      }
    }
  }

  const results = {};
  for (const rate of RATES) {
    const ms = (kind) => median(samples[rate][kind].map((sample) => sample.ms));
    const pull = perSecond(records.length, ms('pull'));
    const raw = perSecond(records.length, ms('raw'));
    const pouch = perSecond(records.length, ms('pouch'));
    results[`${rate}x`] = {
      pull: { records_per_s: pull, median_ms: Math.round(ms('pull')), runs_ms: samples[rate].pull.map((s) => Math.round(s.ms)),
        median_requests_ms: Math.round(median(samples[rate].pull.map((s) => s.requests_ms))), pages: samples[rate].pull[0].pages },
      raw_put: { records_per_s: raw, median_ms: Math.round(ms('raw')), runs_ms: samples[rate].raw.map((s) => Math.round(s.ms)) },
      pouchdb: { records_per_s: pouch, median_ms: Math.round(ms('pouch')), runs_ms: samples[rate].pouch.map((s) => Math.round(s.ms)) },
      pull_vs_raw: Number((pull / raw).toFixed(2)),
      pull_vs_pouchdb: Number((pull / pouch).toFixed(2)),
    };
  }
  console.log(JSON.stringify({
    records: records.length,
    pulled_with_tombstones: pulled.length,
    seeded_time_entries: ENTRIES,
    time_entry_json_bytes: { min: Math.min(...entryBytes), median: median(entryBytes), max: Math.max(...entryBytes) },
    runs: RUNS,
    load_average_1min: { before: loadBefore, after: loadavg()[0] },
    results,
  }, null, 2));
} finally {
  await pouchServer?.stop();
  await server.stop();
}
