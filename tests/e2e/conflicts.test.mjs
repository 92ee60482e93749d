// Conflicts of group sessions and observations under "Zu klären": the same record changed offline on
// two tablets of one companion. The second tablet back online is shown the conflict in words — the
// form's labels, children by name, kinds and durations as the forms show them — never field names,
// ids or JSON.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  VIEWPORTS, allSynced, apiSession, axeViolations, berlinDate, germanDay, goOffline, navigateTo, screenshot, signedInTablet,
  startServer,
} from './harness.mjs';

let server;
before(async () => { server = await startServer({ demo: true }); });
after(async () => { await server?.stop(); });

/** Records `fields` (and set members) as `login`, through the API, as a third device would. */
async function recordThroughApi(login, kind, fields, sets) {
  const api = await apiSession(server.url, login);
  const records = await api.pullAll();
  const pool = records.find((r) => r.kind === 'child').pool;
  const children = Object.fromEntries(records.filter((r) => r.kind === 'child').map((r) => [r.fields.display_name, r.id]));
  const record = crypto.randomUUID();
  const change = {
    op: 'put',
    fields: fields({ pool, user: api.user.id, children }),
    sets: Object.fromEntries(Object.entries(sets({ user: api.user.id, children })).map(([name, add]) => [name, { add, remove: [] }])),
  };
  const mutation = {
    device: api.device, number: 1, user: api.user.id, kind, record, base_version: 0, payload_version: 1, change,
  };
  const answer = await api.call('/sync/push', { protocol: 1, device: api.device, mutations: [mutation] });
  assert.equal(answer.results[0].outcome, 'applied', JSON.stringify(answer.results[0]));
  return { record, children };
}

async function syncNow(page) {
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Einstellungen' }).click();
  await page.getByTestId('sync-now').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="syncing"]'));
}

/** Tablet A comes back first and wins; B comes back, and opens its conflict under "Zu klären". */
async function conflictOnB(tabletA, tabletB) {
  await tabletA.context.setOffline(false);
  await allSynced(tabletA.page);
  await tabletB.context.setOffline(false);
  await tabletB.page.getByTestId('attention-count').waitFor({ timeout: 20000 });
  await tabletB.page.getByTestId('attention-count').click();
  await tabletB.page.locator('[data-testid="page-klaeren"][data-ready="true"]').waitFor();
  const item = tabletB.page.getByTestId('attention-item');
  return {
    labels: await item.locator('dt').allTextContents(),
    yours: await item.getByTestId('conflict-yours').allTextContents(),
    kept: await item.getByTestId('conflict-kept').allTextContents(),
    text: await item.textContent(),
  };
}

test('a group session changed on one tablet and deleted on the other, offline: Zu klären shows the conflict in words', async () => {
  // Pool 6 (companions 11 and 12).
  await recordThroughApi('begleitung11', 'group_session', ({ pool }) => ({
    pool, date: berlinDate(0), start: '10:00:00', duration_minutes: 45, kind: 'social_emotional_learning', group: '6a',
    unnamed_participants: 2, note: '',
  }), ({ user, children }) => ({ companions: [user], children: [children['Kind F.']] }));
  const tabletA = await signedInTablet(server.url, 'begleitung11', 'Tablet A', VIEWPORTS[0]);
  const tabletB = await signedInTablet(server.url, 'begleitung11', 'Tablet B', VIEWPORTS[1]);
  try {
    // Tablet A: one hour, conflict resolution, and Kind G. joined. Tablet B deletes the session.
    for (const tablet of [tabletA, tabletB]) {
      await navigateTo(tablet.page, 'Heute', 'page-heute');
      await tablet.page.getByTestId('session').waitFor();
      await goOffline(tablet);
      await tablet.page.getByTestId('session-edit').click();
      await tablet.page.locator('[data-testid="page-gruppenangebot"][data-ready="true"]').waitFor();
    }
    await tabletA.page.getByLabel('Dauer (Minuten)').fill('60');
    await tabletA.page.getByLabel('Art des Angebots').selectOption({ label: 'Konfliktlösung' });
    await tabletA.page.getByTestId('session-child').filter({ hasText: 'Kind G.' }).click();
    await tabletA.page.getByTestId('session-save').click();
    await tabletA.page.getByTestId('session').filter({ hasText: 'Konfliktlösung' }).waitFor();
    await tabletB.page.getByTestId('session-delete').click();
    await tabletB.page.getByTestId('session-confirm-delete').click();
    await tabletB.page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
    await tabletB.page.getByTestId('session').waitFor({ state: 'detached' });

    const shown = await conflictOnB(tabletA, tabletB);
    assert.deepEqual(shown.labels, ['Teilnehmende Kinder', 'Dauer (Minuten)', 'Art des Angebots']);
    assert.deepEqual(shown.yours, ['Ihre Eingabe: (gelöscht)', 'Ihre Eingabe: (gelöscht)', 'Ihre Eingabe: (gelöscht)']);
    assert.deepEqual(shown.kept, ['Auf dem Server: Kind F., Kind G.', 'Auf dem Server: 1 Std.', 'Auf dem Server: Konfliktlösung']);
    assert.doesNotMatch(shown.text, /duration_minutes|conflict_resolution|children|[0-9a-f]{8}-[0-9a-f]{4}-/);
    await screenshot(tabletB.page, 'conflict-session');
    assert.deepEqual(await axeViolations(tabletB.page), []);

    // B stands by the deletion: the session is deleted again, also after A's change, and A's tablet
    // follows at its next sync.
    await tabletB.page.getByTestId('attention-take-mine').click();
    await tabletB.page.getByTestId('attention-empty').waitFor();
    await allSynced(tabletB.page);
    const remaining = (await (await apiSession(server.url, 'begleitung11')).pullAll()).filter((r) => r.kind === 'group_session' && !r.deleted && r.fields?.group === '6a');
    assert.deepEqual(remaining, [], 'taking mine after a delete conflict deletes again');
    await syncNow(tabletA.page);
    await navigateTo(tabletA.page, 'Heute', 'page-heute');
    await tabletA.page.getByTestId('session').waitFor({ state: 'detached' });
  } finally {
    await tabletA.close();
    await tabletB.close();
  }
});

