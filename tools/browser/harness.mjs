// What the headless-browser tests (smoke.mjs, lessons.mjs) share: the check that the web build is
// there, a static server for it on 127.0.0.1 (a free port), Debian's chromium through
// playwright-core with software WebGL2 (SwiftShader), and the ok/FAIL checks with the exit status.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
                '.json': 'application/json', '.png': 'image/png' };

// Exits with a message when the web build in `root` is incomplete.
export function requireWebBuild(root, test) {
  for (const file of ['index.html', 'dsplay_web.js', 'dsplay_web.wasm']) {
    if (!fs.existsSync(path.join(root, file))) {
      console.error(`${test}: ${path.join(root, file)} missing: build the web preset first`);
      process.exit(1);
    }
  }
}

// Serves `root` (and `extra`: URL path -> { type, body }); resolves to { server, base }.
export async function serveBuild(root, extra = {}) {
  const server = http.createServer((request, response) => {
    let name = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    if (Object.hasOwn(extra, name)) {
      response.writeHead(200, { 'Content-Type': extra[name].type });
      response.end(extra[name].body);
      return;
    }
    if (name.endsWith('/')) name += 'index.html';
    const file = path.join(root, path.normalize(name));
    if (!file.startsWith(root + path.sep)) { response.writeHead(403); response.end(); return; }
    fs.readFile(file, (error, data) => {
      if (error) { response.writeHead(404); response.end('not found'); return; }
      response.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream',
                                'Content-Length': data.length, 'Cache-Control': 'no-store' });
      response.end(data);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

// Headless chromium with a throw-away profile; resolves to { browser, profile }.
export async function launchChromium(extraArgs = []) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dsplay-chromium-'));
  const browser = await chromium.launch({
    executablePath: process.env.DSPLAY_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
    env: { ...process.env, HOME: profile },  // playwright gives each launch a fresh profile as well
  });
  return { browser, profile };
}

// check(ok, message) prints one line per claim; finish() closes everything and exits 1 on a failure.
export function checks(test, { browser, profile, server }) {
  const failures = [];
  const check = (ok, message) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
    if (!ok) failures.push(message);
  };
  const finish = async () => {
    await browser.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  const report = () => {
    if (failures.length) {
      console.log(`${test}: ${failures.length} check(s) failed`);
      process.exit(1);
    }
    console.log(`${test}: ok`);
  };
  return { check, finish, report };
}
