// A new build on the server: the open app offers "Neue Version verfügbar – neu laden" and, when the
// user accepts, reloads into the new version whose cache replaces the old one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { copyOfDist, launchBrowser, screenshot, startServer, waitForController, waitForPage } from './harness.mjs';

test('a new build is offered as an update and applied on request', async () => {
  const dist = await copyOfDist();
  const server = await startServer({ assetsDir: dist });
  const browser = await launchBrowser();
  try {
    const { page } = browser;
    // A new tablet shows sign-in: the update reaches it there as anywhere.
    await page.goto(`${server.url}/woche`);
    await waitForPage(page, 'page-anmelden');
    await waitForController(page);
    const workerFile = path.join(dist, 'sw.js');
    const worker = await readFile(workerFile, 'utf8');
    const oldVersion = worker.match(/const VERSION = '([0-9a-f]+)'/)[1];
    assert.deepEqual(await page.evaluate(() => caches.keys()), [`begleitbuch-shell-${oldVersion}`]);
    assert.equal(await page.getByTestId('update-reload').count(), 0);

    // Publish a "new build": the worker's bytes change, exactly as a real build changes its version.
    const newVersion = `${oldVersion}0`;
    await writeFile(workerFile, worker.replace(`'${oldVersion}'`, `'${newVersion}'`));
    await page.evaluate(async () => { await (await navigator.serviceWorker.getRegistration()).update(); });

    const prompt = page.getByRole('button', { name: 'Neue Version verfügbar – neu laden' });
    await prompt.waitFor({ timeout: 15000 });
    await screenshot(page, 'update-prompt');
    await Promise.all([page.waitForEvent('load'), prompt.click()]);
    await waitForPage(page, 'page-anmelden');
    await page.waitForFunction(
      (expected) => caches.keys().then((keys) => keys.length === 1 && keys[0] === expected),
      `begleitbuch-shell-${newVersion}`,
    );
    assert.equal(await page.getByTestId('update-reload').count(), 0);
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
    await server.stop();
    await rm(dist, { recursive: true, force: true });
  }
});
