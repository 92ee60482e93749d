// A companion's full school day on a demo tablet, offline, in German, in both orientations: the timer
// runs across closing the tab, two group sessions with several children and a co-companion, three
// observations, one indirect block; an observation about a child without documentation consent is
// refused with the reason. After reconnecting everything reaches the server: the co-companion's tablet
// shows the shared session as their direct time, and the minutes appear against the children.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  VIEWPORTS, addEntry, allSynced, apiSession, approveWeek, officeSession, axeViolations, isoWeek, goOffline, navigateTo, openToday, problemsBesidesOffline, screenshot,
  berlinAt, berlinDate, germanDay, germanMinutes, now, signedInTablet, startServer, weekdayOf,
} from './harness.mjs';

let server;
before(async () => { server = await startServer({ demo: true }); });
after(async () => { await server?.stop(); });

/** `time` (HH:MM) in Berlin on the tests' today (the server's clock starts there too). */
const berlinToday = (time) => berlinAt(0, time);

async function recordSession(page, session) {
  await page.getByTestId('add-session').click();
  await page.locator('[data-testid="page-gruppenangebot"][data-ready="true"]').waitFor();
  await recordSessionFields(page, session);
}

async function recordSessionFields(page, { start, duration, kind, group, children, unnamed, colleague }) {
  await page.getByLabel('Beginn').fill(start);
  await page.getByLabel('Dauer (Minuten)').fill(String(duration));
  await page.getByLabel('Art des Angebots').selectOption({ label: kind });
  await page.getByLabel('Klasse / Gruppe').fill(group);
  for (const name of children) {
    await page.getByTestId('session-child').filter({ hasText: name }).click();
  }
  for (let n = 0; n < unnamed; n += 1) {
    await page.getByRole('button', { name: 'Eine Person mehr' }).click();
  }
  if (colleague) await page.getByTestId('session-companion').filter({ hasText: colleague }).click();
}

async function saveSession(page) {
  await page.getByTestId('session-save').click();
  await page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
}

async function recordObservation(page, { child, domains, goal, text, shareable }) {
  await page.getByTestId('add-observation').click();
  await page.locator('[data-testid="page-beobachtung"][data-ready="true"]').waitFor();
  await page.getByTestId('observation-child').filter({ hasText: child }).click();
  for (const domain of domains) {
    await page.getByTestId('observation-domains').getByRole('button', { name: domain }).click();
  }
  if (goal) await page.getByLabel('Ziel aus dem Förderplan').selectOption({ label: goal });
  await page.getByLabel('Beobachtung', { exact: true }).fill(text);
  if (shareable) await page.getByText('Auch die Eltern').click();
  await page.getByTestId('observation-save').click();
  // Saved, the child's page opens with the observation on top.
  await page.locator('[data-testid="page-kind"][data-ready="true"]').waitFor();
  await page.getByTestId('child-observation').filter({ hasText: text }).waitFor();
}

