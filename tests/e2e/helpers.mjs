// Shared helpers of the e2e tests: serve dist/ on 127.0.0.1 (at / or under a sub-path),
// launch Debian's Chromium through playwright-core, fail on any page error, console error,
// failed or non-2xx/3xx same-origin request, or request outside the served origin, and take
// screenshots into tests/e2e/screenshots/.
import assert from 'node:assert/strict';
import { cpSync, createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST = path.resolve(process.env.DIST ?? path.join(here, '../../dist'));
export const SCREENSHOTS = path.join(here, 'screenshots');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
/** The sub-path the sub-path tests serve dist/ under, as a course page would. */
export const SUB_PATH = '/course/lab/';

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/** What a compressing web server would send gzipped (with gzip: true). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.wasm', '.css', '.json', '.svg', '.txt', '.md']);

/**
 * Serves dist/ as a plain static server would, on 127.0.0.1 and a free port.
 * With subPath (e.g. "/course/lab/"), copies dist/ to <tmp><subPath> and serves <tmp>,
 * so the page lives at <origin><subPath>. With gzip, text and wasm files go out gzipped
 * (level 9, Content-Encoding: gzip) to a client that accepts it, as most web servers do.
 * `dir` serves another folder instead. Returns { origin, url, close }.
 */
export async function serveDist({ subPath = '/', gzip = false, dir = DIST } = {}) {
  const gzipped = new Map();
  assert.ok(statSync(path.join(dir, 'index.html'), { throwIfNoEntry: false }),
    `${dir}/index.html is missing: build first (trunk build --release --offline)`);
  let root = dir;
  let tmp;
  if (subPath !== '/') {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'replilab-e2e-'));
    root = tmp;
    cpSync(dir, path.join(tmp, subPath), { recursive: true });
  }
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = path.join(root, pathname);
    if (!file.startsWith(root) || pathname.includes('\0')) {
      res.writeHead(403).end();
      return;
    }
    let st = statSync(file, { throwIfNoEntry: false });
    let target = file;
    if (st?.isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { Location: pathname + '/' }).end();
        return;
      }
      target = path.join(file, 'index.html');
      st = statSync(target, { throwIfNoEntry: false });
    }
    if (!st?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const type = MIME[path.extname(target)] ?? 'application/octet-stream';
    if (gzip && COMPRESSIBLE.has(path.extname(target)) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      if (!gzipped.has(target)) gzipped.set(target, gzipSync(readFileSync(target), { level: 9 }));
      const body = gzipped.get(target);
      res.writeHead(200, {
        'Content-Type': type, 'Content-Length': body.length, 'Content-Encoding': 'gzip',
        Vary: 'Accept-Encoding', 'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': st.size, 'Cache-Control': 'no-store' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(target).pipe(res);
  });
  await new Promise((resolve, reject) => server.listen(0, '127.0.0.1', resolve).on('error', reject));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: origin + subPath,
    close: async () => {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * Registers a node:test test that gets a fresh browser page on the served dist/.
 * fn receives { page, origin, url, problems, shot(label) }; the page is not loaded yet
 * (call `await ctx.load()` or page.goto(url)). After fn, the test fails if any problem was
 * seen: page error, console error, crash, failed or 4xx/5xx request, or any request to a
 * URL outside the served origin (those are blocked). On failure a screenshot "<name>-failure".
 */
export function appTest(name, { subPath = '/', timeout = 90_000 } = {}, fn) {
  test(name, { timeout }, async () => {
    const server = await serveDist({ subPath });
    const browser = await launchChromium();
    const problems = [];
    const prefix = slug(name);
    let page;
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      // Fail fast on a missing element rather than Playwright's 30 s default.
      page.setDefaultTimeout(10_000);
      await page.route('**/*', (route) => {
        const u = new URL(route.request().url());
        if (u.origin === server.origin || u.protocol === 'data:' || u.protocol === 'blob:') {
          return route.continue();
        }
        problems.push(`request outside the served origin: ${route.request().method()} ${u.href}`);
        return route.abort('blockedbyclient');
      });
      page.on('pageerror', (err) => problems.push(`page error: ${err.stack ?? err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'assert') {
          const loc = msg.location();
          problems.push(`console.${msg.type()}: ${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
        }
      });
      page.on('crash', () => problems.push('page crashed'));
      page.on('requestfailed', (req) => {
        if (new URL(req.url()).origin === server.origin) {
          problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
        }
      });
      page.on('response', (res) => {
        if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
      });
      const ctx = {
        page,
        origin: server.origin,
        url: server.url,
        problems,
        /** Loads the page (at `hash`, e.g. "#lesson=sandbox") and waits until the wasm app says it is ready. */
        load: async (hash = '') => {
          await page.goto(server.url + hash, { waitUntil: 'load' });
          await waitReady(page, problems);
        },
        shot: (label) => screenshot(page, `${prefix}-${label}`),
      };
      try {
        await fn(ctx);
      } catch (err) {
        await screenshot(page, `${prefix}-failure`).catch(() => {});
        if (problems.length && err instanceof Error) {
          const extra = `\nproblems seen on the page:\n  ${problems.join('\n  ')}`;
          err.message += extra;
          if (typeof err.stack === 'string') err.stack = err.stack.replace(/\n\s+at |$/, (m) => extra + m);
        }
        throw err;
      }
      if (problems.length) assert.fail(`problems seen on the page:\n  ${problems.join('\n  ')}`);
    } finally {
      await browser.close().catch(() => {});
      await server.close();
    }
  });
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Waits (bounded) for document.body.dataset.ready === "1", which the app sets once started. */
export async function waitReady(page, problems = [], timeout = 30_000) {
  try {
    await page.waitForFunction(() => document.body?.dataset.ready === '1', null, { timeout });
  } catch (err) {
    throw new Error(`the app did not become ready (body[data-ready="1"]) within ${timeout} ms` +
      (problems.length ? `; problems so far:\n  ${problems.join('\n  ')}` : ''), { cause: err });
  }
}

/**
 * Polls get() (async) until pred(value) holds; fails after timeout ms with the last value.
 * Returns the value that satisfied pred.
 */
export async function poll(get, pred, { timeout = 10_000, interval = 25, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await get();
    if (pred(last)) return last;
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
