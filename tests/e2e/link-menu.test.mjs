// The context menu of a replication link: right-click (or focus it and press Enter) on m → r1,
// cut one way (drawn as a one-way cut, recorded), heal, cut both ways, change the latency.
import assert from 'node:assert/strict';
import { appTest, poll } from './helpers.mjs';
import { field, pause, SANDBOX, schedule } from './lab.mjs';

appTest('link context menu: cut, heal, latency', { timeout: 120_000 }, async ({ page, load, shot }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await load(SANDBOX);
  await poll(() => field(page, 'r1', 'master_link_status'), (s) => s === 'up', { timeout: 30_000, what: 'r1 link up' });
  await pause(page);

  await page.click('#topology [data-link="m-r1"] .hit-link', { button: 'right' });
  await page.waitForSelector('#node-menu');
  assert.match(await page.textContent('#node-menu .menu-title'), /m ↔ r1 \(40 ms\)/);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.fault), 'cut-ab', 'the first item takes focus');
  await shot('menu');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.fault), 'cut-ba');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#node-menu').count(), 0, 'the menu closes');
  await poll(() => schedule(page), (s) => s.some((x) => /r1/.test(x) && /m/.test(x)), { what: 'the cut in the schedule' });
  assert.ok((await page.locator('#topology [data-cut]').count()) >= 1, 'the cut is drawn');

  // Keyboard: focus the link, Enter opens its menu; heal.
  await page.focus('#topology [data-link="m-r1"]');
  const outline = await page.$eval('#topology [data-link="m-r1"] path:not(.hit-link)', (e) => getComputedStyle(e).strokeWidth);
  assert.equal(outline, '3px', 'the focused link is drawn thicker');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#node-menu');
  await page.click('#node-menu [data-fault="heal"]');
  assert.equal(await page.locator('#topology [data-cut]').count(), 0, 'no cut after heal');

  // Both ways, then a latency change. Each pick waits for the menu to close before the next
  // right-click (on a loaded machine a right-click could land before the close was drawn).
  const pick = async (fault) => {
    await page.click('#topology [data-link="m-r2"] .hit-link', { button: 'right' });
    await page.click(`#node-menu [data-fault="${fault}"]`);
    await page.waitForSelector('#node-menu', { state: 'detached' });
  };
  await page.waitForSelector('#node-menu', { state: 'detached' });
  await pick('cut-both');
  assert.ok((await page.locator('#topology [data-cut]').count()) >= 1, 'the partition is drawn');
  await pick('heal');
  await pick('lat-500');
  await page.click('#topology [data-link="m-r2"] .hit-link', { button: 'right' });
  assert.match(await page.textContent('#node-menu .menu-title'), /m ↔ r2 \(500 ms\)/, 'the new latency is in force');
  await page.keyboard.press('Escape');
  const sched = await schedule(page);
  assert.ok(sched.length >= 5, `every link action is recorded: ${JSON.stringify(sched)}`);
});