for (const viewport of VIEWPORTS) {
  test(`a full school day offline reaches the server and the co-companion (${viewport.name})`, async () => {
    const morning = berlinToday('08:10');
    // Each orientation uses its own pair of demo companions, so the two runs do not share a day.
    const [me, partner] = viewport.name === 'portrait' ? ['begleitung01', 'begleitung02'] : ['begleitung03', 'begleitung04'];
    const [myName, partnerName] = [me, partner].map((login) => `Begleitung ${login.slice(-2)} (Demo)`);
    // The demo gives each pool four children, named by pool: the first two with every consent, the
    // third with documentation consent only, the fourth with none.
    const [kidA, kidB, kidC, kidD] = viewport.name === 'portrait'
      ? ['Kind A.', 'Kind B.', 'Kind C.', 'Kind D.'] : ['Kind B.', 'Kind C.', 'Kind D.', 'Kind E.'];
    const tablet = await signedInTablet(server.url, me, 'Tablet 2b', viewport, { clock: morning });
    let partnerTablet;
    try {
      const { context } = tablet;
      let page = tablet.page;
      await openToday(page, server.url);
      await goOffline(tablet);

      // 08:10 one tap starts individual support; the tab is closed and opened again an hour later.
      await page.getByTestId('timer-individual').click();
      await page.getByTestId('timer-running').waitFor();
      await context.clock.fastForward('30:00');
      await page.close();
      await context.clock.fastForward('30:00');
      page = await context.newPage();
      await openToday(page, server.url);
      await page.locator('[data-testid="timer"][data-ready="true"]').waitFor();
      assert.equal(await page.getByTestId('timer-elapsed').textContent(), '1 Std.');
      // 09:10 documentation (indirect) until 09:30.
      await page.getByTestId('timer-documentation').click();
      await page.getByTestId('entry').first().waitFor();
      await context.clock.fastForward('20:00');
      await page.getByTestId('timer-stop').click();
      await page.getByTestId('entry').nth(1).waitFor();

      // Two group sessions: the first with the colleague, four participants (two of them unnamed).
      await recordSession(page, {
        start: '09:50', duration: 45, kind: 'Konfliktlösung', group: '2b',
        children: [kidA, kidB], unnamed: 2, colleague: partnerName,
      });
      // The third and fourth child's parents did not consent to naming: they are only counted.
      assert.match(await page.getByTestId('session-unnameable').textContent(), /^2 Kinder im Pool ohne Einwilligung/);
      assert.equal(await page.getByTestId('session-child').filter({ hasText: kidD }).count(), 0);
      // 45 minutes × 2 companions over 4 participants: 23 minutes for the first named child.
      assert.match(await page.getByTestId('session-split').textContent(), /45 Min\. direkte Arbeit für 2 Begleitung\(en\)\. Jedes genannte Kind erhält 23 Min\. auf seine bewilligten Stunden: 1 Std\. 30 Min\. Begleitungszeit \(45 Min\. × 2\), geteilt auf 4 Teilnehmende\./);
      await screenshot(page, `session-form-${viewport.name}`);
      assert.deepEqual(await axeViolations(page), []);
      await saveSession(page);
      await recordSession(page, {
        start: '11:00', duration: 30, kind: 'Unterstützung im Unterricht', group: '1a', children: [kidA], unnamed: 0,
      });
      await saveSession(page);

      // Three observations; the fourth child's parents did not consent to documentation.
      await recordObservation(page, {
        child: kidA, domains: ['Sozial-emotional'], goal: 'Konflikte mit Worten lösen', shareable: true,
        text: 'Hat in der Konfliktlösungsgruppe zum ersten Mal selbst einen Kompromiss vorgeschlagen.',
      });
      await navigateTo(page, 'Heute', 'page-heute');
      await recordObservation(page, {
        child: kidB, domains: ['Kommunikation', 'Verhalten in der Gruppe'],
        text: 'Meldet sich im Sitzkreis und wartet, bis es an der Reihe ist.',
      });
      await navigateTo(page, 'Heute', 'page-heute');
      await page.getByTestId('add-observation').click();
      await page.locator('[data-testid="page-beobachtung"][data-ready="true"]').waitFor();
      await page.getByTestId('observation-child').filter({ hasText: kidD }).click();
      // Said beside the children, where the child was tapped, not below the form behind the tab bar.
      const refusal = page.getByTestId('observation-children').locator('xpath=..').getByTestId('observation-child-problem');
      assert.match(await refusal.textContent(), /fehlt die Einwilligung der Eltern zur Dokumentation/);
      assert.equal(await page.getByTestId('observation-problem').textContent(), '', 'said once');
      assert.ok(await refusal.isVisible());
      await screenshot(page, `observation-refused-${viewport.name}`);
      assert.deepEqual(await axeViolations(page), []);
      await navigateTo(page, 'Heute', 'page-heute');
      await recordObservation(page, {
        child: kidC, domains: ['Motorik'], text: 'Schneidet entlang der Linie, hält die Schere sicher.',
      });

      // The day on Heute: 60 min individual + 45 + 30 min sessions direct, 20 min documentation.
      await navigateTo(page, 'Heute', 'page-heute');
      assert.equal(await page.getByTestId('total-direct').textContent(), '2 Std. 15 Min.');
      assert.equal(await page.getByTestId('total-indirect').textContent(), '20 Min.');
      assert.equal(await page.getByTestId('session').count(), 2);
      assert.match(await page.getByTestId('session').first().textContent(), new RegExp(`09:50–10:35 Uhr.*Konfliktlösung · 2b.*Namentlich: 2 · ohne Namen: 2.*mit ${partnerName.replace(/[()]/g, '\\$&')}`));
      assert.deepEqual(await page.getByTestId('children-today').getByRole('link').allTextContents(), [kidA, kidB, kidC]);
      assert.equal(await page.getByTestId('pending').textContent(), '7 nicht synchronisiert');
      await screenshot(page, `heute-full-day-${viewport.name}`);
      assert.deepEqual(await axeViolations(page), []);

      // Back online: the outbox empties by itself.
      await context.setOffline(false);
      await allSynced(page);
      assert.deepEqual(problemsBesidesOffline(tablet), []);

      // The colleague's tablet: the shared session is their direct time, the minutes count for the children.
      partnerTablet = await signedInTablet(server.url, partner, 'Tablet 1a', viewport,
        { clock: new Date(morning.getTime() + 4 * 3600 * 1000) });
      const partnerPage = partnerTablet.page;
      await navigateTo(partnerPage, 'Heute', 'page-heute');
      await partnerPage.getByTestId('session').first().waitFor();
      assert.equal(await partnerPage.getByTestId('session').count(), 1, 'only the session they were in');
      assert.match(await partnerPage.getByTestId('session').textContent(), new RegExp(`Konfliktlösung.*mit ${myName.replace(/[()]/g, '\\$&')}`));
      assert.equal(await partnerPage.getByTestId('total-direct').textContent(), '45 Min.');
      await navigateTo(partnerPage, 'Kinder', 'page-kinder');
      await partnerPage.getByTestId('child-link').filter({ hasText: kidA }).click();
      await partnerPage.locator('[data-testid="page-kind"][data-ready="true"]').waitFor();
      const credited = await partnerPage.getByTestId('child-session').filter({ hasText: 'Konfliktlösung' }).first().getByTestId('child-session-credited').textContent();
      assert.equal(credited, '23 Min. für dieses Kind');
      assert.equal(await partnerPage.getByTestId('child-session').filter({ hasText: 'Unterstützung im Unterricht' }).getByTestId('child-session-credited').textContent(), '30 Min. für dieses Kind');
      await partnerPage.getByTestId('child-observation').filter({ hasText: 'Kompromiss vorgeschlagen' }).waitFor();
      assert.equal(await partnerPage.getByTestId('child-observation').filter({ hasText: 'Kompromiss' }).getByTestId('observation-edit').count(), 0,
        'a colleague reads the observation but does not edit it');
      await screenshot(partnerPage, `child-page-${viewport.name}`);
      assert.deepEqual(await axeViolations(partnerPage), []);
      assert.deepEqual(partnerTablet.problems, []);
    } finally {
      await tablet.close();
      await partnerTablet?.close();
    }
  });
}

