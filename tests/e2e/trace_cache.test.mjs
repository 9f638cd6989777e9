// The trace as a cache (issue 17): a long sandbox run keeps only the last two minutes
// of its trace; the charts, the Sentinel panel and the export still cover the whole
// run, and a scrub far back regenerates the events before the playhead.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appTest, poll, screenshot } from './helpers.mjs';
import { scrub, simMs } from './lab.mjs';

const LONG = '#lesson=sandbox&topo=7.0,5,0,3,2,1,writer,master&t=400000';
const firstMs = (page) => page.$eval('#trace', (el) => Number(el.dataset.firstMs ?? NaN));

appTest('a long run keeps two minutes of trace and regenerates the rest', { timeout: 120_000 }, async ({ page, load }) => {
  await load(LONG);
  assert.equal(await simMs(page), 400_000);
  const kept = await firstMs(page);
  assert.ok(kept >= 400_000 - 240_000 && kept < 400_000, `the kept trace starts at ${kept} ms`);
  assert.ok(await page.$$eval('#trace li', (l) => l.length) > 10, 'the event list shows events');
  // Whole-run views read the run's record.
  await page.click('#tab-charts');
  const series = await page.$$eval('#charts figure:first-child path', (p) => p.map((e) => e.getAttribute('d')));
  assert.equal(series.length, 6, 'an offset line per Redis node');
  assert.ok(series.every((d) => d.startsWith('M') && d.split('L').length > 50), 'lines from the run\'s start');
  await screenshot(page, 'trace-cache-charts');
  await page.click('#tab-sentinels');
  const sentinelEvents = await page.$$eval('#sentinel-panel li', (l) => l.map((e) => e.textContent));
  assert.ok(sentinelEvents.some((t) => t.includes('+monitor')), 'the Sentinels\' first events, from the run\'s start');
  await page.click('#tab-events');

  // Far back: only the snapshot's stretch at first, then the two minutes before it.
  await scrub(page, 150_000);
  await poll(() => simMs(page), (t) => t === 150_000, { what: 'the playhead at 150 s' });
  await poll(() => firstMs(page), (t) => t <= 150_000 - 120_000, { timeout: 20_000, what: 'the history regenerated' });
  const rows = await page.$$eval('#trace li', (l) => l.map((e) => Number(e.dataset.ms)));
  assert.ok(rows.length > 10 && rows.every((t) => t <= 150_000), `rows ${rows.slice(0, 3)}…`);

  // The export holds the whole run to the playhead, replayed from its start.
  await page.click('.export summary');
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('#export-trace')]);
  const events = JSON.parse(readFileSync(await d.path(), 'utf8'));
  assert.equal(events[0].t_ms, 0);
  assert.ok(events.length > 50_000, `${events.length} events`);
  assert.ok(events.every((e, i) => e.t_ms <= 150_000 && (i === 0 || e.t_ms >= events[i - 1].t_ms)));
});

appTest('a run too long to export says so, and keeps running', { timeout: 120_000 }, async ({ page, load }) => {
  await load('#lesson=sandbox&topo=7.0,5,0,3,2,1,writer,master&t=4500000');
  await page.click('.export summary');
  const downloads = [];
  page.on('download', (d) => downloads.push(d));
  await page.click('#export-trace');
  await page.waitForSelector('#banner');
  assert.match(await page.textContent('#banner'), /events so far; a trace export holds at most 2000000/);
  assert.equal(downloads.length, 0);
  assert.equal(await simMs(page), 4_500_000);
});
