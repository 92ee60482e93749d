// Shared pieces of the browser tests: the real server binary on a free port, a fresh Chromium profile
// per test, screenshots as artefacts, and axe-core.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

const here = path.dirname(new URL(import.meta.url).pathname);
const repo = path.resolve(here, '../..');
export const SERVER_BIN = process.env.BEGLEITBUCH_SERVER_BIN ?? path.join(repo, 'target/release/begleitbuch-server');
export const DIST = process.env.BEGLEITBUCH_DIST ?? path.join(repo, 'dist');
export const ARTIFACTS = process.env.BEGLEITBUCH_ARTIFACTS ?? path.join(repo, 'target/e2e-artifacts');

/**
 * The tests' "now": the server's clock (`--clock-start`) and every browser's clock start here, so the
 * suite answers the same on whatever day it runs. A Tuesday of the demo's school year by default;
 * `BEGLEITBUCH_TEST_NOW` (RFC 3339) moves it — to the first of a month, say, or a summer-time switch.
 */
export const TEST_START = new Date(process.env.BEGLEITBUCH_TEST_NOW ?? '2026-11-24T09:30:00+01:00');
if (Number.isNaN(TEST_START.getTime())) throw new Error(`BEGLEITBUCH_TEST_NOW is not an instant: ${process.env.BEGLEITBUCH_TEST_NOW}`);
const loadedAt = Date.now();

/** The tests' clock: TEST_START, running on at the real pace since the suite started. */
export function now() {
  return new Date(TEST_START.getTime() + (Date.now() - loadedAt));
}

/** The date (YYYY-MM-DD) in Berlin `days` after the tests' today. */
export function berlinDate(days = 0) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(now());
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The instant of `time` (HH:MM) in Berlin, `days` after the tests' today (summer time or not). */
export function berlinAt(days, time) {
  const day = berlinDate(days);
  for (const offset of ['+01:00', '+02:00']) {
    const instant = new Date(`${day}T${time}:00${offset}`);
    const hour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' }).format(instant);
    if (hour === time.slice(0, 2)) return instant;
  }
  throw new Error(`no ${time} in Berlin on ${day}`);
}

/** The ISO weekday (Monday 1 … Sunday 7) of a date YYYY-MM-DD. */
export function weekdayOf(isoDate) {
  return new Date(`${isoDate}T12:00:00Z`).getUTCDay() || 7;
}

export const ROUTES = [
  { path: '/heute', testid: 'page-heute', de: 'Heute', en: 'Today' },
  { path: '/woche', testid: 'page-woche', de: 'Woche', en: 'Week' },
  { path: '/kinder', testid: 'page-kinder', de: 'Kinder', en: 'Children' },
  { path: '/einstellungen', testid: 'page-einstellungen', de: 'Einstellungen', en: 'Settings' },
];

/** The German heading of a day on Heute: "Fr, 20.11.2026". */
export function germanDay(isoDate) {
  const [year, month, day] = isoDate.split('-');
  const weekday = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'][weekdayOf(isoDate) - 1];
  return `${weekday}, ${day}.${month}.${year}`;
}

/** Minutes of a German duration as the app shows it: "1 Std. 30 Min." → 90. */
export function germanMinutes(text) {
  const hours = Number(text.match(/(\d+) Std\./)?.[1] ?? 0);
  return hours * 60 + Number(text.match(/(\d+) Min\./)?.[1] ?? 0);
}

/** Pages reached from a page rather than the navigation: the forms of Heute and Woche. */
export const FORM_ROUTES = [
  { path: '/gruppenangebot', testid: 'page-gruppenangebot', de: 'Gruppenangebot erfassen' },
  { path: '/beobachtung', testid: 'page-beobachtung', de: 'Beobachtung notieren' },
  { path: '/abwesenheit', testid: 'page-abwesenheit', de: 'Abwesenheit melden' },
  // An earlier day on Heute, opened from Woche to add what was forgotten, and an earlier week.
  { path: `/heute?tag=${berlinDate(-4)}`, testid: 'page-heute', de: germanDay(berlinDate(-4)) },
  { path: `/woche?tag=${berlinDate(-4)}`, testid: 'page-woche', de: 'Woche' },
];

export const VIEWPORTS = [
  { name: 'portrait', width: 768, height: 1024 },
  { name: 'landscape', width: 1024, height: 768 },
];

