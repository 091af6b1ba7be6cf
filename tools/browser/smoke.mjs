// Headless-browser smoke test of the web build: serves build/web on 127.0.0.1 (a free port), opens
// it in Debian's chromium through playwright-core (software WebGL2 via SwiftShader), waits for
// rendered frames, fails on console errors or page errors, checks that the canvas follows the
// window size and devicePixelRatio and that ?scenario= loads, checks the page's messages for a
// browser without WebGL2 and for a missing wasm file, and saves build/screenshots/web.png.
// Usage: node tools/browser/smoke.mjs [build/web] [screenshot.png]
import fs from 'node:fs';
import path from 'node:path';

import { checks, launchChromium, requireWebBuild, serveBuild } from './harness.mjs';

const root = path.resolve(process.argv[2] || 'build/web');
const shot = path.resolve(process.argv[3] || path.join(root, '..', 'screenshots', 'web.png'));

requireWebBuild(root, 'smoke');
const { server, base } = await serveBuild(root);
const { browser, profile } = await launchChromium(['--window-size=1280,800']);
const { check, finish, report } = checks('smoke', { browser, profile, server });

// Opens a page and records console errors and uncaught exceptions.
async function open(url, { viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1, setup } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    else if (process.env.DSPLAY_SMOKE_VERBOSE) console.log(`  [${message.type()}] ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  if (setup) await setup(page);
  await page.goto(url);
  return { context, page, errors };
}

async function waitFrames(page, count, timeoutMs = 90000) {
  try {
    await page.waitForFunction((n) => window.dsplayFrames >= n, count, { timeout: timeoutMs, polling: 100 });
    return true;
  } catch {
    return false;
  }
}

const canvasSize = (page) => page.evaluate(() => {
  const canvas = document.getElementById('canvas');
  return { width: canvas.width, height: canvas.height };
});

try {
  // 1. The app loads, renders frames, hides the loading screen; no errors; screenshot.
  {
    const { context, page, errors } = await open(base);
    const started = Date.now();
    const rendered = await waitFrames(page, 60);
    check(rendered, `renders frames (${await page.evaluate(() => window.dsplayFrames)} in ${Date.now() - started} ms)`);
    check(await page.evaluate(() => document.getElementById('overlay').classList.contains('hidden')), 'loading screen hidden');
    const size = await canvasSize(page);
    check(size.width === 1280 && size.height === 800, `canvas fills the window (${size.width}x${size.height})`);
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot });
    console.log(`     screenshot ${shot}`);

    // A file dropped onto the page reaches the app (it takes it from Module.dsplayDrops).
    const dropped = await page.evaluate(async () => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['{"not": "a scenario"}'], 'dropped.json', { type: 'application/json' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = window.dsplayFrames;
      while (window.dsplayFrames < before + 5) await new Promise((resolve) => setTimeout(resolve, 20));
      return Module.dsplayDrops.length === 0 && Module.dsplayDropsTaken === 1;
    });
    check(dropped, 'a dropped file is handed to the app');

    // The canvas follows the window.
    await page.setViewportSize({ width: 1000, height: 640 });
    const frames = await page.evaluate(() => window.dsplayFrames);
    await waitFrames(page, frames + 10);
    const resized = await canvasSize(page);
    check(resized.width === 1000 && resized.height === 640, `canvas follows a resize (${resized.width}x${resized.height})`);
    check(errors.length === 0, `no console or page errors${errors.length ? ':\n  ' + errors.join('\n  ') : ''}`);
    await context.close();
  }

  // 2. HiDPI: the drawing buffer is devicePixelRatio x the CSS size; ?scenario= passes through.
  {
    const { context, page, errors } = await open(base + '?scenario=smoke-test-name', { deviceScaleFactor: 2 });
    check(await waitFrames(page, 20), 'renders with devicePixelRatio 2 and ?scenario=');
    const size = await canvasSize(page);
    check(size.width === 2560 && size.height === 1600, `HiDPI drawing buffer (${size.width}x${size.height})`);
    check(errors.length === 0, `no console or page errors at devicePixelRatio 2${errors.length ? ':\n  ' + errors.join('\n  ') : ''}`);
    await context.close();
  }

  // 3. A browser without WebGL2 gets a plain message, and the wasm is not even loaded.
  {
    const { context, page } = await open(base, {
      setup: (page) => page.addInitScript(() => {
        const original = HTMLCanvasElement.prototype.getContext;
        HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
          return kind === 'webgl2' ? null : original.call(this, kind, ...rest);
        };
      }),
    });
    await page.waitForTimeout(500);
    const text = await page.textContent('#overlay');
    check(/WebGL2 is not available/.test(text), 'message when WebGL2 is missing');
    await page.screenshot({ path: shot.replace(/\.png$/, '-no-webgl2.png') });
    await context.close();
  }

  // 4. A wasm that fails to download gives a message instead of an endless progress bar.
  {
    const { context, page } = await open(base, {
      setup: (page) => page.route('**/dsplay_web.wasm', (route) => route.fulfill({ status: 404, body: 'gone' })),
    });
    await page.waitForFunction(() => document.getElementById('box').classList.contains('error'), null, { timeout: 15000 })
      .catch(() => {});
    const text = await page.textContent('#overlay');
    check(/could not load/.test(text) && /404/.test(text), 'message when the wasm cannot be loaded');
    await context.close();
  }
} finally {
  await finish();
}
report();
