// The fault toolbar's CONFIG SET form (parameter, value, target; recorded in the schedule and
// applied on the node), and Shift+←/→ jumping between events of the kind chosen in the
// transport bar, all from the keyboard.
import assert from 'node:assert/strict';
import { appTest, poll } from './helpers.mjs';
import { command, pause, SANDBOX, schedule, simMs } from './lab.mjs';

appTest('CONFIG SET from the fault toolbar', { timeout: 120_000 }, async ({ page, load, shot }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await load(SANDBOX);
  await pause(page);
  await page.focus('#fault-kind');
  await page.selectOption('#fault-kind', 'config-set');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'config-param', 'the parameter picker follows the fault kind');
  await page.selectOption('#config-param', 'min-replicas-to-write');
  assert.equal(await page.inputValue('#config-value'), '1', 'a first value is proposed');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'fault-target');
  await page.selectOption('#fault-target', 'm');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'fault-apply');
  await shot('config-set');
  await page.keyboard.press('Enter');
  await poll(() => schedule(page), (s) => s.some((x) => /CONFIG SET min-replicas-to-write "2"/.test(x)),
    { what: 'the CONFIG SET in the schedule' });
  assert.equal(await command(page, 'm', 'CONFIG GET min-replicas-to-write'), '1) "min-replicas-to-write"\n2) "2"');
  // A value CONFIG SET refuses: Redis's own error, the page keeps working.
  await page.selectOption('#fault-kind', 'config-set');
  await page.selectOption('#config-param', 'hz');
  await page.fill('#config-value', 'fast');
  await page.click('#fault-apply');
  await poll(() => page.locator('#console-output .reply').last().textContent(), (t) => /ERR/.test(t), { what: 'the error reply' });
});

appTest('Shift+arrows jump between events of the chosen kind', { timeout: 120_000 }, async ({ page, load }) => {
  await load('#lesson=split-brain-false-failure');
  await pause(page);
  await page.selectOption('#jump-kind', 'role');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('Shift+ArrowRight');
  const t1 = await simMs(page);
  const roleAt = (t) => page.evaluate((t) => [...document.querySelectorAll('#trace li[data-trace="role"]')].some((li) => Number(li.dataset.ms) === t), t);
  assert.ok(t1 > 30_000, `the first role change comes after the stall (${t1})`);
  assert.ok(await roleAt(t1), `a role change at ${t1}`);

  await page.focus('#jump-kind');
  await page.selectOption('#jump-kind', 'sentinel');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('Shift+ArrowLeft');
  const t2 = await simMs(page);
  assert.ok(t2 < t1, `Shift+← goes back (${t1} → ${t2})`);
  const sentinelAt = await page.evaluate((t) => [...document.querySelectorAll('#trace li[data-trace="sentinel"]')].some((li) => Number(li.dataset.ms) === t), t2);
  assert.ok(sentinelAt, `a Sentinel event at ${t2}`);
});
