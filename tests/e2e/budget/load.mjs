// The loading budgets (issue 13): what a learner notices on a modest connection. Each load is
// a fresh browser context (cold cache) under the DevTools protocol's emulation of
// 9 Mbit/s down with 60 ms round trip (Network.emulateNetworkConditions) and a 4× slower CPU
// (Emulation.setCPUThrottlingRate). Observers are installed from outside (an init script);
// the page carries no benchmark hook.
import { openPage } from './page.mjs';

export const NETWORK = { offline: false, latency: 60, downloadThroughput: 9e6 / 8, uploadThroughput: -1 };
/** The budget's 4×; BUDGET_CPU_SLOWDOWN=1 shows what the machine itself does (not a budget run). */
export const CPU_SLOWDOWN = Number(process.env.BUDGET_CPU_SLOWDOWN ?? 4);

/** A page under the emulation; the same shape as openPage's. */
export async function emulatedPage(browser) {
  const p = await openPage(browser);
  await p.cdp.send('Network.enable');
  await p.cdp.send('Network.emulateNetworkConditions', NETWORK);
  await p.cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return p;
}

/**
 * Checked on every animation frame from the document's creation (a frame runs only when the
 * page may paint: not while the stylesheet still blocks rendering). Each figure is ms since
 * navigation at the frame after the one in which the condition first held, i.e. once the
 * frame showing it has been drawn:
 *  - picker: a lesson card is laid out with the stylesheet applied (display: flex);
 *  - mounted: the wasm app has replaced the static markup (no .boot left, an .app there);
 *  - ready: body[data-ready="1"], which the app sets once it shows what the URL asked for;
 *  - interactive: the lesson is usable: ready, the Play button enabled and the topology
 *    map drawn (#topology with its nodes).
 * Also the first contentful paint and the layout shift summed over the load.
 */
function observe() {
  const m = (window.__budgetLoad = { shift: 0 });
  const flexCard = () => {
    const c = document.querySelector('a.lesson-card');
    return !!c && c.getClientRects().length > 0 && getComputedStyle(c).display === 'flex';
  };
  const ready = () => document.body?.dataset.ready === '1';
  const usable = () => {
    const play = document.querySelector('button#play');
    return ready() && !!play && !play.disabled && !!document.querySelector('#topology .nodes > *');
  };
  const checks = {
    picker: flexCard,
    mounted: () => !!document.querySelector('.app') && !document.querySelector('.boot'),
    ready,
    interactive: usable,
  };
  const seen = {};
  const frame = () => {
    const now = performance.now();
    for (const [k, holds] of Object.entries(checks)) {
      if (seen[k] && m[k] === undefined) m[k] = now;
      else if (!seen[k] && holds()) seen[k] = true;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (e.name === 'first-contentful-paint') m.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (!e.hadRecentInput) m.shift += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
}

/** When the page's wasm (and, if any, a lesson's JSON) finished downloading, ms since navigation. */
function resources() {
  const r = performance.getEntriesByType('resource');
  const end = (suffix) => r.find((e) => new URL(e.name).pathname.endsWith(suffix))?.responseEnd ?? NaN;
  return { wasmEnd: end('.wasm'), jsonEnd: end('.json'), jsonFetches: r.filter((e) => e.name.endsWith('.json')).length };
}

/**
 * One cold load of the landing page (`url`, no hash): when the picker was visible, whether
 * that was before the wasm had downloaded, when the app mounted and was ready, the layout
 * shift; then a real click on the card `clickId` and ms until the lab's Play button exists.
 */
export async function landingLoad(browser, url, clickId) {
  const { page, problems, close } = await emulatedPage(browser);
  try {
    await page.addInitScript(observe);
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => {
      const m = window.__budgetLoad;
      return m?.picker !== undefined && m.ready !== undefined && m.mounted !== undefined;
    }, null, { timeout: 60_000 });
    // Let a late layout shift (if any) be counted.
    await page.waitForTimeout(300);
    const m = await page.evaluate(() => window.__budgetLoad);
    const r = await page.evaluate(resources);
    await page.evaluate(() => addEventListener('pointerdown', (e) => { window.__budgetLoad.click = e.timeStamp; }, true));
    await page.click(`a.lesson-card[data-lesson="${clickId}"]`);
    await page.waitForSelector('button#play');
    const play = await page.evaluate(() => performance.now() - window.__budgetLoad.click);
    if (problems.length) throw new Error(problems.join('\n'));
    return { ...m, ...r, click: play };
  } finally {
    await close();
  }
}

/** One cold load of `url` + `#lesson=<id>`: ms until the lesson is interactive (see observe). */
export async function lessonLoad(browser, url, id) {
  const { page, problems, close } = await emulatedPage(browser);
  try {
    await page.addInitScript(observe);
    await page.goto(`${url}#lesson=${id}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__budgetLoad?.interactive !== undefined, null, { timeout: 60_000 });
    const m = await page.evaluate(() => window.__budgetLoad);
    const r = await page.evaluate(resources);
    if (problems.length) throw new Error(problems.join('\n'));
    return { ...m, ...r };
  } finally {
    await close();
  }
}

/**
 * What this machine can do under the same emulation: the first contentful paint of a
 * one-paragraph page (no stylesheet, no script), served the same way. Not a budget: it shows
 * how much of picker_visible_ms is the browser starting a page at all on a busy machine.
 */
export async function floorLoad(browser, url) {
  const { page, problems, close } = await emulatedPage(browser);
  try {
    await page.goto(url, { waitUntil: 'load' });
    const fcp = await page.evaluate(() => new Promise((resolve) => {
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) if (e.name === 'first-contentful-paint') resolve(e.startTime);
      }).observe({ type: 'paint', buffered: true });
    }));
    if (problems.length) throw new Error(problems.join('\n'));
    return fcp;
  } finally {
    await close();
  }
}
