// Faults from the page: the node menu (right-click) isolates r1 (drawn as cuts, recorded in the
// session schedule), its link goes down; Heal all restores it. The toolbar crashes r2, the menu
// restarts it.
import assert from 'node:assert/strict';
import { appTest, poll } from './helpers.mjs';
import { field, pause, SANDBOX, schedule } from './lab.mjs';

appTest('a fault from the UI, then heal', { timeout: 120_000 }, async ({ page, load, shot }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await load(SANDBOX);
  await poll(() => field(page, 'r1', 'master_link_status'), (s) => s === 'up', { timeout: 30_000, what: 'r1 link up' });
  await page.selectOption('#speed', '10');

  await page.click('#topology [data-node="r1"]', { button: 'right' });
  await page.waitForSelector('#node-menu');
  await shot('menu');
  await page.click('#node-menu [data-fault="isolate"]');
  assert.equal(await page.locator('#node-menu').count(), 0, 'the menu closes');
  assert.equal(await page.locator('#topology [data-cut="m-r1"]').count(), 1, 'the partition is drawn as a cut on the m → r1 link');
  assert.ok((await schedule(page)).some((s) => /partition r1/.test(s)), 'the action is in the schedule');
  const sides = await page.$$eval('#topology [data-side]', (els) => Object.fromEntries(els.map((e) => [e.closest('[data-node]').dataset.node, e.dataset.side])));
  assert.ok(sides.r1 && sides.m && sides.r1 !== sides.m && sides.m === sides.r2, `partition sides ${JSON.stringify(sides)}`);
  await poll(() => field(page, 'r1', 'master_link_status'), (s) => s === 'down', { timeout: 60_000, what: 'r1 link down after the partition' });
  await pause(page);
  await shot('isolated');

  await page.click('#heal');
  assert.equal(await page.locator('#topology [data-cut]').count(), 0, 'no cut after heal');
  await page.click('button#play');
  await poll(() => field(page, 'r1', 'master_link_status'), (s) => s === 'up', { timeout: 60_000, what: 'r1 link up after heal' });

  // Toolbar: crash r2.
  await page.selectOption('#fault-kind', 'crash');
  await page.selectOption('#fault-target', 'r2');
  await page.click('#fault-apply');
  await poll(() => page.getAttribute('#topology [data-node="r2"]', 'data-status'), (s) => s === 'crashed', { what: 'r2 crashed' });
  await page.click('#topology [data-node="r2"]', { button: 'right' });
  await page.click('#node-menu [data-fault="restart"]');
  await poll(() => page.getAttribute('#topology [data-node="r2"]', 'data-status'), (s) => s === 'running', { what: 'r2 running again' });
  const sched = await schedule(page);
  assert.ok(sched.some((s) => /heal/.test(s)) && sched.some((s) => /crash r2/.test(s)) && sched.some((s) => /restart r2/.test(s)),
    `heal, crash and restart recorded: ${JSON.stringify(sched)}`);
});
