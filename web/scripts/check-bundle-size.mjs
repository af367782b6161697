#!/usr/bin/env node
// Build check: the JavaScript the home page loads before it can render (the entry chunk and every chunk it
// imports statically, from Vite's manifest), gzip-compressed, must stay under the budget. Lazy route chunks
// do not count: they load when their page is visited. The figure is written between markers in
// docs/benchmarks.md (the section is created when absent; the rest of that file is left as it is).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const BUDGET_KB = 250;
const web = path.resolve(import.meta.dirname, '..');
const dist = path.join(web, 'dist');
const benchmarks = path.resolve(web, '..', 'docs', 'benchmarks.md');
const BEGIN = '<!-- web-bundle:begin -->';
const END = '<!-- web-bundle:end -->';

const manifestPath = path.join(dist, '.vite', 'manifest.json');
if (!fs.existsSync(manifestPath)) {
  console.error(
    `check-bundle-size: ${path.relative(process.cwd(), manifestPath)} is missing; run vite build (with build.manifest) first`,
  );
  process.exit(1);
}
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
if (entries.length !== 1) {
  console.error(`check-bundle-size: expected one entry in the manifest, found ${entries.length}`);
  process.exit(1);
}

// The entry and its static imports, transitively: what the browser fetches before the first render.
const initial = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  for (const dep of chunk.imports ?? []) visit(dep);
};
visit(entries[0][0]);

const files = [...initial]
  .filter((f) => f.endsWith('.js'))
  .map((file) => {
    const bytes = fs.readFileSync(path.join(dist, file));
    return { file, raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
  });
files.sort((a, b) => b.gzip - a.gzip);
const total = files.reduce((s, f) => s + f.gzip, 0);
const raw = files.reduce((s, f) => s + f.raw, 0);
const kb = (n) => (n / 1024).toFixed(1);
const lazy = Object.values(manifest).filter((c) => c.file.endsWith('.js') && !initial.has(c.file)).length;

for (const f of files)
  console.log(`  ${f.file.padEnd(48)} ${kb(f.raw).padStart(8)} KB  gzip ${kb(f.gzip).padStart(7)} KB`);
const ok = total <= BUDGET_KB * 1024;
console.log(
  `home page initial JS: ${kb(total)} KB gzip (${kb(raw)} KB raw) in ${files.length} file(s); budget ${BUDGET_KB} KB: ${ok ? 'ok' : 'OVER BUDGET'}`,
);

// Chunk names without their content hash (so the file changes only when sizes do); Rolldown names several
// shared chunks after one of their modules (e.g. "api"), so those are summed under one name.
const groups = [];
for (const f of files) {
  const name = f.file.replace(/-[A-Za-z0-9_-]{8}\.js$/, '.js');
  const g = groups.find((x) => x.name === name);
  if (g) {
    g.raw += f.raw;
    g.gzip += f.gzip;
    g.count += 1;
  } else groups.push({ name, raw: f.raw, gzip: f.gzip, count: 1 });
}

const section = [
  BEGIN,
  '## Web portal: initial JavaScript of the home page',
  '',
  `Measured by \`web/scripts/check-bundle-size.mjs\` after \`vite build\` (run by \`npm run build -w @onething/web\`): the entry chunk and`,
  'the chunks it imports statically, gzip level 9. Every other page is a lazy chunk loaded when visited. The build fails',
  `above ${BUDGET_KB} KB.`,
  '',
  '| what | raw | gzip |',
  '|---|---:|---:|',
  ...groups.map(
    (g) => `| \`${g.name}\`${g.count > 1 ? ` (${g.count} chunks)` : ''} | ${kb(g.raw)} KB | ${kb(g.gzip)} KB |`,
  ),
  `| **home page initial JS** (${files.length} files; budget ${BUDGET_KB} KB) | ${kb(raw)} KB | **${kb(total)} KB** |`,
  '',
  `${lazy} further chunks load on demand (bundle page, application form with the date picker, uploads, my applications …).`,
  END,
].join('\n');

let doc = fs.existsSync(benchmarks) ? fs.readFileSync(benchmarks, 'utf8') : '# Benchmarks\n';
const start = doc.indexOf(BEGIN);
const end = doc.indexOf(END);
if (start >= 0 && end > start) doc = doc.slice(0, start) + section + doc.slice(end + END.length);
else doc = `${doc.replace(/\s*$/, '')}\n\n${section}\n`;
// Write only when the figure changed, so that a build does not touch the file needlessly.
if (!fs.existsSync(benchmarks) || fs.readFileSync(benchmarks, 'utf8') !== doc) {
  fs.mkdirSync(path.dirname(benchmarks), { recursive: true });
  fs.writeFileSync(benchmarks, doc);
}
process.exit(ok ? 0 : 1);
