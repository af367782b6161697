// The built web app as the server hands it out: Vite's content-hashed files under /assets are cached for a year
// without asking again (a new build has new names), the page itself is asked about every time (it names the
// files of the build now served), and a page of the app opened by its address gets the same index.html.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { createTestDb, testConfig, type TestDb } from './helpers.ts';

let dir: string;
let db: TestDb;
let app: FastifyInstance;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-web-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><title>OneThing</title><script type="module" src="/assets/index-Ab12Cd34.js"></script>',
  );
  fs.writeFileSync(path.join(dir, 'assets', 'index-Ab12Cd34.js'), 'console.log(1);');
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  // As the build leaves them: a brotli and a gzip copy beside the script and the page.
  for (const file of [path.join(dir, 'assets', 'index-Ab12Cd34.js'), path.join(dir, 'index.html')]) {
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(fs.readFileSync(file)));
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file)));
  }
  db = await createTestDb();
  app = await buildApp({ config: testConfig(), db: db.db, logger: false, webDist: dir });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the web app’s files', () => {
  it('caches the hashed assets for a year, immutable', async () => {
    const res = await app.inject('/assets/index-Ab12Cd34.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('has the browser ask again for the page and for files without a hash', async () => {
    for (const url of ['/', '/index.html', '/favicon.svg']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
    const page = await app.inject({ url: '/staff', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/assets/index-Ab12Cd34.js');
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('sends the compressed copy the browser accepts, brotli first, and the file as it is to one that accepts none', async () => {
    const js = fs.readFileSync(path.join(dir, 'assets', 'index-Ab12Cd34.js'), 'utf8');
    const br = await app.inject({
      url: '/assets/index-Ab12Cd34.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toContain('accept-encoding');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(js);
    const gz = await app.inject({ url: '/assets/index-Ab12Cd34.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(js);
    const plain = await app.inject({ url: '/assets/index-Ab12Cd34.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(js);
    // The page opened by its address too; a file without a compressed copy goes as it is.
    const page = await app.inject({ url: '/staff', headers: { accept: 'text/html', 'accept-encoding': 'br' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(zlib.brotliDecompressSync(page.rawPayload).toString()).toContain('/assets/index-Ab12Cd34.js');
    const svg = await app.inject({ url: '/favicon.svg', headers: { 'accept-encoding': 'br' } });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-encoding']).toBeUndefined();
  });

  it('answers a missing asset with 404 problem+json, not the page', async () => {
    const res = await app.inject({ url: '/assets/index-gone0000.js', headers: { accept: '*/*' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
