// Language: 中文 / EN switches every string at once, sets <html lang>, and is remembered.
import assert from 'node:assert/strict';
import { appTest, waitReady } from './helpers.mjs';

appTest('language switch to 中文 and back, remembered across a reload', {}, async ({ page, load, shot }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await load('#lesson=split-brain-false-failure');
  await page.click('button[data-lang="en"]');
  assert.equal(await page.textContent('button#play span'), 'Play');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');

  await page.click('button[data-lang="zh"]');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal(await page.textContent('button#play span'), '播放');
  assert.equal(await page.getAttribute('button[data-lang="zh"]', 'aria-pressed'), 'true');
  const title = await page.textContent('.lesson-title');
  assert.equal(title, '假故障引发的脑裂', 'the lesson title follows the language');
  await shot('zh');

  await page.reload();
  await waitReady(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN', 'the choice is remembered');
  assert.equal(await page.textContent('button#play span'), '播放');

  await page.click('button[data-lang="en"]');
  assert.equal(await page.textContent('button#play span'), 'Play');
  assert.equal(await page.textContent('.lesson-title'), 'Split brain from a false failure');
});
