/** SARIF `reportingDescriptor`s for trailgate's rules, shaped for GitHub code scanning. */
import type { Severity } from '../engine/result.ts';
import type { RuleMeta } from '../rules/types.ts';
import { remediationCommands } from '../rules/template.ts';

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

/**
 * GitHub code scanning's limits, from its documentation. `results` is what it stores of a run:
 * it accepts up to 25,000 but keeps only 5,000 and drops the rest by a choice of its own, so a
 * run is cut here, where the choice is deterministic and the cut is reported.
 */
export const GITHUB_LIMITS = { results: 5_000, tags: 10, fullDescription: 1024 } as const;

/**
 * `security-severity` as GitHub reads it: a string (a number there fails the upload), mapped
 * >9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. Info gets 1.0 rather than 0.0 so
 * that it still lands in a band GitHub documents.
 */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  info: '1.0',
};

const LEVEL: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** The SARIF level of a violation of the given severity. */
export function levelFor(severity: Severity): SarifLevel {
  return LEVEL[severity];
}

/** The SARIF descriptor of one rule. `toolUri` stands in when the rule has no usable reference. */
export function ruleDescriptor(meta: RuleMeta, toolUri: string): Record<string, unknown> {
  const title = meta.title.trim() || meta.id;
  const remediation = meta.remediation.text.trim();
  const commands = remediationCommands(meta);
  return {
    id: meta.id,
    name: pascalCase(meta.id) || pascalCase(title),
    shortDescription: { text: title },
    fullDescription: { text: truncate(meta.description.trim() || title, GITHUB_LIMITS.fullDescription) },
    help: {
      text: [remediation || title, ...commands.map((c) => (c.for ? `For ${c.for}:\n${c.command}` : c.command))].join('\n\n'),
      markdown: [markdownText(remediation || title), ...commands.map((c) => (c.for ? `For ${markdownText(c.for)}:\n\n${codeBlock(c.command)}` : codeBlock(c.command)))].join('\n\n'),
    },
    helpUri: meta.references.map(webUri).find((u) => u !== undefined) ?? toolUri,
    defaultConfiguration: { level: levelFor(meta.severity) },
    properties: {
      tags: ruleTags(meta),
      precision: 'very-high',
      'security-severity': SECURITY_SEVERITY[meta.severity],
      severity: meta.severity,
      scope: meta.scope,
      ...(Object.keys(meta.compliance).length > 0 ? { compliance: sortedCompliance(meta.compliance) } : {}),
    },
  };
}

/** A bare descriptor for a rule a result names but the run has no metadata for, so every result still has a rule. */
export function unknownRuleDescriptor(id: string, severity: Severity, toolUri: string): Record<string, unknown> {
  const text = `Rule ${id}: no documentation was loaded for it.`;
  return {
    id,
    name: pascalCase(id),
    shortDescription: { text: id },
    fullDescription: { text },
    help: { text, markdown: markdownText(text) },
    helpUri: toolUri,
    defaultConfiguration: { level: levelFor(severity) },
    properties: { tags: ['security'], precision: 'very-high', 'security-severity': SECURITY_SEVERITY[severity], severity },
  };
}

/**
 * `security` first (GitHub only treats a rule as a security rule with it), then the rule's own
 * tags, then `framework/control` for compliance mappings while room remains under GitHub's 10.
 */
function ruleTags(meta: RuleMeta): string[] {
  const compliance = complianceEntries(meta.compliance).flatMap(([framework, controls]) => controls.map((control) => `${framework}/${control}`));
  const tags = [...new Set(['security', ...meta.tags, ...compliance].filter((t) => t.trim() !== ''))];
  return tags.slice(0, GITHUB_LIMITS.tags);
}

/** The compliance mapping with frameworks in key order, so output does not depend on YAML key order. */
export function sortedCompliance(compliance: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(complianceEntries(compliance).map(([k, controls]) => [k, [...controls]]));
}

/** Each framework with its controls, frameworks sorted as `sort()` sorts text (by UTF-16 code units). */
export function complianceEntries(compliance: Record<string, string[]>): [string, string[]][] {
  return Object.entries(compliance).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `cloudtrail-multi-region` -> `CloudtrailMultiRegion`. */
function pascalCase(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** Shortens to at most `max` UTF-16 units, ending in an ellipsis, without splitting a surrogate pair. */
function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  if (/[\uD800-\uDBFF]/.test(s[end - 1] ?? '')) end--;
  return s.slice(0, end) + '…';
}

/**
 * Prose as Markdown that shows exactly its characters. Remediations name placeholders such as
 * `<bucket>` and patterns such as `trail/*`: raw, GitHub would take the first for an HTML tag
 * and drop it, and a pair of `*` for emphasis. Inline markup is backslash-escaped, and a line
 * is kept from opening a block (heading, list, quote, indented code).
 */
function markdownText(text: string): string {
  return text
    .replace(/[\\`*_[\]<>&~|]/g, '\\$&')
    .replace(/^[ \t]+/gm, '')
    .replace(/^(?:[#>+=-]|(\d+)([.)]))/gm, (m, digits: string | undefined, mark: string | undefined) => (digits ? `${digits}\\${mark}` : `\\${m}`));
}

function codeBlock(code: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}sh\n${code}\n${fence}`;
}

/**
 * An http(s) reference as a URI the SARIF schema (RFC 3986) accepts, or undefined. The rule
 * schema only asks for `https://...`; the URL parser encodes spaces but leaves `|`, `^`, `[`,
 * `]` and a stray `%` raw in the path, query and fragment, so those are encoded here.
 */
function webUri(s: string): string | undefined {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  const href = u.href;
  const afterHost = href.indexOf(u.host, u.protocol.length) + u.host.length;
  const rest = href.slice(afterHost).replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]/g, (c) => encodeURIComponent(c));
  return href.slice(0, afterHost) + rest;
}
