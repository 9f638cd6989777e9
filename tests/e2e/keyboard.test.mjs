// Keyboard: Space plays/pauses, → steps to the next event, ← goes back, / focuses the console,
// ? opens the shortcuts, Esc closes; every control is reachable with Tab and shows focus.
import assert from 'node:assert/strict';
import { appTest, poll } from './helpers.mjs';
import { isPlaying, SANDBOX, simMs } from './lab.mjs';

appTest('keyboard: play/pause, step, console focus, help', {}, async ({ page, load, shot }) => {
  await load(SANDBOX);
  await page.click('body', { position: { x: 5, y: 300 } });
  assert.equal(await isPlaying(page), true, 'the sandbox plays at once');
  await page.keyboard.press('Space');
  await poll(() => isPlaying(page), (p) => !p, { what: 'Space to pause' });
  await page.keyboard.press('Space');
  await poll(() => isPlaying(page), (p) => p, { what: 'Space to play again' });
  await page.keyboard.press('Space');
  await poll(() => isPlaying(page), (p) => !p, { what: 'Space to pause again' });

  const t0 = await simMs(page);
  const n0 = await page.locator('#trace li').count();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  const t1 = await simMs(page);
  assert.ok(t1 >= t0, `→ moves forward (${t0} → ${t1})`);
  assert.ok(t1 > t0 || (await page.locator('#trace li').count()) >= n0, '→ reaches new events');
  await page.keyboard.press('Shift+ArrowLeft');
  const t2 = await simMs(page);
  assert.ok(t2 <= t1, `Shift+← goes back (${t1} → ${t2})`);

  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'console-input', '/ focuses the console');
  await page.keyboard.press('Escape');
  await page.evaluate(() => document.activeElement?.blur());

  await page.keyboard.press('?');
  await page.waitForSelector('[role="dialog"]');
  await shot('help');
  await page.keyboard.press('Escape');
  await poll(() => page.locator('[role="dialog"]').count(), (n) => n === 0, { what: 'Esc to close the help' });

  // Tab reaches the transport buttons; the focused one has a visible outline.
  await page.focus('#step-back');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    return { id: el?.id, outline: getComputedStyle(el).outlineStyle };
  });
  assert.equal(focused.id, 'play');
  assert.notEqual(focused.outline, 'none', 'the focused control shows an outline');
});
