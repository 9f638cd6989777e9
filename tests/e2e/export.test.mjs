// Export: the trace as JSON, the diagram as a standalone SVG, and the deployment as
// redis.conf / sentinel.conf fragments, as downloads.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appTest } from './helpers.mjs';

async function download(page, id) {
  await page.click('.export summary');
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}`)]);
  return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
}

appTest('export trace JSON, diagram SVG and config files', {}, async ({ page, load }) => {
  await load('#lesson=split-brain-false-failure&t=5000');
  const trace = await download(page, 'export-trace');
  assert.equal(trace.name, 'replilab-split-brain-false-failure-trace.json');
  const events = JSON.parse(trace.text);
  assert.ok(events.length > 100, `${events.length} events`);
  assert.ok(events.every((e) => Number.isInteger(e.t_ms) && e.t_ms <= 5000 && typeof e.type === 'string'));
  assert.ok(events.some((e) => e.type === 'send' && e.kind === 'repl'), 'replication stream messages');

  const svg = await download(page, 'export-svg');
  assert.match(svg.text, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg.text, /<style>/, 'the SVG carries its styles');

  const conf = await download(page, 'export-conf');
  assert.match(conf.text, /replicaof 10\.0\.0\.1 6379/);
  assert.match(conf.text, /sentinel monitor mymaster 10\.0\.0\.1 6379 2/);
  assert.match(conf.text, /sentinel down-after-milliseconds mymaster 10000/);
});
