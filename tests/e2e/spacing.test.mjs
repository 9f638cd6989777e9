// The space-time diagram's spacing (issue 15): at 1 ms of latency, real time draws lessons 8
// and 9 as a barcode of vertical lines; event order gives each drawn event its own column, and
// is the default there, chosen from the run. The toggle works from the keyboard, rides in the
// permalink (an unknown value: the default and a banner), and the playhead, the kind filter,
// clicking to seek and the SVG export work in both modes. Screenshots of both modes for
// lessons 8 and 9: tests/e2e/screenshots/spacing-*.png.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { appTest, poll, SCREENSHOTS, waitReady } from './helpers.mjs';
import { isPlaying, simMs } from './lab.mjs';

/** Least distance between columns, in screen px. */
const MIN_GAP = 10;

/** The diagram as drawn: spacing, columns (screen x, ms), arrows' horizontal extents (screen px). */
function diagram(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('#diagram-svg');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const cols = [...svg.querySelectorAll('.row-tick')].map((t) => ({ x: Number(t.getAttribute('x1')) * scale, ms: Number(t.dataset.ms) }));
    const dx = [...svg.querySelectorAll('.arrows path.msg:not(.inflight):not(.sentinel-inner)')].map((p) => {
      const [x1, , x2] = p.getAttribute('d').match(/-?[\d.]+/g).map(Number);
      return Math.abs(x2 - x1) * scale;
    });
    const labels = [...svg.querySelectorAll('.axis')].map((t) => t.textContent);
    return {
      spacing: svg.dataset.spacing, cols, dx, labels, scale,
      pressed: document.querySelector('.spacing [aria-pressed="true"]')?.id,
      kinds: [...svg.querySelectorAll('.arrows .msg')].map((p) => [...p.classList].find((c) => c !== 'msg' && c !== 'inflight')),
    };
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function spacingIs(page, want) {
  await poll(() => page.evaluate(() => document.querySelector('#diagram-svg')?.dataset.spacing), (s) => s === want, { what: `spacing ${want}` });
}

/** Waits until the diagram has drawn (or stopped drawing) arrows of `kind`. */
function kindShown(page, kind, shown) {
  return poll(() => diagram(page), (d) => d.kinds.includes(kind) === shown, { what: `${kind} arrows ${shown ? 'shown' : 'hidden'}` });
}

function panelShot(page, name) {
  return page.locator('section.diagram').screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Event order: columns at least MIN_GAP apart in time order, slanted arrows, times on the axis. */
function assertReadableOrder(d, what) {
  assert.equal(d.spacing, 'order', `${what}: event order`);
  assert.equal(d.pressed, 'spacing-order', `${what}: the toggle shows it`);
  assert.ok(d.cols.length >= 20, `${what}: ${d.cols.length} columns`);
  const gaps = d.cols.slice(1).map((c, i) => c.x - d.cols[i].x);
  assert.ok(Math.min(...gaps) >= MIN_GAP, `${what}: columns ${Math.min(...gaps).toFixed(1)} px apart`);
  assert.ok(d.cols.every((c, i) => i === 0 || c.ms >= d.cols[i - 1].ms), `${what}: columns in time order`);
  assert.ok(d.dx.length > 0 && median(d.dx) >= MIN_GAP, `${what}: arrows slanted (median ${median(d.dx)?.toFixed(1)} px)`);
  assert.ok(d.labels.length >= 3 && d.labels.every((l) => /^\d+\.\d{3} s$/.test(l)), `${what}: time labels ${d.labels}`);
}

appTest('diagram spacing: event order by default at 1 ms, toggle, filter, seek, link, export', { timeout: 180_000 }, async ({ page, load, url }) => {
  await load('#lesson=split-brain-partition');
  // Play past 35 s: the run pauses at the first step's end (29 s), then at the second's (44 s).
  await page.selectOption('#speed', '100');
  await page.click('button#play');
  await poll(() => isPlaying(page), (p) => !p, { timeout: 60_000, what: 'the pause at 29 s' });
  const choice = page.locator('.predict .choice:not([disabled])').first();
  if (await choice.count()) await choice.click();
  await page.click('#continue');
  await poll(() => simMs(page), (t) => t > 35_000, { timeout: 60_000, what: 'the playhead past 35 s' });
  await poll(() => isPlaying(page), (p) => !p, { timeout: 60_000, what: 'the pause at 44 s' });
  const t = await simMs(page);
  assert.equal(t, 44_000);

  // The default, chosen from the run: event order, readable.
  let d = await diagram(page);
  assertReadableOrder(d, 'lesson 9 at 44 s');
  assert.equal(Math.max(...d.cols.map((c) => c.ms)) <= t, true);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /spacing=/, 'the automatic choice is not in the link');
  await panelShot(page, 'spacing-09-order');

  // Real time, from the keyboard: the barcode the issue is about.
  await page.focus('#spacing-time');
  await page.keyboard.press('Enter');
  await spacingIs(page, 'time');
  d = await diagram(page);
  assert.equal(d.pressed, 'spacing-time');
  assert.equal(d.cols.length, 0, 'no columns in real time');
  assert.ok(median(d.dx) < 2, `real time draws 1 ms messages vertical (median ${median(d.dx).toFixed(2)} px)`);
  await panelShot(page, 'spacing-09-time');
  const timeHash = await poll(() => page.evaluate(() => location.hash), (h) => h.endsWith('&spacing=time'), { what: 'spacing=time in the link' });

  // And back (Space on the other button).
  await page.focus('#spacing-order');
  await page.keyboard.press('Space');
  await spacingIs(page, 'order');
  const orderHash = await poll(() => page.evaluate(() => location.hash), (h) => h.endsWith('&spacing=order'), { what: 'spacing=order in the link' });
  assert.equal(await simMs(page), t, 'toggling leaves the playhead');

  // The kind filter: hiding pings removes their arrows and their columns.
  const withPings = await kindShown(page, 'ping', true);
  await page.click('#legend-toggle');
  await page.click('.chip[data-kind="ping"]');
  d = await kindShown(page, 'ping', false);
  assertReadableOrder(d, 'without pings');
  assert.ok(d.cols[0].ms < withPings.cols[0].ms, `fewer columns per millisecond: the columns reach further back (${d.cols[0].ms} < ${withPings.cols[0].ms})`);
  await page.click('.chip[data-kind="ping"]');
  await kindShown(page, 'ping', true);
  await page.click('#legend-toggle');

  // Clicking a column seeks to its event's time; the playhead stays the right edge.
  d = await diagram(page);
  const col = d.cols[Math.floor(d.cols.length / 3)];
  const box = await page.locator('#diagram-svg').boundingBox();
  await page.mouse.click(box.x + col.x, box.y + box.height - 6);
  await poll(() => simMs(page), (ms) => ms === col.ms, { what: `the playhead at the clicked column (${col.ms} ms)` });
  d = await diagram(page);
  assertReadableOrder(d, 'after a click');
  assert.ok(d.cols.at(-1).ms <= col.ms, 'the columns end at the playhead');
  await page.mouse.click(box.x + 20, box.y + box.height - 6);
  assert.equal(await simMs(page), col.ms, 'a click on the lane names does not seek');

  // The SVG export carries the event-order drawing.
  await page.click('.export summary');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const svg = readFileSync(await dl.path(), 'utf8');
  assert.match(svg, /^<svg[^>]*data-spacing="order"/);
  assert.match(svg, /class="row-tick"/);

  // The link reopens in the chosen mode, even the one the run would not pick.
  for (const [hash, want] of [[timeHash, 'time'], [orderHash, 'order']]) {
    const other = await page.context().newPage();
    await other.goto(url + hash);
    await waitReady(other);
    await spacingIs(other, want);
    assert.equal(await simMs(other), 44_000);
    assert.equal(await other.locator('#banner').count(), 0, `no banner for ${hash}`);
    if (want === 'order') assertReadableOrder(await diagram(other), 'reopened');
    await other.close();
  }

  // An unknown value: the default (from the run) and a banner; the rest of the link holds.
  const bad = await page.context().newPage();
  await bad.goto(url + '#lesson=split-brain-partition&t=36000&spacing=sideways&lang=zh');
  await waitReady(bad);
  await bad.waitForSelector('#banner');
  assert.match(await bad.textContent('#banner'), /间距“sideways”无法识别/);
  await spacingIs(bad, 'order');
  assert.equal(await simMs(bad), 36_000);
  await bad.close();
});

appTest('diagram spacing: lesson 8 defaults to event order; both modes on screen', { timeout: 90_000 }, async ({ page, load }) => {
  await load('#lesson=split-brain-false-failure&t=40000');
  await spacingIs(page, 'order');
  assertReadableOrder(await diagram(page), 'lesson 8 at 40 s');
  await panelShot(page, 'spacing-08-order');
  await page.click('#spacing-time');
  await spacingIs(page, 'time');
  await panelShot(page, 'spacing-08-time');
  // In real time a click seeks to the time under the pointer.
  const { from, to, w } = await page.$eval('#diagram-svg', (s) => ({ from: Number(s.dataset.fromMs), to: Number(s.dataset.toMs), w: s.viewBox.baseVal.width }));
  const box = await page.locator('#diagram-svg').boundingBox();
  const fx = 50 + (w - 58) * 0.75; // LABEL + 3/4 of the plot, in user units
  await page.mouse.click(box.x + fx * box.width / w, box.y + box.height - 6);
  const want = from + 0.75 * (to - from);
  const msPerPx = (to - from) / ((w - 58) * box.width / w);
  await poll(() => simMs(page), (ms) => Math.abs(ms - want) <= msPerPx + 1, { what: `the playhead near ${want} ms` });
  // The choice was lesson 8's: lesson 9 picks its own again.
  await load('#lesson=split-brain-partition&t=36000');
  await spacingIs(page, 'order');
  // A sparse run stays in real time: lesson 1 before its clients start (5 s).
  await load('#lesson=read-write-split-lag&t=3000');
  await spacingIs(page, 'time');
  assert.equal(await page.$eval('#spacing-time', (b) => b.getAttribute('aria-pressed')), 'true');
});

appTest('diagram spacing: frame time of a 60 s window in both modes (lesson 9)', { timeout: 120_000 }, async ({ page, load }) => {
  // Playing at 1× from 62 s (after the heal) with a 60 s window: the time between frames.
  const frames = {};
  for (const mode of ['time', 'order']) {
    await load(`#lesson=split-brain-partition&t=62000&spacing=${mode}`);
    await spacingIs(page, mode);
    await page.selectOption('#diagram-window', '60000');
    await page.click('button#play');
    frames[mode] = await page.evaluate(async () => {
      const svg = () => document.querySelector('#diagram-svg');
      const deltas = [];
      let renders = 0;
      let to = svg().dataset.toMs;
      let last = performance.now();
      const end = last + 3000;
      await new Promise((done) => {
        const frame = (now) => {
          deltas.push(now - last);
          last = now;
          if (svg().dataset.toMs !== to) { renders++; to = svg().dataset.toMs; }
          if (now < end) requestAnimationFrame(frame); else done();
        };
        requestAnimationFrame(frame);
      });
      return { deltas, renders, arrows: Number(svg().dataset.arrows) };
    });
    await page.click('button#play');
  }
  const fmt = ({ deltas, renders, arrows }) => {
    const s = [...deltas].sort((a, b) => a - b);
    return `${(deltas.length / 3).toFixed(0)} fps, median ${median(s).toFixed(1)} ms, p95 ${s[Math.floor(s.length * 0.95)].toFixed(1)} ms, ${renders} redraws, ${arrows} arrows`;
  };
  console.log(`# lesson 9, 60 s window, playing at 1x: real time ${fmt(frames.time)}; event order ${fmt(frames.order)}`);
  for (const mode of ['time', 'order']) assert.ok(frames[mode].renders >= 10, `${mode}: the diagram follows the playhead (${fmt(frames[mode])})`);
  assert.ok(median(frames.order.deltas) <= 50, `event order keeps at least 20 fps: ${fmt(frames.order)}`);
});
