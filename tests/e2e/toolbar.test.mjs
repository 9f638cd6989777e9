// The fault toolbar takes values (issue 15): a 1 ms latency and a 2 Mbit/s bandwidth between
// two chosen nodes, a 12 s pause, a -3 s clock skew, each recorded in the schedule, shown in the
// trace and the page (link menu, node status, inspector, TIME), and reproduced by the permalink
// after a reload. Bad values show an inline error (in English and 中文) and change nothing.
// Also: the CONFIG SET form, and Shift+←/→ jumping between events of the chosen kind.
import assert from 'node:assert/strict';
import { appTest, poll, waitReady } from './helpers.mjs';
import { command, field, pause, SANDBOX, schedule, scrub, simMs } from './lab.mjs';

/** The fault entries of the event list, as text (the list draws only the rows in view: scroll it through). */
const faults = (page) => page.evaluate(async () => {
  const box = document.querySelector('.trace');
  const seen = new Set();
  const settle = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 40)));
  for (let y = 0; y <= box.scrollHeight; y += Math.max(100, box.clientHeight - 40)) {
    box.scrollTop = y;
    box.dispatchEvent(new Event('scroll'));
    await settle();
    for (const e of box.querySelectorAll('li[data-trace="fault"] .x')) seen.add(e.textContent.trim());
  }
  box.scrollTop = 0;
  box.dispatchEvent(new Event('scroll'));
  return [...seen];
});
/** The title of the link menu between a and b (then closes it). */
async function linkTitle(page, link) {
  await page.click(`#topology [data-link="${link}"] .hit-link`, { button: 'right' });
  const title = await page.textContent('#node-menu .menu-title');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#node-menu', { state: 'detached' });
  return title;
}
/** The seconds of TIME on a node. */
const seconds = async (page, node) => Number((await command(page, node, 'TIME')).match(/1\) "(\d+)"/)[1]);

