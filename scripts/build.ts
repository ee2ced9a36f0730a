/**
 * Builds lib/trailgate.js, the published CLI, with esbuild. One bundle starts faster than
 * hundreds of ES modules; the AWS SDK stays external and is imported lazily, so an inventory scan
 * never loads it. Schemas and built-in rule checks are compiled here with Ajv's standalone code
 * (src/rules/precompiled.ts is swapped for the result), so start-up compiles nothing.
 */
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { Ajv } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { parse } from 'yaml';
import inventorySchema from '../schemas/inventory.schema.json' with { type: 'json' };
import ruleSchema from '../schemas/rule.schema.json' with { type: 'json' };
import { CHECK_AJV_OPTIONS } from '../src/rules/compile-check.ts';
import { builtinRulesDir } from '../src/rules/files.ts';
import { loadRules } from '../src/rules/load.ts';

// ajv/dist/standalone is CommonJS: its function is the module's `default` export.
const standaloneCode = standaloneModule.default;

/** The source of the precompiled module: standalone validators and the parsed built-in rules. */
export function precompiledSource(): string {
  const schemaAjv = new Ajv({ strict: false, allErrors: false, code: { source: true, esm: true } });
  schemaAjv.addSchema(inventorySchema, 'inventory');
  schemaAjv.addSchema(ruleSchema, 'rule');
  // The rule schema is validated with allErrors so the loader can name every mistake, and verbose
  // so that an unknown key's error brings the keys allowed beside it ("did you mean ...?").
  const ruleAjv = new Ajv({ strict: false, allErrors: true, verbose: true, code: { source: true, esm: true } });
  ruleAjv.addSchema(ruleSchema, 'rule');

  const checkAjv = new Ajv({ ...CHECK_AJV_OPTIONS, code: { source: true, esm: true } });
  const keys = new Map<string, string>();
  for (const rule of loadRules({ builtin: true })) {
    const checks = [rule.where, 'check' in rule.assertion ? rule.assertion.check : undefined, 'where' in rule.assertion ? rule.assertion.where : undefined];
    for (const check of checks) {
      for (const c of check?.conjuncts ?? []) {
        const text = JSON.stringify(c.schema);
        if (!keys.has(text)) {
          const name = `c${keys.size}`;
          keys.set(text, name);
          checkAjv.addSchema(c.schema as object, name);
        }
      }
    }
  }
  const dir = builtinRulesDir();
  const rules: Record<string, unknown> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) rules[f] = parse(readFileSync(join(dir, f), 'utf8'));

  const modules = [
    { prefix: 'schema', code: standaloneCode(schemaAjv, { inventory: 'inventory' }) },
    { prefix: 'ruleschema', code: standaloneCode(ruleAjv, { rule: 'rule' }) },
    { prefix: 'checks', code: standaloneCode(checkAjv, Object.fromEntries([...keys.values()].map((n) => [n, n]))) },
  ];
  // Each standalone module becomes a virtual module of its own, so their internal names cannot clash.
  for (const m of modules) virtualModules.set(`precompiled:${m.prefix}`, m.code);
  const imports = modules.map((m) => `import * as ${m.prefix} from 'precompiled:${m.prefix}';`);
  const checks = [...keys].map(([text, name]) => `  ${JSON.stringify(text)}: checks.${name},`).join('\n');
  return `${imports.join('\n')}
export const PRECOMPILED = {
  inventory: schema.inventory,
  rule: ruleschema.rule,
  checks: {
${checks}
  },
  builtinRules: ${JSON.stringify(rules)},
};
`;
}

const virtualModules = new Map<string, string>();

const precompiled: Plugin = {
  name: 'trailgate-precompiled',
  setup(b) {
    b.onLoad({ filter: /src[\\/]rules[\\/]precompiled\.ts$/ }, () => ({ contents: precompiledSource(), loader: 'js', resolveDir: process.cwd() }));
    b.onResolve({ filter: /^precompiled:/ }, (args) => ({ path: args.path, namespace: 'precompiled' }));
    b.onLoad({ filter: /.*/, namespace: 'precompiled' }, (args) => ({ contents: virtualModules.get(args.path), loader: 'js', resolveDir: process.cwd() }));
  },
};

// Run as a script, not imported by a test. Compared as real paths: the URL of a clone under
// `My Projects/` is percent-encoded (`My%20Projects`), and `file://` + a Windows path is no URL,
// so a string comparison built nothing there, silently, and `npx trailgate` then found no bundle.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await build({
    write: false,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'lib/trailgate.js',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@aws-sdk/*', '@smithy/*'],
    plugins: [precompiled],
    banner: { js: "import { createRequire as __trailgateRequire } from 'node:module'; const require = __trailgateRequire(import.meta.url);" },
    logLevel: 'warning',
    legalComments: 'none',
    minifyWhitespace: process.env.TRAILGATE_NO_MINIFY !== '1',
    minifySyntax: process.env.TRAILGATE_NO_MINIFY !== '1',
  });
  // Written beside, then renamed over the old bundle: a trailgate started while this runs (a
  // test on another mocha worker, a user's shell) loads the old bundle or the new, never half.
  for (const f of built.outputFiles) {
    mkdirSync(dirname(f.path), { recursive: true });
    const partial = `${f.path}.${process.pid}.partial`;
    writeFileSync(partial, f.contents);
    renameSync(partial, f.path);
  }
}
