// Smoke test: the built page starts, shows its three nodes and a running clock, with no error
// and no request outside its origin, both at the server root and under a sub-path
// (as when dist/ is dropped into a course site: public_url = "./").
import assert from 'node:assert/strict';
import { appTest, poll, SUB_PATH } from './helpers.mjs';
import { card, SANDBOX, simMs } from './lab.mjs';

for (const subPath of ['/', SUB_PATH]) {
  appTest(`smoke at ${subPath}`, { subPath }, async ({ page, load, shot, url }) => {
    await load(SANDBOX);
    assert.ok(url.endsWith('/'));
    for (const node of ['m', 'r1', 'r2']) {
      assert.equal(await page.locator(card(node)).count(), 1, `one card for node ${node}`);
    }
    const t0 = await simMs(page);
    assert.ok(Number.isInteger(t0), `#sim-time[data-ms] is an integer (got ${t0})`);
    await poll(() => simMs(page), (t) => t > t0, { timeout: 5_000, what: 'the sim clock to advance' });
    await shot('loaded');
  });
}
