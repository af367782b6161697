// Shared by the bin scripts: turns on source maps, so that stack traces name the .ts lines, then imports the
// compiled entry. A missing build is said plainly; tsx is not a fallback, so what runs is what was built.
import fs from 'node:fs';
import module from 'node:module';

/** @param {string} entry a file of server/dist */
export async function start(entry) {
  const file = new URL(`../dist/${entry}`, import.meta.url);
  // @onething/shared resolves to its compiled dist/ here (no "source" condition).
  const shared = new URL(import.meta.resolve('@onething/shared'));
  const missing = [file, shared].find((f) => !fs.existsSync(f));
  if (missing) {
    console.error(`onething: not built (no ${missing.pathname}): run \`npm run build\` first.`);
    process.exit(1);
  }
  // Applies to modules loaded from here on: the bin scripts themselves have no maps.
  if (module.setSourceMapsSupport) module.setSourceMapsSupport(true);
  else process.setSourceMapsEnabled(true);
  await import(file.href);
}
