// The first page: a SET on the master m reaches replicas r1 (40 ms away) and r2 (120 ms away)
// after their link latency, in that order, and the replication offsets advance by the
// command's RESP length.
import assert from 'node:assert/strict';
import { appTest, poll } from './helpers.mjs';
import { added, command, field, intField, keys, SANDBOX, simMs, trace, waitLinksUp } from './lab.mjs';

const LATENCY = { r1: 40, r2: 120 };
// RESP of SET k2 v2: *3\r\n$3\r\nSET\r\n$2\r\nk2\r\n$2\r\nv2\r\n
const SET_K2_BYTES = Buffer.byteLength('*3\r\n$3\r\nSET\r\n$2\r\nk2\r\n$2\r\nv2\r\n');

/** The earliest new apply entry on node at or after ms, preferring ones whose text names SET. */
function firstApply(entries, ms) {
  const after = entries.filter((e) => e.ms >= ms);
  const sets = after.filter((e) => /\bset\b/i.test(e.text));
  const pick = (sets.length ? sets : after).sort((a, b) => a.ms - b.ms)[0];
  return pick?.ms;
}

appTest('SET on m propagates to r1 then r2 after their latencies', {}, async ({ page, load, shot }) => {
  await load(SANDBOX);

  // Plays at 1x by default.
  assert.equal(await page.getAttribute('button#play', 'aria-pressed'), 'true', 'playing after load');
  const speed = await page.$eval('#speed', (s) => s.value);
  assert.equal(parseFloat(speed), 1, `speed 1x by default (got ${JSON.stringify(speed)})`);
  const wall0 = Date.now();
  const sim0 = await simMs(page);
  await new Promise((r) => setTimeout(r, 1000));
  const simRate = ((await simMs(page)) - sim0) / (Date.now() - wall0);
  assert.ok(simRate > 0.3 && simRate < 3, `sim time runs at about 1x wall time (got ${simRate.toFixed(2)}x)`);

  await waitLinksUp(page, ['r1', 'r2']);
  // After a diskless full sync a 7.0 master streams to a replica only once it has sent its first
  // REPLCONF ACK (replicas ACK every second): wait past that, so the SET below is streamed at once.
  const upMs = await simMs(page);
  await poll(() => simMs(page), (t) => t >= upMs + 1100, { what: 'the replicas\' first REPLCONF ACK' });
  await shot('before');

  // SET k v on the master.
  const execBefore = await trace(page, 'exec', 'm');
  const applyBefore = { r1: await trace(page, 'apply', 'r1'), r2: await trace(page, 'apply', 'r2') };
  assert.equal(await command(page, 'm', 'SET k v'), 'OK');
  const execNew = await poll(async () => added(execBefore, await trace(page, 'exec', 'm')), (a) => a.length > 0,
    { what: 'the master\'s exec trace entry for SET k v' });
  const setMs = (execNew.find((e) => /\bset\b/i.test(e.text)) ?? execNew[0]).ms;
  assert.ok(Number.isInteger(setMs), `exec entry has an integer data-ms (got ${setMs})`);

  for (const r of ['r1', 'r2']) {
    await poll(() => keys(page, r), (ks) => ks.includes('k'), { what: `key k in ${r}'s card` });
  }
  const applied = {};
  for (const r of ['r1', 'r2']) {
    const fresh = added(applyBefore[r], await trace(page, 'apply', r));
    applied[r] = firstApply(fresh, setMs);
    assert.ok(Number.isInteger(applied[r]), `${r} has an apply trace entry at or after the SET (ms ${setMs}); new entries: ${JSON.stringify(fresh)}`);
    assert.ok(applied[r] - setMs >= LATENCY[r],
      `${r} applied SET ${applied[r] - setMs} ms after the master ran it; expected >= ${LATENCY[r]} ms`);
  }
  assert.ok(applied.r2 > applied.r1, `r2 applied (${applied.r2} ms) after r1 (${applied.r1} ms)`);

  // SET k2 v2: the master offset grows by exactly its RESP length, and the replicas catch up.
  const offBefore = await intField(page, 'm', 'master_repl_offset');
  assert.ok(Number.isInteger(offBefore), `master_repl_offset is an integer (got ${await field(page, 'm', 'master_repl_offset')})`);
  assert.equal(await command(page, 'm', 'SET k2 v2'), 'OK');
  const offAfter = await poll(() => intField(page, 'm', 'master_repl_offset'), (o) => o !== offBefore,
    { what: 'master_repl_offset to change after SET k2 v2' });
  assert.equal(offAfter - offBefore, SET_K2_BYTES, `master_repl_offset grew by ${offAfter - offBefore}, expected ${SET_K2_BYTES}`);
  for (const r of ['r1', 'r2']) {
    await poll(() => intField(page, r, 'slave_repl_offset'), (o) => o >= offAfter,
      { what: `${r}'s slave_repl_offset to reach the master's ${offAfter}` });
    await poll(() => keys(page, r), (ks) => ks.includes('k2'), { what: `key k2 in ${r}'s card` });
  }
  await shot('after');
});
