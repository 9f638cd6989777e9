// Folding panels (ui-brief: "every panel can collapse"; web/src/components/fold.rs): each
// panel's head has a button that folds the panel to its head; the side columns and a
// half of the bottom row become strips, and the diagram takes the room they leave. The
// link carries the folds (`fold=`), a bad value opens with every panel and a banner, the
// buttons work from the keyboard, and embed mode has none.
import assert from 'node:assert/strict';
import { appTest, poll, waitReady } from './helpers.mjs';
import { simMs } from './lab.mjs';

const LESSON = '#lesson=split-brain-partition&t=40000';
const PANES = ['narrative', 'map', 'diagram', 'inspector', 'console', 'records'];

/** The folded panes, as the app root's classes and the buttons' aria-expanded say. */
const folded = (page) => page.evaluate((panes) => {
  const app = document.querySelector('.app.lab');
  const byClass = panes.filter((p) => app.classList.contains(`fold-${p}`));
  const byButton = panes.filter((p) => document.querySelector(`button.fold[data-pane="${p}"]`)?.getAttribute('aria-expanded') === 'false');
  return { byClass, byButton };
}, PANES);

const width = async (page, sel) => (await page.locator(sel).boundingBox()).width;

appTest('folding panels: the diagram widens, the link keeps them, the keyboard works', {}, async ({ page, load, url, shot }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await load(LESSON);
  assert.deepEqual(await page.$$eval('button.fold', (bs) => bs.map((b) => b.dataset.pane).sort()), [...PANES].sort());
  assert.deepEqual(await folded(page), { byClass: [], byButton: [] });
  const before = await width(page, '.diagram');
  for (const p of ['narrative', 'inspector', 'console']) await page.click(`button.fold[data-pane="${p}"]`);
  const want = ['narrative', 'inspector', 'console'];
  assert.deepEqual(await folded(page), { byClass: want, byButton: want });
  // The strips are narrow, their bodies gone; the diagram takes the room.
  assert.ok((await width(page, '.narrative')) < 50 && (await width(page, '.inspector')) < 50);
  assert.equal(await page.locator('.narrative-body').isVisible(), false);
  assert.equal(await page.locator('#console-input').isVisible(), false);
  const after = await width(page, '.diagram');
  assert.ok(after > before + 400, `the diagram widens: ${before} → ${after}`);
  // Its drawing is as wide as its panel (not a narrow drawing scaled up).
  const svg = await page.$eval('#diagram-svg', (s) => s.viewBox.baseVal.width);
  assert.ok(Math.abs(svg - after) < 60, `drawing ${svg} px for a ${after} px panel`);
  await shot('three-folded');

  // The link (kept up to date while paused) reopens the same folds.
  const hash = await poll(() => page.evaluate(() => location.hash), (h) => h.includes('&fold='), { what: 'fold= in the link' });
  assert.match(hash, /&fold=narrative,inspector,console(&|$)/);
  const other = await page.context().newPage();
  await other.setViewportSize({ width: 1280, height: 720 });
  await other.goto(url + hash);
  await waitReady(other);
  assert.deepEqual(await folded(other), { byClass: want, byButton: want });
  assert.equal(await simMs(other), 40_000);
  await other.close();

  // From the keyboard: Enter on a strip's button unfolds it, and focus stays on it.
  await page.focus('button.fold[data-pane="narrative"]');
  await page.keyboard.press('Enter');
  assert.deepEqual((await folded(page)).byClass, ['inspector', 'console']);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.pane), 'narrative');
  assert.ok(await page.locator('.narrative-body').isVisible());
  assert.match(await page.getAttribute('button.fold[data-pane="narrative"]', 'aria-label'), /^Fold the panel: Lesson$/);

  // Both halves of the bottom row folded (the console already is): the row shrinks to
  // their heads.
  await page.click('button.fold[data-pane="records"]');
  await page.click('button.fold[data-pane="map"]');
  const bottom = await page.locator('.bottom').boundingBox();
  assert.ok(bottom.height < 70, `the bottom row is its heads: ${bottom.height} px`);
  assert.ok(await page.locator('.tabs-panel .fold-title').isVisible(), 'the folded tabs show their title');
  await shot('map-and-bottom-folded');
});

appTest('folding panels: in 中文, a bad link, and none in embed mode', {}, async ({ page, load, url, shot }) => {
  await page.setViewportSize({ width: 1024, height: 640 });
  await load(`${LESSON}&lang=zh&fold=inspector,records`);
  assert.deepEqual((await folded(page)).byClass, ['inspector', 'records']);
  assert.equal(await page.getAttribute('button.fold[data-pane="inspector"]', 'aria-label'), '展开面板：节点详情');
  await shot('zh-1024');
  // An unknown pane: nothing folded, a banner; the rest of the link holds.
  const bad = await page.context().newPage();
  await bad.goto(`${url}${LESSON}&lang=zh&fold=inspector,%3Cb%3E`);
  await waitReady(bad);
  await bad.waitForSelector('#banner');
  assert.match(await bad.textContent('#banner'), /要折叠的面板“%3Cb%3E”无法识别/);
  assert.deepEqual((await folded(bad)).byClass, []);
  assert.equal(await simMs(bad), 40_000);
  await bad.close();
  // Embed mode: the compact layout does not fold, and ignores fold=.
  await page.goto('about:blank');
  await load(`${LESSON}&lang=zh&embed=1&fold=diagram`);
  assert.equal(await page.locator('button.fold').count(), 0);
  assert.ok(await page.locator('.diagram-scroll').isVisible());
});