/** Starts the release server binary on port 0 with its own data directory. */
export async function startServer({ assetsDir = DIST, demo = false } = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'begleitbuch-data-'));
  const args = [
    '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--assets-dir', assetsDir, '--clock-start', now().toISOString(),
    ...(demo ? ['--demo'] : []),
  ];
  const child = spawn(SERVER_BIN, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const url = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 15000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(/http:\/\/[0-9.:]+\//);
      if (match) {
        clearTimeout(timer);
        resolve(match[0].replace(/\/$/, ''));
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    dataDir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The first admin of a provider, as an operator makes one on the server's machine: `create-admin` on
 * the command line, the password on standard input.
 */
export async function createAdmin(server, { provider, login, displayName, password }) {
  const args = ['--data-dir', server.dataDir, 'create-admin', '--provider', provider, '--login', login, '--display-name', displayName];
  const child = spawn(SERVER_BIN, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'warn' } });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  child.stdin.end(`${password}\n`);
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`create-admin exited with ${code}: ${output}`);
  return output;
}

/** A copy of the built app that a test may change (e.g. to publish a "new build"). */
export async function copyOfDist() {
  const dir = await mkdtemp(path.join(tmpdir(), 'begleitbuch-dist-'));
  await cp(DIST, dir, { recursive: true });
  return dir;
}

/** A fresh profile directory, for a test that restarts the browser on the same profile. */
export async function freshProfile() {
  return mkdtemp(path.join(tmpdir(), 'begleitbuch-profile-'));
}

/**
 * A browser on a fresh profile (no service worker, storage or language choice from an earlier test), or
 * on `profileDir` when a test restarts the browser; that directory is then the test's to remove. Its
 * clock (Playwright's, for every page) starts at `clock`: the tests' now unless a test says otherwise.
 */
