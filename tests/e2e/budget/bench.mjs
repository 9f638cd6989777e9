// The performance budgets of the browser lab (issues 6 and 13), measured in Debian's headless
// Chromium against dist/ served on 127.0.0.1. Prints one figure per line,
// "name: value unit (limit L) PASS|OVER", and exits 1 if any budget is over.
//   DIST=… node tests/e2e/budget/bench.mjs [picker first_lesson scrub fps memory long]
// Run through tests/scripts/budget.sh, which builds dist/ first and judges the page weight.
// The loading phases (picker, first_lesson) run under network and CPU emulation (load.mjs);
// the server then compresses as a web server would (gzip, BUDGET_GZIP=0: uncompressed).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist, launchChromium } from '../helpers.mjs';
import { CPU_SLOWDOWN, NETWORK, floorLoad, landingLoad, lessonLoad } from './load.mjs';
import { memoryAt, openedAt, playFrames, playThenMemory, scrubRun } from './measure.mjs';
import { PROFILING } from './profile.mjs';
import { figure, median, memory, percentile, MB } from './page.mjs';

const SEED001 = 'split-brain-false-failure'; // lesson 08: seed 001's deployment
const TEN_MIN = 600_000;
// Seed 001's deployment in the sandbox (no end): lesson 08's topology, run for 10 minutes.
const SB001 = '#lesson=sandbox&topo=7.0,5,0,3,2,1,writer,master';
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
const LOADS = Number(process.env.BUDGET_LOADS ?? 7);
const GZIP = process.env.BUDGET_GZIP !== '0';

/** The first lesson of the picker: the id in the first static/lessons/*.toml file. */
function firstLessonId() {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../static/lessons');
  const first = readdirSync(dir).filter((f) => f.endsWith('.toml')).sort()[0];
  return readFileSync(path.join(dir, first), 'utf8').match(/^id\s*=\s*"([^"]+)"/m)[1];
}

// A fixed-seed generator, so every run scrubs to the same points.
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const server = await serveDist({ gzip: GZIP });
const browser = await launchChromium();
let ok = true;
const budget = (...a) => { ok = figure(...a) && ok; };
const info = (name, value, unit, digits = 0) => figure(name, value, unit, undefined, { digits });

