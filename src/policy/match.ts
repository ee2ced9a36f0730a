/**
 * Policy strings: literal text, the IAM wildcards `*` and `?`, and policy variables
 * (`${aws:SourceAccount}`, `${key, 'default'}`, and the escapes `${*}`, `${?}`, `${$}`).
 * A string is parsed once into pieces; variables are resolved per request; matching walks the
 * pieces without building regular expressions, so no escaping can go wrong.
 */
import { matchPieces, QMARK, STAR, type Resolved } from './glob.ts';

export { QMARK, STAR, type Resolved } from './glob.ts';

/** A policy variable: the context key it names (lower-cased for lookup) and its default. */
export interface PolicyVariable {
  key: string;
  fallback?: string;
}

/** One piece of a parsed policy string. Text pieces are never empty. */
export type Piece = string | typeof STAR | typeof QMARK | PolicyVariable;


/** How to read a policy string: are `*`/`?` wildcards, and are `${...}` variables? */
export interface PatternOptions {
  wildcards: boolean;
  variables: boolean;
}

/** Looks a context key up (lower-cased name); undefined when absent or multivalued. */
export type VariableLookup = (key: string) => string | undefined;

/** Parses a policy string into pieces. */
export function parsePattern(text: string, opts: PatternOptions): Piece[] {
  // Most policy strings are plain text: skip the character walk (and its garbage) for them.
  if (!(opts.wildcards && (text.includes('*') || text.includes('?'))) && !(opts.variables && text.includes('${'))) {
    return text === '' ? [] : [text];
  }
  const pieces: Piece[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal !== '') pieces.push(literal);
    literal = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (opts.wildcards && (c === '*' || c === '?')) {
      flush();
      pieces.push(c === '*' ? STAR : QMARK);
    } else if (opts.variables && c === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end === -1) {
        literal += c;
        continue;
      }
      const inner = text.slice(i + 2, end);
      if (inner === '*' || inner === '?' || inner === '$') literal += inner;
      else {
        flush();
        pieces.push(parseVariable(inner));
      }
      i = end;
    } else literal += c;
  }
  flush();
  return pieces;
}

function parseVariable(inner: string): PolicyVariable {
  const { name, fallback } = splitVariable(inner);
  return fallback === undefined ? { key: name.toLowerCase() } : { key: name.toLowerCase(), fallback };
}

/** A variable's key as written, and its default. */
function splitVariable(inner: string): { name: string; fallback?: string } {
  // `${key, 'default'}`: IAM's syntax is a comma, a space, and a single-quoted default.
  const m = /^(.*?), '(.*)'$/.exec(inner);
  // Both groups are not optional: a match has them.
  return m ? { name: m[1]!.trim(), fallback: m[2] } : { name: inner.trim() };
}

/**
 * The keys of the policy variables in a policy string as it writes them, where parsePattern
 * finds them: a message quotes a variable as the policy does (`${aws:ResourceTag/OwnerAccount}`),
 * though matching reads its key lower-cased.
 */
export function writtenVariables(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
    const inner = m[1]!;
    if (inner !== '*' && inner !== '?' && inner !== '$') out.push(splitVariable(inner).name);
  }
  return out;
}

/** Whether the pieces hold a variable (so they must be resolved per request). */
function hasVariables(pieces: readonly Piece[]): boolean {
  return pieces.some((p) => typeof p === 'object');
}

/** Adds to `out` the key (lower-cased) of each policy variable in the pieces that it does not hold yet. */
export function collectVariables(pieces: readonly Piece[], out: string[]): void {
  for (const p of pieces) if (typeof p === 'object' && !out.includes(p.key)) out.push(p.key);
}

/** Whether the pieces hold a wildcard. */
export function hasWildcards(pieces: readonly Piece[]): boolean {
  return pieces.some((p) => p === STAR || p === QMARK);
}

/**
 * Substitutes variables. A variable whose key is absent (or multivalued) and has no default
 * makes the whole string unresolvable: it matches nothing, as IAM documents.
 */
