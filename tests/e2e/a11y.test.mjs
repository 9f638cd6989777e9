// Accessibility (issue 15): axe-core, injected from tests/e2e/node_modules (no network), checks
// the landing page, a lesson in English and in 中文 (at its start, at a prediction, and at
// its reveal: goals, the inspector on each kind of node, every bottom tab, the comparison), a lesson
// at its end at 1024 px, the cluster panel, the sandbox and embed mode, each in the
// light and the dark theme. Any moderate, serious or critical finding fails the test, listed
// with its rule, impact, target selectors and help text; minor ones are printed only.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appTest, poll, waitReady } from './helpers.mjs';
import { command, isPlaying, pause, scrub } from './lab.mjs';

const AXE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules/axe-core/axe.min.js');
const LESSON = 'split-brain-partition';
const FAILING = new Set(['moderate', 'serious', 'critical']);

/** Collects axe's findings over a test; `check()` fails on the moderate and worse ones. */
class Audit {
  constructor(page) {
    this.page = page;
    this.failing = [];
    this.mild = new Map();
  }

  /** Runs axe on the page as it is now (or on the part `context` selects). */
  async run(where, context = 'html') {
    const { page } = this;
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async (context) => {
      const r = await window.axe.run(context, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({ impact: n.impact ?? v.impact, target: n.target.flat().join(' '), why: n.failureSummary ?? '' })),
      }));
    }, context);
    for (const v of violations) {
      const bad = v.nodes.filter((n) => FAILING.has(n.impact));
      for (const n of v.nodes.filter((n) => !FAILING.has(n.impact))) {
        const k = `${v.id} (${n.impact})`;
        this.mild.set(k, (this.mild.get(k) ?? 0) + 1);
      }
      if (bad.length === 0) continue;
      this.failing.push(`[${where}] ${v.id} (${bad[0].impact}, ${bad.length} element${bad.length > 1 ? 's' : ''}): ${v.help}`);
      for (const n of bad.slice(0, 6)) this.failing.push(`    ${n.target}: ${n.why.replace(/\s+/g, ' ').slice(0, 200)}`);
      if (bad.length > 6) this.failing.push(`    … and ${bad.length - 6} more`);
    }
  }

  /** Runs axe in the light and the dark theme, ending in the light one. */
  async themes(where, context) {
    for (const theme of ['light', 'dark']) {
      await setTheme(this.page, theme);
      await this.run(`${where}, ${theme}`, context);
    }
    await setTheme(this.page, 'light');
  }

  check() {
    if (this.mild.size) console.log(`axe, minor (not failing): ${[...this.mild].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    assert.equal(this.failing.length, 0, `axe found moderate or worse problems:\n${this.failing.join('\n')}`);
  }
}

/** Sets the theme with the header's toggle, or (embed mode has no header) by a reload. */
async function setTheme(page, theme) {
  if ((await page.getAttribute('html', 'data-theme')) === theme) return;
  if (await page.locator('button#theme').count()) {
    await page.click('button#theme');
  } else {
    await page.evaluate((t) => localStorage.setItem('replilab.theme', t), theme);
    await page.reload();
    await waitReady(page);
  }
  await poll(() => page.getAttribute('html', 'data-theme'), (t) => t === theme, { what: `the ${theme} theme` });
}

/** Audits every bottom tab, and the inspector on each kind of node. */
async function tabsAndInspector(page, audit, where) {
  const tabs = await page.$$eval('[role="tab"][id^="tab-"]', (ts) => ts.map((t) => t.id));
  assert.ok(tabs.length >= 4, `the bottom tabs (${tabs})`);
  // The whole page with the first tab; then the tab panel alone (the rest is unchanged).
  for (const [i, tab] of tabs.entries()) {
    await page.click(`#${tab}`);
    await audit.themes(`${where}, ${tab}`, i === 0 ? 'html' : '.tabs-panel');
  }
  // One node of each role and status (the inspector draws each kind differently).
  const nodes = await page.$$eval('#topology [data-node][data-role]', (gs) => {
    const kinds = new Map();
    for (const g of gs) kinds.set(`${g.dataset.role} ${g.dataset.status}`, kinds.get(`${g.dataset.role} ${g.dataset.status}`) ?? g.dataset.node);
    return [...kinds.values()];
  });
  assert.ok(nodes.length >= 2, `nodes to inspect (${nodes})`);
  for (const node of nodes) {
    await page.selectOption('#inspect-target', node);
    await audit.themes(`${where}, inspector on ${node}`, '#inspector');
  }
}

appTest('axe: the landing page in both languages and themes', {}, async ({ page, load }) => {
  const audit = new Audit(page);
  for (const lang of ['en', 'zh']) {
    await load(`#lang=${lang}`);
    assert.ok(await page.locator('.lesson-card').count(), 'the lesson cards');
    await audit.themes(`landing ${lang}`);
  }
  audit.check();
});

