#!/usr/bin/env node
// Builds server/data/gbt2260/divisions.json, the compact GB/T 2260 division table the identifiers module loads.
// The source (yescallop/areacodes, CC0) lives outside the repository in ../shared/data/gbt2260; the server must
// not depend on it at run time, so this script copies what is needed (and the licence) into server/data.
//
// Usage (from anywhere): node server/scripts/build-divisions.mjs [--source DIR] [--commit SHA]
//   --source  folder holding codes.json, 2024.txt and LICENSE (default: <repo>/../shared/data/gbt2260)
//   --commit  upstream commit the source was taken from (recorded in the output and README)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const UPSTREAM = 'https://github.com/yescallop/areacodes';
const DEFAULT_COMMIT = 'eed219a0678d36bacaa717f62443b10e869f0291';
// The newest yearly list in the source; codes without an end year are the ones in force at the end of it.
const CURRENT_LIST = '2024.txt';

const scriptDir = path.dirname(fileURLToPath(import.meta.url)); // <repo>/server/scripts
const repoRoot = path.resolve(scriptDir, '../..');
const outDir = path.resolve(scriptDir, '../data/gbt2260');

function parseArgs(argv) {
  const opts = { source: path.resolve(repoRoot, '../shared/data/gbt2260'), commit: DEFAULT_COMMIT };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    if ((arg === '--source' || arg === '--commit') && next !== undefined) {
      opts[arg.slice(2)] = arg === '--source' ? path.resolve(next) : next;
      i++;
    } else {
      throw new Error(`unknown or incomplete argument: ${arg}`);
    }
  }
  if (!/^[0-9a-f]{40}$/.test(opts.commit))
    throw new Error(`--commit must be a 40-hex-digit commit id, got ${opts.commit}`);
  return opts;
}

/** Flattens the nested source tree into rows, keeping only what the server uses. */
function flatten(items) {
  const entries = [];
  const walk = (nodes, parent) => {
    for (const node of nodes) {
      const code = node.code;
      if (!Number.isInteger(code) || code < 100000 || code > 999999)
        throw new Error(`bad code ${JSON.stringify(code)}`);
      if (typeof node.name !== 'string' || node.name === '') throw new Error(`code ${code} has no name`);
      if (!Number.isInteger(node.start)) throw new Error(`code ${code} has no start year`);
      // Successors without a `time` are where the whole area went when the code ended. Entries with a `time`
      // record earlier partial transfers of territory (the code lived on), so they are not successors.
      const succ = (node.succ ?? []).filter((s) => s.time === undefined).map((s) => s.code);
      if (succ.length > 0 && node.end === undefined) throw new Error(`current code ${code} lists successors`);
      entries.push({ code, name: node.name, start: node.start, end: node.end, succ, parent });
      if (node.children) walk(node.children, code);
    }
  };
  walk(items, undefined);
  return entries;
}

/** Cross-checks the tree against the plain list of current codes, so a bad refresh fails loudly. */
function check(entries, currentListText) {
  const byCode = new Map();
  for (const e of entries) byCode.set(e.code, [...(byCode.get(e.code) ?? []), e]);
  const current = new Map();
  for (const e of entries) {
    if (e.end !== undefined) continue;
    if (current.has(e.code)) throw new Error(`code ${e.code} is current twice`);
    current.set(e.code, e.name);
  }
  const listed = new Map();
  for (const line of currentListText.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const m = /^(\d{6})\s+(\S.*)$/.exec(line.trim());
    if (!m) throw new Error(`${CURRENT_LIST}: cannot read line ${JSON.stringify(line)}`);
    listed.set(Number(m[1]), m[2]);
  }
  for (const [code, name] of listed) {
    if (current.get(code) !== name)
      throw new Error(`${CURRENT_LIST} has ${code} ${name}, codes.json has ${current.get(code) ?? 'no current entry'}`);
  }
  if (listed.size !== current.size)
    throw new Error(`${CURRENT_LIST} lists ${listed.size} codes, codes.json ${current.size} current ones`);
  for (const e of entries) {
    for (const s of e.succ) if (!byCode.has(s)) throw new Error(`code ${e.code} names unknown successor ${s}`);
    if (e.end === undefined && e.parent !== undefined && !current.has(e.parent)) {
      throw new Error(`current code ${e.code} sits under ${e.parent}, which is not current`);
    }
  }
  return current.size;
}

