/**
 * Why a rule path names a field that cannot be there, from the shapes in shapes.ts: a name in
 * the wrong case or a typo away from a known field, a field under the wrong root
 * (`Trail.IsLogging`), a path below a value that has no fields, or a list named as if it were
 * one element. Each would read a value that is never there, so the condition would hold for
 * every trail, or for none, without saying why.
 */
import { closest, editDistance } from '../input/closest.ts';
import { subjectShape, typeWords, type Shape } from './shapes.ts';

/**
 * Why a path names a field that cannot be there, or undefined. Its first segment is taken as
 * checked (readForPath knows the roots and the facts). At each level the shapes list, a name
 * they do not know is refused when it is the name of a known field in another case, or within
 * two edits of one; where the level is closed, any unknown name is refused.
 */
export function fieldProblem(path: readonly string[]): string | undefined {
  const root = path[0];
  if (root === undefined || root === 'facts') return undefined;
  let s = subjectShape().fields.get(root);
  for (let i = 1; i < path.length && s !== undefined; i++) {
    const seg = path[i]!;
    if (/^\d+$/.test(seg) && s.items) {
      s = s.items;
      continue;
    }
    const known = s.fields.get(seg);
    if (known !== undefined) {
      s = known;
      continue;
    }
    // A field that is always text, a boolean or a number has nothing below it: with `?` the
    // condition would hold for every trail, without it fail for every one.
    const above = path.slice(0, i).join('.');
    if (s.types !== undefined) return `${above} is always ${typeWords(s.types)}, so ${path.join('.')} names nothing; write ${above}`;
    // A list has elements, not fields: `EventSelectors.ReadWriteType` is never there. Its
    // `length` is its number of elements (a message's placeholder has no other way to say it).
    if (s.items !== undefined && s.fields.size === 0) {
      if (seg === 'length' && i === path.length - 1) return undefined;
      return `${above} is a list, so ${path.join('.')} names nothing; name an element by its position (${above}.0.${path.slice(i).join('.')}), or give ${above} a schema with contains (some element) or items (every element)`;
    }
    return unknownField(s, seg, above, (c) => [...path.slice(0, i), c].join('.')) ?? (i === 1 ? elsewhere(path) : undefined);
  }
  return undefined;
}

/**
 * Slips whose likely meaning is not the field of that name under another root: `Trail.Region`
 * is rather the trail's home or the region judged than the bucket's, `Bucket.Status` rather the
 * bucket's versioning than the trail's status.
 */
const MEANT: Readonly<Record<string, string>> = {
  // The inventory keys buckets by name; the trail names its bucket.
  'Bucket.Name': "the bucket's name is Trail.S3BucketName",
  'Trail.Region': 'did you mean Trail.HomeRegion (where the trail was made) or region (the region judged)?',
  'Bucket.Status': "did you mean Bucket.Versioning.Status, or the trail's Status?",
  'Key.Region': 'did you mean facts.keyRegion (the region in the key\'s ARN)?',
};

/**
 * For a name a root does not know that another root holds (`Trail.IsLogging`, `Trail.Status.IsLogging`,
 * `Trail.EventSelectors`): the slip of writing a field under the wrong root, which `?` would
 * otherwise turn into a condition that holds for every trail.
 */
function elsewhere(path: readonly string[]): string | undefined {
  const [root, seg] = path;
  if (root === undefined || seg === undefined) return undefined;
  const rest = path.slice(1).join('.');
  const top = subjectShape().fields;
  const meant = MEANT[`${root}.${seg}`];
  if (meant !== undefined) return `${root} has no field "${seg}"; ${meant}`;
  if (top.has(seg)) return `${root} has no field "${seg}"; ${seg} is a path of its own: write ${rest}`;
  const holders = [...top].filter(([name, shape]) => name !== root && shape.fields.has(seg)).map(([name]) => `${name}.${rest}`);
  if (holders.length > 0) return `${root} has no field "${seg}"; did you mean ${holders.join(' or ')}?`;
  // Both slips at once (`Trail.IsLoging`): one edit from another root's field. Only one edit,
  // and not on short names, as the root may hold fields the schema does not list; not a fact
  // either (`Bucket.Owner` is not a slip for facts.owned).
  const near = seg.length < 5 ? [] : [...top].filter(([name]) => name !== root && name !== 'facts').flatMap(([name, shape]) =>
    [...shape.fields.keys()].filter((f) => editDistance(seg.toLowerCase(), f.toLowerCase(), 2) <= 1).map((f) => [name, f, ...path.slice(2)].join('.')));
  return near.length > 0 ? `${root} has no field "${seg}"; did you mean ${near.join(' or ')}?` : undefined;
}

/**
 * For a name given in a schema on a whole root (`Trail: { properties: { IsLogging: ... } }`,
 * `Trail: { required: [IsLogging] }`): the same slip as `Trail.IsLogging`, refused the same way.
 * Undefined when `s` is not a root's shape.
 */
export function elsewhereInRoot(s: Shape, name: string): string | undefined {
  const root = [...subjectShape().fields].find(([, shape]) => shape === s)?.[0];
  return root === undefined || s.fields.has(name) ? undefined : elsewhere([root, name]);
}

/**
 * Why `name` cannot be a field of a value of shape `s` (`where` names that value), or undefined
 * when it is a known field, or unknown but far from every known one where more may be. A
 * suggestion is written by `suggest` (a whole path, or the field alone).
 */
export function unknownField(s: Shape, name: string, where: string, suggest: (field: string) => string = (f) => f): string | undefined {
  if (s.fields.has(name)) return undefined;
  const close = closest(name, [...s.fields.keys()]);
  if (close.length > 0) {
    const sameLetters = close.length === 1 && close[0]!.toLowerCase() === name.toLowerCase();
    return `${where} has no field "${name}"; did you mean ${close.map(suggest).join(' or ')}?${sameLetters ? ' (field names are case-sensitive)' : ''}`;
  }
  if (s.closed) return `${where} has no field "${name}"; it has ${[...s.fields.keys()].join(', ')}`;
  return undefined;
}
