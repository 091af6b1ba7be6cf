// The lesson player in the browser build, in headless Chromium (as smoke.mjs: playwright-core,
// Debian's chromium, SwiftShader WebGL2): ?lesson=NAME opens a built-in lesson and puts it in the
// URL, a share link from `dsplay lesson link` opens the identical run at a step with a question,
// ?present starts presentation mode, ?lesson_url= loads a lesson file from the same site, and
// none of it logs an error. Screenshots for review: build/screenshots/lesson-web.png (a step with
// a question, 1280x800) and lesson-web-present.png (presentation mode, 1920x1080).
// Usage: node tools/browser/lessons.mjs [build/web] [path/to/native/dsplay]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { checks, launchChromium, requireWebBuild, serveBuild } from './harness.mjs';

const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const root = path.resolve(process.argv[2] || path.join(here, 'build/web'));
const cli = path.resolve(process.argv[3] || path.join(here, 'build/release/dsplay'));
const shots = path.join(here, 'build', 'screenshots');
const lesson = path.join(here, 'lessons', 'locks_token_coordinator.json');

requireWebBuild(root, 'lessons');
// The share link: the lesson at the start of step 2 (a prediction question), earlier steps played.
const link = execFileSync(cli, ['lesson', 'link', '--step', '2', lesson]).toString().trim();

// Serves build/web, plus /course/my_lesson.json (a teacher's own lesson on the same site).
const own = fs.readFileSync(path.join(here, 'lessons', 'basics_first_steps.json'), 'utf8').replace('"basics_first_steps"', '"my_course_lesson"');
const { server, base } = await serveBuild(root, { '/course/my_lesson.json': { type: 'application/json', body: own } });
const { browser, profile } = await launchChromium();
const { check, finish, report } = checks('lessons', { browser, profile, server });

async function open(url, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  const rendered = await page.waitForFunction(() => window.dsplayFrames >= 40, null, { timeout: 90000, polling: 100 }).then(() => true, () => false);
  return { context, page, errors, rendered };
}

try {
  fs.mkdirSync(shots, { recursive: true });
  {
    const { context, page, errors, rendered } = await open(base + '?lesson=hashing_modulo_vs_ring');
    check(rendered, '?lesson=NAME renders');
    check(await page.evaluate(() => window.location.hash) === '#lesson=hashing_modulo_vs_ring', 'the URL names the open lesson');
    check(errors.length === 0, `no errors${errors.length ? ': ' + errors.join('; ') : ''}`);
    await context.close();
  }
  {
    const { context, page, errors, rendered } = await open(base + link);
    check(rendered, 'a share link renders');
    await page.waitForTimeout(500);
    check((await page.evaluate(() => window.location.hash)).startsWith('#share=1.'), 'the share link stays in the URL until the run changes');
    await page.screenshot({ path: path.join(shots, 'lesson-web.png') });
    console.log(`     screenshot ${path.join(shots, 'lesson-web.png')}`);
    check(errors.length === 0, `no errors${errors.length ? ': ' + errors.join('; ') : ''}`);
    await context.close();
  }
  {
    const { context, page, errors, rendered } = await open(base + '?present' + link, { width: 1920, height: 1080 });
    check(rendered, 'presentation mode renders');
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, 'lesson-web-present.png') });
    console.log(`     screenshot ${path.join(shots, 'lesson-web-present.png')}`);
    check(errors.length === 0, `no errors${errors.length ? ': ' + errors.join('; ') : ''}`);
    await context.close();
  }
  {
    const { context, page, errors, rendered } = await open(base + '?lesson_url=course/my_lesson.json');
    check(rendered, '?lesson_url= renders');
    const taken = await page.waitForFunction(() => Module.dsplayDropsTaken === 1, null, { timeout: 15000 }).then(() => true, () => false);
    check(taken, 'the lesson file from the same site reaches the app');
    check(errors.length === 0, `no errors${errors.length ? ': ' + errors.join('; ') : ''}`);
    await context.close();
  }
  {
    const { context, page, rendered } = await open(base + '?lesson_url=https://example.invalid/x.json');
    check(rendered, 'a foreign ?lesson_url= is refused and the app still runs');
    check(await page.evaluate(() => Module.dsplayDropsTaken === 1), 'the refusal reaches the app as an error');
    await context.close();
  }
} finally {
  await finish();
}
report();