// One row per entry: [code, name, start, end, succ, parent], with 0 for "none" and trailing zeros dropped.
// Arrays instead of objects keep the file about half the size; one row a line keeps refresh diffs readable.
function toRow(e) {
  const row = [e.code, e.name, e.start, e.end ?? 0, e.succ.length > 0 ? e.succ : 0, e.parent ?? 0];
  while (row.length > 3 && row[row.length - 1] === 0) row.pop();
  return JSON.stringify(row);
}

function readme(commit, count, current) {
  return `# GB/T 2260 administrative division codes

\`divisions.json\` is every county-level and higher division code used from 1981 to the end of 2024, with the
years it was in use, the code(s) its area passed to when it ended, and its parent. The identifiers module
(\`src/modules/identifiers/identifiers.domain.ts\`) loads it to check ID-number address codes, the division part
of unified social credit codes, and division codes entered by staff.

- Source: the \`codes.json\` and \`${CURRENT_LIST}\` compiled from the Ministry of Civil Affairs' yearly lists by
  ${UPSTREAM}, commit \`${commit}\` (taken from the shared data folder \`../shared/data/gbt2260\`).
- Licence: CC0 1.0 Universal (see \`LICENSE\` beside this file).
- Content: ${count} entries (the same code may appear more than once, for different periods or names);
  ${current} codes are current.

## Format

One JSON object: \`fields\` names the columns of each entry in \`rows\`:
\`[code, name, start, end, succ, parent]\`. \`0\` means none and trailing zeros are left out, so
\`[320104,"秦淮区",1983,0,0,320100]\` is current and \`[320103,"白下区",1983,2013,[320104],320100]\` ended in 2013
and passed to 320104. \`succ\` lists only where the whole area went when the code ended; partial transfers of
territory while a code stayed in use are left out. Descriptions of the changes are left out too.

## Refreshing

When a new year's list is published, update the shared data folder (or point \`--source\` at a checkout of the
upstream repository), then run from the repository root:

    node server/scripts/build-divisions.mjs --commit <upstream commit>

and commit the regenerated \`divisions.json\`, \`LICENSE\` and this README. The script checks the tree against the
plain list of current codes and stops if they disagree. If the newest list is no longer \`${CURRENT_LIST}\`,
change \`CURRENT_LIST\` in the script.
`;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const source = JSON.parse(readFileSync(path.join(opts.source, 'codes.json'), 'utf8'));
  if (!Array.isArray(source.items)) throw new Error('codes.json has no items array');
  const entries = flatten(source.items).sort((a, b) => a.code - b.code || a.start - b.start);
  const current = check(entries, readFileSync(path.join(opts.source, CURRENT_LIST), 'utf8'));

  const header = {
    source: UPSTREAM,
    commit: opts.commit,
    licence: 'CC0-1.0',
    current: CURRENT_LIST.replace(/\.txt$/, ''),
    fields: ['code', 'name', 'start', 'end', 'succ', 'parent'],
  };
  const head = JSON.stringify(header).slice(0, -1);
  const json = `${head},"rows":[\n${entries.map(toRow).join(',\n')}\n]}\n`;
  JSON.parse(json); // never write a file the server cannot read

  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'divisions.json'), json);
  // Not copyFileSync: the shared source is read-only and its mode would come along, blocking the next refresh.
  rmSync(path.join(outDir, 'LICENSE'), { force: true });
  writeFileSync(path.join(outDir, 'LICENSE'), readFileSync(path.join(opts.source, 'LICENSE')));
  writeFileSync(path.join(outDir, 'README.md'), readme(opts.commit, entries.length, current));
  console.log(
    `wrote ${path.relative(repoRoot, path.join(outDir, 'divisions.json'))}: ${entries.length} entries, ${current} current, ${Buffer.byteLength(json)} bytes`,
  );
}

try {
  main();
} catch (err) {
  console.error(`build-divisions: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