try {
  if (want('picker') || want('first_lesson')) {
    console.log(`(loading: ${NETWORK.downloadThroughput * 8 / 1e6} Mbit/s down, ${NETWORK.latency} ms round trip, ` +
      `CPU ${CPU_SLOWDOWN}× slower; files served ${GZIP ? 'gzip-compressed (Content-Encoding: gzip, level 9)' : 'uncompressed'}; ` +
      `median of ${LOADS} cold loads; machine load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`);
  }
  if (want('picker')) {
    // Each load of the page is followed by one of a one-line page (no stylesheet, no script):
    // its first paint is what this machine allows right now, under the same emulation.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'replilab-floor-'));
    writeFileSync(path.join(dir, 'index.html'), '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
      '<title>floor</title><link rel="icon" href="data:,"></head><body><p>One line of text.</p></body></html>');
    const floor = await serveDist({ gzip: GZIP, dir });
    const loads = [];
    const floors = [];
    try {
      await landingLoad(browser, server.url, SEED001); // warms the OS file cache only; not counted
      for (let i = 0; i < LOADS; i++) {
        loads.push(await landingLoad(browser, server.url, SEED001));
        floors.push(await floorLoad(browser, floor.url));
      }
    } finally {
      await floor.close();
      rmSync(dir, { recursive: true, force: true });
    }
    const col = (k) => loads.map((l) => l[k]);
    budget('picker_visible_ms', median(col('picker')), 'ms (a lesson card drawn, styled)', 500, { atMost: true });
    info('picker_visible_max_ms', Math.max(...col('picker')), 'ms');
    info('picker_floor_ms', median(floors), 'ms (first paint of a one-line page, loads alternating with the above: what the machine allows now)');
    info('picker_before_wasm', loads.filter((l) => l.picker < l.wasmEnd).length, `of ${LOADS} loads drew the picker before the wasm had downloaded`);
    info('picker_first_contentful_paint_ms', median(col('fcp')), 'ms');
    info('picker_wasm_fetched_ms', median(col('wasmEnd')), 'ms');
    info('picker_app_mounted_ms', median(col('mounted')), 'ms (the app replaced the static markup)');
    info('picker_app_ready_ms', median(col('ready')), 'ms');
    info('picker_layout_shift', Math.max(...col('shift')), '(largest cumulative layout shift of a load)', 3);
    info('first_click_to_lab_ms', median(col('click')), 'ms (a card clicked on the ready landing page until the lab shows)');
  }

  if (want('first_lesson')) {
    const id = firstLessonId();
    await lessonLoad(browser, server.url, id); // warm-up, not counted
    const loads = [];
    for (let i = 0; i < LOADS; i++) loads.push(await lessonLoad(browser, server.url, id));
    const col = (k) => loads.map((l) => l[k]);
    budget('first_lesson_interactive_ms', median(col('interactive')), `ms (#lesson=${id}: Play enabled, topology drawn)`, 2000, { atMost: true });
    info('first_lesson_interactive_max_ms', Math.max(...col('interactive')), 'ms');
    info('first_lesson_wasm_fetched_ms', median(col('wasmEnd')), 'ms');
    info('first_lesson_json_fetched_ms', median(col('jsonEnd')), `ms (${Math.max(...col('jsonFetches'))} request(s) for the lesson JSON)`);
    info('first_lesson_first_contentful_paint_ms', median(col('fcp')), 'ms');
  }

  if (want('scrub')) {
    const runs = [
      ['sandbox_10min', `#lesson=sandbox&t=${TEN_MIN}`],
      ['seed001', `#lesson=${SEED001}&t=${TEN_MIN}`],
      ['sandbox_seed001_10min', `${SB001}&t=${TEN_MIN}`],
    ];
    for (const [name, hash] of runs) {
      const r = await scrubRun(browser, server.url, hash, 24, rng(6), `scrub_${name}`);
      const dom = r.samples.map((s) => s.dom);
      const frame = r.samples.map((s) => s.frame);
      info(`scrub_${name}_run_ms`, r.start, 'simulated ms (playhead the link opened at)');
      info(`scrub_${name}_points`, r.samples.length, `scrubs, to ${Math.min(...r.samples.map((s) => s.to))}…${Math.max(...r.samples.map((s) => s.to))} ms`);
      budget(`scrub_${name}_median_ms`, median(dom), 'ms', 50, { digits: 1 });
      budget(`scrub_${name}_max_ms`, Math.max(...dom), 'ms', 50, { digits: 1 });
      info(`scrub_${name}_to_frame_median_ms`, median(frame), 'ms', 1);
    }
  }

  if (want('fps')) {
    // Lessons end within 100 s (≤ 56k events); the sandbox has no end: 6 simulated hours
    // of it hold ≈ 101k trace events. Opened by a permalink with that playhead.
    const t = Number(process.env.BUDGET_FPS_T_MS ?? 21_600_000);
    const r = await playFrames(browser, server.url, `#lesson=sandbox&t=${t}`, 1, 5);
    info('fps_trace_events', r.events, `events in the diagram's trace (sandbox at ${t} ms)`);
    budget('fps_trace_events_at_least', r.events, 'events', 100_000, { higherIsBetter: true });
    const mean = r.frames.reduce((a, b) => a + b, 0) / r.frames.length;
    budget('fps_mean', 1000 / mean, 'fps', 59, { higherIsBetter: true, digits: 1 });
    budget('fps_p95_frame_ms', percentile(r.frames, 95), 'ms', 17.5, { digits: 1 });
    info('fps_longest_frame_ms', Math.max(...r.frames), 'ms', 1);
    info('fps_frames', r.frames.length, `frames in 5 s, ${r.longTasks.length} long tasks (> 50 ms)`);
    info('fps_sim_advanced_ms', r.simAdvanced, 'simulated ms during the 5 s at 1×');
  }

  if (want('memory')) {
    const runs = [
      ['seed001', `#lesson=${SEED001}`],
      ['sandbox_10min', '#lesson=sandbox'],
      ['sandbox_seed001_10min', SB001],
    ];
    for (const [name, hash] of runs) {
      const r = await playThenMemory(browser, server.url, hash, 100, TEN_MIN, (cdp) => memory(cdp, browser));
      info(`memory_${name}_played_ms`, r.reached, `simulated ms played at 100× in ${r.wall} ms, ${r.events} trace events`);
      budget(`memory_${name}_mb`, (r.jsHeap + r.wasm) / MB, 'MB (JS heap + wasm memory)', 100, { digits: 1 });
      info(`memory_${name}_js_heap_mb`, r.jsHeap / MB, 'MB', 1);
      info(`memory_${name}_wasm_mb`, r.wasm / MB, 'MB', 1);
      info(`memory_${name}_renderer_pss_mb`, r.rendererPss / MB, 'MB (whole renderer process)', 1);
      info(`memory_${name}_dom_nodes`, r.nodes, 'nodes');
    }
    // How the wasm memory grows along seed 001's run (each link replays to its playhead).
    for (const t of PROFILING ? [10_000, 30_000, 50_000, 70_000, 95_000] : []) {
      const r = await memoryAt(browser, server.url, `#lesson=${SEED001}&t=${t}`, (cdp) => memory(cdp, browser));
      info(`profile memory_seed001_at_${t}_ms`, r.wasm / MB, `MB wasm memory, ${(r.jsHeap / MB).toFixed(1)} MB JS heap, ${r.events} trace events`, 1);
    }
  }
  if (want('long')) {
    // Issue 17: seed 001's deployment in the sandbox, opened by a link at 10 min, 1 h and
    // 6 h of simulated time (each link replays the run to there): the tab's memory then, the
    // time to open the 1 h link, and scrubbing anywhere in the 6 h run.
    // BUDGET_LONG_HOURS picks the points (default 0.1667,1,6).
    const hours = (process.env.BUDGET_LONG_HOURS ?? '0.1667,1,6').split(',').map(Number);
    const limits = { 1: 100, 6: 150 };
    for (const h of hours) {
      const name = h < 1 ? `${Math.round(h * 60)}min` : `${h}h`;
      const t = Math.round(h * 3_600_000);
      try {
        const r = await openedAt(browser, server.url, `${SB001}&t=${t}`, (cdp) => memory(cdp, browser));
        budget(`long_memory_${name}_mb`, (r.jsHeap + r.wasm) / MB, 'MB (JS heap + wasm memory)', limits[h], { digits: 1 });
        info(`long_wasm_${name}_mb`, r.wasm / MB, `MB (playhead at ${r.at} ms)`, 1);
        if (h === 1) budget('long_link_open_1h_ms', r.openMs, 'ms (navigation to ready, the run replayed to 1 h)', 3000);
        else info(`long_link_open_${name}_ms`, r.openMs, 'ms');
      } catch (e) {
        ok = false;
        console.log(`long_memory_${name}_mb: failed (${String(e.message ?? e).split('\n')[0]}) OVER`);
      }
    }
    if (hours.includes(6)) {
      try {
        const r = await scrubRun(browser, server.url, `${SB001}&t=21600000`, 24, rng(7), 'scrub_long_6h');
        const dom = r.samples.map((s) => s.dom);
        budget('long_scrub_6h_median_ms', median(dom), 'ms', 50, { digits: 1 });
        budget('long_scrub_6h_max_ms', Math.max(...dom), 'ms', 100, { digits: 1 });
      } catch (e) {
        ok = false;
        console.log(`long_scrub_6h_median_ms: failed (${String(e.message ?? e).split('\n')[0]}) OVER`);
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
process.exitCode = ok ? 0 : 1;
