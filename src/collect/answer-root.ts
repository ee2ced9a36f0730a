/**
 * Some S3 answers are their root element alone when the setting is off or default: an empty
 * `<LocationConstraint/>` for us-east-1, an empty `<BucketLoggingStatus/>` for no access logging,
 * an empty `<VersioningConfiguration/>` for versioning never enabled. The SDK parses each to `{}`
 * alike for that empty root and for a body that is no such answer at all (an empty 200, a proxy's
 * page, an emulator's bucket listing): read as us-east-1 or "off", a bucket of another region
 * would be judged there (kms-key-usable compares the key's region with it), and a bucket that
 * logs would fail bucket-access-logging. ListBuckets likewise: an empty body would read as an
 * account that owns no bucket. The body's root is checked here, before the SDK parses it.
 */
import { Readable } from 'node:stream';

/** What the SDK hands the middleware below: the raw HTTP response, before parsing. */
interface RawResponse {
  response: { statusCode?: number; body?: unknown };
}

/** The root element of each such answer, by SDK command name. */
const ROOTS: Readonly<Record<string, string>> = {
  GetBucketLocationCommand: 'LocationConstraint',
  GetBucketLoggingCommand: 'BucketLoggingStatus',
  GetBucketVersioningCommand: 'VersioningConfiguration',
  // An account without buckets answers its root with an empty list, or none: an empty body would
  // read as "owns no bucket", and its trail buckets be read with other credentials, unexplained.
  ListBucketsCommand: 'ListAllMyBucketsResult',
};

/** Whether a 2xx body's root element is `root` (after an optional byte order mark, XML declaration and comments). */
export function hasRoot(body: string, root: string): boolean {
  return new RegExp(`^\\uFEFF?\\s*(<\\?xml[^>]*\\?>\\s*)?(<!--(?:(?!-->)[\\s\\S])*-->\\s*)*<${root}[\\s/>]`).test(body);
}

async function bytesOf(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
    return Buffer.concat(chunks);
  }
  return new Uint8Array();
}

const answerRootMiddleware =
  (next: (args: unknown) => Promise<RawResponse>, context: { commandName?: string }) =>
  async (args: unknown): Promise<RawResponse> => {
    const out = await next(args);
    const root = context.commandName === undefined ? undefined : ROOTS[context.commandName];
    const status = out.response.statusCode ?? 0;
    if (root === undefined || status < 200 || status > 299) return out;
    const bytes = await bytesOf(out.response.body);
    // The SDK's parser takes the bytes as they are, as it takes a stream.
    out.response.body = bytes;
    const text = Buffer.from(bytes).toString('utf8');
    // A 200 whose body is an S3 error (S3 may answer InternalError so): the SDK's
    // throw200ExceptionsMiddleware, which runs after this one, makes it the error it is (retried
    // when it is one to retry), by this same test of the body's end.
    if (text.endsWith('</Error>')) return out;
    if (!hasRoot(text, root)) {
      const err = new Error(`${context.commandName!.replace(/Command$/, '')} returned an answer without a ${root}`);
      err.name = 'MalformedResponse';
      throw err;
    }
    return out;
  };

/** Adds the check to an S3 client's stack, between the transport and the SDK's parser. */
export const ANSWER_ROOT_PLUGIN = {
  applyToStack(stack: { addRelativeTo(middleware: unknown, options: { name: string; relation: 'before' | 'after'; toMiddleware: string; override?: boolean }): void }): void {
    stack.addRelativeTo(answerRootMiddleware, { name: 'trailgateAnswerRoot', relation: 'after', toMiddleware: 'deserializerMiddleware', override: true });
  },
};