appTest('fault values from the toolbar, and their permalink', { timeout: 180_000 }, async ({ page, load, shot, url }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await load(SANDBOX);
  await poll(() => field(page, 'r1', 'master_link_status'), (s) => s === 'up', { timeout: 30_000, what: 'r1 link up' });
  await pause(page);

  // Latency between two chosen nodes, from the keyboard.
  await page.focus('#fault-kind');
  await page.selectOption('#fault-kind', 'link');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'fault-target', 'the node follows the fault kind');
  await page.selectOption('#fault-target', 'm');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'fault-peer', 'then the other end');
  await page.selectOption('#fault-peer', 'r1');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'fault-latency');
  assert.equal(await page.getAttribute('#fault-latency', 'placeholder'), '40ms', 'the current latency is the placeholder');
  await page.keyboard.type('1ms');
  assert.equal(await page.textContent('#fault-preview'), 'link m r1 latency 1ms', 'the action is shown before it is applied');
  await shot('link');
  await page.keyboard.press('Enter');
  await poll(() => schedule(page), (s) => s.some((x) => /link m r1 latency 1ms/.test(x)), { what: 'the latency in the schedule' });
  assert.equal(await page.getAttribute('#fault-latency', 'placeholder'), '1ms', 'the new latency is in force');
  assert.match(await linkTitle(page, 'm-r1'), /m ↔ r1 \(1 ms\)/);

  // Bandwidth of another link.
  await page.selectOption('#fault-peer', 'r2');
  await page.fill('#fault-bandwidth', '2mbit');
  await page.click('#fault-apply');
  await poll(() => page.getAttribute('#fault-bandwidth', 'placeholder'), (p) => p === '2mbit', { what: 'the new bandwidth' });

  // A 12 s pause.
  await page.selectOption('#fault-kind', 'pause');
  await page.selectOption('#fault-target', 'r2');
  await page.fill('#fault-pause', '12s');
  await page.press('#fault-pause', 'Enter');
  await poll(() => page.getAttribute('#topology [data-node="r2"]', 'data-status'), (s) => s === 'paused', { what: 'r2 paused' });
  const t0 = await simMs(page);

  // A -3 s clock skew.
  await page.selectOption('#fault-kind', 'skew');
  await page.selectOption('#fault-target', 'r1');
  await page.fill('#fault-skew', '-3s');
  await page.click('#fault-apply');
  await page.selectOption('select#inspect-target', 'r1');
  await poll(() => page.textContent('#inspector [data-field="clock-skew"]').catch(() => null), (t) => t === 'clock −3.000 s', { what: 'the skew in the inspector' });
  assert.equal(await seconds(page, 'm') - await seconds(page, 'r1'), 3, 'r1 says TIME 3 s behind m');

  const want = ['link m r1 latency 1ms', 'link m r2 bandwidth 2mbit', 'pause r2 12s', 'skew r1 -3s'];
  const sched = await schedule(page);
  for (const w of want) assert.ok(sched.some((s) => s.includes(w)), `${w} in the schedule: ${JSON.stringify(sched)}`);
  const inTrace = await faults(page);
  for (const w of want) assert.ok(inTrace.includes(w), `${w} in the trace: ${JSON.stringify(inTrace)}`);
  await shot('applied');

  // Bad values: an inline error, focus on the field, nothing recorded.
  const before = await schedule(page);
  const traced = await page.locator('#trace li').count();
  await page.selectOption('#fault-kind', 'pause');
  for (const [bad, msg] of [['abc', /'abc' is not a time/], ['-5s', /cannot be negative/], ['', /enter a time/], ['100000s', /more than a day/]]) {
    await page.fill('#fault-pause', bad);
    await page.click('#fault-apply');
    assert.match(await page.textContent('#fault-error'), msg, `the error for ${JSON.stringify(bad)}`);
    assert.equal(await page.getAttribute('#fault-pause', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'fault-pause', 'the bad field takes focus');
  }
  await shot('error');
  await page.selectOption('#fault-kind', 'link');
  await page.selectOption('#fault-peer', 'r1');
  await page.click('#fault-apply');
  assert.equal(await page.textContent('#fault-error'), 'Choose two different nodes.', 'a link needs two ends');
  await page.selectOption('#fault-target', 'm');
  await page.fill('#fault-latency', '-1ms');
  await page.click('#fault-apply');
  assert.match(await page.textContent('#fault-error'), /Latency: cannot be negative/);
  await page.fill('#fault-latency', '');
  await page.fill('#fault-bandwidth', 'fast');
  await page.click('#fault-apply');
  assert.match(await page.textContent('#fault-error'), /Bandwidth: 'fast' is not a rate/);
  await page.click('button[data-lang="zh"]');
  await page.click('#fault-apply');
  assert.equal(await page.textContent('#fault-error'), '带宽：“fast”不是速率。请写成 2mbit 或 500B/ms 这样的形式。');
  await shot('error-zh');
  await page.click('button[data-lang="en"]');
  await page.fill('#fault-bandwidth', '');
  assert.equal(await page.locator('#fault-error').count(), 0, 'editing clears the error');
  assert.deepEqual(await schedule(page), before, 'a bad value records nothing');
  assert.equal(await page.locator('#trace li').count(), traced, 'and changes nothing');
  assert.equal(await page.getAttribute('#fault-latency', 'placeholder'), '1ms', 'the link is as it was');

  // The pause lasts 12 s.
  await scrub(page, t0 + 11_500);
  await poll(() => page.getAttribute('#topology [data-node="r2"]', 'data-status'), (s) => s === 'paused', { what: 'r2 still paused after 11.5 s' });
  await scrub(page, t0 + 12_500);
  await poll(() => page.getAttribute('#topology [data-node="r2"]', 'data-status'), (s) => s === 'running', { what: 'r2 running after 12.5 s' });

  // The permalink reproduces all of it after a reload.
  const t = await simMs(page);
  const hash = await poll(() => page.evaluate(() => location.hash), (h) => h.includes(`&t=${t}`), { what: 'the hash at the playhead' });
  const sched2 = await schedule(page);
  await page.goto('about:blank');
  await page.goto(url + hash);
  await waitReady(page);
  assert.deepEqual(await schedule(page), sched2, 'same schedule after a reload');
  const again = await faults(page);
  for (const w of want) assert.ok(again.includes(w), `${w} in the trace after a reload`);
  await page.selectOption('select#inspect-target', 'r1');
  assert.equal(await page.textContent('#inspector [data-field="clock-skew"]'), 'clock −3.000 s');
  assert.match(await linkTitle(page, 'm-r1'), /m ↔ r1 \(1 ms\)/);
  await page.selectOption('#fault-kind', 'link');
  await page.selectOption('#fault-target', 'm');
  await page.selectOption('#fault-peer', 'r2');
  assert.equal(await page.getAttribute('#fault-bandwidth', 'placeholder'), '2mbit');
  await scrub(page, t0 + 6_000);
  await poll(() => page.getAttribute('#topology [data-node="r2"]', 'data-status'), (s) => s === 'paused', { what: 'r2 paused, replayed' });
});

