/**
 * The compliance frameworks trailgate knows, and their control catalogues: data files in
 * `compliance/<framework>.yaml` beside `rules/`, listing each control with the rules that
 * check it or the reason trailgate cannot. Rules name controls through their `compliance`
 * mappings; the catalogue adds what no rule can say: the controls nothing covers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { builtinRulesDir } from '../rules/files.ts';

/** A framework id and its full name. */
export interface Framework {
  id: string;
  title: string;
}

/** The frameworks the built-in rules map to, in the order `--help` and errors list them. */
export const FRAMEWORKS: readonly Framework[] = [
  { id: 'cis-aws-foundations-v1.2', title: 'CIS AWS Foundations Benchmark v1.2.0' },
  { id: 'cis-aws-foundations-v1.4', title: 'CIS AWS Foundations Benchmark v1.4.0' },
  { id: 'cis-aws-foundations-v2.0', title: 'CIS AWS Foundations Benchmark v2.0.0' },
  { id: 'cis-aws-foundations-v3.0', title: 'CIS AWS Foundations Benchmark v3.0.0' },
  { id: 'cis-aws-foundations-v4.0', title: 'CIS AWS Foundations Benchmark v4.0.0' },
  { id: 'aws-fsbp', title: 'AWS Foundational Security Best Practices' },
  { id: 'aws-config', title: 'AWS Config managed rules' },
  { id: 'pci-dss-v4.0', title: 'PCI DSS v4.0' },
  { id: 'cloudsploit', title: 'CloudSploit plugins (Aqua Security)' },
];

/** One control of a catalogue. */
export interface Control {
  id: string;
  title: string;
  /** The rules that check it (as the catalogue says; rule mappings are merged in by the view). */
  rules: string[];
  /** Why trailgate cannot check it, when no rule does. */
  notCheckable?: string;
  /** A caveat on how far the rules cover it. */
  note?: string;
}

/** A framework's catalogue of CloudTrail-related controls. */
export interface Catalogue {
  framework: string;
  title: string;
  url?: string;
  scope?: string;
  controls: Control[];
}

/** The folder of control catalogues: `compliance/` beside the built-in `rules/`. */
export function catalogueDir(): string {
  return join(dirname(builtinRulesDir()), 'compliance');
}

const cache = new Map<string, Catalogue | undefined>();

/** The catalogue of a framework, or undefined when trailgate ships none for it. Throws on a malformed file. */
export function loadCatalogue(framework: string, dir: string = catalogueDir()): Catalogue | undefined {
  // A framework id is a name (the rule schema's pattern), never a path out of the catalogue folder.
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(framework)) return undefined;
  const file = join(dir, `${framework}.yaml`);
  if (cache.has(file)) return cache.get(file);
  const catalogue = existsSync(file) ? parseCatalogue(readFileSync(file, 'utf8'), file) : undefined;
  cache.set(file, catalogue);
  return catalogue;
}

/** Parses and checks a catalogue file; the message names the file and the control at fault. */
export function parseCatalogue(text: string, file: string): Catalogue {
  const doc = parse(text) as Partial<Catalogue> | null;
  const bad = (why: string): never => {
    throw new Error(`${file}: ${why}`);
  };
  if (!doc || typeof doc.framework !== 'string' || typeof doc.title !== 'string' || !Array.isArray(doc.controls)) {
    return bad('a catalogue needs framework, title and controls');
  }
  const seen = new Set<string>();
  const controls = doc.controls.map((c: Partial<Control>, i) => {
    if (typeof c?.id !== 'string' || typeof c.title !== 'string') return bad(`controls[${i}] needs an id and a title (quote ids such as "3.1")`);
    if (seen.has(c.id)) bad(`control ${c.id} is listed twice`);
    seen.add(c.id);
    const rules = c.rules ?? [];
    if (!Array.isArray(rules) || rules.some((r) => typeof r !== 'string')) return bad(`control ${c.id}: rules must be a list of rule ids`);
    if (rules.length === 0 && typeof c.notCheckable !== 'string') bad(`control ${c.id} names no rule and no notCheckable reason`);
    const control: Control = { id: c.id, title: c.title, rules: [...rules] };
    if (typeof c.notCheckable === 'string') control.notCheckable = c.notCheckable;
    if (typeof c.note === 'string') control.note = c.note;
    return control;
  });
  return { framework: doc.framework, title: doc.title, url: doc.url, scope: doc.scope, controls };
}

/** Orders control ids as people number them: 3.2 before 3.10, CloudTrail.7 before KMS.4. */
export function compareControlIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
