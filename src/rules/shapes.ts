/**
 * The field names a rule path may use below its root, from the inventory's published shapes
 * (schemas/inventory.schema.json) and the policy grammar. A path that misspells a field
 * (`Trail.LogFileValidationEnbled`, `Status.isLogging`) reads a value that is never there: with
 * `?` the condition always holds, without it it always fails, and neither says why. AWS adds
 * fields over time and the inventory keeps them, so a name the shapes do not list is refused only
 * when it is close to one they do, except where the shape is closed (a policy document has only
 * Version, Id and Statement).
 */
import inventorySchema from '../../schemas/inventory.schema.json' with { type: 'json' };
import { POLICY_KEYS, STATEMENT_KEYS } from '../policy/parse.ts';

/** The type of each derived fact (see TrailFacts in src/engine/subjects.ts). */
const FACT_TYPES: Record<string, ValueType> = {
  owned: 'boolean',
  ownerAccountId: 'string',
  isOrganizationTrail: 'boolean',
  multiRegion: 'boolean',
  coversGlobalRegion: 'boolean',
  kmsEncrypted: 'boolean',
  keyRegion: 'string',
  knownToSkipManagementEvents: 'boolean',
  recordsAllManagementEvents: 'boolean',
  eventSelectorCount: 'number',
  dataResourceCount: 'number',
  advancedSelectorCount: 'number',
  advancedValueCount: 'number',
  recordsS3WriteDataEvents: 'boolean',
  recordsS3ReadDataEvents: 'boolean',
  cloudWatchLogsDeliveryAgeHours: 'number',
  keyCustomerManaged: 'boolean',
  keySymmetric: 'boolean',
  keyFound: 'boolean',
  hasInsightSelectors: 'boolean',
};

/** What is known of the value at one level of a path. */
export interface Shape {
  /** The field names known at this level, each with what is known below it. */
  fields: Map<string, Shape>;
  /** No other field can be there. */
  closed: boolean;
  /** For a list: each element. */
  items?: Shape;
  /** The JSON types the value always has one of, when they are known (`null` for a read that found none). */
  types?: readonly ValueType[];
}

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  /** `false`: a key the schema refuses there (a trail entry's own key inside Trail), no field. */
  properties?: Record<string, SchemaNode | false>;
  additionalProperties?: unknown;
  items?: SchemaNode;
}

// The schema defines these three, which the subject's shape starts from; $refs name any.
const DEFINITIONS = (inventorySchema as { definitions: Record<string, SchemaNode> & Record<'trailEntry' | 'bucket' | 'key', SchemaNode> }).definitions;

function shape(fields: Record<string, Shape> = {}, options: Partial<Omit<Shape, 'fields'>> = {}): Shape {
  return { fields: new Map(Object.entries(fields)), closed: false, ...options };
}

/** The JSON types a rule compares with `const` or `enum` (an integer is a number to JSON; null is "read, and there is none"). */
export type ValueType = 'string' | 'boolean' | 'number' | 'null';

const TYPE_WORDS: Record<ValueType, string> = { string: 'text', boolean: 'a boolean', number: 'a number', null: 'null' };

/** `a boolean`, `text or a number`, `a boolean or null`. */
export function typeWords(types: readonly ValueType[]): string {
  return types.map((t) => TYPE_WORDS[t]).join(' or ');
}

const TYPED = (...types: ValueType[]): Shape => shape({}, { types });
const TEXT = (): Shape => TYPED('string');
const BOOLEAN = (): Shape => TYPED('boolean');
/** A time: ISO 8601 as `trailgate snapshot` writes it, or seconds since the epoch as the AWS CLI v1 gives it. */
const TIME = (): Shape => TYPED('string', 'number');
const TEXTS = (): Shape => shape({}, { items: TEXT() });
const LIST = (item: Shape): Shape => shape({}, { items: item });

/**
 * The types a schema node allows, when each of them is one a rule compares with: a union such as
 * `["boolean", "null"]` keeps them all (dropping it would let `{ const: "false" }` through).
 * Without `type`, an enum of text is text.
 */