test('the group tile times a group session: stopped, its form opens with start and length, and the participants are chosen there', async () => {
  const tablet = await signedInTablet(server.url, 'begleitung08', 'Tablet 4b', VIEWPORTS[1], { clock: berlinToday('10:00') });
  try {
    const { page, context } = tablet;
    await openToday(page, server.url);
    await page.getByTestId('timer-group').click();
    await page.getByTestId('timer-running').waitFor();
    await context.clock.fastForward('45:00');
    // Another activity does not silently end the session.
    await page.getByTestId('timer-individual').click();
    await page.getByTestId('timer-problem').filter({ hasText: 'Das Gruppenangebot läuft noch' }).waitFor();
    await page.getByTestId('timer-stop').click();
    await page.locator('[data-testid="page-gruppenangebot"][data-ready="true"]').waitFor();
    assert.equal(await page.getByLabel('Beginn').inputValue(), '10:00');
    assert.equal(await page.getByLabel('Dauer (Minuten)').inputValue(), '45');
    await page.getByLabel('Art des Angebots').selectOption({ label: 'Sozial-emotionales Lernen' });
    await page.getByLabel('Klasse / Gruppe').fill('4b');
    await page.getByTestId('session-child').first().click();
    await saveSession(page);
    await page.getByTestId('session').waitFor();
    await page.locator('[data-testid="timer"][data-ready="true"]').waitFor();
    await page.getByTestId('timer-running').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('entry').count(), 0, 'no anonymous time entry');
    assert.equal(await page.getByTestId('total-direct').textContent(), '45 Min.');
    assert.match(await page.getByTestId('session').textContent(), /Sozial-emotionales Lernen\s*·\s*4b/);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(tablet.problems, []);
  } finally {
    await tablet.close();
  }
});

