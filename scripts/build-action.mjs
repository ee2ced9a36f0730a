// Bundles the GitHub Action's entry (src/action/main.ts) into one file, dist/action.js, with
// everything in it, the AWS SDK included: an Action runs from its repository with no
// node_modules. The output is deterministic (paths are relative to the repository, no
// timestamps), so CI can rebuild it and fail when the committed bundle is stale.
// Usage: node scripts/build-action.mjs [OUTFILE]   (default dist/action.js)
import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = resolve(process.argv[2] ?? resolve(root, 'dist', 'action.js'));

await build({
  absWorkingDir: root,
  entryPoints: ['src/action/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The bundled SDK is CommonJS in places; ESM output needs a `require` for it.
  banner: { js: "import { createRequire as __trailgateRequire } from 'node:module'; const require = __trailgateRequire(import.meta.url);" },
  minify: true,
  keepNames: false,
  legalComments: 'eof',
  charset: 'utf8',
  logLevel: 'warning',
});
