/**
 * GetBucketLocation's answer is its root element, `<LocationConstraint>`, empty for us-east-1.
 * The SDK parses it to `{}` alike for that empty root and for a body that is no
 * LocationConstraint at all (an empty 200, a proxy's page, an emulator's bucket listing): read
 * as us-east-1, a bucket of another region would be judged there (kms-key-usable compares the
 * key's region with it). The body is checked here, before the SDK parses it.
 */
import { Readable } from 'node:stream';

/** What the SDK hands the middleware below: the raw HTTP response, before parsing. */
interface RawResponse {
  response: { statusCode?: number; body?: unknown };
}

const ROOT = /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<LocationConstraint[\s/>]/;

/** Whether a 2xx GetBucketLocation body is the LocationConstraint AWS answers. */
export function isLocationAnswer(body: string): boolean {
  return ROOT.test(body);
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

const locationAnswerMiddleware =
  (next: (args: unknown) => Promise<RawResponse>, context: { commandName?: string }) =>
  async (args: unknown): Promise<RawResponse> => {
    const out = await next(args);
    const status = out.response.statusCode ?? 0;
    if (context.commandName !== 'GetBucketLocationCommand' || status < 200 || status > 299) return out;
    const bytes = await bytesOf(out.response.body);
    // The SDK's parser takes the bytes as they are, as it takes a stream.
    out.response.body = bytes;
    if (!isLocationAnswer(Buffer.from(bytes).toString('utf8'))) {
      const err = new Error('GetBucketLocation returned an answer without a LocationConstraint');
      err.name = 'MalformedResponse';
      throw err;
    }
    return out;
  };

/** Adds the check to an S3 client's stack, between the transport and the SDK's parser. */
export const LOCATION_ANSWER_PLUGIN = {
  applyToStack(stack: { addRelativeTo(middleware: unknown, options: { name: string; relation: 'before' | 'after'; toMiddleware: string; override?: boolean }): void }): void {
    stack.addRelativeTo(locationAnswerMiddleware, { name: 'trailgateLocationAnswer', relation: 'after', toMiddleware: 'deserializerMiddleware', override: true });
  },
};
