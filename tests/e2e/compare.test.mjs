// Two configurations side by side (issue 6's fork, kept): lesson 9 kept as branch A, then
// min-replicas-to-write set on m in branch B only; both branches play together to the end and
// the comparison shows different lost-write counts. Its permalink (cmp=) opens the same
// comparison in a fresh page, also in embed mode; a damaged cmp= opens without it, with a
// bilingual banner. Screenshots at 1280×720 and 1024×700, light and dark, English and 中文
// (tests/e2e/screenshots/, and $COMPARE_SHOTS if set).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { appTest, poll, screenshot, SUB_PATH, waitReady } from './helpers.mjs';
import { command, isPlaying, schedule, scrub, simMs } from './lab.mjs';

const LESSON = '#lesson=split-brain-partition';

async function shot(page, name) {
  const file = await screenshot(page, `compare-${name}`);
  if (process.env.COMPARE_SHOTS) {
    mkdirSync(process.env.COMPARE_SHOTS, { recursive: true });
    copyFileSync(file, path.join(process.env.COMPARE_SHOTS, path.basename(file)));
  }
}

/** The comparison's figure `fig` (e.g. "lost") in both branches, as text. */
function figure(page, fig) {
  return page.evaluate((fig) => {
    const row = document.querySelector(`#compare tr[data-fig="${fig}"]`);
    if (!row) return null;
    const cell = (b) => row.querySelector(`td[data-branch="${b}"]`)?.textContent.trim();
    return { a: cell('a'), b: cell('b'), diff: row.dataset.diff };
  }, fig);
}

/** The comparison as the page shows it: live branch, divergence, checker figures. */
async function comparison(page) {
  return {
    live: await page.getAttribute('#compare', 'data-live'),
    divergence: await page.getAttribute('#divergence', 'data-ms'),
    figures: await Promise.all(['acked', 'lost', 'stale', 'expired', 'goals'].map((f) => figure(page, f))),
  };
}

/** Plays at 100× through every step stop to the lesson's end. */
async function playToEnd(page) {
  await page.selectOption('#speed', '100');
  for (let i = 0; i < 10 && (await simMs(page)) < 100_000; i++) {
    await page.click('button#play');
    await poll(() => isPlaying(page), (p) => !p, { timeout: 60_000, what: 'the run to pause at a step end' });
  }
  assert.equal(await simMs(page), 100_000, 'the lesson ran to its end');
}

/** Sets theme and language through the header, as a learner would. */
async function look(page, lang, theme) {
  await page.click(`button[data-lang="${lang}"]`);
  if ((await page.getAttribute('html', 'data-theme')) !== theme) await page.click('#theme');
  await poll(() => page.getAttribute('html', 'data-theme'), (t) => t === theme, { what: `the ${theme} theme` });
}

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

