// The sandbox with any topology: the form (keyboard only) starts a chained topology with
// Sentinels and a client, the permalink carries it (a fresh page reproduces it), the
// "seed 001 deployment" preset matches lesson 08's topology, and a link with bad values
// opens with a clear message and the defaults for those fields.
import assert from 'node:assert/strict';
import { appTest, poll, waitReady } from './helpers.mjs';
import { command, field, SANDBOX } from './lab.mjs';

const nodes = (page) => page.$$eval('#topology [data-node]', (els) => els.map((e) => e.dataset.node).sort());

appTest('sandbox topology form, permalink and preset', { timeout: 120_000 }, async ({ page, load, url, shot }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await load(SANDBOX);
  assert.deepEqual(await nodes(page), ['m', 'r1', 'r2'], 'the default sandbox: a master and two replicas');
  await shot('form');

  // Keyboard only: focus each control and change it with the arrow keys.
  await page.focus('#topo-replicas');
  for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab'); // Sentinels
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab'); // quorum: 2 by default
  await page.keyboard.press('Tab'); // clients
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab'); // workload
  await page.keyboard.press('ArrowDown'); // write, then read
  await page.keyboard.press('Tab'); // reads from
  await page.keyboard.press('Tab'); // chained
  await page.keyboard.press('Space');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'topo-chained');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'topo-apply');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused button shows its focus');
  await page.keyboard.press('Enter');

  await poll(() => nodes(page), (n) => n.includes('r4') && n.includes('s3'), { what: 'the new topology' });
  assert.deepEqual(await nodes(page), ['app', 'm', 'r1', 'r2', 'r3', 'r4', 's1', 's2', 's3'].sort());
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /topo=7\.0,4,1,3,2,1,write_then_read,master/, hash);
  // Chained: r2 replicates from r1.
  await page.selectOption('#speed', '10');
  await poll(() => field(page, 'r2', 'master_link_status'), (s) => s === 'up', { timeout: 30_000, what: 'r2 link up' });
  assert.match(await command(page, 'r2', 'INFO replication'), /master_host:10\.0\.0\.2\b/, 'r2 follows r1 (10.0.0.2)');

  // The link reproduces the topology in a fresh page.
  const other = await page.context().newPage();
  await other.goto(url + hash);
  await waitReady(other);
  assert.deepEqual(await nodes(other), await nodes(page), 'same topology from the link');
  await other.close();

  // The preset: lesson 08's deployment.
  await page.click('#topo-seed001');
  await poll(() => nodes(page), (n) => n.includes('r5'), { what: 'the seed 001 deployment' });
  assert.deepEqual(await nodes(page), ['app', 'm', 'r1', 'r2', 'r3', 'r4', 'r5', 's1', 's2', 's3'].sort());
  assert.match(await page.evaluate(() => location.hash), /topo=7\.0,5,0,3,2,1,writer,master/);
  await shot('seed001');

  // Bad values: a clear message, defaults for those fields, the rest kept.
  const bad = await page.context().newPage();
  await bad.goto(`${url}#lesson=sandbox&topo=9.9,12,0,3,2,1,writer,master`);
  await waitReady(bad);
  await bad.waitForSelector('#banner');
  const text = await bad.textContent('#banner');
  assert.match(text, /profile "9\.9"/, text);
  assert.match(text, /replicas "12"/, text);
  assert.deepEqual(await nodes(bad), ['app', 'm', 'r1', 'r2', 's1', 's2', 's3'].sort(), 'defaults for the bad fields');
  await bad.close();

  // Chinese, dark, 1024 wide: the form fits, nothing overflows.
  await page.evaluate(() => { localStorage.setItem('replilab.lang', 'zh'); localStorage.setItem('replilab.theme', 'dark'); });
  await page.setViewportSize({ width: 1024, height: 720 });
  await page.reload();
  await waitReady(page);
  assert.equal(await page.textContent('#sandbox-form-title'), '拓扑');
  assert.equal(await page.textContent('#topo-seed001'), '脑裂案例的部署');
  const over = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(over <= 0, `nothing overflows at 1024 (${over} px)`);
  await shot('zh-dark-1024');
});
