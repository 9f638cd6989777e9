// The budget measurements, each driving the real page through its own controls
// (permalinks, the scrubber, play and speed; the loading budgets are in load.mjs).
// Observers are installed from outside (init scripts, CDP); the page carries no benchmark hook.
import { startProfile, startTrace } from './profile.mjs';
import { load, openPage, playUntil, setPlaying, setSpeed, simMs, traceEvents } from './page.mjs';

/**
 * Opens `hash` (a permalink with a playhead), then moves the real scrubber with the mouse to
 * `points` random positions. Each sample is ms from the pointerdown to the clock's DOM
 * showing the new time (MutationObserver) and to the next animation frame after it.
 */
export async function scrubRun(browser, url, hash, points, rng, label) {
  const { page, cdp, problems, close } = await openPage(browser);
  try {
    await load(page, url + hash);
    const start = await simMs(page);
    await page.evaluate(() => {
      const m = (window.__budgetScrub = { samples: [] });
      const el = document.querySelector('#scrubber');
      let cur = null;
      el.addEventListener('pointerdown', (e) => { cur = { down: e.timeStamp }; }, true);
      addEventListener('input', (e) => {
        if (e.target === el && cur) { cur.input = performance.now(); cur.value = Number(el.value); }
      }, true);
      new MutationObserver(() => {
        const ms = Number(document.querySelector('#sim-time')?.dataset.ms);
        if (cur && cur.input !== undefined && cur.dom === undefined && ms === cur.value) {
          cur.dom = performance.now();
          const s = cur;
          cur = null;
          requestAnimationFrame(() => { s.frame = performance.now(); m.samples.push(s); });
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    const box = await page.locator('#scrubber').boundingBox();
    const samples = [];
    const prof = await startProfile(cdp);
    const trace = await startTrace(cdp);
    for (let i = 0; i < points; i++) {
      const before = await simMs(page);
      const max = await page.$eval('#scrubber', (e) => Number(e.max));
      const at = (f) => box.x + 8 + f * (box.width - 16);
      // A random point of the track, not where the playhead already is.
      let x = at(rng());
      for (let tries = 0; Math.abs(x - at(before / max)) < 4 && tries < 20; tries++) x = at(rng());
      await page.mouse.click(x, box.y + box.height / 2);
      await page.waitForFunction((n) => window.__budgetScrub.samples.length > n, samples.length, { timeout: 60_000 });
      const s = await page.evaluate((n) => window.__budgetScrub.samples[n], samples.length);
      samples.push({ to: s.value, from: before, dom: s.dom - s.down, frame: s.frame - s.down });
    }
    await prof.stop(label);
    await trace.stop(label);
    if (problems.length) throw new Error(problems.join('\n'));
    return { start, samples, endMax: await page.$eval('#scrubber', (e) => Number(e.max)) };
  } finally {
    await close();
  }
}

/**
 * Opens `hash`, counts its trace events (Export → trace JSON), then plays at `speed` for
 * `seconds` and records every requestAnimationFrame interval and every long task.
 */
export async function playFrames(browser, url, hash, speed, seconds) {
  const { page, cdp, problems, close } = await openPage(browser);
  try {
    await load(page, url + hash);
    const events = await traceEvents(page);
    await setSpeed(page, speed);
    const t0 = await simMs(page);
    await page.evaluate(() => {
      const m = (window.__budgetFrames = { frames: [], longTasks: [] });
      new PerformanceObserver((l) => { for (const e of l.getEntries()) m.longTasks.push(e.duration); })
        .observe({ type: 'longtask' });
      let last = null;
      const loop = (t) => {
        if (last !== null && m.on) m.frames.push(t - last);
        last = t;
        requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    });
    const prof = await startProfile(cdp);
    const trace = await startTrace(cdp);
    await setPlaying(page, true);
    await page.evaluate(() => { window.__budgetFrames.on = true; });
    await playUntil(page, Infinity, seconds * 1000);
    await prof.stop('fps');
    await trace.stop('fps');
    const m = await page.evaluate(() => { window.__budgetFrames.on = false; return window.__budgetFrames; });
    const t1 = await simMs(page);
    await setPlaying(page, false);
    if (problems.length) throw new Error(problems.join('\n'));
    return { events, frames: m.frames, longTasks: m.longTasks, simAdvanced: t1 - t0 };
  } finally {
    await close();
  }
}

/**
 * Opens `hash` and plays at `speed` until the clock reaches `untilMs` (or the run's end),
 * then measures memory. Returns the memory and how far the run got in how long.
 */
export async function playThenMemory(browser, url, hash, speed, untilMs, measure) {
  const { page, cdp, problems, close } = await openPage(browser);
  try {
    await load(page, url + hash);
    await setSpeed(page, speed);
    const t0 = Date.now();
    const reached = await playUntil(page, untilMs);
    const wall = Date.now() - t0;
    // Memory first: counting the events exports the trace as JSON, whose peak the wasm
    // memory (which never shrinks) would keep.
    const mem = await measure(cdp);
    const events = await traceEvents(page);
    if (problems.length) throw new Error(problems.join('\n'));
    return { ...mem, reached, wall, events };
  } finally {
    await close();
  }
}

/** Memory right after opening `hash` (a permalink: the run is replayed to its playhead). */
export async function memoryAt(browser, url, hash, measure) {
  const { page, cdp, problems, close } = await openPage(browser);
  try {
    await load(page, url + hash);
    const mem = await measure(cdp);
    if (problems.length) throw new Error(problems.join('\n'));
    return { ...mem, events: await traceEvents(page) };
  } finally {
    await close();
  }
}

/**
 * Opens url + hash in a fresh page and times it: from navigation to the page ready with the
 * playhead where the link puts it (the run replayed to there). Then measures the memory.
 */
export async function openedAt(browser, url, hash, measure) {
  const { page, cdp, problems, close } = await openPage(browser);
  try {
    const start = Date.now();
    await load(page, url + hash);
    const openMs = Date.now() - start;
    const mem = await measure(cdp);
    if (problems.length) throw new Error(problems.join('\n'));
    return { ...mem, openMs, at: await simMs(page) };
  } finally {
    await close();
  }
}