function schemaTypes(n: SchemaNode): ValueType[] | undefined {
  if (n.type === undefined) return Array.isArray(n.enum) && n.enum.length > 0 && n.enum.every((v) => typeof v === 'string') ? ['string'] : undefined;
  const types = (Array.isArray(n.type) ? n.type : [n.type]).map((t) => (t === 'integer' ? 'number' : t));
  return types.every((t): t is ValueType => t === 'string' || t === 'boolean' || t === 'number' || t === 'null') ? [...new Set(types)] : undefined;
}

function fromSchema(node: SchemaNode): Shape {
  // Only the definitions of this one file are referenced: `#/definitions/NAME`.
  const n = node.$ref !== undefined ? { ...DEFINITIONS[node.$ref.replace('#/definitions/', '')], ...node, $ref: undefined } : node;
  const fields = Object.fromEntries(Object.entries(n.properties ?? {}).flatMap(([k, v]) => (v === false ? [] : [[k, fromSchema(v)]])));
  const types = schemaTypes(n);
  return shape(fields, { closed: n.additionalProperties === false, ...(types ? { types } : {}), ...(n.items ? { items: fromSchema(n.items) } : {}) });
}

/** An S3 grantee, as GetBucketAcl and GetBucketLogging's TargetGrants name it. */
function grantee(): Shape {
  return shape({ Type: TEXT(), URI: TEXT(), ID: TEXT(), DisplayName: TEXT(), EmailAddress: TEXT() });
}

/** An S3 grant: who, and which permission (READ, WRITE, FULL_CONTROL...). */
function grant(): Shape {
  return shape({ Grantee: grantee(), Permission: TEXT() });
}

/** A multi-Region key's primary or replica. */
function multiRegionKey(): Shape {
  return shape({ Arn: TEXT(), Region: TEXT() });
}

/**
 * Fields AWS answers with that the schema does not list (it validates only what trailgate reads),
 * with their types and what is below them, from the AWS SDK's output shapes: a near miss of one
 * of them is refused (`Grants[].Grante`, `Logging.TargetBuckt`), and so is a comparison
 * with a value of another type (`RestrictPublicBuckets: { const: "false" }`). Merged into the
 * schema's shapes, which keep what they say.
 */
function moreFields(): Record<string, Record<string, Shape>> {
  return {
    Trail: { RecursiveLogging: BOOLEAN() },
    Status: {
      LatestNotificationTime: TIME(),
      LatestDeliveryAttemptTime: TEXT(),
      LatestNotificationAttemptTime: TEXT(),
      // GetTrailStatus answers these two as text, not booleans.
      LatestDeliveryAttemptSucceeded: TEXT(),
      LatestNotificationAttemptSucceeded: TEXT(),
      TimeLoggingStarted: TEXT(),
      TimeLoggingStopped: TEXT(),
    },
    'InsightSelectors.0': { EventCategories: TEXTS() },
    'Key.KeyMetadata': {
      AWSAccountId: TEXT(),
      CreationDate: TIME(),
      Enabled: BOOLEAN(),
      Description: TEXT(),
      KeyUsage: TEXT(),
      DeletionDate: TIME(),
      ValidTo: TIME(),
      CustomKeyStoreId: TEXT(),
      CloudHsmClusterId: TEXT(),
      ExpirationModel: TEXT(),
      CustomerMasterKeySpec: TEXT(),
      EncryptionAlgorithms: TEXTS(),
      SigningAlgorithms: TEXTS(),
      KeyAgreementAlgorithms: TEXTS(),
      EncapsulationAlgorithms: TEXTS(),
      MultiRegionConfiguration: shape({ MultiRegionKeyType: TEXT(), PrimaryKey: multiRegionKey(), ReplicaKeys: LIST(multiRegionKey()) }),
      PendingDeletionWindowInDays: TYPED('number'),
      MacAlgorithms: TEXTS(),
      XksKeyConfiguration: shape({ Id: TEXT() }),
      CurrentKeyMaterialId: TEXT(),
    },
    'Bucket.Acl': { Owner: shape({ ID: TEXT(), DisplayName: TEXT() }), Grants: LIST(grant()) },
    'Bucket.PublicAccessBlock': { BlockPublicAcls: BOOLEAN(), IgnorePublicAcls: BOOLEAN(), BlockPublicPolicy: BOOLEAN(), RestrictPublicBuckets: BOOLEAN() },
    'Bucket.OwnershipControls': { Rules: LIST(shape({ ObjectOwnership: TEXT() })) },
    // The inventory holds GetBucketLogging's LoggingEnabled itself (inventory.md; `{}` when off), not the answer around it.
    // A hand-copied API answer (`LoggingEnabled: {...}`) is read too, by the built-in rule: its fields are known there as well.
    'Bucket.Logging': { ...loggingFields(), LoggingEnabled: shape(loggingFields()) },
  };
}