export function resolvePieces(pieces: readonly Piece[], lookup: VariableLookup): Resolved[] | undefined {
  if (!hasVariables(pieces)) return pieces as Resolved[];
  const out: Resolved[] = [];
  for (const p of pieces) {
    if (typeof p !== 'object') out.push(p);
    else {
      const v = lookup(p.key) ?? p.fallback;
      if (v === undefined) return undefined;
      // A resolved value is literal text, even when it holds `*` or `?`.
      if (v !== '') out.push(v);
    }
  }
  return out;
}

/**
 * A compiled policy string. Most are exact text or text followed by one trailing `*`; those get
 * a string comparison, and only the rest pay for piece-by-piece matching.
 */
export type Matcher = { kind: 'exact'; text: string } | { kind: 'prefix'; text: string } | { kind: 'pieces'; pieces: Piece[] };

/** Compiles a policy string into a Matcher. */
export function compileMatcher(text: string, opts: PatternOptions): Matcher {
  const pieces = parsePattern(text, opts);
  if (pieces.length === 0) return { kind: 'exact', text: '' };
  if (pieces.length === 1 && typeof pieces[0] === 'string') return { kind: 'exact', text: pieces[0] };
  if (pieces.length === 1 && pieces[0] === STAR) return { kind: 'prefix', text: '' };
  if (pieces.length === 2 && typeof pieces[0] === 'string' && pieces[1] === STAR) return { kind: 'prefix', text: pieces[0] };
  return { kind: 'pieces', pieces };
}

/** Whether `value` matches; undefined when a variable in the matcher has no value. */
export function matcherMatches(m: Matcher, value: string, lookup: VariableLookup): boolean | undefined {
  if (m.kind === 'exact') return value === m.text;
  if (m.kind === 'prefix') return value.startsWith(m.text);
  const resolved = resolvePieces(m.pieces, lookup);
  return resolved === undefined ? undefined : matchPieces(resolved, value);
}

/** Convenience for tests and simple callers: does `value` match the IAM wildcard `pattern`? */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const pieces = parsePattern(ignoreCase ? pattern.toLowerCase() : pattern, { wildcards: true, variables: false }) as Resolved[];
  return matchPieces(pieces, ignoreCase ? value.toLowerCase() : value);
}

/**
 * Splits pieces into the six colon-delimited parts of an ARN (`arn:partition:service:region:
 * account:resource`); the resource part keeps any further colons. Colons inside a variable's
 * name do not split. Returns fewer than six parts when the string has fewer colons.
 */
export function splitArnPieces(pieces: readonly Piece[]): Piece[][] {
  if (pieces.length === 1 && typeof pieces[0] === 'string') {
    const arn = splitArn(pieces[0]);
    if (arn) return arn.map((p) => (p === '' ? [] : [p]));
  }
  // The part being filled, the last of parts (the sixth once there are six).
  let current: Piece[] = [];
  const parts: Piece[][] = [current];
  for (const p of pieces) {
    if (typeof p !== 'string' || parts.length === 6) {
      current.push(p);
      continue;
    }
    const chunks = p.split(':');
    chunks.forEach((chunk, k) => {
      if (k > 0) {
        if (parts.length < 6) parts.push((current = []));
        else {
          current.push(':');
        }
      }
      if (chunk !== '') current.push(chunk);
    });
  }
  return parts.map(joinText);
}

/** Splits an ARN string into its six parts, or undefined when it has fewer. */
export function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function joinText(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else out.push(p);
  }
  return out;
}

/**
 * Whether an ARN (already split) matches ARN-shaped pattern parts: each part is matched on its
 * own, so a wildcard in the region never spills into the account.
 */
export function arnPartsMatch(patternParts: readonly Piece[][], arnParts: readonly string[], lookup: VariableLookup): boolean | undefined {
  for (let k = 0; k < 6; k++) {
    const pattern = patternParts[k];
    const part = arnParts[k];
    // Both have six parts (splitArn; splitArnPieces' parts are used only at six): a shorter one matches nothing.
    if (pattern === undefined || part === undefined) return false;
    const resolved = resolvePieces(pattern, lookup);
    if (resolved === undefined) return undefined;
    if (!matchPieces(resolved, part)) return false;
  }
  return true;
}
