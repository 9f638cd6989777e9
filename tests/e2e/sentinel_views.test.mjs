// The views the core's typed Sentinel events and PSYNC rule drive, on lesson 8 (a paused master
// is failed over to r5 = 10.0.0.6): the Sentinel panel lists the events without the +sentinel
// discoveries, Shift+→ jumps to the next landmark (+sdown is one), and the inspector's offset
// tape predicts +CONTINUE for a replica of the new master that is in sync.
import assert from 'node:assert/strict';
import { appTest, poll } from './helpers.mjs';
import { simMs } from './lab.mjs';

const LESSON = '#lesson=split-brain-false-failure';

appTest('Sentinel events, landmark jumps and the partial/full prediction', {}, async ({ page, load, shot }) => {
  // Paused just after the pause of m (30 s): the next landmark is the first +sdown (40.147 s).
  await load(`${LESSON}&t=35000`);
  await poll(() => simMs(page), (t) => t === 35_000, { what: 'the playhead at 35 s' });
  await page.click('body', { position: { x: 5, y: 300 } });
  await page.keyboard.press('Shift+ArrowRight');
  await poll(() => simMs(page), (t) => t === 40_147, { what: 'Shift+→ to the first +sdown' });

  await load(`${LESSON}&t=60000`);
  await page.click('#tab-sentinels');
  const stream = await page.$$eval('#sentinel-panel .sentinel-stream code', (els) => els.map((e) => e.textContent));
  assert.ok(stream.includes('+switch-master mymaster 10.0.0.1 6379 10.0.0.6 6379'), stream.join('\n'));
  assert.ok(stream.some((e) => e.startsWith('+odown master mymaster 10.0.0.1 6379 #quorum')), stream.join('\n'));
  assert.ok(!stream.some((e) => e.startsWith('+sentinel ')), 'the +sentinel discoveries are left out');
  await shot('sentinel-panel');

  await page.selectOption('select#inspect-target', 'r1');
  await page.waitForSelector('#inspector[data-inspect="r1"] [data-verdict]');
  const verdicts = await page.$$eval('#inspector [data-verdict]', (els) => els.map((e) => [e.dataset.verdict, e.textContent]));
  const r1 = verdicts.find(([, text]) => text.startsWith('r1 '));
  assert.deepEqual(r1?.[0], 'partial', JSON.stringify(verdicts));
  await shot('offset-tape');
});
