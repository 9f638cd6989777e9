// Challenges through the UI (lesson 09's last step): take it up, make the change with the
// fault toolbar, play, and see the goals pass; "Show solution" on a fresh page; the
// challenge's state in the permalink; progress kept in local storage; the reset button.
// Predictions: the choices appear in a per-learner order that a link carries (q=).
import assert from 'node:assert/strict';
import { appTest, poll } from './helpers.mjs';
import { pause, scrub, simMs } from './lab.mjs';

const LESSON = '#lesson=split-brain-partition';

function challengeGoals(page) {
  return page.evaluate(() => [...document.querySelectorAll('#challenge .challenge-goals [data-goal]')]
    .map((g) => g.dataset.status));
}

async function playToEnd(page) {
  await page.selectOption('#speed', '100');
  await page.click('button#play');
  await poll(() => simMs(page), (t) => t >= 100_000, { timeout: 60_000, what: 'the end of the run' });
}

appTest('a challenge solved with the fault toolbar', { timeout: 180_000 }, async ({ page, load, shot }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await load(`${LESSON}&t=96000`);
  await page.waitForSelector('.challenge.offer #challenge-take');
  await page.click('#challenge-take');
  await poll(() => simMs(page), (t) => t === 29_000, { what: 'the playhead back at the challenge start' });
  assert.match(await page.textContent('#challenge .rules'), /CONFIG SET/);
  await shot('challenge-taken');
  // The change, with the toolbar: CONFIG SET min-replicas-to-write 3 on m.
  await page.selectOption('#fault-kind', 'config-set');
  await page.selectOption('#config-param', 'min-replicas-to-write');
  await page.fill('#config-value', '3');
  await page.selectOption('#fault-target', 'm');
  await page.click('#fault-apply');
  await playToEnd(page);
  await pause(page);
  await poll(() => challengeGoals(page), (g) => g.length === 2 && g.every((s) => s === 'pass'),
    { timeout: 20_000, what: 'both challenge goals passing' });
  assert.equal(await page.getAttribute('#challenge', 'data-solved'), 'true');
  await shot('challenge-solved');
  // The original run was kept as branch A: the comparison is open.
  assert.ok(await page.locator('#compare-toggle').count() > 0);
  // Progress is remembered, and the link carries the challenge.
  await poll(() => page.textContent('#learner-progress'), (t) => /challenges 1\/2/.test(t), { what: 'progress' });
  await poll(() => page.evaluate(() => location.hash), (h) => /&t=100000&ch=5&h=0&q=\d+/.test(h), { what: 'the permalink' });
  const hash = await page.evaluate(() => location.hash);
  await page.reload();
  await page.waitForSelector('#challenge');
  await poll(() => challengeGoals(page), (g) => g.every((s) => s === 'pass'), { what: 'the link reproduces the solved challenge' });
  assert.equal(await page.evaluate(() => location.hash.split('&t=')[0]), hash.split('&t=')[0]);
  // Reset forgets the progress and starts the lesson again.
  await page.click('#reset-lesson');
  await poll(() => page.evaluate(() => location.hash), (h) => h === LESSON || h.startsWith(`${LESSON}&t=0`), { what: 'the lesson reopened' });
  await poll(() => page.textContent('#learner-progress'), (t) => /challenges 0\/2/.test(t), { what: 'progress reset' });
});

appTest('a challenge broken by a means it does not allow, then Show solution', { timeout: 180_000 }, async ({ page, load, shot }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await load(`${LESSON}&t=96000`);
  await page.click('#challenge-take');
  await poll(() => simMs(page), (t) => t === 29_000, { what: 'the challenge start' });
  // Hints, one at a time.
  for (let i = 1; i <= 3; i++) {
    await page.click('#challenge-hint');
    assert.equal(await page.locator('#challenge .hint-text').count(), i);
  }
  assert.equal(await page.locator('#challenge-hint').count(), 0, 'no fourth hint');
  // A fault is not a CONFIG SET: the challenge says so.
  await page.selectOption('#fault-kind', 'crash');
  await page.selectOption('#fault-target', 'app');
  await page.click('#fault-apply');
  await poll(() => page.locator('#challenge-breaches li').count(), (n) => n >= 1, { what: 'the breach' });
  await shot('challenge-breach');
  await page.selectOption('#speed', '100');
  await page.click('#challenge-solution');
  await poll(() => simMs(page), (t) => t >= 100_000, { timeout: 90_000, what: 'the solution played to the end' });
  await poll(() => challengeGoals(page), (g) => g.length === 2 && g.every((s) => s === 'pass'), { timeout: 20_000, what: 'goals met by the solution' });
  assert.equal(await page.locator('#challenge-breaches li').count(), 0, 'the solution replaced the crash');
  await shot('challenge-solution');
  // Shown, not solved: progress does not count it.
  assert.match(await page.textContent('#learner-progress'), /challenges 0\/2/);
});

appTest('choices are shuffled per learner, and a link keeps the order', {}, async ({ page, load }) => {
  const order = () => page.evaluate(() => [...document.querySelectorAll('.predict .choice')].map((c) => c.dataset.choice).join(''));
  const orders = new Set();
  for (const q of [1, 2, 3, 4, 5, 6]) {
    await load(`${LESSON}&t=31000&q=${q}`);
    await page.waitForSelector('.predict .choice');
    orders.add(await order());
  }
  assert.ok(orders.size > 1, `several orders over six learners: ${[...orders]}`);
  await load(`${LESSON}&t=31000&q=4`);
  const first = await order();
  await page.reload();
  await page.waitForSelector('.predict .choice');
  assert.equal(await order(), first, 'the same seed shows the same order');
  // The answer is kept by choice, not by position: the one picked is the one judged.
  await page.click('.predict .choice[data-choice="0"]');
  await scrub(page, 44_000);
  await poll(() => page.locator('.predict .verdict').count(), (n) => n === 1, { what: 'the verdict' });
  const picked = await page.getAttribute('.predict .choice.picked', 'data-choice');
  assert.equal(picked, '0');
  const right = await page.locator('.predict .choice.right').count();
  assert.equal(right, 1, 'one right choice is marked');
  const verdict = await page.getAttribute('.predict .verdict', 'data-verdict');
  const pickedRight = (await page.getAttribute('.predict .choice.picked', 'class')).includes('right');
  assert.equal(verdict, pickedRight ? 'right' : 'wrong');
  if (!pickedRight) assert.ok(await page.locator('#why-not').count() <= 1);
});
