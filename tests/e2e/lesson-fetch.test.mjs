// Lessons are not in the wasm: the page fetches dist/lessons/<file>.json (a relative URL) when
// one opens. Under a sub-path the request stays under it; a corrupt or wrong-shaped file gives
// a bilingual banner over the landing page, never a blank page or a panic.
import assert from 'node:assert/strict';
import { appTest, SUB_PATH } from './helpers.mjs';
import { simMs } from './lab.mjs';

const ID = 'first-full-sync';

appTest('a lesson is fetched by a relative URL under a sub-path', { subPath: SUB_PATH }, async ({ page, load, url }) => {
  const fetched = [];
  page.on('request', (req) => {
    if (req.url().endsWith('.json')) fetched.push(req.url());
  });
  await load();
  assert.deepEqual(fetched, [], 'the landing page fetches no lesson');
  assert.ok((await page.locator('.lesson-card[data-lesson]').count()) > 1, 'the cards come from the built-in index');
  await page.click(`.lesson-card[data-lesson="${ID}"]`);
  await page.waitForSelector('#sim-time');
  assert.equal(fetched.length, 1, `one lesson fetched: ${fetched}`);
  assert.ok(fetched[0].startsWith(`${url}lessons/01-first-full-sync-`), `fetched under the sub-path: ${fetched[0]}`);
  assert.equal(await page.locator('#banner').count(), 0);
  // Back to the landing page and into the same lesson again: no second request.
  await page.click('a.brand');
  await page.waitForSelector(`.lesson-card[data-lesson="${ID}"]`);
  await page.evaluate((id) => { location.hash = `#lesson=${id}&t=5000`; }, ID);
  await page.waitForFunction(() => document.querySelector('#sim-time')?.dataset.ms === '5000');
  assert.equal(await simMs(page), 5000);
  assert.equal(fetched.length, 1, 'the second opening reuses the fetched lesson');
});

for (const [what, body] of [
  ['corrupt', '{"format": "replilab/1", "id": '],
  ['wrong-shaped', '{"id": "first-full-sync", "nodes": 3}'],
]) {
  appTest(`a ${what} lesson file shows a bilingual error, not a blank page`, {}, async ({ page, load, shot }) => {
    await page.route('**/lessons/*.json', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body }));
    await load(`#lesson=${ID}&embed=1`);
    const banner = page.locator('#banner');
    await banner.waitFor();
    const en = await banner.innerText();
    assert.match(en, /The lesson "first-full-sync" could not be loaded \(lessons\/01-first-full-sync-[0-9a-f]{16}\.json: .+\)/);
    assert.ok((await page.locator('.lesson-card[data-lesson]').count()) > 1, 'the landing page is shown');
    await shot(`${what}-en`);
    await page.goto('about:blank');
    await load(`#lesson=${ID}&lang=zh`);
    await banner.waitFor();
    assert.match(await banner.innerText(), /无法加载课程“first-full-sync”/);
    await shot(`${what}-zh`);
  });
}