test('a timer that ran during a recorded session: the time counts once, and Heute says why', async () => {
  const tablet = await signedInTablet(server.url, 'begleitung07', 'Tablet 4a', VIEWPORTS[0], { clock: berlinToday('10:00') });
  try {
    const { page, context } = tablet;
    await openToday(page, server.url);
    await page.getByTestId('timer-individual').click();
    await page.getByTestId('timer-running').waitFor();
    await context.clock.fastForward('45:00');
    await page.getByTestId('timer-stop').click();
    await page.getByTestId('entry').first().waitFor();
    // Afterwards the companion also records the session the timer ran for.
    await recordSession(page, { start: '10:00', duration: 45, kind: 'Konfliktlösung', group: '4a', children: [], unnamed: 3 });
    await saveSession(page);
    await page.getByTestId('session').waitFor();
    assert.equal(await page.getByTestId('total-direct').textContent(), '45 Min.', 'not 1 Std. 30 Min.');
    assert.equal(await page.getByTestId('entry-overlap').textContent(),
      'Zur selben Zeit wie ein Gruppenangebot: die gemeinsame Zeit zählt nur einmal.');
    await screenshot(page, 'heute-timer-during-session');
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(tablet.problems, []);
  } finally {
    await tablet.close();
  }
});

test('a forgotten entry and session are added on an earlier day from Woche (this week or the one before); once the week is approved, that day can be read but not changed', async () => {
  // The tablet's clock says today; the day before was forgotten (on a Monday that is last week's Sunday).
  const today = berlinDate(0);
  const weekday = weekdayOf(today);
  const forgotten = { iso: berlinDate(-1), heading: germanDay(berlinDate(-1)) };
  const tablet = await signedInTablet(server.url, 'begleitung09', 'Tablet 5a', VIEWPORTS[1], { clock: berlinToday('10:00') });
  try {
    const { page } = tablet;
    await navigateTo(page, 'Woche', 'page-woche');
    assert.equal(await page.getByTestId('week-day-link').count(), weekday, 'Monday to today, not the days ahead');
    // The week before, for what was forgotten on a Friday, and back.
    const before = isoWeek(berlinAt(-7, '10:00'));
    await page.getByTestId('week-previous').click();
    await page.locator(`[data-testid="page-woche"][data-week="${before.year}-W${String(before.number).padStart(2, '0')}"][data-ready="true"]`).waitFor();
    assert.equal(await page.getByTestId('week-day-link').count(), 7);
    await screenshot(page, 'woche-previous-week');
    assert.deepEqual(await axeViolations(page), []);
    if (weekday === 1) {
      // Yesterday was Sunday, the last day of the week before.
      await page.getByTestId('week-day-link').nth(6).click();
    } else {
      await page.getByTestId('week-current').click();
      // The current week is on screen once the page says so (the links of the week before are
      // still there while it renders).
      const current = isoWeek(berlinAt(0, '10:00'));
      await page.locator(`[data-testid="page-woche"][data-week="${current.year}-W${String(current.number).padStart(2, '0')}"][data-ready="true"]`).waitFor();
      await page.getByTestId('week-next').waitFor({ state: 'detached' });
      assert.equal(await page.getByTestId('week-day-link').count(), weekday);
      await page.getByTestId('week-day-link').nth(weekday - 2).click();
    }
    await page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
    assert.equal(await page.getByTestId('day-title').textContent(), forgotten.heading);
    assert.equal(await page.getByTestId('timer').count(), 0, 'the timer is for now, not for an earlier day');
    assert.equal(await page.locator('#entries-heading').textContent(), 'Einträge des Tages');
    // The demo may have recorded that day already (school days before today): what is added counts on top.
    const minutesOf = async (testid) => germanMinutes(await page.getByTestId(testid).textContent());
    const recorded = { direct: await minutesOf('total-direct'), indirect: await minutesOf('total-indirect') };

    await addEntry(page, { start: '14:00', end: '15:00', category: 'parent_talk', note: 'Nachgetragen: Elterngespräch' });
    // A session added from that day is for that day, and saving it goes back there.
    await page.getByTestId('add-session').click();
    await page.locator('[data-testid="page-gruppenangebot"][data-ready="true"]').waitFor();
    assert.equal(await page.getByLabel('Datum').inputValue(), forgotten.iso);
    await recordSessionFields(page, { start: '15:30', duration: 45, kind: 'Konfliktlösung', group: '5a', children: [], unnamed: 2 });
    await saveSession(page);
    assert.equal(await page.getByTestId('day-title').textContent(), forgotten.heading);
    await page.getByTestId('session').filter({ hasText: 'Konfliktlösung' }).waitFor();
    assert.equal(await minutesOf('total-direct'), recorded.direct + 45);
    assert.equal(await minutesOf('total-indirect'), recorded.indirect + 60);
    await allSynced(page);
    const records = await (await apiSession(server.url, 'begleitung09')).pullAll();
    assert.deepEqual(records.filter((r) => r.kind === 'time_entry' && r.fields?.note === 'Nachgetragen: Elterngespräch').map((r) => r.fields.date),
      [forgotten.iso]);

    // The team lead approves that week; after the next sync the forgotten day is read-only.
    await approveWeek(server.url, 'begleitung09', berlinAt(-1, '10:00'));
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Einstellungen' }).click();
    await page.getByTestId('sync-now').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="syncing"]'));
    await navigateTo(page, 'Heute', 'page-heute');
    await page.getByTestId('day-previous').click();
    await page.getByTestId('day-locked').waitFor();
    assert.equal(await page.getByTestId('day-title').textContent(), forgotten.heading);
    assert.equal(await page.getByTestId('entry-form').count(), 0);
    assert.equal(await page.getByTestId('entry-edit').count(), 0);
    await screenshot(page, 'heute-approved-day');
    assert.deepEqual(await axeViolations(page), []);
    await page.getByTestId('session').filter({ hasText: 'Konfliktlösung' }).getByTestId('session-edit').click();
    await page.getByTestId('session-locked').waitFor();
    assert.ok(await page.getByTestId('session-save').isDisabled());
    assert.equal(await page.getByTestId('session-delete').count(), 0);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(tablet.problems, []);
  } finally {
    await tablet.close();
  }
});