appTest('compare two configurations of a lesson, and its permalink', { subPath: SUB_PATH, timeout: 240_000 }, async ({ page, load, url }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.addInitScript(() => localStorage.setItem('replilab.coach', '1'));
  await load(LESSON);
  await page.waitForSelector('button#play');

  // Keep the run as branch A: the comparison replaces the inspector, B is live.
  await page.click('#compare-toggle');
  await page.waitForSelector('#compare');
  assert.equal(await page.getAttribute('#compare-toggle', 'aria-pressed'), 'true');
  assert.equal(await page.locator('#inspector').count(), 0, 'the comparison takes the inspector\'s place');
  assert.equal(await page.getAttribute('#compare', 'data-live'), 'B');
  assert.match(await page.textContent('#divergence'), /identical so far/);

  // One setting different, in branch B only.
  assert.equal(await command(page, 'm', 'CONFIG SET min-replicas-to-write 1'), 'OK');
  assert.equal(await command(page, 'm', 'CONFIG SET min-replicas-max-lag 10'), 'OK');
  await poll(() => page.getAttribute('#divergence', 'data-ms'), (t) => t === '0', { what: 'the divergence point at 0 s' });
  assert.match(await page.textContent('#divergence'), /B.*CONFIG SET min-replicas-to-write 1/s);
  await shot(page, 'start-1280-en-light');

  await playToEnd(page);
  const lost = await figure(page, 'lost');
  assert.equal(lost.diff, '1', 'lost writes differ');
  assert.ok(Number(lost.a) > Number(lost.b) && Number(lost.b) > 0,
    `min-replicas-to-write loses fewer writes (A ${lost.a}, B ${lost.b})`);
  const mark = await page.$eval('#compare-figures tr[data-fig="lost"] th', (th) => getComputedStyle(th, '::before').content);
  assert.equal(mark, '"≠"', 'marked ≠, not by colour alone');
  assert.match(await page.textContent('#compare-figures tr[data-fig="lost"] th'), /\(differs\)/, 'and told to screen readers');
  const end = await comparison(page);

  for (const [w, h] of [[1280, 720], [1024, 700]]) {
    await page.setViewportSize({ width: w, height: h });
    for (const lang of ['en', 'zh']) {
      for (const theme of ['light', 'dark']) {
        await look(page, lang, theme);
        assert.ok((await overflow(page)) <= 0, `no horizontal overflow at ${w} (${lang}, ${theme})`);
        await shot(page, `end-${w}-${lang}-${theme}`);
      }
    }
  }
  await look(page, 'en', 'light');
  await page.setViewportSize({ width: 1280, height: 720 });

  // The permalink reproduces the comparison in a fresh page.
  await page.click('#share');
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /&s=.+&cmp=&t=100000&q=\d+$/, `hash ${hash}`);
  const other = await page.context().newPage();
  await other.goto(url + hash);
  await waitReady(other);
  await other.waitForSelector('#compare');
  assert.equal(await simMs(other), 100_000);
  assert.deepEqual(await comparison(other), end, 'the same comparison');
  assert.deepEqual(await schedule(other), await schedule(page), 'the same live branch');
  // Mid-partition, B's m has refused writes for a while: its offset and keys differ from A's.
  await scrub(other, 50_000);
  await poll(() => figure(other, 'node:m'), (f) => f?.diff === '1', { what: 'm differing at 50 s' });
  await other.$eval('#compare-nodes tr[data-fig="node:r5"]', (el) => el.scrollIntoView({ block: 'end' }));
  await shot(other, 'nodes-50s-1280-en-light');

  // Embed mode: one line, nothing overflows at 1024.
  await other.setViewportSize({ width: 1100, height: 700 });
  await other.setContent(`<!doctype html><body style="margin:0"><iframe id="f" src="${url}${hash}&lang=zh&embed=1" style="width:1024px;height:600px;border:0"></iframe></body>`);
  const frame = await (await other.waitForSelector('#f')).contentFrame();
  await waitReady(frame);
  await frame.waitForSelector('.compare-line');
  assert.match(await frame.textContent('.compare-line [data-fig="lost"]'), new RegExp(`A ${lost.a} ≠ B ${lost.b}`));
  assert.ok(await frame.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), 'no overflow in the frame');
  await shot(other, 'embed-1024-zh');
  await other.close();

  // Swap: branch A becomes live (no actions of its own); the figures stay with their branch.
  await page.click('#compare-swap');
  await poll(() => page.getAttribute('#compare', 'data-live'), (l) => l === 'A', { what: 'branch A live' });
  assert.deepEqual(await schedule(page), [], 'A has no actions');
  assert.deepEqual(await figure(page, 'lost'), lost);
  await page.click('#share');
  assert.match(await page.evaluate(() => location.hash), /&cmp=.+&live=a&t=100000&q=\d+$/);
  // Keyboard: Tab from "Make B live" reaches "End, keep A", with a visible focus ring.
  await page.focus('#compare-swap');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'compare-end');
  assert.equal(await page.evaluate(() => document.activeElement.matches(':focus-visible')), true);
  await shot(page, 'swapped-focus');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#inspector');
  assert.equal(await page.locator('#compare').count(), 0, 'the comparison is closed');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'compare-toggle', 'focus stays in reach');
  assert.equal(await page.textContent('#compare-toggle'), 'Compare');
  await page.click('#share');
  assert.doesNotMatch(await page.evaluate(() => location.hash), /cmp=/);
});

appTest('a damaged comparison link opens without it, with a bilingual banner', { timeout: 60_000 }, async ({ page, url }) => {
  for (const [bad, lang, text] of [
    ['&cmp=5:1:c:nosuchnode:GET&t=1000', 'en', /comparison could not be read \(action 1: unknown node 'nosuchnode' \(nodes: m, /],
    ['&cmp=5:1:c:nosuchnode:GET&t=1000&lang=zh', 'zh', /无法读取链接中的对比分支/],
    ['&cmp=&live=x&t=1000', 'en', /comparison could not be read \(live "x"\)/],
    ['&cmp=%E2%28&t=1000', 'en', /comparison could not be read/],
  ]) {
    await page.goto('about:blank');
    await page.goto(url + LESSON + bad);
    await waitReady(page);
    await page.waitForSelector('#banner');
    assert.match(await page.textContent('#banner'), text, `${bad} (${lang})`);
    assert.equal(await page.locator('#compare').count(), 0, 'no comparison');
    assert.equal(await page.textContent('#compare-toggle'), lang === 'zh' ? '对比' : 'Compare');
    assert.equal(await simMs(page), 1000, 'the rest of the link still holds');
  }
});
