// Kinder on a demo companion's tablet, in both orientations: the pool's four children arrive through
// sync; each shows its legal basis, approved hours, what it received from group sessions this week
// and month (the domain's split rule), its consents, and whether it is unsupplied.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  VIEWPORTS, axeViolations, berlinDate, navigateTo, screenshot, signedInTablet, startServer, weekdayOf,
} from './harness.mjs';

/** The demo's daily sessions fall on the school days of the three weeks before today: those of this month. */
function demoSessionDaysThisMonth() {
  const month = berlinDate(0).slice(0, 7);
  let days = 0;
  for (let d = -21; d < 0; d += 1) {
    const date = berlinDate(d);
    if (date.startsWith(month) && weekdayOf(date) <= 5) days += 1;
  }
  return days;
}

let server;
before(async () => { server = await startServer({ demo: true }); });
after(async () => { await server?.stop(); });

for (const viewport of VIEWPORTS) {
  test(`Kinder lists the pool's children with minutes and consents (${viewport.name})`, async () => {
    const browser = await signedInTablet(server.url, 'begleitung01', 'Tablet 1a', viewport);
    try {
      const { page, context } = browser;

      // Offline from here: everything Kinder shows is on the tablet.
      await context.setOffline(true);
      await navigateTo(page, 'Kinder', 'page-kinder');
      const cards = page.getByTestId('child');
      assert.equal(await cards.count(), 4);
      const card = (name) => cards.filter({ has: page.getByRole('heading', { name }) });

      // Kind A. and Kind B. are named in the daily group session (45 min, two companions, two named
      // and three unnamed participants): 18 minutes each per session — this month only if the demo's
      // weeks reach into it (on the first of a month they do not).
      const sessionDays = demoSessionDaysThisMonth();
      for (const name of ['Kind A.', 'Kind B.']) {
        const month = await card(name).getByTestId('child-month').textContent();
        if (sessionDays === 0) {
          assert.equal(month, '0 Min.', `${name}: no session this month yet`);
        } else {
          assert.notEqual(month, '0 Min.', `${name} received time this month (${sessionDays} session days)`);
        }
        assert.equal(await card(name).getByText('Dokumentation: ja').count(), 1);
      }
      assert.equal(await card('Kind A.').getByTestId('child-month').textContent(),
        await card('Kind B.').getByTestId('child-month').textContent(), 'the split gives both the same');
      assert.match(await card('Kind A.').textContent(), /§ 35a SGB VIII.*Bewilligt10 Std\. pro Woche/);
      assert.match(await card('Kind C.').textContent(), /keine Einzelstunden/);
      assert.equal(await card('Kind C.').getByTestId('child-month').textContent(), '0 Min.');
      assert.equal(await card('Kind D.').getByTestId('child-status').textContent(), 'unversorgt');
      assert.equal(await card('Kind D.').getByText('Dokumentation: nein').count(), 1);
      assert.equal(await card('Kind D.').getByText('Namentlich: nein').count(), 1);

      await screenshot(page, 'kinder');
      assert.deepEqual(await axeViolations(page), []);
      assert.deepEqual(browser.problems, []);
    } finally {
      await browser.close();
    }
  });
}