/** Presses Tab until the focused element matches `selector` (at most 60 times): the keyboard's way there. */
async function tabTo(page, selector) {
  for (let n = 0; n < 60; n += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('a group session and an observation: recorded with the keyboard alone, then edited and deleted', async () => {
  const tablet = await signedInTablet(server.url, 'begleitung05', 'Tablet Tastatur', VIEWPORTS[1], { clock: berlinToday('11:02') });
  try {
    const { page } = tablet;
    await openToday(page, server.url);
    await tabTo(page, '[data-testid="add-session"]');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="page-gruppenangebot"][data-ready="true"]').waitFor();
    // Recorded right after it ended: the session began a lesson ago (10:15), nothing to type.
    assert.equal(await page.locator('#session-start').inputValue(), '10:15');
    await tabTo(page, '#session-kind');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#session-kind').inputValue(), 'social_emotional_learning');
    await tabTo(page, '[data-testid="session-child"]');
    await page.keyboard.press('Space');
    assert.equal(await page.getByTestId('session-child').first().getAttribute('aria-pressed'), 'true');
    await tabTo(page, '[data-testid="session-companion"]');
    await page.keyboard.press('Space');
    await tabTo(page, '[data-testid="session-save"]');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
    await page.getByTestId('session').waitFor();
    assert.match(await page.getByTestId('session').textContent(), /10:15–11:00 Uhr.*Sozial-emotionales Lernen.*Namentlich: 1/);

    await tabTo(page, '[data-testid="add-observation"]');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="page-beobachtung"][data-ready="true"]').waitFor();
    await tabTo(page, '[data-testid="observation-child"]');
    await page.keyboard.press('Space');
    await tabTo(page, '[data-testid="observation-domain-attention_learning"]');
    await page.keyboard.press('Enter');
    await tabTo(page, '#observation-text');
    await page.keyboard.type('Arbeitet 20 Minuten konzentriert an der Rechenaufgabe.');
    await tabTo(page, '[data-testid="observation-save"]');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="page-kind"][data-ready="true"]').waitFor();
    await page.getByTestId('child-observation').filter({ hasText: 'Rechenaufgabe' }).waitFor();
    assert.match(await page.getByTestId('child-observation').textContent(), /Nur das Team.*Aufmerksamkeit und Lernen/);

    // Until the week is approved, both can be changed and deleted; every change goes through the outbox.
    await page.getByTestId('observation-edit').click();
    await page.locator('[data-testid="page-beobachtung"][data-ready="true"]').waitFor();
    assert.equal(await page.locator('#observation-text').inputValue(), 'Arbeitet 20 Minuten konzentriert an der Rechenaufgabe.');
    await page.locator('#observation-text').fill('Arbeitet 25 Minuten konzentriert an der Rechenaufgabe.');
    await page.getByTestId('observation-save').click();
    await page.getByTestId('child-observation').filter({ hasText: '25 Minuten' }).waitFor();
    await page.getByTestId('observation-edit').click();
    await page.locator('[data-testid="page-beobachtung"][data-ready="true"]').waitFor();
    await page.getByTestId('observation-delete').click();
    await page.getByTestId('observation-confirm-delete').click();
    await page.locator('[data-testid="page-kind"][data-ready="true"]').waitFor();
    await page.getByTestId('child-observation').waitFor({ state: 'detached' });

    await navigateTo(page, 'Heute', 'page-heute');
    await page.getByTestId('session-edit').click();
    await page.locator('[data-testid="page-gruppenangebot"][data-ready="true"]').waitFor();
    await page.getByRole('button', { name: 'Eine Person mehr' }).click();
    await page.getByTestId('session-save').click();
    await page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
    await page.getByTestId('session').filter({ hasText: 'ohne Namen: 1' }).waitFor();
    await page.getByTestId('session-edit').click();
    await page.locator('[data-testid="page-gruppenangebot"][data-ready="true"]').waitFor();
    await page.getByTestId('session-delete').click();
    await page.getByTestId('session-confirm-delete').click();
    await page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
    await page.getByTestId('session').waitFor({ state: 'detached' });
    await allSynced(page);
    assert.deepEqual(problemsBesidesOffline(tablet), []);
  } finally {
    await tablet.close();
  }
});