export async function launchBrowser({ viewport = VIEWPORTS[0], locale = 'de-DE', profileDir, clock = now() } = {}) {
  const profile = profileDir ?? (await freshProfile());
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    locale,
    viewport: { width: viewport.width, height: viewport.height },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  // `clock: null` leaves the browser's real clock (the cold-start benchmark measures without the fake).
  if (clock) await context.clock.install({ time: clock });
  const page = context.pages()[0] ?? (await context.newPage());
  // Errors of every page of the tablet, including pages opened later (a tab closed and opened again).
  const problems = [];
  const watch = (watched) => {
    watched.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    watched.on('pageerror', (error) => problems.push(String(error)));
  };
  watch(page);
  context.on('page', watch);
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      if (!profileDir) await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until the app has rendered the page with the given test id. */
export async function waitForPage(page, testid) {
  await page.getByTestId(testid).waitFor({ state: 'visible', timeout: 15000 });
}

/** Opens Heute and waits until its stored entries are loaded. */
export async function openToday(page, url) {
  await page.goto(`${url}/heute`);
  await waitForPage(page, 'page-heute');
  await page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor({ timeout: 15000 });
}

/** Waits until a service worker controls the page. */
export async function waitForController(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
}

export async function screenshot(page, name) {
  const dir = path.join(ARTIFACTS, 'screenshots');
  await mkdir(dir, { recursive: true });
  const { width, height } = page.viewportSize();
  const file = path.join(dir, `${name}-${width}x${height}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Runs axe-core in the page (injected through the DevTools protocol, which the page's CSP allows). */
export async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** The password of every demo account (`--demo`). */
export const DEMO_PASSWORD = 'demo-begleitbuch';

/** Opens sign-in: on a new tablet every route shows it; a signed-in tablet adds a colleague there. */
export async function openSignIn(page, url) {
  await page.goto(`${url}/anmelden`);
  await waitForPage(page, 'page-anmelden');
  await waitForController(page);
}

export async function signIn(page, login, password, label) {
  await page.getByLabel('Benutzername').fill(login);
  await page.getByLabel('Passwort').fill(password);
  await page.getByLabel('Name dieses Geräts (optional)').fill(label);
  await page.getByTestId('sign-in-submit').click();
}

/** Signs in on a fresh tablet (its clock at `clock`) and waits for the first sync to finish. */
export async function signedInTablet(url, login, label, viewport, { clock, profileDir } = {}) {
  const tablet = await launchBrowser({ viewport, clock, profileDir });
  await openSignIn(tablet.page, url);
  await signIn(tablet.page, login, DEMO_PASSWORD, label);
  // Sign-in lands on the role's start page; the first sync is watched from Einstellungen.
  await tablet.page.waitForURL((address) => address.pathname !== '/anmelden');
  tablet.landedOn = new URL(tablet.page.url()).pathname;
  await tablet.page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Einstellungen' }).click();
  await waitForPage(tablet.page, 'page-einstellungen');
  await tablet.page.getByTestId('signed-in-as').waitFor();
  await tablet.page.waitForFunction(() => /Zuletzt synchronisiert/.test(document.querySelector('[data-testid="last-sync"]')?.textContent ?? ''));
  return tablet;
}

/** The office in a fresh browser at `viewport`, signed in as `login` on its sign-in form. */
export async function signedInOffice(url, login, viewport, { password = DEMO_PASSWORD } = {}) {
  const office = await launchBrowser({ viewport });
  await office.page.goto(`${url}/buero/`);
  await office.page.getByTestId('sign-in').waitFor();
  await office.page.getByLabel('Benutzername').fill(login);
  await office.page.getByLabel('Passwort', { exact: true }).fill(password);
  await office.page.getByTestId('sign-in-submit').click();
  await office.page.getByTestId('signed-in-as').waitFor();
  return office;
}

/** Opens an office room through its navigation and waits until it has loaded. */
export async function openRoom(page, name, testid) {
  await page.getByRole('navigation', { name: /Bereiche des Büros|Office sections/ }).getByRole('link', { name }).click();
  await page.locator(`[data-testid="${testid}"][data-ready="true"]`).waitFor();
}

/** Creates an account in the People room and returns its one-time password, read off the screen. */
export async function createPerson(page, { name, login, role }) {
  const form = page.getByTestId('person-form');
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Benutzername').fill(login);
  await form.getByLabel('Rolle').selectOption({ label: role });
  await form.getByTestId('person-create').click();
  const shown = page.getByTestId('one-time-password');
  await shown.filter({ hasText: `Einmal-Passwort für ${name} (Benutzername ${login})` }).waitFor();
  const password = await page.getByTestId('one-time-password-value').textContent();
  assert.match(password, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  await page.getByTestId('one-time-password-done').click();
  await shown.waitFor({ state: 'detached' });
  return password;
}

/** Fills the first-password form (office and tablet share its labels) with a password of one's own. */
export async function changeFirstPassword(page, first, own) {
  await page.getByLabel('Bisheriges Passwort').fill(first);
  await page.getByLabel('Neues Passwort', { exact: true }).fill(own);
  await page.getByLabel('Neues Passwort wiederholen').fill(own);
  await page.getByTestId('password-change-submit').click();
}

/**
 * A new account's first sign-in on a fresh tablet (landscape): the one-time password, then a password
 * of its own before anything else; returns the tablet on Heute.
 */
export async function firstSignInOnTablet(url, login, oneTimePassword, ownPassword, label) {
  const tablet = await launchBrowser({ viewport: VIEWPORTS[1] });
  await openSignIn(tablet.page, url);
  await signIn(tablet.page, login, oneTimePassword, label);
  await waitForPage(tablet.page, 'page-passwort');
  await changeFirstPassword(tablet.page, oneTimePassword, ownPassword);
  await waitForPage(tablet.page, 'page-heute');
  // Until the first sync has brought the pools, Heute is still loading what its forms offer.
  await tablet.page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor({ timeout: 15000 });
  await allSynced(tablet.page);
  return tablet;
}

/**
 * A demo companion's tablet, signed in and synced, then offline: what is recorded from here waits in the
 * outbox, so a test can count it. Nothing can be recorded on a tablet before someone signs in.
 */
export async function offlineTablet(url, login, { viewport, clock, profileDir } = {}) {
  const tablet = await signedInTablet(url, login, 'Tablet', viewport, { clock, profileDir });
  await goOffline(tablet);
  return tablet;
}

export async function goOffline(tablet) {
  await tablet.context.setOffline(true);
  await tablet.page.waitForFunction(() => !navigator.onLine);
}

/**
 * Waits until no run is under way and nothing waits for the server. Call it after the saved change
 * is visible: before its write has committed, the header still (rightly) says all is synced.
 */
export async function allSynced(page) {
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="syncing"]')
      && document.querySelector('[data-testid="pending"]')?.textContent === 'Alles synchronisiert',
    null,
    { timeout: 20000 },
  );
}

/** Goes to a page through the main navigation, as a user would, and waits until it has loaded. */
export async function navigateTo(page, name, testid) {
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name }).click();
  await page.locator(`[data-testid="${testid}"][data-ready="true"]`).waitFor();
}

/**
 * The tablet's errors, without Chromium's report of a request that failed because the tablet is
 * offline (a sync that started just before the connection went is expected to fail that way).
 */
export function problemsBesidesOffline(tablet) {
  return tablet.problems.filter((p) => !/Failed to (fetch|load resource)|ERR_INTERNET_DISCONNECTED/.test(p));
}

/** A fresh device secret, as a tablet makes one at its first start (64 hex characters). */
export function deviceSecret() {
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Signs in through the API (as the team lead's office computer would) and returns a caller that
 * asserts every answer is a success.
 */
export async function apiSession(url, login) {
  const device = crypto.randomUUID();
  const signIn = await fetch(`${url}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: DEMO_PASSWORD, device: { id: device, label: 'Büro', secret: deviceSecret() } }),
  });
  const session = await signIn.json();
  if (!signIn.ok) throw new Error(`tablet sign-in of ${login}: ${signIn.status} ${session.error?.code}`);
  const call = (path, body) => callApi(url, path, body, { authorization: `Bearer ${session.access_token}` });
  /** Every record the user's devices keep, page by page. */
  const pullAll = async () => {
    const records = [];
    let cursors = [];
    for (;;) {
      const page = await call('/sync/pull', { protocol: 1, cursors, limit: 1000 });
      records.push(...page.records);
      cursors = page.cursors;
      if (!page.has_more) return records;
    }
  };
  return { device, user: session.user, call, pullAll };
}

