/**
 * JUnit validation for tests: well-formed (saxes), valid against both the windyroad and the
 * Jenkins junit-10 XSDs (libxml2 through xmllint-wasm), and test case identities unique.
 */
import { readFileSync } from 'node:fs';
import { assert } from 'chai';
import { SaxesParser } from 'saxes';
import { memoryPages, validateXML } from 'xmllint-wasm';

const SCHEMAS = ['junit-windyroad.xsd', 'junit-jenkins-10.xsd'].map((fileName) => ({
  fileName,
  contents: readFileSync(new URL(`../fixtures/schemas/${fileName}`, import.meta.url), 'utf8'),
}));

/** Documents already validated: libxml2 under WebAssembly takes most of a second per schema, and tests render the same sample often. */
const validated = new Set<string>();

/** An element of a parsed XML document, enough for assertions. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses XML with saxes (a conforming, non-validating parser); throws on anything ill-formed. */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (tag) => {
    const el: XmlElement = { name: tag.name, attributes: { ...(tag.attributes as Record<string, string>) }, children: [], text: '' };
    if (stack.length > 0) stack[stack.length - 1].children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('text', (t) => {
    if (stack.length > 0) stack[stack.length - 1].text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}

/** Asserts that `xml` is a JUnit document both XSDs accept, with each (classname, name) pair used once. */
export async function assertValidJunit(xml: string): Promise<void> {
  const root = parseXml(xml);
  if (!validated.has(xml)) {
    const results = await Promise.all(
      SCHEMAS.map((schema) => validateXML({ xml: { fileName: 'report.xml', contents: xml }, schema, maxMemoryPages: memoryPages.GiB })),
    );
    results.forEach((result, i) => {
      assert.isTrue(result.valid, `${SCHEMAS[i].fileName}: ${result.errors.map((e) => e.rawMessage).join('\n')}`);
    });
  }
  validated.add(xml);
  const seen = new Set<string>();
  for (const suite of root.children) {
    for (const tc of suite.children.filter((c) => c.name === 'testcase')) {
      // Compared as xs:token, the way the XSD (and so a validating reader) sees them.
      const name = tc.attributes.name.replace(/[ \t\n\r]+/g, ' ').trim();
      const key = JSON.stringify([tc.attributes.classname, name]);
      assert.isFalse(seen.has(key), `duplicate test case ${key}`);
      seen.add(key);
    }
  }
}
