// Bundles the CLI into lib/trailgate.js with esbuild. One bundle starts faster than hundreds of
// ES modules; the AWS SDK stays external and is imported lazily, so an inventory scan never loads it.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'lib/trailgate.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@aws-sdk/*', '@smithy/*'],
  banner: { js: "import { createRequire as __trailgateRequire } from 'node:module'; const require = __trailgateRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
});