/** GetBucketLogging's LoggingEnabled, a fresh copy each time (shapes are merged in place). */
function loggingFields(): Record<string, Shape> {
  return {
    TargetBucket: TEXT(),
    TargetPrefix: TEXT(),
    TargetGrants: LIST(grant()),
    TargetObjectKeyFormat: shape({ SimplePrefix: shape(), PartitionedPrefix: shape({ PartitionDateSource: TEXT() }) }),
  };
}

/** Adds what `more` knows to `into`, keeping what `into` already says. */
function merge(into: Shape, more: Shape): void {
  for (const [name, s] of more.fields) {
    const known = into.fields.get(name);
    if (known === undefined) into.fields.set(name, s);
    else merge(known, s);
  }
  if (more.items !== undefined) {
    if (into.items === undefined) into.items = more.items;
    else merge(into.items, more.items);
  }
  if (into.types === undefined && more.types !== undefined) into.types = more.types;
}

/** A policy document, as IAM's grammar has it (src/policy/ refuses any other element). */
function policyShape(): Shape {
  const principal = shape({ AWS: shape(), Service: shape(), Federated: shape(), CanonicalUser: shape() });
  const statementFields = (): Record<string, Shape> =>
    Object.fromEntries([...STATEMENT_KEYS].map((k) => [k, k === 'Principal' || k === 'NotPrincipal' ? principal : shape()]));
  const statement = shape(statementFields(), { closed: true });
  // Statement is a list of statements, or one statement written on its own.
  const fields: Record<string, Shape> = Object.fromEntries([...POLICY_KEYS].map((k) => [k, k === 'Statement' ? shape(statementFields(), { items: statement }) : shape()]));
  return shape(fields, { closed: true });
}

let roots: Shape | undefined;

/** The trail subject's shape: what follows a path's first segment, which readForPath checks. */
export function subjectShape(): Shape {
  if (roots) return roots;
  const entry = fromSchema(DEFINITIONS.trailEntry);
  const holders = { Bucket: fromSchema(DEFINITIONS.bucket), Key: fromSchema(DEFINITIONS.key) };
  // Rule paths read the parsed policy document, held as text or not (policy-document.ts).
  for (const h of Object.values(holders)) h.fields.set('Policy', policyShape());
  const top: Record<string, Shape> = { ...Object.fromEntries(entry.fields), ...holders };
  for (const name of ['accountId', 'region', 'partition', 'organizationId', 'collectedAt']) top[name] = TEXT();
  // The facts and their types (readForPath knows them all, and that they have no fields).
  top.facts = shape(Object.fromEntries(Object.entries(FACT_TYPES).map(([k, t]) => [k, TYPED(t)])));
  roots = shape(top);
  for (const [at, fields] of Object.entries(moreFields())) {
    const s = shapeAt(at.split('.'));
    if (s !== undefined) merge(s, shape(fields));
  }
  return roots;
}

/** The known shape at a path (array indexes step into a list's elements), or undefined where nothing is known. */
export function shapeAt(path: readonly string[]): Shape | undefined {
  let s: Shape | undefined = roots ?? subjectShape();
  for (const [i, seg] of path.entries()) {
    if (s === undefined) return undefined;
    // A list's `length` (fieldProblem lets it end a path) is its number of elements: a number, so
    // `EventSelectors.length: { pattern: "^1$" }` or `{ const: "1" }` is refused as on any count.
    if (seg === 'length' && i === path.length - 1 && s.items !== undefined && s.fields.size === 0) return TYPED('number');
    s = /^\d+$/.test(seg) && s.items ? s.items : s.fields.get(seg);
  }
  return s;
}

/** The JSON types the value at a path always has one of when it is there (an account id is text, IsLogging a boolean), if known. */
export function valueTypes(path: readonly string[]): readonly ValueType[] | undefined {
  return shapeAt(path)?.types;
}
