// The look of the page: screenshots of the landing page and lesson 8 at a key moment, in both
// languages and both themes, at 1280×720 and 1024×720, plus embed mode at 1024 wide (nothing may
// overflow horizontally). Saved in tests/e2e/screenshots/ to be looked at.
import assert from 'node:assert/strict';
import { appTest, screenshot, waitReady } from './helpers.mjs';

const LESSON = '#lesson=split-brain-false-failure';

/** A fresh load of href (a hash change alone would not restart the app). */
async function open(page, href) {
  await page.goto('about:blank');
  await page.goto(href);
  await waitReady(page);
}

/** Page-level horizontal overflow in px (0 when the layout fits). */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

appTest('screenshots in both languages and themes', { timeout: 120_000 }, async ({ page, url }) => {
  await page.goto(url);
  await waitReady(page);
  for (const [w, h] of [[1280, 720], [1024, 720]]) {
    await page.setViewportSize({ width: w, height: h });
    for (const lang of ['en', 'zh']) {
      for (const theme of ['light', 'dark']) {
        await page.evaluate(([l, t]) => { localStorage.setItem('replilab.lang', l); localStorage.setItem('replilab.theme', t); }, [lang, theme]);
        await open(page, `${url}${LESSON}&t=50000`);
        assert.equal(await page.getAttribute('html', 'data-theme'), theme);
        assert.equal(await page.getAttribute('html', 'lang'), lang === 'zh' ? 'zh-CN' : 'en');
        assert.ok((await overflow(page)) <= 0, `no horizontal overflow at ${w} (${lang}, ${theme})`);
        await screenshot(page, `lesson8-50s-${w}-${lang}-${theme}`);
      }
    }
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  for (const lang of ['en', 'zh']) {
    await page.evaluate((l) => { localStorage.setItem('replilab.lang', l); localStorage.setItem('replilab.theme', 'light'); }, lang);
    await open(page, url);
    await screenshot(page, `landing-${lang}`);
  }
  // The checker ledger and the Sentinel panel after the split brain.
  await open(page, `${url}${LESSON}&t=95000`);
  await page.click('#tab-ledger');
  await screenshot(page, 'lesson8-end-ledger-zh');
  await page.click('button[data-lang="en"]');
  await page.click('#tab-sentinels');
  await page.selectOption('#inspect-target', 's1');
  await screenshot(page, 'lesson8-end-sentinels');
  await page.click('#tab-charts');
  await screenshot(page, 'lesson8-end-charts');
});

appTest('embed mode at 1024 wide posts ready and step messages', { timeout: 60_000 }, async ({ page, url }) => {
  await page.setViewportSize({ width: 1100, height: 700 });
  await page.goto(url);
  await waitReady(page);
  await page.setContent(`<!doctype html><body style="margin:0">
    <iframe id="f" src="${url}${LESSON}&lang=zh&embed=1" style="width:1024px;height:600px;border:0"></iframe>
    <script>window.msgs = []; addEventListener('message', (e) => window.msgs.push(e.data));</script></body>`);
  const frame = await (await page.waitForSelector('#f')).contentFrame();
  await waitReady(frame);
  await page.waitForFunction(() => window.msgs.some((m) => m.source === 'replilab' && m.type === 'ready'));
  assert.ok(await frame.locator('.app.embed').count(), 'the compact layout');
  assert.equal(await frame.locator('.narrative').count(), 0, 'no narrative panel in embed mode');
  const over = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 0, `nothing overflows at 1024 (${over} px)`);
  await frame.selectOption('#speed', '100');
  await frame.click('button#play');
  await page.waitForFunction(() => window.msgs.some((m) => m.type === 'step'), null, { timeout: 20_000 });
  const step = await page.evaluate(() => window.msgs.find((m) => m.type === 'step'));
  assert.equal(step.step, 0);
  assert.equal(step.t, 29000);
  await screenshot(page, 'embed-1024-zh');
});
