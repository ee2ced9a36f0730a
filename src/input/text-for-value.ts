/**
 * Advice for text given where a boolean or number goes: `"true"` or `!!str 4` is the value wanted
 * made text by its quotes or tag, and in YAML `yes` a YAML 1.1 boolean that YAML 1.2, which
 * trailgate reads, keeps as text. Other text is no slip of this kind: no advice.
 */
export function textForValueHint(wanted: readonly string[], v: string, yaml = true): string | undefined {
  if (!yaml) return v === 'true' || v === 'false' || isNumber(v) ? `${JSON.stringify(v)} is text here; write it without quotes` : undefined;
  if (wanted.includes('boolean') && /^(y|yes|n|no|on|off)$/i.test(v)) return `${JSON.stringify(v)} is text in YAML 1.2, which trailgate reads; write true or false`;
  // Only text that unquoted would be the value wanted was made text by its quotes or a tag.
  // YAML 1.2's core schema reads True and FALSE as booleans too.
  if (/^(true|True|TRUE|false|False|FALSE)$/.test(v) || isNumber(v)) return `${JSON.stringify(v)} is text here; write it without quotes or a tag`;
  return undefined;
}

function isNumber(v: string): boolean {
  return v.trim() !== '' && Number.isFinite(Number(v));
}
