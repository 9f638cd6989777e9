// Page-object helpers for the lab page contract (see set_propagation.test.mjs):
// one element per node [data-node=NAME] (the topology map's node; trace entries also carry
// data-node) with [data-field=...]; the keyspace of the node picked in the inspector
// (select#inspect-target, #inspector [data-key=...]),
// the console (#console-target, #console-input, #console-output .reply), the sim clock
// (#sim-time[data-ms]) and the trace (#trace [data-trace=KIND][data-node=NAME][data-ms][data-bytes]).
import { poll } from './helpers.mjs';

/** Selector of a node's card; trace entries also carry data-node, so they are excluded. */
export const card = (node) => `[data-node="${node}"]:not([data-trace])`;

/** Text of [data-field=field] in node's card, or null if absent. */
export function field(page, node, name) {
  return page.evaluate(([sel, name]) => {
    const el = document.querySelector(`${sel} [data-field="${name}"]`);
    return el ? el.textContent.trim() : null;
  }, [card(node), name]);
}

/** Integer value of a field (NaN if absent or not an integer). */
export async function intField(page, node, name) {
  const t = await field(page, node, name);
  return t !== null && /^-?\d+$/.test(t) ? Number(t) : NaN;
}

/** The keys of node, as the inspector shows them (selects node in the inspector first). */
export async function keys(page, node) {
  await page.selectOption('select#inspect-target', node);
  return page.evaluate((node) => {
    const insp = document.querySelector(`#inspector[data-inspect="${node}"]`);
    return insp ? [...insp.querySelectorAll('[data-key]')].map((e) => e.dataset.key) : [];
  }, node);
}

/** The page's URL hash state for a lesson, e.g. "#lesson=sandbox". */
export const SANDBOX = '#lesson=sandbox';

export function simMs(page) {
  return page.evaluate(() => Number(document.querySelector('#sim-time')?.dataset.ms ?? NaN));
}

/** Every trace entry of a kind (and node), as { ms, bytes, text }, in document order. */
export function trace(page, kind, node) {
  return page.evaluate(([kind, node]) => [...document.querySelectorAll(`#trace [data-trace="${kind}"][data-node="${node}"]`)]
    .map((e) => ({ ms: Number(e.dataset.ms), bytes: Number(e.dataset.bytes), text: e.textContent.trim() })), [kind, node]);
}

/** Entries of `after` that are not in `before` (as a multiset: a list may be re-rendered). */
export function added(before, after) {
  const left = new Map();
  for (const e of before) left.set(JSON.stringify(e), (left.get(JSON.stringify(e)) ?? 0) + 1);
  return after.filter((e) => {
    const k = JSON.stringify(e);
    const n = left.get(k) ?? 0;
    if (n > 0) { left.set(k, n - 1); return false; }
    return true;
  });
}

/** Sends a command to node through the console and returns the text of its reply. */
export async function command(page, node, line, { timeout = 10_000 } = {}) {
  await page.selectOption('select#console-target', node);
  const before = await page.locator('#console-output .reply').count();
  await page.fill('input#console-input', line);
  await page.press('input#console-input', 'Enter');
  await poll(() => page.locator('#console-output .reply').count(), (n) => n > before,
    { timeout, what: `a reply to "${line}" on ${node}` });
  return (await page.locator('#console-output .reply').nth(before).textContent()).trim();
}

/** Waits (bounded) until every given replica shows master_link_status "up". */
export async function waitLinksUp(page, replicas, timeout = 30_000) {
  for (const r of replicas) {
    await poll(() => field(page, r, 'master_link_status'), (s) => s === 'up',
      { timeout, what: `master_link_status "up" on ${r}` });
  }
}

/** Whether the play button says it is playing. */
export async function isPlaying(page) {
  return (await page.getAttribute('button#play', 'aria-pressed')) === 'true';
}

/** Pauses playback if it is running. */
export async function pause(page) {
  if (await isPlaying(page)) await page.click('button#play');
  await poll(() => isPlaying(page), (p) => !p, { what: 'playback to pause' });
}

/** The goals panel: [{ status, label }] in order. */
export function goals(page) {
  return page.evaluate(() => [...document.querySelectorAll('#goals [data-goal]')]
    .map((g) => ({ status: g.dataset.status, label: g.querySelector('.label')?.textContent.trim() })));
}

/** The learner's recorded actions, as shown in the narrative panel. */
export function schedule(page) {
  return page.evaluate(() => [...document.querySelectorAll('#schedule li')].map((li) => li.textContent.trim()));
}

/** Moves the scrubber to ms (as a drag would: an input event). */
export function scrub(page, ms) {
  return page.$eval('#scrubber', (el, ms) => {
    el.value = String(ms);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, ms);
}