appTest('CONFIG SET from the fault toolbar', { timeout: 120_000 }, async ({ page, load, shot }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await load(SANDBOX);
  await pause(page);
  await page.focus('#fault-kind');
  await page.selectOption('#fault-kind', 'config-set');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'fault-target');
  await page.selectOption('#fault-target', 'm');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'config-param', 'the parameter picker follows the node');
  const params = await page.$$eval('#config-param option', (os) => os.map((o) => o.value));
  assert.ok(params.includes('repl-backlog-size') && params.includes('cluster-node-timeout') && !params.includes('cluster-enabled') && !params.includes('min-slaves-to-write'), `the core's parameters: ${params}`);
  await page.selectOption('#config-param', 'min-replicas-to-write');
  assert.equal(await page.inputValue('#config-value'), '0', "the node's current value is proposed");
  await page.keyboard.press('Tab');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'fault-apply');
  await shot('config-set');
  await page.keyboard.press('Enter');
  await poll(() => schedule(page), (s) => s.some((x) => /CONFIG SET min-replicas-to-write 2/.test(x)),
    { what: 'the CONFIG SET in the schedule' });
  assert.equal(await command(page, 'm', 'CONFIG GET min-replicas-to-write'), '1) "min-replicas-to-write"\n2) "2"');
  assert.equal(await page.inputValue('#config-value'), '2', 'the field follows the value in force');
  // A value CONFIG SET refuses: Redis's own error, the page keeps working.
  await page.selectOption('#config-param', 'hz');
  await page.fill('#config-value', 'fast');
  await page.click('#fault-apply');
  await poll(() => page.locator('#console-output .reply').last().textContent(), (t) => /ERR/.test(t), { what: 'the error reply' });
});

appTest('Shift+arrows jump between events of the chosen kind', { timeout: 120_000 }, async ({ page, load }) => {
  await load('#lesson=split-brain-false-failure');
  await pause(page);
  await page.selectOption('#jump-kind', 'role');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('Shift+ArrowRight');
  const t1 = await simMs(page);
  const roleAt = (t) => page.evaluate((t) => [...document.querySelectorAll('#trace li[data-trace="role"]')].some((li) => Number(li.dataset.ms) === t), t);
  assert.ok(t1 > 30_000, `the first role change comes after the stall (${t1})`);
  assert.ok(await roleAt(t1), `a role change at ${t1}`);

  await page.focus('#jump-kind');
  await page.selectOption('#jump-kind', 'sentinel');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('Shift+ArrowLeft');
  const t2 = await simMs(page);
  assert.ok(t2 < t1, `Shift+← goes back (${t1} → ${t2})`);
  const sentinelAt = await page.evaluate((t) => [...document.querySelectorAll('#trace li[data-trace="sentinel"]')].some((li) => Number(li.dataset.ms) === t), t2);
  assert.ok(sentinelAt, `a Sentinel event at ${t2}`);
});
