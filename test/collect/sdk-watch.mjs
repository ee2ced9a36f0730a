// Loaded with `node --import`: reports on stderr every @aws-sdk package an ES import resolves,
// so a test can prove that loading the CLI does not load the AWS SDK.
import { register } from 'node:module';

const hooks = `export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@aws-sdk/')) process.stderr.write('AWS-SDK-RESOLVED ' + specifier + '\\n');
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url);
