/**
 * Points the AWS SDK at a fake endpoint through the environment, exactly as a user would with
 * AWS_ENDPOINT_URL, and makes sure nothing leaves 127.0.0.1: no instance metadata, no shared
 * config files, static fake credentials.
 */
import type { FakePrincipal } from './scenario.ts';

const KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_MAX_ATTEMPTS',
  'AWS_RETRY_MODE',
];

/** Sets the environment for the fake; returns a function that restores what was there. */
export function fakeAwsEnv(url: string, principal: FakePrincipal | undefined, extra: Record<string, string> = {}): () => void {
  const saved = new Map<string, string | undefined>();
  const all = [...KEYS, ...Object.keys(extra), ...Object.keys(process.env).filter((k) => k.startsWith('AWS_ENDPOINT_URL_'))];
  for (const k of all) {
    saved.set(k, process.env[k]);
    delete process.env[k];
  }
  process.env.AWS_ENDPOINT_URL = url;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = '/nonexistent/trailgate-test-aws-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/trailgate-test-aws-credentials';
  if (principal) {
    process.env.AWS_ACCESS_KEY_ID = principal.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = principal.secretAccessKey;
  }
  Object.assign(process.env, extra);
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