/**
 * The API as the office or the parents' pages call it: a browser sign-in (cookie and CSRF token) for
 * `way` ('office' or 'parents'); admins and parents do not sign in on tablets.
 */
export async function browserApiSession(url, login, way, { password = DEMO_PASSWORD } = {}) {
  const signIn = await fetch(`${url}/api/v1/auth/browser/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password, way }),
  });
  const answer = await signIn.json();
  if (!signIn.ok) throw new Error(`browser sign-in of ${login}: ${signIn.status} ${answer.error?.code}`);
  const cookie = signIn.headers.get('set-cookie').split(';')[0];
  const call = (path, body) => callApi(url, path, body, { cookie, 'x-csrf-token': answer.csrf_token });
  return { user: answer.user, call };
}

async function callApi(url, path, body, credentials) {
  const response = await fetch(`${url}/api/v1${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { ...credentials, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.status === 204 ? null : response.json();
}

/** The ISO week of an instant's day in Berlin, as the domain crate counts it. */
export function isoWeek(instant) {
  const [year, month, day] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(instant).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = new Date(Date.UTC(date.getUTCFullYear(), 0, 1));
  return { year: date.getUTCFullYear(), number: Math.ceil(((date - yearStart) / 86400000 + 1) / 7) };
}

/**
 * The API as the office writes and reads: a browser sign-in with `write` (one change through the same
 * rules as a push; returns the outcome) and `records` (the provider's records of these kinds).
 */
export async function officeSession(url, login, { password = DEMO_PASSWORD } = {}) {
  const office = await browserApiSession(url, login, 'office', { password });
  const write = (kind, record, change, baseVersion = 0) =>
    office.call('/office/records', { id: crypto.randomUUID(), kind, record, base_version: baseVersion, change });
  const records = (kinds) => office.call(`/office/records?kinds=${kinds.join(',')}`);
  return { ...office, write, records };
}

/** The team lead approves the companion's week that holds `instant`, in the office (the API). */
export async function approveWeek(url, login, instant) {
  const companion = await apiSession(url, login);
  const { cursors } = await companion.call('/sync/pull', { protocol: 1, cursors: [], limit: 1 });
  const lead = await officeSession(url, 'teamleitung');
  const fields = { pool: cursors[0].pool, companion: companion.user.id, week: isoWeek(instant), status: 'approved', comment: '', decided: null };
  const outcome = await lead.write('week_review', crypto.randomUUID(), { op: 'put', fields });
  if (outcome.outcome !== 'applied') throw new Error(`approval: ${JSON.stringify(outcome)}`);
}

/** Fills Heute's time form. */
export async function fillEntry(page, { start, end, category, note = '' }) {
  await page.getByLabel('Beginn').fill(start);
  await page.getByLabel('Ende', { exact: true }).fill(end);
  await page.getByLabel('Tätigkeit').selectOption(category);
  await page.getByLabel('Notiz (optional)').fill(note);
}

/** Fills Heute's time form, saves, and waits until the entry is listed (its write has committed). */
export async function addEntry(page, entry) {
  const listed = await page.getByTestId('entry').count();
  await fillEntry(page, entry);
  await page.getByTestId('entry-save').click();
  if (entry.note) {
    await page.getByTestId('entry').filter({ hasText: entry.note }).waitFor();
  } else {
    await page.waitForFunction((before) => document.querySelectorAll('[data-testid="entry"]').length > before, listed);
  }
}
