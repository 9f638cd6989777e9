// The scenario editor (issue 16): a lesson opened with "Edit", changed, run and judged; the
// link carries the whole scenario (deflate-raw, base64url) and reproduces it in a fresh page
// and in an embed; errors at their line and column; a file opened; the draft kept across a
// reload; oversized, corrupt and non-loading links each get their message.
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { appTest, poll, waitReady } from './helpers.mjs';
import { goals } from './lab.mjs';

const area = (page) => page.inputValue('#ed-area');
const code = (text) => deflateRawSync(Buffer.from(text)).toString('base64url');
const failing = (gs) => gs.filter((g) => g.status === 'fail').length;

/** Replaces the editor's text and waits for the loader's verdict ("#ed-ok" or "#ed-error"). */
async function type(page, text, verdict = '#ed-ok') {
  await page.fill('#ed-area', text);
  await page.locator(verdict).waitFor();
}

appTest('editor: lesson 01 edited, run, judged, shared and embedded', { timeout: 120_000 }, async ({ page, load, url, shot }) => {
  await load('#lesson=first-full-sync');
  await page.click('#edit');
  await page.locator('#ed-area').waitFor();
  const text = await area(page);
  assert.match(text, /^id = "first-full-sync"$/m, 'the lesson\'s own file, comments and all');
  assert.match(text, /^# Lesson 1/m);
  await page.locator('#ed-ok').waitFor();
  await shot('lesson01');

  // r1 behind 2 s of latency: the handshake goals of the lesson no longer hold.
  const slow = text.replace('a = "m"\nb = "r1"\nlatency_ms = 5', 'a = "m"\nb = "r1"\nlatency_ms = 2000');
  assert.notEqual(slow, text);
  await type(page, slow);
  await page.click('#ed-run');
  await poll(() => page.evaluate(() => location.hash), (h) => h.startsWith('#scn='), { what: 'the run link' });
  await page.locator('#goals [data-goal]').first().waitFor();
  const hash = await page.evaluate(() => location.hash);
  await page.evaluate(() => { location.hash += '&t=99999999'; });
  await poll(() => goals(page), (gs) => gs.every((g) => g.status !== 'pending'), { timeout: 30_000, what: 'every goal checked' });
  const gs = await goals(page);
  assert.equal(failing(gs), 3, `three goals fail with 2 s of latency: ${JSON.stringify(gs)}`);
  await shot('slow-run');

  // Share: the link carries the scenario, the playhead and the rest; a fresh page shows the same.
  await page.click('#share');
  const shared = await page.evaluate(() => location.hash);
  assert.match(shared, /^#scn=[A-Za-z0-9_-]+&/, shared);
  assert.match(shared, /&t=\d+/);
  const other = await page.context().newPage();
  await other.goto(url + shared);
  await waitReady(other);
  await poll(() => goals(other), (g) => g.length === gs.length && g.every((x) => x.status !== 'pending'), { timeout: 30_000, what: 'the same goals' });
  assert.deepEqual(await goals(other), gs, 'the same state from the link');
  assert.equal(await other.locator('.lesson-title').textContent(), await page.locator('.lesson-title').textContent());

  // Embedded, as a course page's iframe would load it.
  await other.goto('about:blank');
  await other.goto(url + hash + '&embed=1');
  await waitReady(other);
  await other.locator('#topology [data-node="r1"]').waitFor();
  await other.close();

  // Edit again from the lab: the edited text comes back.
  await page.click('#edit');
  await page.locator('#ed-area').waitFor();
  assert.equal(await area(page), slow);
});

appTest('editor: syntax, shape and semantic errors at their line and column', {}, async ({ page, load, shot }) => {
  await load('#edit');
  await page.locator('#ed-ok').waitFor();
  const template = await area(page);
  const lineOf = (text, needle) => text.slice(0, text.indexOf(needle)).split('\n').length;

  // Syntax: the TOML parser's own position.
  const syntax = template.replace('duration_s = 30', 'duration_s = = 30');
  await type(page, syntax, '#ed-error');
  const line = lineOf(syntax, 'duration_s = =');
  assert.match(await page.textContent('#ed-error'), new RegExp(`line ${line}, column 14`));
  assert.equal(await page.textContent('.ed-gutter .err'), `${line}\n`, 'the gutter marks the line');
  await shot('syntax');

  // Shape: a path, put at its key.
  const shape = template.replace('name = "r1"\nkind = "redis"', 'name = "r1"\nkind = "redus"');
  await type(page, shape, '#ed-error');
  const kindLine = lineOf(shape, 'kind = "redus"');
  const shapeErr = await page.textContent('#ed-error');
  assert.match(shapeErr, new RegExp(`line ${kindLine}, column 1`), shapeErr);
  assert.match(shapeErr, /node\[1\]\.kind: unknown variant `redus`/);

  // Semantic: an unknown node, at its table; clicking the place puts the caret there.
  const semantic = template.replace('replicaof = "m"', 'replicaof = "r9"');
  await type(page, semantic, '#ed-error');
  const nodeLine = lineOf(semantic, '[[node]]\nname = "r1"');
  const semErr = await page.textContent('#ed-error');
  assert.match(semErr, new RegExp(`line ${nodeLine}, column 1`), semErr);
  assert.match(semErr, /unknown node 'r9'/);
  assert.ok(await page.isDisabled('#ed-run'), 'nothing to run');
  await page.click('#ed-error .ed-at');
  const caret = await page.$eval('#ed-area', (a) => a.value.slice(0, a.selectionStart).split('\n').length);
  assert.equal(caret, nodeLine);

  // A cap: bilingual words naming the limit.
  const many = template + Array.from({ length: 70 }, (_, i) => `\n[[node]]\nname = "x${i}"\nkind = "redis"\n`).join('');
  await type(page, many, '#ed-error');
  assert.match(await page.textContent('#ed-error'), /Too many nodes: a scenario may have at most 64/);
  await page.click('button[data-lang="zh"]');
  assert.match(await page.textContent('#ed-error'), /节点过多：场景最多 64 个节点/);
  await shot('cap-zh');
});

appTest('editor: a file opened, the draft kept across a reload, then discarded', {}, async ({ page, load }) => {
  await load('#edit');
  const file = '# from a file\n' + (await area(page)).replace('duration_s = 30', 'duration_s = 45');
  await page.setInputFiles('#ed-file', { name: 'mine.toml', mimeType: 'application/toml', buffer: Buffer.from(file) });
  await poll(() => area(page), (t) => t === file, { what: 'the file in the editor' });
  await page.locator('#ed-ok').waitFor();
  assert.match(await page.textContent('#ed-ok'), /30|45/);

  await page.reload();
  await waitReady(page);
  await page.locator('#ed-area').waitFor();
  assert.equal(await area(page), file, 'the draft survives a reload');

  // Too big a file is refused before it is read, and the draft stays.
  await page.setInputFiles('#ed-file', { name: 'big.toml', mimeType: 'application/toml', buffer: Buffer.alloc(300_000, 'a') });
  assert.match(await page.textContent('#ed-problem'), /big\.toml is 300000 bytes/);
  assert.equal(await area(page), file);

  page.once('dialog', (d) => d.accept());
  await page.click('#ed-discard');
  await poll(() => area(page), (t) => !t.startsWith('# from a file'), { what: 'the template back' });
});

appTest('links: oversized, corrupt and non-loading scenarios', {}, async ({ page, load, shot }) => {
  await load('#scn=' + 'A'.repeat(100_001));
  assert.match(await page.textContent('#banner'), /This link is too long \(100001\)/);

  await page.goto('about:blank');
  await load('#scn=not$base64');
  assert.match(await page.textContent('#banner'), /cannot be read \(character 4 is not base64url\)/);

  await page.goto('about:blank');
  await load('#scn=' + Buffer.from('not deflate at all').toString('base64url'));
  assert.match(await page.textContent('#banner'), /cannot be read/);

  // Text that inflates but does not load: the editor, with the text and its error.
  const broken = 'format = "replilab/1"\nid = "x"\nduration_s = 10\ntitle = { en = "x", zh = "x" }\n\n[[node]]\nname = "m"\nkind = "redis"\nreplicaof = "nobody"\n';
  await page.goto('about:blank');
  await load('#scn=' + code(broken));
  await page.locator('#ed-area').waitFor();
  assert.equal(await area(page), broken);
  assert.match(await page.textContent('#banner'), /does not load/);
  assert.match(await page.textContent('#ed-error'), /unknown node 'nobody'/);
  await shot('non-loading');
});

appTest('editor: a redis.conf imported into a node, every other directive listed', {}, async ({ page, load, shot }) => {
  await load('#edit');
  await page.locator('#ed-ok').waitFor();
  await page.click('#ed-import summary');
  const conf = 'port 6380\nreplicaof 10.0.0.1 6379\nrepl-backlog-size 10mb\nmin-replicas-to-write 1\nsave 3600 1\nrepl-timeout 0\n';
  await page.fill('#imp-text', conf);
  await page.selectOption('#imp-node', 'r1');
  await page.click('#imp-apply');
  const done = await page.textContent('#imp-done');
  assert.match(done, /Read as redis\.conf\. 2 settings imported into r1\./, done);
  const skipped = await page.$$eval('#imp-skipped li', (li) => li.map((x) => x.textContent));
  assert.ok(skipped.some((s) => /^line 1: port: the lab gives each node its address/.test(s)), skipped.join('\n'));
  assert.ok(skipped.some((s) => /^line 5: save: not modelled by the lab/.test(s)), skipped.join('\n'));
  assert.ok(skipped.some((s) => /^line 6: repl-timeout: invalid: /.test(s)), skipped.join('\n'));
  const text = await area(page);
  assert.match(text, /name = "r1"\nconfig = \{ "repl-backlog-size" = "10mb", "min-replicas-to-write" = "1" \}|repl-backlog-size/);
  await page.locator('#ed-ok').waitFor();
  await shot('imported');

  // An address no node has is refused, the text unchanged.
  await page.fill('#imp-text', 'replicaof 192.168.1.5 6379\n');
  await page.click('#imp-apply');
  assert.match(await page.textContent('#imp-error'), /No node of this deployment is at 192\.168\.1\.5:6379/);
  assert.equal(await area(page), text);
});
