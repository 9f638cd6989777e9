// Page plumbing of the budget benchmark: a fresh browser context per measurement (cold
// cache), every page error collected, memory read through the DevTools protocol, and
// small statistics. Nothing here changes the page: observers are installed from outside.
import { readFileSync } from 'node:fs';

/** Opens a fresh context and page on `url`; returns { page, cdp, problems, close }. */
export async function openPage(browser, { viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
  page.on('crash', () => problems.push('page crashed'));
  const cdp = await context.newCDPSession(page);
  return { page, cdp, problems, close: () => context.close() };
}

/** Loads url+hash and waits until the app marks itself ready. */
export async function load(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.body?.dataset.ready === '1', null, { timeout: 120_000 });
}

export const simMs = (page) => page.evaluate(() => Number(document.querySelector('#sim-time')?.dataset.ms ?? NaN));

/**
 * Plays until the clock reaches ms, the run's end, or wallMs of real time, pressing Play
 * again where a lesson pauses by itself at the end of a step; then pauses. Returns the
 * simulated time reached.
 */
export async function playUntil(page, ms, wallMs = 600_000) {
  const stop = Date.now() + wallMs;
  for (;;) {
    const s = await page.evaluate(() => ({
      ms: Number(document.querySelector('#sim-time')?.dataset.ms),
      max: Number(document.querySelector('#scrubber')?.max),
      playing: document.querySelector('button#play')?.getAttribute('aria-pressed') === 'true',
    }));
    if (s.ms >= ms || Date.now() >= stop || (!s.playing && s.ms >= s.max)) break;
    if (!s.playing) await page.click('button#play');
    await page.waitForTimeout(100);
  }
  await setPlaying(page, false);
  return simMs(page);
}

/** Number of trace events in the session, through the real "Export → trace JSON" download. */
export async function traceEvents(page) {
  await page.click('.export summary');
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('#export-trace')]);
  const n = JSON.parse(readFileSync(await d.path(), 'utf8')).length;
  await page.click('.export summary');
  return n;
}

/** Sets the playback speed through the speed control. */
export const setSpeed = (page, v) => page.selectOption('select#speed', String(v));

export async function setPlaying(page, on) {
  const playing = async () => (await page.getAttribute('button#play', 'aria-pressed')) === 'true';
  if ((await playing()) !== on) await page.click('button#play');
  await page.waitForFunction((on) => document.querySelector('button#play')?.getAttribute('aria-pressed') === String(on), on);
}

/**
 * Memory of the tab after a full garbage collection: the JS heap (CDP Performance metrics),
 * every live WebAssembly.Memory (found with Runtime.queryObjects, no page hook), and the
 * renderer's resident set (proportional share, from /proc) when it can be found.
 */
export async function memory(cdp, browser) {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (n) => metrics.find((m) => m.name === n)?.value ?? NaN;
  const proto = await cdp.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
  const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
  const sum = await cdp.send('Runtime.callFunctionOn', {
    objectId: objects.objectId,
    functionDeclaration: 'function () { return this.reduce((s, m) => s + m.buffer.byteLength, 0); }',
    returnByValue: true,
  });
  const wasm = sum.result.value;
  return {
    jsHeap: metric('JSHeapUsedSize'),
    jsHeapTotal: metric('JSHeapTotalSize'),
    wasm,
    nodes: metric('Nodes'),
    rendererPss: await rendererPss(browser),
  };
}

/** The largest proportional set size (bytes) among the browser's renderer processes. */
async function rendererPss(browser) {
  try {
    const s = await browser.newBrowserCDPSession();
    const { processInfo } = await s.send('SystemInfo.getProcessInfo');
    await s.detach();
    let best = NaN;
    for (const p of processInfo.filter((p) => p.type === 'renderer')) {
      const m = readFileSync(`/proc/${p.id}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+) kB/m);
      if (m) best = Math.max(Number.isNaN(best) ? 0 : best, Number(m[1]) * 1024);
    }
    return best;
  } catch {
    return NaN;
  }
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
}

/** Prints one figure: "name: value unit (limit L) PASS|OVER", or without a limit. */
/** Prints a figure; with a limit, judges it: value < limit (≤ with atMost, ≥ with higherIsBetter). */
export function figure(name, value, unit, limit, { higherIsBetter = false, atMost = false, digits = 0 } = {}) {
  const v = Number.isFinite(value) ? value.toFixed(digits) : String(value);
  if (limit === undefined) {
    console.log(`${name}: ${v} ${unit}`);
    return true;
  }
  const ok = Number.isFinite(value) && (higherIsBetter ? value >= limit : atMost ? value <= limit : value < limit);
  const rel = higherIsBetter ? '≥ ' : atMost ? '≤ ' : '';
  console.log(`${name}: ${v} ${unit} (limit ${rel}${limit}) ${ok ? 'PASS' : 'OVER'}`);
  return ok;
}

export const MB = 1024 * 1024;
