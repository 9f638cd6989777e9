// The static landing page (issue 13): dist/index.html itself holds the lesson picker (both
// languages, built from static/lessons/*.toml), so it shows before any wasm has loaded; a
// card clicked then is not lost; a link naming a lesson shows "Loading…" instead of the
// picker; and the app, once mounted, draws the same cards in the same place.
// The wasm is held back (page.route, released later) rather than blocked: a failed request
// would fail the test.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appTest, screenshot, SUB_PATH, waitReady } from './helpers.mjs';

const LESSONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../static/lessons');
const IDS = readdirSync(LESSONS).filter((f) => f.endsWith('.toml')).sort()
  .map((f) => readFileSync(path.join(LESSONS, f), 'utf8').match(/^id\s*=\s*"([^"]+)"/m)[1]);
const ID = 'first-full-sync';

/** Holds every .wasm request until release() is called; returns { release, requested }. */
async function holdWasm(page) {
  let release;
  const gate = new Promise((r) => { release = r; });
  const state = { requested: false, release: () => release() };
  await page.route('**/*.wasm', async (route) => {
    state.requested = true;
    await gate;
    await route.continue();
  });
  return state;
}

/** What the page shows: visible cards, the visible "Loading…" text, whether the app is there. */
const shown = (page) => page.evaluate(() => {
  const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  return {
    cards: [...document.querySelectorAll('a.lesson-card')].filter(visible).map((a) => a.dataset.lesson),
    styled: getComputedStyle(document.querySelector('a.lesson-card') ?? document.body).display === 'flex',
    loading: [...document.querySelectorAll('.landing.loading')].filter(visible).map((e) => e.textContent),
    h2: [...document.querySelectorAll('.landing h2')].filter(visible).map((e) => e.textContent),
    lang: document.documentElement.lang,
    app: !!document.querySelector('.app:not(.boot)'),
  };
});

appTest('the served index.html holds every lesson card, in both languages, escaped', {}, async ({ page, url }) => {
  const res = await page.request.get(url);
  const html = await res.text();
  for (const id of IDS.concat('sandbox')) {
    assert.equal(html.split(`href="#lesson=${id}" data-lesson="${id}"`).length - 1, 2, `two cards (en, zh) for ${id}`);
  }
  assert.ok(html.includes('<h2>Lessons</h2>') && html.includes('<h2>课程</h2>'));
  // The stylesheet is inlined (the picker paints without a second request), and the script
  // that picks the language and preloads a named lesson's JSON comes first; it names each file.
  const script = html.indexOf('<script>');
  assert.ok(!html.includes('rel="stylesheet"'), 'no stylesheet to fetch');
  assert.ok(script > 0 && script < html.indexOf('<style'), 'boot script before the styles');
  assert.match(html, new RegExp(`"${ID}":"lessons/01-first-full-sync-[0-9a-f]{16}\\.json"`));
  // Lesson text is escaped: no tag comes from a lesson file (every "<" in a card is ours).
  const ul = '<ul class="cards">';
  const cards = html.slice(html.indexOf(ul) + ul.length, html.indexOf('</ul>'));
  const tags = new Set([...cards.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
  assert.deepEqual([...tags].sort(), ['a', 'h3', 'li', 'p', 'span']);
});

for (const subPath of ['/', SUB_PATH]) {
  appTest(`the static picker shows before the wasm, and a card clicked then opens (at ${subPath})`, { subPath },
    async ({ page, url, problems }) => {
      const wasm = await holdWasm(page);
      const json = [];
      page.on('request', (r) => { if (r.url().endsWith('.json')) json.push(r.url()); });
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      let s = await shown(page);
      assert.deepEqual(s.cards, IDS.concat('sandbox'), 'the English cards, from static HTML');
      assert.ok(s.styled && !s.app && s.loading.length === 0 && s.lang === 'en', JSON.stringify(s));
      const box = await page.locator(`a.lesson-card[data-lesson="${ID}"] >> visible=true`).boundingBox();
      if (subPath === '/') await screenshot(page, 'landing-static-en');
      // A click before the wasm has loaded: "Loading…" at once, the lesson's JSON preloaded.
      await page.click(`a.lesson-card[data-lesson="${ID}"] >> visible=true`);
      assert.ok(page.url().endsWith(`#lesson=${ID}`));
      // hashchange is a queued task (HTML spec), so the click can return before boot.js
      // has seen it: wait for its class, then look.
      await page.waitForFunction(() => document.documentElement.classList.contains('boot-lesson'));
      s = await shown(page);
      assert.deepEqual([s.cards, s.loading], [[], ['Loading the lesson…']], JSON.stringify(s));
      assert.ok(wasm.requested, 'the wasm was requested (and is held)');
      assert.equal(await page.evaluate(() => document.body.dataset.ready), undefined, 'the app has not started');
      wasm.release();
      await waitReady(page, problems);
      assert.equal(await page.textContent('.lesson-title'), 'The first full sync');
      await page.waitForSelector('button#play:not([disabled])');
      assert.equal(json.length, 1, `the lesson JSON fetched once (the preload is used): ${json}`);
      assert.ok(json[0].startsWith(`${url}lessons/01-first-full-sync-`), json[0]);
      // Back to the landing page: the app's cards sit where the static ones were.
      await page.click('a.brand');
      await page.waitForSelector(`a.lesson-card[data-lesson="${ID}"]`);
      const after = await page.locator(`a.lesson-card[data-lesson="${ID}"]`).boundingBox();
      for (const k of ['x', 'y', 'width', 'height']) assert.ok(Math.abs(after[k] - box[k]) < 0.5, `${k}: ${box[k]} → ${after[k]}`);
      if (subPath === '/') await screenshot(page, 'landing-mounted-en');
    });
}

appTest('the static picker follows lang=, and the mounted one matches it', {}, async ({ page, url, problems }) => {
  const wasm = await holdWasm(page);
  await page.goto(`${url}#lang=zh`, { waitUntil: 'domcontentloaded' });
  const s = await shown(page);
  assert.deepEqual([s.lang, s.h2, s.cards.length], ['zh-CN', ['课程'], IDS.length + 1], JSON.stringify(s));
  const box = await page.locator('a.lesson-card >> visible=true').first().boundingBox();
  await screenshot(page, 'landing-static-zh');
  wasm.release();
  await waitReady(page, problems);
  const m = await shown(page);
  assert.deepEqual([m.app, m.lang, m.h2, m.cards], [true, 'zh-CN', ['课程'], s.cards], JSON.stringify(m));
  assert.equal(await page.getAttribute('button[data-lang="zh"]', 'aria-pressed'), 'true');
  const after = await page.locator('a.lesson-card').first().boundingBox();
  assert.deepEqual(after, box, 'no layout shift when the app mounts');
  await screenshot(page, 'landing-mounted-zh');
});

for (const hash of [`#lesson=${ID}`, `#lesson=${ID}&lang=zh&embed=1`]) {
  appTest(`a link naming a lesson shows "Loading…", not the picker (${hash})`, {}, async ({ page, url, problems }) => {
    const wasm = await holdWasm(page);
    await page.goto(url + hash, { waitUntil: 'domcontentloaded' });
    const s = await shown(page);
    const zh = hash.includes('lang=zh');
    assert.deepEqual([s.cards, s.loading, s.lang], [[], [zh ? '正在加载课程…' : 'Loading the lesson…'], zh ? 'zh-CN' : 'en']);
    wasm.release();
    await waitReady(page, problems);
    await page.waitForSelector('button#play');
    assert.equal(await page.locator('.boot').count(), 0, 'the app replaced the static markup');
  });
}
