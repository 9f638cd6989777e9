// Issue 8 in the page: the Cluster panel shows data skew per node and the slot map (lesson 12),
// a failover's new owner (lesson 14), the console's cluster replies and redirections, and the
// flash sale's oversell counts per strategy in the checker ledger (lesson 15).
import assert from 'node:assert/strict';
import { appTest } from './helpers.mjs';
import { command } from './lab.mjs';

async function clusterRows(page) {
  return page.$$eval('#cluster-panel tr[data-cluster-node]', (rows) => rows.map((r) => {
    const cells = [...r.querySelectorAll('td')].map((td) => td.textContent.replace(/[\s\u2009]/g, ''));
    return { node: r.dataset.clusterNode, role: cells[0], slots: Number(cells[1]), keys: Number(cells[2]), ops: Number(cells[4]) };
  }));
}

appTest('the cluster panel shows skew per node and the slot map', { timeout: 120_000 }, async ({ page, load, shot }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await load('#lesson=cluster-data-skew&t=60000');
  await page.click('#tab-cluster');
  const rows = await clusterRows(page);
  assert.deepEqual(rows.map((r) => r.node), ['m1', 'm2', 'm3'], JSON.stringify(rows));
  assert.equal(rows.reduce((a, r) => a + r.slots, 0), 16384, `every slot owned once ${JSON.stringify(rows)}`);
  const byKeys = [...rows].sort((a, b) => b.keys - a.keys);
  assert.equal(byKeys[0].node, 'm1', `m1 holds the most keys (uneven slots, one hash tag) ${JSON.stringify(rows)}`);
  assert.ok(byKeys[0].keys > 3 * byKeys[2].keys, `the skew is visible ${JSON.stringify(rows)}`);
  assert.equal(await page.locator('#cluster-panel .slot-col').count(), 256, '256 slot columns');
  const legend = await page.locator('#cluster-panel .slot-run').allTextContents();
  assert.ok(legend.some((t) => /^m1: 0–/.test(t)), `the legend names m1's range: ${legend}`);
  await shot('cluster-skew');
  // The console speaks cluster: KEYSLOT, and a MOVED for a key another master owns.
  assert.equal(await command(page, 'm1', 'CLUSTER KEYSLOT {user1000}.following'), '(integer) 3443');
  const moved = await command(page, 'm2', 'GET {user1000}.following');
  assert.match(moved, /^\(error\) MOVED 3443 10\.0\.0\.\d+:6379$/);
});

appTest('after a cluster failover the panel shows the new owner', { timeout: 120_000 }, async ({ page, load, shot }) => {
  await load('#lesson=cluster-failover-node-timeout&t=40000');
  await page.click('#tab-cluster');
  const rows = await clusterRows(page);
  const m1 = rows.find((r) => r.node === 'm1');
  const r1 = rows.find((r) => r.node === 'r1');
  assert.equal(m1.slots, 0, `the old master serves nothing ${JSON.stringify(rows)}`);
  assert.ok(/replica/.test(m1.role), `m1 came back as a replica ${JSON.stringify(rows)}`);
  assert.ok(/master/.test(r1.role) && r1.slots > 5000, `r1 took m1's slots ${JSON.stringify(rows)}`);
  await shot('cluster-failover');
});

appTest('the flash sale ledger counts oversold units per strategy', { timeout: 120_000 }, async ({ page, load, shot }) => {
  await load('#lesson=flash-sale&t=99999999');
  await page.click('#tab-ledger');
  const sales = await page.$$eval('li[data-sale]', (els) => Object.fromEntries(els.map((e) => [e.dataset.sale, e.classList.contains('bad')])));
  assert.deepEqual(sales, { naive: true, multi: true, lock_short: true, lock_right: false, watch: false, script: false },
    'oversold (marked bad) exactly for naive, MULTI without WATCH and the too-short lock');
  await shot('flash-sale-ledger');
});