for (const lang of ['en', 'zh']) {
  appTest(`axe: a lesson in ${lang}, at its start, a prediction and its reveal`, { timeout: 180_000 }, async ({ page, load, shot }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    const audit = new Audit(page);
    await load(`#lesson=${LESSON}&lang=${lang}`);
    await poll(() => page.locator('#goals [data-goal]').count(), (n) => n > 0, { what: 'the goals panel' });
    await audit.themes(`${LESSON} ${lang} start`);
    // Play to the first step's end.
    await page.selectOption('#speed', '100');
    await page.click('button#play');
    await poll(() => isPlaying(page), (p) => !p, { timeout: 30_000, what: 'the run to pause at the first step' });
    // Continue slowly and pause at once: the second step asks for a prediction.
    await page.selectOption('#speed', '1');
    // (A click landing while the panel re-renders can be lost: click until it goes.)
    await poll(async () => {
      if (await page.locator('#continue').count()) await page.click('#continue').catch(() => {});
      return page.locator('#continue').count();
    }, (n) => n === 0, { what: 'Continue to start the second step' });
    await pause(page);
    await page.waitForSelector('.predict .choice:not([disabled])');
    await audit.themes(`${LESSON} ${lang} prediction`);
    // Predict (the first choice), and play to that step's end: the reveal.
    await page.locator('.predict .choice:not([disabled])').first().click();
    await page.selectOption('#speed', '100');
    await page.click('button#play');
    await poll(() => isPlaying(page), (p) => !p, { timeout: 30_000, what: 'the run to pause at the second step' });
    assert.ok(await page.locator('.predict .verdict').count(), 'the prediction is revealed');
    await shot(`reveal-${lang}`);
    await tabsAndInspector(page, audit, `${LESSON} ${lang} reveal`);
    // axe checks the contrast of what is in view only: a tall window shows the panels whole.
    await page.setViewportSize({ width: 1280, height: 2400 });
    await audit.themes(`${LESSON} ${lang} reveal, 1280×2400`);
    await page.setViewportSize({ width: 1280, height: 720 });
    // The comparison takes the inspector's place.
    await page.click('#compare-toggle');
    await page.waitForSelector('#compare');
    await audit.themes(`${LESSON} ${lang} reveal, comparison`);
    audit.check();
  });
}

appTest('axe: a lesson at its end at 1024 px, and the cluster panel', { timeout: 180_000 }, async ({ page, load }) => {
  await page.setViewportSize({ width: 1024, height: 640 });
  const audit = new Audit(page);
  await load(`#lesson=${LESSON}&lang=en&t=99999999`);
  await tabsAndInspector(page, audit, `${LESSON} end 1024`);
  await page.goto('about:blank');
  await load('#lesson=cluster-data-skew&lang=zh&t=40000');
  await page.click('#tab-cluster');
  await audit.themes('cluster-data-skew zh, tab-cluster');
  audit.check();
});

appTest('axe: the sandbox', {}, async ({ page, load }) => {
  const audit = new Audit(page);
  await load('#lesson=sandbox&lang=en');
  assert.ok(await page.locator('#topo-apply').count(), 'the topology form');
  await audit.themes('sandbox');
  // A command typed, then the playhead moved back before it: a future action in the schedule.
  await command(page, 'm', 'SET k v');
  await page.waitForSelector('#schedule li');
  await scrub(page, 0);
  await page.waitForSelector('#schedule li.future');
  // axe checks the contrast of what is in view only.
  await page.$eval('#schedule', (e) => e.scrollIntoView());
  await audit.themes('sandbox, a future action');
  audit.check();
});

appTest('axe: folded panels', {}, async ({ page, load }) => {
  const audit = new Audit(page);
  await load(`#lesson=${LESSON}&lang=zh&t=40000&fold=narrative,map,console,inspector`);
  assert.equal(await page.locator('button.fold[aria-expanded="false"]').count(), 4);
  await audit.themes('folded zh');
  audit.check();
});

appTest('axe: embed mode', {}, async ({ page, load }) => {
  await page.setViewportSize({ width: 1024, height: 600 });
  const audit = new Audit(page);
  await load(`#lesson=${LESSON}&lang=zh&embed=1`);
  assert.ok(await page.locator('.app.embed').count(), 'the compact layout');
  await audit.themes('embed zh');
  audit.check();
});

appTest('axe: the scenario editor, from the sandbox, with an error and the import panel', {}, async ({ page, load }) => {
  const audit = new Audit(page);
  await load('#lesson=sandbox&lang=en');
  await page.click('#edit');
  await page.locator('#ed-ok').waitFor();
  assert.match(await page.inputValue('#ed-area'), /name = "r1"\nkind = "redis"\n(.*\n)*replicaof = "m"/, 'the sandbox as a scenario');
  await audit.themes('editor');
  await page.fill('#ed-area', (await page.inputValue('#ed-area')).replace('replicaof = "m"', 'replicaof = "r9"'));
  await page.locator('#ed-error').waitFor();
  await page.click('#ed-import summary');
  await audit.themes('editor, an error and the import panel');
  audit.check();
});
