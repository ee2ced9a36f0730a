/** Rule files that do not validate are input errors at file, line and column. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { InputError } from '../../src/errors.ts';
import { loadRules } from '../../src/rules/load.ts';
import { REPO, tempDir } from '../helpers/cli.ts';

const HEAD = `id: my-rule
title: A rule
severity: low
scope: trail
description: Something.
remediation: { text: Fix it. }
`;

interface Case {
  name: string;
  text: string;
  /** `line:column: message` expected (after the file name). */
  message: RegExp;
}

const CASES: Case[] = [
  { name: 'unknown severity', text: HEAD.replace('severity: low', 'severity: severe') + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n', message: /^3:11: invalid rule: must be one of "critical", "high", "medium", "low", "info" \(at \/severity\)/ },
  // docs/rule-format.md: a title is one line; a line break in it would split a table row or an annotation's title.
  { name: 'a title of two lines', text: HEAD.replace('title: A rule', 'title: "A\\nrule"') + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n', message: /^2:8: invalid rule: must be one line: no line break in it \(at \/title\)/ },
  { name: 'a title of two lines, a block scalar', text: HEAD.replace('title: A rule', 'title: |\n  A\n  rule') + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n', message: /^2:8: invalid rule: must be one line: no line break in it \(at \/title\)/ },
  // YAML reads the control 3.10 as the number 3.1: what it read is said, so the lost 0 shows.
  { name: 'a compliance id YAML reads as a number', text: HEAD + 'compliance: { acme: [3.10] }\nreads: [Trail]\ncheck: { Trail.Name: { const: x } }\n', message: /^7:22: invalid rule: must be of type string: YAML reads it unquoted as the number 3\.1; quote it to write it as text \(at \/compliance\/acme\/0\)/ },
  // The fields nested as the inventory nests them: a field's name where a keyword goes.
  { name: 'a field nested under its root, as in the inventory', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail:\n    S3BucketName: { const: central-logs }\n', message: /^10:5: invalid JSON Schema: "S3BucketName" is no JSON Schema keyword; to check the field Trail\.S3BucketName, write that path as the condition's key \(Trail\.S3BucketName: \{\.\.\.\}\), or put S3BucketName under "properties" \(at \/check\/Trail\/S3BucketName\)$/ },
  // Only where that path exists: Trail.Name has no fields, so no such advice.
  { name: 'a field nested under a path that has none', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name:\n    S3BucketName: { const: central-logs }\n', message: /^10:5: invalid JSON Schema: strict mode: unknown keyword: "S3BucketName" \(at / },
  { name: 'missing reads', text: HEAD + 'check: { Trail.Name: { const: x } }\n', message: /^1:1: invalid rule: missing required key "reads"/ },
  { name: 'unknown top-level key', text: HEAD + 'reads: [Trail]\nchek: { Trail.Name: { const: x } }\n', message: /^8:1: invalid rule: unknown key "chek"/ },
  { name: 'no assertion', text: HEAD + 'reads: [Trail]\n', message: /^1:1: a rule needs one assertion/ },
  { name: 'two assertions', text: HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\nbuiltin: bucket-delivery\n', message: /^1:1: a rule has one assertion, found check and builtin/ },
  { name: 'check on an account rule', text: HEAD.replace('scope: trail', 'scope: account') + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n', message: /^8:1: an account rule quantifies over trails with some, every, none or count, not "check"/ },
  { name: 'builtin on a region rule', text: HEAD.replace('scope: trail', 'scope: region') + 'reads: [Trail]\nbuiltin: bucket-delivery\n', message: /^8:1: a region rule quantifies over trails with some, every, none or count, not "builtin"/ },
  { name: 'quantifier on a trail rule', text: HEAD + 'reads: [Trail]\nsome: { check: { Trail.Name: { const: x } } }\n', message: /^8:1: a trail rule asserts with "check" or "builtin", not "some"/ },
  { name: 'unknown path root', text: HEAD + 'reads: [Trail]\ncheck:\n  Trial.Name: { const: x }\n', message: /^9:3: unknown path "Trial\.Name"/ },
  { name: 'unknown fact', text: HEAD + 'reads: [Trail]\ncheck:\n  facts.isGood: { const: true }\n', message: /^9:3: unknown fact "isGood"/ },
  // A misspelt field reads a value that is never there: refused, with the name it is close to.
  { name: 'a misspelt field, optional', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.LogFileValidationEnbled?: { const: true }\n', message: /^9:3: Trail has no field "LogFileValidationEnbled"; did you mean Trail\.LogFileValidationEnabled\? \(at / },
  // A field written under the wrong root: with `?` it would hold for every trail.
  { name: "a field of another root, optional", text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Trail.IsLogging?: { const: true }\n', message: /^9:3: Trail has no field "IsLogging"; did you mean Status\.IsLogging\? \(at / },
  { name: 'a field of another root, misspelt too', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Trail.IsLoging?: { const: true }\n', message: /^9:3: Trail has no field "IsLoging"; did you mean Status\.IsLogging\? \(at / },
  // Both slips: the field's name checked without case, what follows it kept, every root that holds it named.
  { name: 'a field of another root in other case', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Trail.islogging?: { const: true }\n', message: /^9:3: Trail has no field "islogging"; did you mean Status\.IsLogging\? \(at / },
  { name: 'a field of another root, misspelt, with a path below it', text: HEAD + 'reads: [Trail, Key]\ncheck:\n  Trail.KeyMetdata.KeyState?: { const: Enabled }\n', message: /^9:3: Trail has no field "KeyMetdata"; did you mean Key\.KeyMetadata\.KeyState\? \(at / },
  { name: 'a field of two other roots, misspelt', text: HEAD + 'reads: [Trail, Bucket, Key]\ncheck:\n  Trail.Polcy?: { type: object }\n', message: /^9:3: Trail has no field "Polcy"; did you mean Bucket\.Policy or Key\.Policy\? \(at / },
  { name: 'a field of another root of five letters, misspelt', text: HEAD + 'reads: [Trail, Bucket]\ncheck:\n  Trail.Regin?: { const: us-east-1 }\n', message: /^9:3: Trail has no field "Regin"; did you mean Bucket\.Region\? \(at / },
  { name: 'a fact compared with a type it never has', text: HEAD + 'reads: [Trail, Key]\ncheck:\n  facts.keyFound: { type: string }\n', message: /^9:\d+: facts\.keyFound is always a boolean, so type "string" never matches it: write type "boolean" or leave type out/ },
  { name: 'a root written below another root', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Trail.Status.IsLogging?: { const: true }\n', message: /^9:3: Trail has no field "Status"; Status is a path of its own: write Status\.IsLogging \(at / },
  // The same slip in a schema on the whole root: `properties` held for every trail, `required` for none.
  { name: 'a field of another root in a schema on the root', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Trail: { properties: { IsLogging: { const: true } } }\n', message: /^9:\d+: Trail has no field "IsLogging"; did you mean Status\.IsLogging\? \(at \/check\/Trail\/properties\/IsLogging\)$/ },
  { name: 'a field of another root required of the root', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Status: { required: [LogFileValidationEnabled] }\n', message: /^9:\d+: Status has no field "LogFileValidationEnabled"; did you mean Trail\.LogFileValidationEnabled\? \(at \/check\/Status\/required\/0\)$/ },
  { name: "the bucket's name asked of the bucket", text: HEAD + 'reads: [Trail, Bucket]\ncheck:\n  Bucket.Name?: { const: logs }\n', message: /^9:3: Bucket has no field "Name"; the bucket's name is Trail\.S3BucketName \(at / },
  { name: "the trail's region asked as Trail.Region", text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Region?: { const: us-east-1 }\n', message: /^9:3: Trail has no field "Region"; did you mean Trail\.HomeRegion \(where the trail was made\) or region \(the region judged\)\? \(at / },
  { name: "the bucket's versioning asked as Bucket.Status", text: HEAD + 'reads: [Trail, Bucket]\ncheck:\n  Bucket.Status?: { const: Enabled }\n', message: /^9:3: Bucket has no field "Status"; did you mean Bucket\.Versioning\.Status, or the trail's Status\? \(at / },
  { name: 'a trail field written under Status', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Status.LogFileValidationEnabled?: { const: true }\n', message: /^9:3: Status has no field "LogFileValidationEnabled"; did you mean Trail\.LogFileValidationEnabled\? \(at / },
  { name: 'a field in the wrong case', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Status.isLogging?: { const: true }\n', message: /^9:3: Status has no field "isLogging"; did you mean Status\.IsLogging\? \(field names are case-sensitive\)/ },
  { name: 'a misspelt field in a list element', text: HEAD + 'reads: [Trail, EventSelectors]\ncheck:\n  EventSelectors.0.ReadWritType: { const: All }\n', message: /^9:3: EventSelectors\.0 has no field "ReadWritType"; did you mean EventSelectors\.0\.ReadWriteType\?/ },
  { name: 'a misspelt field AWS answers with', text: HEAD + 'reads: [Trail, Key.KeyMetadata]\ncheck:\n  Key.KeyMetadata.KeyUsge: { const: ENCRYPT_DECRYPT }\n', message: /^9:3: Key\.KeyMetadata has no field "KeyUsge"; did you mean Key\.KeyMetadata\.KeyUsage\?/ },
  { name: 'a misspelt policy element', text: HEAD + 'reads: [Trail, Bucket.Policy]\ncheck:\n  Bucket.Policy.Statment?: { maxItems: 3 }\n', message: /^9:3: Bucket\.Policy has no field "Statment"; did you mean Bucket\.Policy\.Statement\?/ },
  { name: 'an element no policy has', text: HEAD + 'reads: [Trail, Key.Policy]\ncheck:\n  Key.Policy.Statements?: { maxItems: 3 }\n  Key.Policy.Owner?: { const: x }\n', message: /^9:3: Key\.Policy has no field "Statements"; did you mean Key\.Policy\.Statement\?/ },
  { name: 'an element no policy has, far from any', text: HEAD + 'reads: [Trail, Key.Policy]\ncheck:\n  Key.Policy.Owner?: { const: x }\n', message: /^9:3: Key\.Policy has no field "Owner"; it has Version, Id, Statement/ },
  { name: 'an element no statement has', text: HEAD + 'reads: [Trail, Bucket.Policy]\ncheck:\n  Bucket.Policy.Statement.0.Efect: { const: Allow }\n', message: /^9:3: Bucket\.Policy\.Statement\.0 has no field "Efect"; did you mean Bucket\.Policy\.Statement\.0\.Effect\?/ },
  { name: 'a path below a fact', text: HEAD + 'reads: [Trail]\ncheck:\n  facts.multiRegion.value?: { const: true }\n', message: /^9:3: facts\.multiRegion is a single value, so facts\.multiRegion\.value names nothing; write facts\.multiRegion/ },
  // A text, boolean or number field has nothing below it: with `?` the condition held for every trail.
  { name: 'a path below a text field', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.S3BucketName.Name?: { const: x }\n', message: /^9:3: Trail\.S3BucketName is always text, so Trail\.S3BucketName\.Name names nothing; write Trail\.S3BucketName \(at / },
  { name: 'a path below a boolean field, in a where', text: HEAD + 'reads: [Trail, Status]\nwhere:\n  Status.IsLogging.Value?: { const: true }\ncheck: { Trail.Name: { const: x } }\n', message: /^9:3: Status\.IsLogging is always a boolean, so Status\.IsLogging\.Value names nothing; write Status\.IsLogging/ },
  // A list has elements, not fields: the natural slip of leaving out the element's position.
  { name: 'a field of a list\'s elements named on the list', text: HEAD + 'reads: [Trail, EventSelectors]\ncheck:\n  EventSelectors.ReadWriteType?: { const: WriteOnly }\n', message: /^9:3: EventSelectors is a list, so EventSelectors\.ReadWriteType names nothing; name an element by its position \(EventSelectors\.0\.ReadWriteType\), or give EventSelectors a schema with contains \(some element\) or items \(every element\) \(at / },
  // A list's length is a number: text keywords and text values would hold for every list, or for none.
  { name: "a text keyword on a list's length", text: HEAD + 'reads: [Trail, EventSelectors]\ncheck:\n  EventSelectors.length: { pattern: "^1$" }\n', message: /^9:\d+: EventSelectors\.length is always a number, and pattern looks only at text/ },
  { name: "a list's length compared with text", text: HEAD + 'reads: [Trail, Bucket.Acl]\ncheck:\n  Bucket.Acl.Grants.length: { const: "1" }\n', message: /^9:\d+: Bucket\.Acl\.Grants\.length is always a number, so the text "1" can never equal it/ },
  { name: 'a path below the length of a list', text: HEAD + 'reads: [Trail, Bucket.Acl]\ncheck:\n  Bucket.Acl.Grants.length.value?: { maximum: 1 }\n', message: /^9:3: Bucket\.Acl\.Grants is a list, so Bucket\.Acl\.Grants\.length\.value names nothing; name an element by its position/ },
  { name: 'a path below a text field, in a placeholder', text: HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage: { fail: "{Trail.HomeRegion.Name|none}" }\n', message: /^9:\d+: the placeholder \{Trail\.HomeRegion\.Name\}: Trail\.HomeRegion is always text, so Trail\.HomeRegion\.Name names nothing/ },
  { name: 'a misspelt field in a placeholder', text: HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage: { fail: "{Trail.SnsTopicArn|none}" }\n', message: /^9:\d+: the placeholder \{Trail\.SnsTopicArn\}: Trail has no field "SnsTopicArn"; did you mean Trail\.SnsTopicARN\?/ },
  // Brace text meant as a placeholder but not one would be printed as written in every report.
  { name: 'a placeholder with spaces', text: HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage: { fail: "trail { Trail.Name } is off" }\n', message: /^9:\d+: the placeholder \{ Trail\.Name \} has spaces in it, so it would be printed as written: write \{Trail\.Name\}/ },
  { name: 'a placeholder with spaces inside its braces and around its fallback', text: HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage: { fail: "topic { Trail.SnsTopicARN | none }" }\n', message: /^9:\d+: the placeholder \{ Trail\.SnsTopicARN \| none \} has spaces in it, so it would be printed as written: write \{Trail\.SnsTopicARN\|none\}/ },
  { name: 'a placeholder with spaces around its fallback bar', text: HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage: { fail: "topic {Trail.SnsTopicARN | none}" }\n', message: /^9:\d+: the placeholder \{Trail\.SnsTopicARN \| none\} has spaces in it, so it would be printed as written: write \{Trail\.SnsTopicARN\|none\}/ },
  { name: 'a placeholder in double braces', text: HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage: { fail: "trail {{Trail.Name}} is off" }\n', message: /^9:\d+: the placeholder \{\{Trail\.Name\}\} is in double braces, as Mustache writes them; .*write \{Trail\.Name\}/ },
  { name: 'a parameter placeholder in double braces, with spaces', text: HEAD + 'parameters: { max: { type: integer, default: 3 } }\nreads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage: { pass: "at most {{ param.max }}" }\n', message: /^10:\d+: the placeholder \{\{ param\.max \}\} is in double braces, .*write \{param\.max\}/ },
  { name: 'a parameter placeholder with a trailing space and a fallback', text: HEAD + 'parameters: { maxAge: { type: integer, default: 3 } }\nreads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage: { pass: "at most {param.maxAge |3} hours" }\n', message: /^10:\d+: the placeholder \{param\.maxAge \|3\} has spaces in it, .*write \{param\.maxAge\|3\}/ },
  { name: 'a parameter placeholder no parameter name can match', text: HEAD + 'parameters: { maxAge: { type: integer, default: 3 } }\nreads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage: { fail: "older than {param.max_age}" }\n', message: /^10:\d+: the placeholder \{param\.max_age\} names no parameter of this rule \(a parameter's name is letters and digits\), so it would be printed as written; it takes \{param\.maxAge\}/ },
  {
    name: 'a malformed placeholder in a command',
    text: HEAD.replace('remediation: { text: Fix it. }', 'remediation: { text: Fix it., cli: "aws cloudtrail start-logging --name {Trail.Name.}" }') + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n',
    message: /^6:\d+: the placeholder \{Trail\.Name\.\} is not one: a placeholder's path is names of letters and digits joined by dots/,
  },
  // Text never equals a number: an account id YAML read without quotes would skip or pass every subject.
  {
    name: 'an account id written as a number, in an account rule\'s where',
    text: HEAD.replace('scope: trail', 'scope: account') + 'reads: [Trail]\nwhere:\n  accountId: { enum: ["111122223333", 444455556666] }\nsome: { check: { facts.multiRegion: { const: true } } }\n',
    message: /^9:\d+: accountId is always text, so the number 444455556666 can never equal it: quote it \("012345678901"\), as YAML reads bare digits as a number and drops leading zeros \(at \/where\/accountId\/enum\/1\)/,
  },
  // The leading-zeros example is an account id's: given for a region, it sent the author to the wrong fix.
  {
    name: 'a number for a text field that holds no account id',
    text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.HomeRegion: { enum: [1, 2] }\n',
    message: /^9:\d+: Trail\.HomeRegion is always text, so the number 1 can never equal it: quote it \("1"\), as YAML reads bare digits as a number \(at \/check\/Trail\.HomeRegion\/enum\/0\)/,
  },
  {
    name: 'an owner account id written as a number, in a quantifier\'s where',
    text: HEAD.replace('scope: trail', 'scope: region') + 'reads: [Trail]\ncount:\n  where: { facts.ownerAccountId: { not: { const: 112345678901 } } }\n  max: 1\n',
    message: /^9:\d+: facts\.ownerAccountId is always text, so the number 112345678901 can never equal it: quote it \("012345678901"\), as YAML reads bare digits as a number and drops leading zeros/,
  },
  // The key's account is an account id too: its leading zeros are what a bare number loses.
  {
    name: 'a key\'s account id written as a number',
    text: HEAD + 'reads: [Trail, Key]\ncheck:\n  Key.KeyMetadata.AWSAccountId: { const: 112345678901 }\n',
    message: /^9:\d+: Key\.KeyMetadata\.AWSAccountId is always text, so the number 112345678901 can never equal it: quote it \("012345678901"\), as YAML reads bare digits as a number and drops leading zeros/,
  },
  // `const: ~` meant "not set": "quote it" sent the author to compare with the text "~".
  {
    name: 'a text field compared with null',
    text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.KmsKeyId: { const: ~ }\n',
    message: /^9:\d+: Trail\.KmsKeyId is always text, so null can never equal it: a field that is not set is absent, not null: end the path in \? to let it be absent; otherwise write the value it must equal \(YAML reads ~ and an empty value as null\) \(at \/check\/Trail\.KmsKeyId\/const\)/,
  },
  // `not: {const: ~}` meant "is set": ending the path in ? would let the field be absent, the opposite.
  {
    name: 'a text field compared with null under not',
    text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.KmsKeyId: { not: { const: ~ } }\n',
    message: /^9:\d+: Trail\.KmsKeyId is always text, so null can never equal it: a field that is not set is absent, not null, so under not this holds for every value the field can have: a path without \? already requires the field \(an absent one fails the check\), so say what its value must be, such as \{ minLength: 1 \} \(YAML reads ~ and an empty value as null\) \(at \/check\/Trail\.KmsKeyId\/not\/const\)/,
  },
  // The example is of the field's own type: { minLength: 1 } on a boolean is refused as holding for every value.
  { name: 'a boolean field compared with null under not', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Status.IsLogging: { not: { const: ~ } }\n', message: /: a path without \? already requires the field \(an absent one fails the check\), so say what its value must be, such as \{ const: true \} \(YAML/ },
  { name: 'a number fact compared with null under not', text: HEAD + 'reads: [Trail, EventSelectors]\ncheck:\n  facts.eventSelectorCount: { not: { enum: [~] } }\n', message: /, so say what its value must be, such as \{ minimum: 0 \} \(YAML/ },
  // Twice negated, it is wanted again.
  { name: 'a text field compared with null under not twice', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.KmsKeyId: { not: { not: { const: ~ } } }\n', message: /: end the path in \? to let it be absent; / },
  { name: 'a trail name compared with a boolean', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { anyOf: [{ const: main }, { const: true }] }\n', message: /^9:\d+: Trail\.Name is always text, so the boolean true can never equal it: quote it \(at \/check\/Trail\.Name\/anyOf\/1\/const\)/ },
  // The same for booleans and numbers: a quoted "true" is text, and never equals IsLogging.
  { name: 'a boolean field compared with quoted text', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Status.IsLogging: { const: "true" }\n', message: /^9:\d+: Status\.IsLogging is always a boolean, so the text "true" can never equal it: write it without quotes, as a boolean \(at \/check\/Status\.IsLogging\/const\)/ },
  { name: 'a boolean fact compared with quoted text under not', text: HEAD + 'reads: [Trail]\ncheck:\n  facts.multiRegion: { not: { const: "false" } }\n', message: /^9:\d+: facts\.multiRegion is always a boolean, so the text "false" can never equal it: write it without quotes, as a boolean/ },
  // YAML 1.2 reads yes, no, on and off as text even without quotes: "write it without quotes" would not help.
  { name: 'a boolean field compared with yes, which YAML 1.2 reads as text', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.LogFileValidationEnabled: { const: yes }\n', message: /^9:\d+: Trail\.LogFileValidationEnabled is always a boolean, so the text "yes" can never equal it: write true or false, without quotes \(YAML 1\.2 reads yes, no, on and off as text\) \(at / },
  { name: 'a number fact compared with text that is no number', text: HEAD + 'reads: [Trail, EventSelectors]\ncheck:\n  facts.eventSelectorCount: { maximum: 5, not: { const: none } }\n', message: /^9:\d+: facts\.eventSelectorCount is always a number, so the text "none" can never equal it: write a number, without quotes \(at / },
  { name: 'a number fact compared with text in an enum', text: HEAD + 'reads: [Trail, EventSelectors]\ncheck:\n  facts.eventSelectorCount: { enum: [0, "1"] }\n', message: /^9:\d+: facts\.eventSelectorCount is always a number, so the text "1" can never equal it: write it without quotes, as a number \(at \/check\/facts\.eventSelectorCount\/enum\/1\)/ },
  // A type or a keyword for another kind of value: JSON Schema says nothing of this field, so the check passes every subject.
  { name: 'an account id with type number', text: HEAD + 'reads: [Trail]\ncheck:\n  accountId: { type: number }\n', message: /^9:\d+: accountId is always text, so type "number" never matches it: write type "string" or leave type out \(at \/check\/accountId\/type\)/ },
  { name: 'a count fact with type integer is fine, with type [string, boolean] is not', text: HEAD + 'reads: [Trail, EventSelectors]\ncheck:\n  facts.eventSelectorCount: { allOf: [{ type: integer }, { type: [string, boolean] }] }\n', message: /^9:\d+: facts\.eventSelectorCount is always a number, so type \["string","boolean"\] never matches it: write type "number" .*\(at \/check\/facts\.eventSelectorCount\/allOf\/1\/type\)/ },
  { name: 'a boolean field with a pattern', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Status.IsLogging: { pattern: "^true$" }\n', message: /^9:\d+: Status\.IsLogging is always a boolean, and pattern looks only at text, so JSON Schema takes it as holding for every value: use a keyword for booleans \(const, enum\) \(at \/check\/Status\.IsLogging\/pattern\)/ },
  { name: 'a trail name with a minimum, under not', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { not: { minimum: 3 } }\n', message: /^9:\d+: Trail\.Name is always text, and minimum looks only at numbers, .*use a keyword for text \(const, enum, pattern, minLength\) \(at \/check\/Trail\.Name\/not\/minimum\)/ },
  { name: 'a boolean field with draft-07 dependencies', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Status.IsLogging: { dependencies: { a: [b] } }\n', message: /^9:\d+: Status\.IsLogging is always a boolean, and dependencies looks only at objects/ },
  // A list is never an object: properties meant for each element would hold for every list.
  { name: 'a list with properties meant for its elements', text: HEAD + 'reads: [Trail, EventSelectors]\ncheck:\n  EventSelectors: { properties: { ReadWriteType: { const: WriteOnly } } }\n', message: /^9:\d+: EventSelectors is always a list, and properties looks only at objects, so JSON Schema takes it as holding for every list: to say it of every element, write items: \{ properties: \.\.\. \}, and of some element, contains: \{ properties: \.\.\. \} \(at \/check\/EventSelectors\/properties\)/ },
  { name: 'a list with required, under not', text: HEAD + 'reads: [Trail, Bucket.Acl]\ncheck:\n  Bucket.Acl.Grants: { not: { required: [Grantee] } }\n', message: /^9:\d+: Bucket\.Acl\.Grants is always a list, and required looks only at objects.* \(at \/check\/Bucket\.Acl\.Grants\/not\/required\)/ },
  { name: 'a count fact with minItems', text: HEAD + 'reads: [Trail, EventSelectors]\ncheck:\n  facts.dataResourceCount: { maxItems: 250 }\n', message: /^9:\d+: facts\.dataResourceCount is always a number, and maxItems looks only at lists, .*\(const, enum, minimum, maximum\)/ },
  { name: 'a boolean field compared with a number', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.LogFileValidationEnabled: { const: 1 }\n', message: /^9:\d+: Trail\.LogFileValidationEnabled is always a boolean, so the number 1 can never equal it: use a boolean/ },
  {
    name: 'an account id from a parameter whose default is a number',
    text: HEAD.replace('scope: trail', 'scope: region') + 'parameters: { audited: { type: array, default: [444455556666] } }\nreads: [Trail]\nwhere:\n  region: { const: us-east-1 }\n  accountId: { enum: { $param: audited } }\ncount: { max: 1 }\n',
    message: /^11:\d+: accountId is always text, so the number 444455556666 \(from parameter "audited"\) can never equal it: quote it/,
  },
  // A reason is free text: never pasted into a command, whatever the scope.
  {
    name: '{reason} in a trail rule\'s command',
    text: HEAD.replace('remediation: { text: Fix it. }', 'remediation: { text: Fix it., cli: "aws cloudtrail update-trail --name {Trail.Name} # {reason}" }') + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n',
    message: /^6:\d+: the placeholder \{reason\} is never filled in a remediation command: a reason is free text, not safe to paste into a shell command/,
  },
  {
    name: '{reason} in a region rule\'s command',
    text: HEAD.replace('scope: trail', 'scope: region').replace('remediation: { text: Fix it. }', 'remediation: { text: Fix it., cli: "aws cloudtrail create-trail --region {region} # {reason}" }') + 'reads: [Trail]\nsome: { check: { Trail.Name: { const: x } } }\n',
    message: /^6:\d+: the placeholder \{reason\} is never filled in a remediation command/,
  },
  {
    name: '{reason} in the command for a condition',
    text: HEAD.replace('remediation: { text: Fix it. }', 'remediation:\n  text: Fix it.\n  cli:\n    Trail.Name: "aws cloudtrail update-trail --name {Trail.Name} # {reason}"') + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n',
    message: /^9:\d+: the placeholder \{reason\} is never filled in a remediation command/,
  },
  // A boolean schema holds for every value (true) or none (false): `IsLogging: true` is the YAML slip for `{ const: true }`.
  { name: 'a check condition that is true', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Status.IsLogging: true\n', message: /^9:21: Status\.IsLogging: true is the JSON Schema that every value satisfies, .*to compare with true, write \{ const: true \} \(at \/check\/Status\.IsLogging\)/ },
  { name: 'a where condition that is false', text: HEAD + 'reads: [Trail, Status]\nwhere:\n  Status.IsLogging: false\ncheck: { Trail.Name: { const: x } }\n', message: /^9:21: Status\.IsLogging: false is the JSON Schema that no value satisfies, .*a where skips every subject\); to compare with false, write \{ const: false \}/ },
  { name: 'a quantifier condition that is {}', text: HEAD.replace('scope: trail', 'scope: region') + 'reads: [Trail]\nsome:\n  where: { Trail.Name: {} }\n  check: { Trail.Name: { const: x } }\n', message: /^9:\d+: Trail\.Name has the schema \{\} so the condition holds whatever Trail\.Name is .*say what the value must be, such as \{ const: true \}/ },
  { name: 'a count condition of annotations only', text: HEAD.replace('scope: trail', 'scope: region') + 'reads: [Trail]\ncount:\n  where: { Trail.Name: { description: the central trail } }\n  max: 1\n', message: /^9:\d+: Trail\.Name has a schema of annotations only \(description\), which JSON Schema does not check,/ },
  { name: 'a property schema that is true', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Status: { properties: { IsLogging: true } }\n', message: /^9:\d+: Status\.IsLogging: true is the JSON Schema that every value satisfies, .*write \{ const: true \} \(at \/check\/Status\/properties\/IsLogging\)/ },
  { name: 'a property with a dot in its name that is false', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail: { properties: { "team.name": false } }\n', message: /^9:\d+: Trail\["team\.name"\]: false is the JSON Schema that no value satisfies, .*write not: \{ required: \["team\.name"\] \} beside properties/ },
  {
    name: 'a condition that a parameter makes true',
    text: HEAD + 'parameters: { logging: { type: boolean, default: true } }\nreads: [Trail, Status]\ncheck:\n  Status.IsLogging: { $param: logging }\n',
    message: /^10:\d+: Status\.IsLogging: true is the JSON Schema .* \(from parameter "logging"\)/,
  },
  // Under not, anyOf, allOf, oneOf and if/then/else, a part that holds for every value or none makes the condition say nothing, or is a slip.
  {
    name: 'a where condition under not that is true',
    text: HEAD + 'reads: [Trail]\nwhere:\n  Trail.IsOrganizationTrail: { not: true }\ncheck: { Trail.Name: { const: x } }\n',
    message: /^9:\d+: Trail\.IsOrganizationTrail: the schema under not is true, which every value satisfies: the not holds for no value, so the condition never holds \(and a where skips every subject\); to say Trail\.IsOrganizationTrail is not true, write not: \{ const: true \} \(at \/where\/Trail\.IsOrganizationTrail\/not\)/,
  },
  { name: 'a check condition under not that is false', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Status.IsLogging: { not: false }\n', message: /^9:\d+: Status\.IsLogging: the schema under not is false, which no value satisfies: the not holds for every value, so the condition holds whatever Status\.IsLogging is .*write not: \{ const: false \} \(at \/check\/Status\.IsLogging\/not\)/ },
  { name: 'an anyOf alternative that is true', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { anyOf: [{ const: main }, true] }\n', message: /^9:\d+: Trail\.Name: alternative 2 of anyOf is true, which every value satisfies: the anyOf holds for every value, so the condition holds whatever Trail\.Name is .*write \{ const: true \} \(at \/check\/Trail\.Name\/anyOf\/1\)/ },
  { name: 'an anyOf alternative of annotations only', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { anyOf: [{ description: the central trail }] }\n', message: /^9:\d+: Trail\.Name: alternative 1 of anyOf is a schema of annotations only \(description; JSON Schema does not check annotations\)/ },
  { name: 'an allOf part that is {}', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { allOf: [{}] }\n', message: /^9:\d+: Trail\.Name: part 1 of allOf is the schema \{\}, which every value satisfies: it adds nothing; say what the value must be/ },
  // Beside const, `not: false` is a slip, but the condition is the const: it does not hold for every value.
  { name: 'a not that is false beside a const', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Status.IsLogging: { const: true, not: false }\n', message: /^9:\d+: Status\.IsLogging: the schema under not is false, which no value satisfies: the not holds for every value; to say/ },
  // The exemptions for a false then/else and a true oneOf alternative hold only where they say something.
  { name: 'a oneOf whose only alternative is true', text: HEAD + 'reads: [Trail, Status]\ncheck:\n  Status.IsLogging: { oneOf: [true] }\n', message: /^9:\d+: Status\.IsLogging: alternative 1 of oneOf is true, which every value satisfies/ },
  { name: 'a oneOf of two empty alternatives', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { oneOf: [true, {}] }\n', message: /^9:\d+: Trail\.Name: alternative 1 of oneOf is true, which every value satisfies/ },
  { name: 'a oneOf alternative of annotations only beside one that says something', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { oneOf: [{ const: a, description: main }, { description: a backup trail }] }\n', message: /^9:\d+: Trail\.Name: alternative 2 of oneOf is a schema of annotations only/ },
  { name: 'an if whose then and else are both false', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { if: { const: x }, then: false, else: false }\n', message: /^9:\d+: Trail\.Name: the then is false, which no value satisfies/ },
  { name: 'a misspelt field of a hand-copied LoggingEnabled', text: HEAD + 'reads: [Trail, Bucket.Logging]\ncheck:\n  Bucket.Logging.LoggingEnabled.TargetBuckt?: { const: logs }\n', message: /^9:3: Bucket\.Logging\.LoggingEnabled has no field "TargetBuckt"; did you mean Bucket\.Logging\.LoggingEnabled\.TargetBucket\?/ },
  { name: 'a then that is true', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail: { if: { required: [KmsKeyId] }, then: true }\n', message: /^9:\d+: Trail: the then is true, which every value satisfies: a value that matches the if passes whatever it is; .* \(at \/check\/Trail\/then\)/ },
  { name: 'a not of a not that is true', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.IsOrganizationTrail: { not: { not: true } }\n', message: /^9:\d+: Trail\.IsOrganizationTrail: the schema under not is true, which every value satisfies: the not holds for no value; .* \(at \/check\/Trail\.IsOrganizationTrail\/not\/not\)/ },
  { name: 'a property schema under anyOf that is false', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail: { anyOf: [{ properties: { IsMultiRegionTrail: false } }] }\n', message: /^9:\d+: Trail\.IsMultiRegionTrail: false is the JSON Schema that no value satisfies/ },
  {
    name: 'a not that a parameter makes false',
    text: HEAD + 'parameters: { logging: { type: boolean, default: false } }\nreads: [Trail, Status]\ncheck:\n  Status.IsLogging: { not: { $param: logging } }\n',
    message: /^10:\d+: Status\.IsLogging: the schema under not is false, .* \(from parameter "logging"\) \(at \/check\/Status\.IsLogging\/not\)/,
  },
  // Below the path, the same field names and types as the path form: a misspelt one reads a value that is never there.
  { name: 'a misspelt field under properties of a whole trail', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail: { properties: { LogFileValidationEnabeld: { const: true } } }\n', message: /^9:\d+: Trail has no field "LogFileValidationEnabeld"; did you mean LogFileValidationEnabled\? \(at \/check\/Trail\/properties\/LogFileValidationEnabeld\)/ },
  {
    name: 'a misspelt statement element under not, contains and required',
    text: HEAD + 'reads: [Trail, Bucket.Policy]\ncheck:\n  Bucket.Policy.Statement:\n    not: { contains: { required: [Efect] } }\n',
    message: /^10:\d+: Bucket\.Policy\.Statement\[\] has no field "Efect"; did you mean Effect\? \(at \/check\/Bucket\.Policy\.Statement\/not\/contains\/required\/0\)/,
  },
  { name: 'an element no policy has, under anyOf', text: HEAD + 'reads: [Trail, Key.Policy]\ncheck:\n  Key.Policy: { anyOf: [{ required: [Owner] }, { required: [Id] }] }\n', message: /^9:\d+: Key\.Policy has no field "Owner"; it has Version, Id, Statement/ },
  { name: 'a misspelt field in dependentRequired of a bucket', text: HEAD + 'reads: [Trail, Bucket]\ncheck:\n  Bucket: { dependencies: { Policy: [PolicyStatu] } }\n', message: /^9:\d+: Bucket has no field "PolicyStatu"; did you mean PolicyStatus\?/ },
  { name: 'a misspelt field of a selector, under items', text: HEAD + 'reads: [Trail, EventSelectors]\ncheck:\n  EventSelectors: { items: { properties: { ReadWritType: { const: All } } } }\n', message: /^9:\d+: EventSelectors\[\] has no field "ReadWritType"; did you mean ReadWriteType\?/ },
  { name: 'a boolean field under properties compared with quoted text', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail: { properties: { IsMultiRegionTrail: { const: "true" } } }\n', message: /^9:\d+: Trail\.IsMultiRegionTrail is always a boolean, so the text "true" can never equal it: write it without quotes, as a boolean \(at \/check\/Trail\/properties\/IsMultiRegionTrail\/const\)/ },
  { name: 'a text field under if/then with a minimum', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail: { if: { required: [KmsKeyId] }, then: { properties: { KmsKeyId: { minimum: 1 } } } }\n', message: /^9:\d+: Trail\.KmsKeyId is always text, and minimum looks only at numbers/ },
  // AWS's nested answers (GetBucketAcl's grants, GetBucketLogging's target...) are checked as the schema's fields are.
  {
    name: 'a misspelt grantee in an ACL grant, under not and contains',
    text: HEAD + 'reads: [Trail, Bucket.Acl]\ncheck:\n  Bucket.Acl.Grants:\n    not: { contains: { required: [Grante], properties: { Grante: { required: [URI] } } } }\n',
    message: /^10:\d+: Bucket\.Acl\.Grants\[\] has no field "Grante"; did you mean Grantee\? \(at \/check\/Bucket\.Acl\.Grants\/not\/contains\/properties\/Grante\)/,
  },
  { name: 'a grantee field in the wrong case', text: HEAD + 'reads: [Trail, Bucket.Acl]\ncheck:\n  Bucket.Acl.Grants: { items: { properties: { Grantee: { properties: { Uri: { const: x } } } } } }\n', message: /^9:\d+: Bucket\.Acl\.Grants\[\]\.Grantee has no field "Uri"; did you mean URI\? \(field names are case-sensitive\)/ },
  { name: 'a misspelt permission in a path to one grant', text: HEAD + 'reads: [Trail, Bucket.Acl]\ncheck:\n  Bucket.Acl.Grants.1.Permision?: { not: { const: READ } }\n', message: /^9:3: Bucket\.Acl\.Grants\.1 has no field "Permision"; did you mean Bucket\.Acl\.Grants\.1\.Permission\?/ },
  // As the inventory holds it: GetBucketLogging's LoggingEnabled, not the answer around it.
  { name: 'a misspelt logging target bucket', text: HEAD + 'reads: [Trail, Bucket.Logging]\ncheck:\n  Bucket.Logging.TargetBuckt?: { const: logs }\n', message: /^9:3: Bucket\.Logging has no field "TargetBuckt"; did you mean Bucket\.Logging\.TargetBucket\?/ },
  { name: 'a misspelt object ownership rule', text: HEAD + 'reads: [Trail, Bucket.OwnershipControls]\ncheck:\n  Bucket.OwnershipControls.Rules: { contains: { properties: { ObjectOwnershp: { const: BucketOwnerEnforced } } } }\n', message: /^9:\d+: Bucket\.OwnershipControls\.Rules\[\] has no field "ObjectOwnershp"; did you mean ObjectOwnership\?/ },
  { name: 'a misspelt multi-Region primary key field', text: HEAD + 'reads: [Trail, Key.KeyMetadata]\ncheck:\n  Key.KeyMetadata.MultiRegionConfiguration.PrimaryKey.Regoin?: { const: us-east-1 }\n', message: /^9:3: Key\.KeyMetadata\.MultiRegionConfiguration\.PrimaryKey has no field "Regoin"; did you mean .*PrimaryKey\.Region\?/ },
  // A boolean whose schema type is a union with null, or that AWS answers beyond the schema, is a boolean all the same.
  { name: 'key rotation (a boolean or null) compared with quoted text under not', text: HEAD + 'reads: [Trail, Key.KeyRotationEnabled]\ncheck:\n  Key.KeyRotationEnabled: { not: { const: "false" } }\n', message: /^9:\d+: Key\.KeyRotationEnabled is always a boolean or null, so the text "false" can never equal it: write it without quotes, as a boolean \(at \/check\/Key\.KeyRotationEnabled\/not\/const\)/ },
  { name: 'a public access block setting compared with quoted text', text: HEAD + 'reads: [Trail, Bucket.PublicAccessBlock]\ncheck:\n  Bucket.PublicAccessBlock.RestrictPublicBuckets?: { not: { const: "false" } }\n', message: /^9:\d+: Bucket\.PublicAccessBlock\.RestrictPublicBuckets is always a boolean, so the text "false" can never equal it: write it without quotes, as a boolean/ },
  { name: 'a key metadata boolean AWS answers compared with quoted text', text: HEAD + 'reads: [Trail, Key.KeyMetadata]\ncheck:\n  Key.KeyMetadata.Enabled?: { enum: ["true"] }\n', message: /^9:\d+: Key\.KeyMetadata\.Enabled is always a boolean, so the text "true" can never equal it: write it without quotes, as a boolean \(at \/check\/Key\.KeyMetadata\.Enabled\?\/enum\/0\)/ },
  { name: 'the requester-pays setting (text or null) with a minimum', text: HEAD + 'reads: [Trail, Bucket.RequestPayer]\ncheck:\n  Bucket.RequestPayer: { minimum: 1 }\n', message: /^9:\d+: Bucket\.RequestPayer is always text or null, and minimum looks only at numbers/ },
  { name: 'misspelt JSON Schema keyword', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { cosnt: x }\n', message: /^9:17: invalid JSON Schema: strict mode: unknown keyword: "cosnt"/ },
  // Deep in a schema of many lines, the mistake itself, not the condition's key lines above it.
  { name: 'a misspelt keyword deep in a schema', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail:\n    type: object\n    properties:\n      cosnt: { type: string }\n      Name:\n        type: string\n        cosnt: x\n', message: /^15:9: invalid JSON Schema: strict mode: unknown keyword: "cosnt" \(at \/check\/Trail\/properties\/Name\/cosnt\)/ },
  { name: 'a bad pattern deep in a schema', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name:\n    allOf:\n      - type: string\n      - pattern: "(["\n', message: /^12:9: invalid JSON Schema: Invalid regular expression: .* \(at \/check\/Trail\.Name\/allOf\/1\/pattern\)/ },
  { name: 'a refused key pattern deep in a schema', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail:\n    type: object\n    patternProperties:\n      "^(a)\\\\1$": { type: string }\n', message: /^12:7: invalid JSON Schema: pattern .* is refused/ },
  // Names Object.prototype has are no keywords either: Ajv looks keywords up on a plain object.
  ...['constructor', 'toString', '__proto__', 'hasOwnProperty'].map((k) => ({
    name: `${k} as a JSON Schema keyword, in a check and in a where`,
    text: HEAD + `reads: [Trail]\nwhere:\n  Trail.Name: { ${k}: { const: x } }\ncheck:\n  Trail.Name: { const: x }\n`,
    message: new RegExp(`^9:17: invalid JSON Schema: strict mode: unknown keyword: "${k}"`),
  })),
  { name: 'undeclared read', text: HEAD + 'reads: [Trail]\ncheck:\n  Status.IsLogging: { const: true }\n', message: /^9:3: the path Status\.IsLogging needs the read "Status", which "reads" does not declare/ },
  // A read of trailgate's own making is named as "reads" can list it, not by its inner name.
  // The place a parameter's value goes is its `{ $param: NAME }`, named: it was the condition's key, with no word of the parameter.
  { name: 'a parameter default that breaks the schema', text: HEAD + 'parameters:\n  n: { type: integer, default: 3 }\nreads: [Trail]\ncheck:\n  Trail:\n    properties:\n      Name: { pattern: { $param: n } }\n', message: /^13:15: invalid JSON Schema: schema is invalid: data\/properties\/Name\/pattern must be string \(from parameter "n"\) \(at \/check\/Trail\/properties\/Name\/pattern\)/ },
  { name: 'a fact behind an inner read, undeclared', text: HEAD + 'reads: [EventSelectors]\ncheck:\n  facts.knownToSkipManagementEvents: { const: true }\n', message: /^9:3: the path facts\.knownToSkipManagementEvents needs the read "Trail", which "reads" does not declare/ },
  { name: 'unknown read', text: HEAD + 'reads: [Trail, Stauts]\ncheck: { Trail.Name: { const: x } }\n', message: /^7:16: unknown read "Stauts"/ },
  { name: 'unknown built-in', text: HEAD + 'reads: [Trail]\nbuiltin: magic\n', message: /^8:10: unknown built-in "magic"/ },
  // At the `{ $param: NAME }` itself: it was the top of the check, lines above it in a check of several conditions.
  { name: 'unknown parameter', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { const: { $param: nme } }\n', message: /^9:24: unknown parameter "nme"; the rule declares no parameters \(at \/check\/Trail\.Name\/const\)$/ },
  {
    name: 'unknown parameter in the second condition',
    text: HEAD + 'parameters:\n  max: { type: integer, default: 5, minimum: 0 }\nreads: [Trail, EventSelectors]\ncheck:\n  facts.eventSelectorCount: { maximum: { $param: max } }\n  facts.dataResourceCount: { maximum: { $param: mx } }\n',
    message: /^12:39: unknown parameter "mx"; the rule declares max \(at \/check\/facts\.dataResourceCount\/maximum\)$/,
  },
  { name: 'unknown parameter in a count', text: HEAD.replace('scope: trail', 'scope: region') + 'reads: [Trail]\ncount:\n  max: { $param: mx }\n', message: /^9:8: unknown parameter "mx"; the rule declares no parameters \(at \/count\/max\)$/ },
  { name: 'bad parameter default', text: HEAD + 'parameters: { max: { type: integer, default: five } }\nreads: [Trail]\ncheck: { Trail.Name: { const: x } }\n', message: /^7:\d+: the default does not fit type integer/ },
  { name: 'bad id', text: HEAD.replace('id: my-rule', 'id: My_Rule') + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n', message: /^1:5: invalid rule: must be a rule id such as trails-per-region: lower-case letters and digits, in words joined by single hyphens/ },
  { name: 'a pattern with lookbehind', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { pattern: "(?<=x)y" }\n', message: /^9:17: invalid JSON Schema: pattern "\(\?<=x\)y" is refused: trailgate matches patterns with RE2, .*and RE2 has no lookahead, lookbehind or backreferences \(error parsing regexp: invalid named capture: `\(\?<=x\)y`\); rewrite it without them \(at \/check\/Trail\.Name\/pattern\)$/ },
  // RE2 reads `(?<!` as a named group it cannot parse: it was refused as "repeat counts up to 1000, groups nested less deeply".
  { name: 'a pattern with negative lookbehind', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { pattern: "(?<!x)y" }\n', message: /^9:17: invalid JSON Schema: pattern "\(\?<!x\)y" is refused: .*RE2 has no lookahead, lookbehind or backreferences \(error parsing regexp: invalid named capture: `\(\?<!x\)y`\); rewrite it without them \(at \/check\/Trail\.Name\/pattern\)$/ },
  // A JavaScript escape RE2 lacks is neither lookaround nor a repeat count: no advice that does not fit it.
  { name: 'a pattern with an escape RE2 lacks', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { pattern: "^\\\\u0041$" }\n', message: /^9:17: invalid JSON Schema: pattern .* is refused: .*RE2 cannot take this one \(error parsing regexp: invalid escape sequence: `\\u`\); rewrite it in a form RE2 takes \(at \/check\/Trail\.Name\/pattern\)$/ },
  // Nested repeats multiply: each count is 100, their product 10,000.
  { name: 'a pattern whose nested repeats pass 1000', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { pattern: "^(a{100}){100}$" }\n', message: /^9:17: invalid JSON Schema: pattern .* is refused: .*RE2 cannot take this one \(error parsing regexp: invalid repeat count: `\{100\}`\); rewrite it in a form RE2 takes \(repeat counts up to 1000, nested repeats multiplied\) \(at \/check\/Trail\.Name\/pattern\)$/ },
  { name: 'a key pattern with a backreference', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail: { patternProperties: { "^(a)\\\\1$": { type: string } } }\n', message: /^9:33: invalid JSON Schema: pattern .* is refused: .*no lookahead, lookbehind or backreferences/ },
  { name: 'count that can never pass', text: HEAD.replace('scope: trail', 'scope: region') + 'reads: [Trail]\ncount: { max: 1, min: 5 }\n', message: /^8:\d+: min \(5\) is greater than max \(1\), so no count could pass/ },
  { name: 'YAML syntax', text: HEAD + 'reads: [Trail\n', message: /^8:\d+: invalid YAML/ },
  { name: 'a tag the rule loader would drop', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { const: !Ref name }\n', message: /^9:24: invalid YAML: the tag !Ref is not supported/ },
  { name: 'a merge key', text: HEAD + 'reads: [Trail]\nx: &s { const: x }\ncheck:\n  Trail.Name: { <<: *s }\n', message: /^10:17: invalid YAML: merge keys \(<<\) are not supported/ },
  // A BOM is not shown by an editor: line 1's columns are counted without it.
  { name: 'a BOM before a flow mapping', text: '\ufeff{id: x-rule, title: t, bogus: 1, severity: low, description: d, remediation: {text: r}, scope: trail, reads: [Trail], check: {Trail.Name: {const: x}}}\n', message: /^1:24: invalid rule: unknown key "bogus"/ },
  { name: 'a mapping as a key', text: HEAD + 'reads: [Trail]\ncheck:\n  ? { Trail.Name: x }\n  : { const: x }\n', message: /^9:5: invalid YAML: a mapping key must be a name, not a mapping/ },
];

function loadError(files: Record<string, string>): InputError {
  const dir = tempDir();
  mkdirSync(join(dir, 'r'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'r', name), text);
  try {
    loadRules({ builtin: false, paths: [join(dir, 'r')], cwd: dir });
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('the rules loaded');
}

describe('rule loading', () => {
  for (const c of CASES) {
    it(`${c.name}: located`, () => {
      const e = loadError({ 'rule.yaml': c.text });
      expect(e.describe()).to.match(/^r\/rule\.yaml:/);
      expect(e.describe().replace(/^r\/rule\.yaml:/, '')).to.match(c.message);
    });
  }

  it('a pattern is accepted and matches as JavaScript does (searching, not anchored, unless it says ^ and $)', () => {
    const dir = tempDir();
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { pattern: "^prod-[a-z0-9.-]+$" }\n');
    const [rule] = loadRules({ builtin: false, paths: [file], cwd: dir });
    if (rule.assertion.kind !== 'check') throw new Error('expected a check');
    const { validate } = rule.assertion.check.conjuncts[0];
    expect([validate('prod-eu.west-1'), validate('dev-trail'), validate('prod-')]).to.deep.equal([true, false, false]);
    // Unanchored, a pattern matches anywhere in the value, as JSON Schema says.
    writeFileSync(file, HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { pattern: "ro[a-z]" }\n');
    const [loose] = loadRules({ builtin: false, paths: [file], cwd: dir });
    if (loose.assertion.kind !== 'check') throw new Error('expected a check');
    const v = loose.assertion.check.conjuncts[0].validate;
    expect([v('prod'), v('xrox'), v('ro-')]).to.deep.equal([true, true, false]);
  });

  it('field names and types below a path that are right, or unknown and far from any known one, are accepted', () => {
    const dir = tempDir();
    const file = join(dir, 'ok.yaml');
    writeFileSync(
      file,
      HEAD +
        'reads: [Trail, Bucket, Key]\ncheck:\n' +
        '  Trail: { properties: { LogFileValidationEnabled: { const: true }, BrandNewSetting: { const: 1 } }, required: [Name] }\n' +
        '  Bucket: { properties: { Policy: { properties: { Statement: { not: { contains: { properties: { Effect: { const: Allow }, Principal: { const: "*" } }, required: [Effect, Principal] } } } } } } }\n' +
        '  Key: { if: { required: [KeyMetadata] }, then: { properties: { KeyRotationEnabled: { const: true }, KeyMetadata: { properties: { KeyState: { enum: [Enabled] } } } } } }\n' +
        // null is what a read that found none holds (a key whose rotation AWS does not report).
        '  Key.KeyRotationEnabled: { anyOf: [{ const: true }, { type: "null" }, { const: null }] }\n' +
        '  Bucket.Acl.Grants: { not: { contains: { required: [Grantee], properties: { Grantee: { required: [URI], properties: { URI: { pattern: "AllUsers$" } } } } } } }\n' +
        '  Bucket.Logging.TargetObjectKeyFormat.PartitionedPrefix.PartitionDateSource?: { const: EventTime }\n' +
        '  Key.KeyMetadata.CreationDate?: { anyOf: [{ pattern: "^2024" }, { minimum: 1700000000 }] }\n',
    );
    expect(loadRules({ builtin: false, paths: [file], cwd: dir })).to.have.length(1);
  });

  // Each of these says something: then/else false make the if a requirement, a true oneOf
  // alternative means "none of the others". They loaded and judged before, and were refused as empty.
  it('loads if/then/else with a false branch and a oneOf with a true alternative', () => {
    const dir = tempDir();
    const file = join(dir, 'branches.yaml');
    writeFileSync(
      file,
      HEAD +
        'reads: [Trail]\ncheck:\n' +
        '  Trail: { if: { properties: { LogFileValidationEnabled: { const: true } }, required: [LogFileValidationEnabled] }, then: { required: [KmsKeyId] }, else: false }\n' +
        '  Trail.HomeRegion: { if: { const: cn-north-1 }, then: false }\n' +
        '  Trail.Name: { oneOf: [true, { const: scratch }] }\n',
    );
    expect(loadRules({ builtin: false, paths: [file], cwd: dir })).to.have.length(1);
  });

  // Refused before: "schema with key or id ... already exists", and "property ... matches pattern ... (use allowMatchingProperties)".
  it('loads two rules whose checks share an $id, one $id in a where and a check, and a property a patternProperties pattern also matches', () => {
    const dir = tempDir();
    const rule = (id: string, body: string) => writeFileSync(join(dir, `${id}.yaml`), HEAD.replace('id: my-rule', `id: ${id}`) + body);
    rule('id-one', 'reads: [Trail]\ncheck:\n  Trail.Name: { $id: "urn:acme:name", type: string, minLength: 1 }\n');
    rule('id-two', 'reads: [Trail]\ncheck:\n  Trail.Name: { $id: "urn:acme:name", type: string, maxLength: 100 }\n');
    rule('id-twice', 'reads: [Trail]\nwhere:\n  Trail.Name: { $id: "urn:acme:n", type: string }\ncheck:\n  Trail.Name: { $id: "urn:acme:n", type: string }\n');
    rule('matching', 'reads: [Trail]\ncheck:\n  Trail:\n    properties:\n      CloudWatchLogsLogGroupArn: { pattern: ":log-group:org-" }\n    patternProperties:\n      "Arn$": { pattern: "^arn:aws:" }\n');
    expect(loadRules({ builtin: false, paths: [dir], cwd: dir }).map((r) => r.meta.id)).to.deep.equal(['id-one', 'id-twice', 'id-two', 'matching']);
  });

  it('brace text not meant as a placeholder stays literal: JSON in a command, words in braces', () => {
    const dir = tempDir();
    const file = join(dir, 'ok.yaml');
    writeFileSync(
      file,
      HEAD.replace('remediation: { text: Fix it. }', 'remediation:\n  text: Fix it.\n  cli: \'aws s3api put-bucket-versioning --bucket {Trail.S3BucketName} --versioning-configuration {"Status": "Enabled"}\'') +
        'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage: { fail: "{Trail.Name}: {Key: value} {Trailing words} {} { } { {Trail.Name} } {{Key: 1}}" }\n',
    );
    expect(loadRules({ builtin: false, paths: [file], cwd: dir })).to.have.length(1);
  });

  it('a field the shapes do not list is accepted when it is far from every known one (AWS adds fields)', () => {
    const dir = tempDir();
    const file = join(dir, 'ok.yaml');
    writeFileSync(
      file,
      HEAD +
        'reads: [Trail, Status, Bucket.PublicAccessBlock, Key.KeyMetadata, Bucket.Policy]\ncheck:\n' +
        '  Trail.BrandNewSetting?: { const: true }\n  Status.LatestDeliveryAttemptSucceeded?: { type: string }\n  Key.KeyMetadata.KeyUsage?: { type: string }\n' +
        '  Bucket.PublicAccessBlock.BlockPublicAcls?: { const: true }\n  Bucket.Policy.Statement.0.Principal.Service?: { type: string }\n  Bucket.Policy.Statement.Effect?: { type: string }\n',
    );
    expect(loadRules({ builtin: false, paths: [file], cwd: dir })).to.have.length(1);
  });

  it('a short field one letter from another root\'s, or a field one letter from a fact, is not taken for it (the root may hold fields the shapes do not list)', () => {
    const dir = tempDir();
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, HEAD + 'reads: [Trail, Bucket]\ncheck:\n  Trail.Acls?: { type: array }\n  Bucket.Owner?: { type: object }\n');
    expect(loadRules({ builtin: false, paths: [file], cwd: dir })).to.have.length(1);
  });

  it('text fields compared with text, and other fields with numbers or booleans, are accepted', () => {
    const dir = tempDir();
    const file = join(dir, 'ok.yaml');
    writeFileSync(
      file,
      HEAD.replace('scope: trail', 'scope: account') +
        'reads: [Trail, EventSelectors]\nwhere:\n  accountId: { enum: ["012345678901"] }\nsome:\n  where: { facts.eventSelectorCount: { const: 1 }, Trail.IsMultiRegionTrail: { const: true } }\n  check: { facts.ownerAccountId: { not: { const: "012345678901" } } }\n',
    );
    expect(loadRules({ builtin: false, paths: [file], cwd: dir })).to.have.length(1);
  });

  it('a number the config file gives a text parameter is refused, saying so', () => {
    const dir = tempDir();
    const file = join(dir, 'r.yaml');
    writeFileSync(file, HEAD + 'parameters: { names: { type: array, default: [main] } }\nreads: [Trail]\ncheck:\n  Trail.Name: { enum: { $param: names } }\n');
    expect(() => loadRules({ builtin: false, paths: [file], cwd: dir, params: { 'my-rule': { names: ['main', 42] } } })).to.throw(
      InputError,
      /^Trail\.Name is always text, so the number 42 \(from parameter "names", as the config file sets it\) can never equal it/,
    );
  });

  it('a misspelt field name the config file gives a parameter is refused, saying so', () => {
    const dir = tempDir();
    const file = join(dir, 'r.yaml');
    writeFileSync(file, HEAD + 'parameters: { fields: { type: array, default: [LogFileValidationEnabled] } }\nreads: [Trail]\ncheck:\n  Trail: { required: { $param: fields } }\n');
    expect(() => loadRules({ builtin: false, paths: [file], cwd: dir, params: { 'my-rule': { fields: ['LogFileValidationEnabeld'] } } })).to.throw(
      InputError,
      /^Trail has no field "LogFileValidationEnabeld"; did you mean LogFileValidationEnabled\? \(from parameter "fields", as the config file sets it\)/,
    );
  });

  it('duplicate ids are refused, naming both files', () => {
    const text = HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n';
    const e = loadError({ 'a.yaml': text, 'b.yaml': text });
    expect(e.describe()).to.equal('r/b.yaml:1:5: duplicate rule id "my-rule": also defined in r/a.yaml (at /id)');
  });

  it('a rules directory holds .yaml and .yml files in any case', () => {
    const dir = tempDir();
    const text = (id: string) => HEAD.replace('id: my-rule', `id: ${id}`) + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n';
    writeFileSync(join(dir, 'a.yaml'), text('lower'));
    writeFileSync(join(dir, 'B.YAML'), text('upper'));
    writeFileSync(join(dir, 'c.Yml'), text('mixed'));
    writeFileSync(join(dir, 'notes.txt'), 'not a rule');
    expect(loadRules({ builtin: false, paths: [dir], cwd: dir }).map((r) => [r.meta.id, r.meta.source])).to.deep.equal([
      ['lower', 'a.yaml'],
      ['mixed', 'c.Yml'],
      ['upper', 'B.YAML'],
    ]);
  });

  it('a backslash in a rule file\'s name stays part of the name on POSIX, in its source and its errors (it was shown as a separator, naming another file)', function () {
    if (process.platform === 'win32') this.skip();
    const dir = tempDir();
    writeFileSync(join(dir, 'my\\rule.yaml'), HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n');
    expect(loadRules({ builtin: false, paths: [dir], cwd: dir }).map((r) => r.meta.source)).to.deep.equal(['my\\rule.yaml']);
    expect(loadRules({ builtin: false, paths: [join(dir, 'my\\rule.yaml')], cwd: dir }).map((r) => r.meta.source)).to.deep.equal(['my\\rule.yaml']);
    expect(loadError({ 'bad\\rule.yaml': 'id: x\nfoo: 1\n' }).describeAll()).to.have.members(['r/bad\\rule.yaml:1:1: invalid rule: missing required keys "title", "severity", "scope", "description", "remediation" and "reads"', 'r/bad\\rule.yaml:2:1: invalid rule: unknown key "foo" (at /foo)']);
  });

  it('a file named twice, or through a link, is loaded once, where it is first named', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'r1'));
    writeFileSync(join(dir, 'r1', 'a.yaml'), HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n');
    symlinkSync(join(dir, 'r1', 'a.yaml'), join(dir, 'link.yaml'));
    const rules = loadRules({ builtin: false, paths: [join(dir, 'r1'), join(dir, 'r1', 'a.yaml'), join(dir, 'link.yaml'), join(dir, 'r1', '..', 'r1', 'a.yaml')], cwd: dir });
    expect(rules.map((r) => [r.meta.id, r.meta.source])).to.deep.equal([['my-rule', 'r1/a.yaml']]);
    // Built-in rule files too: naming the built-in folder again adds nothing.
    const builtin = loadRules();
    expect(loadRules({ paths: [join(REPO, 'rules')] }).map((r) => r.meta.id)).to.deep.equal(builtin.map((r) => r.meta.id));
  });

  it('a user rule may not take a built-in rule id', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.yaml'), HEAD.replace('id: my-rule', 'id: kms-encryption') + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n');
    expect(() => loadRules({ paths: [join(dir, 'x.yaml')], cwd: dir })).to.throw(InputError, /duplicate rule id "kms-encryption": also defined in rules\/kms-encryption\.yaml/);
  });

  it('parameter overrides are type-checked', () => {
    expect(loadRules({ params: { 'trails-per-region': { max: 4 } } }).find((r) => r.meta.id === 'trails-per-region')?.params).to.deep.equal({ max: 4 });
    expect(() => loadRules({ params: { 'trails-per-region': { max: 'four' } } })).to.throw(InputError, /parameter "max" of rule "trails-per-region" must be of type integer/);
    expect(() => loadRules({ params: { 'trails-per-region': { mx: 4 } } })).to.throw(InputError, /unknown parameter "mx"/);
    expect(() => loadRules({ params: { 'no-such-rule': { max: 4 } } })).to.throw(InputError, /unknown rule "no-such-rule"/);
  });

  it('parameters for a built-in rule left out by --no-builtin-rules are unused, not an unknown rule', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.yaml'), HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n');
    const own = loadRules({ builtin: false, paths: [join(dir, 'x.yaml')], cwd: dir, params: { 'trails-per-region': { max: 4 } } });
    expect(own.map((r) => r.meta.id)).to.deep.equal(['my-rule']);
    expect(() => loadRules({ builtin: false, paths: [join(dir, 'x.yaml')], cwd: dir, params: { 'no-such-rule': { max: 4 } } })).to.throw(InputError, /unknown rule "no-such-rule"/);
  });

  it('parameters for a built-in rule left out by --no-builtin-rules are checked as when it is loaded', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.yaml'), HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n');
    type Params = Record<string, Record<string, unknown>>;
    const own = (params: Params) => loadRules({ builtin: false, paths: [join(dir, 'x.yaml')], cwd: dir, params });
    const refusal = (load: () => unknown): string | undefined => {
      try {
        load();
      } catch (e) {
        if (e instanceof InputError) return e.message;
        throw e;
      }
      return undefined;
    };
    const refused: Params[] = [{ 'trails-per-region': { max: -1 } }, { 'trails-per-region': { max: 'four' } }, { 'trails-per-region': { maxx: 3 } }, { 'cloudwatch-logs': { maxAgeHours: Infinity } }];
    for (const params of refused) {
      const withBuiltins = refusal(() => loadRules({ params }));
      expect(withBuiltins, JSON.stringify(params)).to.be.a('string');
      expect(refusal(() => own(params)), JSON.stringify(params)).to.equal(withBuiltins);
    }
    expect(own({ 'trails-per-region': { max: 4 } }).map((r) => r.meta.id)).to.deep.equal(['my-rule']);
  });

  it('every built-in rule id matches its file name', () => {
    for (const r of loadRules()) expect(r.meta.source).to.equal(`rules/${r.meta.id}.yaml`);
  });
});