test('a sync that ends while an observation is being edited keeps what was typed', async () => {
  const tablet = await signedInTablet(server.url, 'begleitung12', 'Tablet 6b', VIEWPORTS[0]);
  try {
    const { page } = tablet;
    await openToday(page, server.url);
    await goOffline(tablet);
    await recordObservation(page, { child: 'Kind G.', domains: ['Selbstversorgung'], text: 'Räumt den Platz allein auf.' });
    await page.getByTestId('observation-edit').click();
    await page.locator('[data-testid="page-beobachtung"][data-ready="true"]').waitFor();
    const typed = 'Räumt den Platz allein und ohne Erinnerung auf.';
    await page.getByLabel('Beobachtung', { exact: true }).fill(typed);
    // Back online, the observation reaches the server and its accepted version comes back while the
    // form is open: the page reloads its data, but the form keeps the text being typed.
    await tablet.context.setOffline(false);
    await allSynced(page);
    assert.equal(await page.getByLabel('Beobachtung', { exact: true }).inputValue(), typed);
    await page.getByTestId('observation-save').click();
    await page.locator('[data-testid="page-kind"][data-ready="true"]').waitFor();
    await page.getByTestId('child-observation').filter({ hasText: 'ohne Erinnerung' }).waitFor();
    await allSynced(page);
    const stored = (await (await apiSession(server.url, 'begleitung12')).pullAll())
      .filter((r) => r.kind === 'observation' && !r.deleted && r.fields.text.startsWith('Räumt den Platz'));
    assert.deepEqual(stored.map((r) => r.fields.text), [typed]);
    assert.equal(await page.getByTestId('attention-count').count(), 0, 'nothing waits under "Zu klären"');
    assert.deepEqual(problemsBesidesOffline(tablet), []);
  } finally {
    await tablet.close();
  }
});