test('an observation changed offline on two tablets: Zu klären shows its fields as the form names them', async () => {
  // Pool 6: Kind F. and Kind G. with every consent, Kind H. with documentation consent only.
  const { children } = await recordThroughApi('begleitung12', 'observation', ({ pool, user, children }) => ({
    pool, child: children['Kind F.'], author: user, date: berlinDate(0), goal: null,
    text: 'Hat beim Aufräumen geholfen.', visibility: 'internal',
  }), () => ({ domains: ['social_emotional'] }));
  const tabletA = await signedInTablet(server.url, 'begleitung12', 'Tablet A', VIEWPORTS[0]);
  const tabletB = await signedInTablet(server.url, 'begleitung12', 'Tablet B', VIEWPORTS[1]);
  try {
    const days = [berlinDate(-1), berlinDate(-2)];
    for (const [tablet, text, date] of [[tabletA, 'Hat beim Aufräumen geholfen, ohne Aufforderung.', days[0]], [tabletB, 'Hat beim Aufräumen geholfen und andere angeleitet.', days[1]]]) {
      const { page } = tablet;
      await syncNow(page);
      await goOffline(tablet);
      await page.goto(`${server.url}/kinder/${children['Kind F.']}`);
      await page.locator('[data-testid="page-kind"][data-ready="true"]').waitFor();
      await page.getByTestId('child-observation').filter({ hasText: 'Aufräumen' }).getByTestId('observation-edit').click();
      await page.locator('[data-testid="page-beobachtung"][data-ready="true"]').waitFor();
      await page.getByLabel('Datum').fill(date);
      await page.getByLabel('Beobachtung', { exact: true }).fill(text);
      await page.getByTestId('observation-save').click();
      await page.locator('[data-testid="page-kind"][data-ready="true"]').waitFor();
      await page.getByTestId('child-observation').filter({ hasText: text }).waitFor();
    }

    const shown = await conflictOnB(tabletA, tabletB);
    assert.deepEqual(shown.labels, ['Datum', 'Beobachtung']);
    assert.deepEqual(shown.yours, [`Ihre Eingabe: ${germanDay(days[1])}`, 'Ihre Eingabe: Hat beim Aufräumen geholfen und andere angeleitet.']);
    assert.deepEqual(shown.kept, [`Auf dem Server: ${germanDay(days[0])}`, 'Auf dem Server: Hat beim Aufräumen geholfen, ohne Aufforderung.']);
    assert.doesNotMatch(shown.text, /[0-9a-f]{8}-[0-9a-f]{4}-|"text"|\d{4}-\d{2}-\d{2}/);
    await screenshot(tabletB.page, 'conflict-observation');
    assert.deepEqual(await axeViolations(tabletB.page), []);
  } finally {
    await tabletA.close();
    await tabletB.close();
  }
});
