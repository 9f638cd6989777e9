// Permalinks: the hash holds lesson, seed, the learner's schedule and the playhead; opening it
// reproduces the same state. A damaged link shows a clear message and opens the lesson's start.
import assert from 'node:assert/strict';
import { appTest, poll, waitReady } from './helpers.mjs';
import { command, field, intField, keys, pause, SANDBOX, schedule, scrub, simMs } from './lab.mjs';

appTest('permalink round trip and damaged links', { timeout: 120_000 }, async ({ page, load, url }) => {
  await load(SANDBOX);
  await poll(() => field(page, 'r2', 'master_link_status'), (s) => s === 'up', { timeout: 30_000, what: 'r2 link up' });
  await pause(page);
  assert.equal(await command(page, 'm', 'SET k "hello world"'), 'OK');
  await page.click('#topology [data-node="r2"]', { button: 'right' });
  await page.click('#node-menu [data-fault="pause5"]');
  for (let i = 0; i < 5; i++) await page.click('#step-fwd');
  assert.equal(await command(page, 'm', 'INCR n'), '(integer) 1');
  // The hash follows the paused playhead 300 ms after it rests.
  const t = await simMs(page);
  const hash = await poll(() => page.evaluate(() => location.hash), (h) => new RegExp(`&t=${t}(&e=\\d+)?$`).test(h), { what: 'the hash at the playhead' });
  assert.match(hash, /^#lesson=sandbox&s=.+&t=\d+(&e=\d+)?$/, `hash ${hash}`);
  const state = {
    t: await simMs(page),
    off: await intField(page, 'm', 'master_repl_offset'),
    r1: await intField(page, 'r1', 'slave_repl_offset'),
    sched: await schedule(page),
    trace: await page.locator('#trace li').count(),
  };

  const other = await page.context().newPage();
  await other.goto(url + hash);
  await waitReady(other);
  assert.equal(await other.getAttribute('button#play', 'aria-pressed'), 'false', 'a permalink opens paused');
  assert.equal(await simMs(other), state.t, 'same playhead');
  assert.equal(await intField(other, 'm', 'master_repl_offset'), state.off, 'same master offset');
  assert.equal(await intField(other, "r1", "slave_repl_offset"), state.r1, `same replica offset (${hash})`);
  assert.deepEqual(await schedule(other), state.sched, 'same schedule');
  assert.equal(await other.locator('#trace li').count(), state.trace, 'same events');
  assert.ok((await keys(other, 'm')).includes('k'));
  await other.close();

  // Scrub back to 0, then forward again: the learner's actions replay at their times.
  await scrub(page, 0);
  await poll(() => simMs(page), (t) => t === 0, { what: 'the playhead at 0' });
  assert.deepEqual(await keys(page, 'm'), [], 'no key at t=0');
  await scrub(page, state.t);
  await poll(() => simMs(page), (t) => t === state.t, { what: 'the playhead back' });
  assert.equal(await intField(page, 'm', 'master_repl_offset'), state.off, 'replay gives the same offset');

  // Fork: acting in the past drops the actions that followed, and says so.
  await scrub(page, 1000);
  await poll(() => simMs(page), (t) => t === 1000, { what: 'the playhead at 1 s' });
  assert.equal(await command(page, 'm', 'SET fork 1'), 'OK');
  await page.waitForSelector('#banner');
  assert.match(await page.textContent('#banner'), /Forked at 1\.000 s: 3 later action/);
  assert.equal((await schedule(page)).length, 1, 'only the new action remains');

  // Damaged links.
  for (const bad of ['#lesson=sandbox&s=12:3:c:nosuchnode:GET', '#lesson=split-brain-false-failure&t=abc', '#lesson=sandbox&s=%E2%28']) {
    const p = await page.context().newPage();
    await p.goto(url + bad);
    await waitReady(p);
    await p.waitForSelector('#banner');
    assert.match(await p.textContent('#banner'), /could not be read|无法读取/);
    assert.equal(await simMs(p), 0, `${bad} opens the lesson's start`);
    await p.close();
  }
  const p = await page.context().newPage();
  await p.goto(url + '#lesson=no-such-lesson');
  await waitReady(p);
  await p.waitForSelector('#banner');
  assert.ok(await p.locator('.lesson-card').count() > 1, 'an unknown lesson shows the landing page');
  await p.close();
});
