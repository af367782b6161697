// The lint's import rules (biome.json) catch what they are there for: each probe is a small tree laid out as the
// project is, linted with the project's own configuration, so a rule that stops matching fails here.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const biome = path.join(root, 'node_modules/.bin/biome');
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-lint-'));
  const config = JSON.parse(fs.readFileSync(path.join(root, 'biome.json'), 'utf8'));
  // The probe tree is no git checkout; everything else is the project's configuration as it is.
  config.vcs = { enabled: false };
  delete config.$schema;
  fs.writeFileSync(path.join(dir, 'biome.json'), JSON.stringify(config));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes the files, lints them with the project's rules and gives back the rules that fired, per file. */
async function lint(files: Record<string, string>): Promise<Record<string, string[]>> {
  const probe = fs.mkdtempSync(path.join(dir, 'p'));
  fs.copyFileSync(path.join(dir, 'biome.json'), path.join(probe, 'biome.json'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(probe, name)), { recursive: true });
    fs.writeFileSync(path.join(probe, name), text);
  }
  const out = await promisify(execFile)(biome, ['lint', '--reporter=json', '--max-diagnostics=100', '.'], {
    cwd: probe,
  }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
  const report = JSON.parse(out.stdout) as { diagnostics: Array<{ category: string; location: { path: string } }> };
  const fired: Record<string, string[]> = {};
  for (const d of report.diagnostics) {
    const file = (typeof d.location.path === 'string' ? d.location.path : '').replace(/^\.\//, '');
    (fired[file] ??= []).push(d.category);
  }
  return fired;
}

const MODULE = {
  'server/src/modules/applications/applications.service.ts': 'export const submit = 1;\n',
  'server/src/modules/applications/index.ts': "export { submit } from './applications.service.ts';\n",
  'server/src/platform/db.ts': 'export const db = 1;\n',
};

describe('the lint', () => {
  it("refuses a deep import into another module's internals, and takes its index.ts", async () => {
    const fired = await lint({
      ...MODULE,
      'server/src/modules/cases/deep.ts':
        "import { submit } from '../applications/applications.service.ts';\nexport const a = submit;\n",
      'server/src/modules/cases/public.ts':
        "import { submit } from '../applications/index.ts';\nimport { db } from '../../platform/db.ts';\nexport const b = [submit, db];\n",
      'server/src/app.ts':
        "import { submit } from './modules/applications/applications.service.ts';\nexport const c = submit;\n",
    });
    expect(fired['server/src/modules/cases/deep.ts']).toContain('lint/style/noRestrictedImports');
    expect(fired['server/src/modules/cases/public.ts']).toBeUndefined();
    expect(fired['server/src/app.ts']).toContain('lint/style/noRestrictedImports');
  });

  it('keeps domain files and shared/ free of platform and I/O', async () => {
    const fired = await lint({
      ...MODULE,
      'server/src/modules/cases/cases.domain.ts': "import { db } from '../../platform/db.ts';\nexport const d = db;\n",
      'shared/src/cases/cases.ts': "import fs from 'node:fs';\nexport const e = fs;\n",
    });
    expect(fired['server/src/modules/cases/cases.domain.ts']).toContain('lint/style/noRestrictedImports');
    expect(fired['shared/src/cases/cases.ts']).toContain('lint/style/noRestrictedImports');
  });

  it('reads process.env only in config.ts, and refuses import cycles, type imports included', async () => {
    const fired = await lint({
      'server/src/config.ts': 'export const port = process.env.PORT;\n',
      'server/src/platform/jobs.ts': 'export const workers = process.env.JOBS_WORKERS;\n',
      'server/src/modules/cases/a.ts': "import type { B } from './b.ts';\nexport type A = { b: B };\n",
      'server/src/modules/cases/b.ts': "import type { A } from './a.ts';\nexport type B = { a?: A };\n",
    });
    expect(fired['server/src/config.ts']).toBeUndefined();
    expect(fired['server/src/platform/jobs.ts']).toContain('lint/style/noProcessEnv');
    expect(fired['server/src/modules/cases/a.ts']).toContain('lint/suspicious/noImportCycles');
  });

  it("keeps the web's lib/ below the shell, features and pages", async () => {
    const fired = await lint({
      'web/src/app/Layout.tsx': 'export const Layout = 1;\n',
      'web/src/lib/api.ts': "import { Layout } from '../app/Layout';\nexport const f = Layout;\n",
      'web/src/lib/text.ts': "import { api } from './first-load/early';\nexport const t = api;\n",
      'web/src/lib/first-load/early.ts': 'export const api = 1;\n',
    });
    expect(fired['web/src/lib/api.ts']).toContain('lint/style/noRestrictedImports');
    expect(fired['web/src/lib/text.ts']).toBeUndefined();
  });
});
