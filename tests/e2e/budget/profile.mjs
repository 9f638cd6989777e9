// CPU profiles of the measured phases (BUDGET_PROFILE=1, set by `budget.sh --profile`):
// the DevTools protocol's sampling profiler, summed by function, self and inclusive time.
// With `--profile` the page's wasm keeps its name section, so Rust functions appear by name.

export const PROFILING = process.env.BUDGET_PROFILE === '1';

/** Starts the sampling profiler on a page's CDP session; returns stop(label). */
export async function startProfile(cdp) {
  if (!PROFILING) return { stop: async () => {} };
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    stop: async (label) => {
      const { profile } = await cdp.send('Profiler.stop');
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