test('an observation written offline after the parents withdrew consent is refused by the server and waits under "Zu klären"', async () => {
  const tablet = await signedInTablet(server.url, 'begleitung11', 'Tablet 5c', VIEWPORTS[0]);
  try {
    const { page } = tablet;
    await openToday(page, server.url);
    await goOffline(tablet);
    // On the tablet the consent is still there: the observation is taken and waits in the outbox.
    await recordObservation(page, {
      child: 'Kind F.', domains: ['Selbstversorgung'], text: 'Zieht sich nach dem Sport allein um.',
    });

    // Meanwhile the team lead records the parents' written withdrawal.
    const lead = await officeSession(server.url, 'teamleitung');
    const pools = await lead.call('/office/pools');
    const pool = pools.find((p) => p.people.some((person) => person.display_name === 'Begleitung 11 (Demo)'));
    const children = await lead.records(['child']);
    const child = children.find((r) => r.pool === pool.id && r.fields.display_name === 'Kind F.');
    // The guardian on record for the child, whose signed withdrawal it is.
    const guardian = (await lead.records(['guardian'])).find((r) => r.sets.children.includes(child.id));
    const withdrawal = await lead.write('consent', crypto.randomUUID(), { op: 'put', sets: {}, fields: {
      child: child.id, purpose: 'documentation', text_version: '2026-08 (Entwurf, DSB-Prüfung ausstehend)',
      state: 'withdrawn', custodian: guardian.id, at: new Date(now().getTime() - 60_000).toISOString(),
      form: { reference: 'EV-2026-W01', signed_on: berlinDate() },
    } });
    assert.equal(withdrawal.outcome, 'applied');

    // Back online: the server decides by the time it receives the observation, and refuses it.
    await tablet.context.setOffline(false);
    await page.getByTestId('attention-count').waitFor({ timeout: 20000 });
    await page.getByTestId('attention-count').click();
    const item = page.getByTestId('attention-item');
    await item.waitFor();
    assert.match(await item.locator('h2').textContent(), /^Beobachtung · /);
    assert.match(await item.textContent(), /Für dieses Kind liegt keine Einwilligung vor/);
    await screenshot(page, 'attention-consent-refused');
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(problemsBesidesOffline(tablet), []);
  } finally {
    await tablet.close();
  }
});
