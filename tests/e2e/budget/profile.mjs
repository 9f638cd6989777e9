// CPU profiles of the measured phases (BUDGET_PROFILE=1, set by `budget.sh --profile`):
// the DevTools protocol's sampling profiler, summed by function, self and inclusive time.
// With `--profile` the page's wasm keeps its name section, so Rust functions appear by name;
// the raw profiles are saved as target/budget-profiles/<phase>.cpuprofile.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const PROFILING = process.env.BUDGET_PROFILE === '1';
/** Where the raw profiles go (open them in Chromium's DevTools, Performance panel). */
const DIR = process.env.BUDGET_PROFILE_DIR;

/** Starts the sampling profiler on a page's CDP session; returns stop(label). */
export async function startProfile(cdp) {
  if (!PROFILING) return { stop: async () => {} };
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    stop: async (label) => {
      const { profile } = await cdp.send('Profiler.stop');
      if (DIR) {
        mkdirSync(DIR, { recursive: true });
        writeFileSync(path.join(DIR, `${label}.cpuprofile`), JSON.stringify(profile));
      }
      print(label, profile);
    },
  };
}

function name(cf) {
  const fn = cf.functionName || '(anonymous)';
  if (cf.url.endsWith('.wasm') || cf.url.startsWith('wasm://')) return fn.replace(/::h[0-9a-f]{16}$/, '');
  const file = cf.url.split('/').pop() ?? '';
  return file ? `${fn} (${file.replace(/-[0-9a-f]{16}/, '')}:${cf.lineNumber + 1})` : fn;
}

/** Prints the 15 functions with the most self time and the most inclusive time. */
function print(label, profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000));
  const self = new Map();
  const incl = new Map();
  let total = 0;
  for (const [id, ms] of dt) {
    const n = byId.get(id);
    const own = name(n.callFrame);
    if (own === '(idle)') continue;
    total += ms;
    self.set(own, (self.get(own) ?? 0) + ms);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const nm = name(byId.get(cur).callFrame);
      if (!seen.has(nm)) {
        seen.add(nm);
        incl.set(nm, (incl.get(nm) ?? 0) + ms);
      }
    }
  }
  const top = (m) => [...m].filter(([k]) => k !== '(root)').sort((a, b) => b[1] - a[1]).slice(0, 15);
  console.log(`profile ${label}: ${total.toFixed(0)} ms busy (idle excluded)`);
  for (const [k, v] of top(self)) console.log(`profile ${label} self: ${v.toFixed(1)} ms  ${k}`);
  for (const [k, v] of top(incl)) console.log(`profile ${label} inclusive: ${v.toFixed(1)} ms  ${k}`);
}

/**
 * Starts a Chrome trace (devtools.timeline) on the page; stop(label) prints the renderer
 * main thread's busiest event kinds (script, style, layout, paint…) by total duration.
 */
export async function startTrace(cdp) {
  if (!PROFILING) return { stop: async () => {} };
  const events = [];
  const onData = (e) => events.push(...e.value);
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
    transferMode: 'ReportEvents',
  });
  return {
    stop: async (label) => {
      const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await done;
      cdp.off('Tracing.dataCollected', onData);
      const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
      const onMain = events.filter((e) => e.ph === 'X' && main && e.pid === main.pid && e.tid === main.tid);
      const total = (list) => {
        const sum = new Map();
        for (const e of list) sum.set(e.name, (sum.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
        return [...sum].sort((a, b) => b[1] - a[1]);
      };
      for (const [k, v] of total(onMain).slice(0, 12)) {
        console.log(`profile ${label} main thread: ${v.toFixed(1)} ms  ${k}`);
      }
      // The three longest tasks, and what ran inside each.
      const tasks = onMain.filter((e) => e.name === 'RunTask').sort((a, b) => b.dur - a.dur).slice(0, 3);
      for (const t of tasks) {
        const inside = onMain.filter((e) => e !== t && e.name !== 'RunTask' && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur);
        const parts = total(inside).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
        const layout = inside.filter((e) => e.name === 'Layout').sort((a, b) => b.dur - a.dur)[0];
        const b = layout?.args?.beginData;
        const objs = b ? ` (largest layout: ${b.dirtyObjects} of ${b.totalObjects} objects dirty${b.partialLayout ? ', partial' : ''})` : '';
        console.log(`profile ${label} long task: ${(t.dur / 1000).toFixed(1)} ms: ${parts}${objs}`);
      }
    },
  };
}
