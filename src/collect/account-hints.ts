/**
 * What to tell a user whose credentials, STS or organization listing failed: the words that
 * send them to the right fix (the network, a region of the keys' partition, the management
 * account) and nowhere else.
 */
import type { Runtime } from './call.ts';

/**
 * What STS answers when it refuses the credentials themselves (unknown, expired, mis-signed or
 * missing). Anything else (a server error, an answer that is not AWS's, a region the SDK will
 * not send to) says nothing about them, and the message must not send the user after their keys.
 */
export const CREDENTIALS_REFUSED: ReadonlySet<string> = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidToken',
  'InvalidAccessKeyId',
  'UnrecognizedClientException',
  'MissingAuthenticationToken',
  'AuthFailure',
  'AccessDenied',
  'AccessDeniedException',
  'RequestExpired',
]);

/**
 * What to check when STS could not be reached. Without an endpoint override there is no endpoint
 * to get wrong: the network is what failed. The SDK connects directly, so a proxy the shell names
 * (as a corporate network needs) is not used, and saying so spares a search.
 */
export function unreachableHint(overridden: boolean, env: NodeJS.ProcessEnv): string {
  if (overridden) return 'is the endpoint right?';
  const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((k) => env[k]);
  return proxied ? 'check the network; trailgate connects directly, HTTPS_PROXY and HTTP_PROXY are not used' : 'check the network';
}

/**
 * What an unknown-key answer may really mean, where STS was asked: keys of GovCloud or China are
 * unknown to STS in us-east-1 (the region used when none is configured), and STS in an opt-in
 * region the account has not enabled refuses every key the same way.
 */
export function refusedHint(runtime: Runtime, code: string): string {
  if (code !== 'InvalidClientTokenId' && code !== 'UnrecognizedClientException') return '';
  if (runtime.stsRegionSource === undefined) return ' (asked in us-east-1, as no region is configured: keys of AWS GovCloud (US) or China need AWS_REGION set to a region of their partition)';
  if (runtime.stsRegion === 'us-east-1') return '';
  return ` (asked in ${runtime.stsRegion}, from ${runtime.stsRegionSource}: if the account has not enabled that region, STS there refuses every key; use an enabled region)`;
}

/**
 * The one line to say when a profile is used while keys are also set in the environment (CI that
 * exported keys, and a --profile): the profile wins, and the keys are not used.
 */
export function profileOverKeysWarning(profile: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const chosen = profile ?? env.AWS_PROFILE;
  // An empty --profile never gets here (checkAccountOptions); AWS_PROFILE="" is no profile to the SDK either.
  if (!chosen || !env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return undefined;
  const source = profile !== undefined ? `--profile ${profile}` : `the profile ${chosen} (AWS_PROFILE)`;
  return `warning: credentials come from ${source}; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, also set, are not used`;
}

/**
 * How to go on when ListAccounts is refused for the reasons a new user meets: an account outside
 * any organization, or a member account (only the management account or a delegated
 * administrator may list the accounts).
 */
export function organizationHint(code: string): string {
  if (code === 'AWSOrganizationsNotInUseException') return ' (the account is in no organization: drop --organization, and name the accounts to audit with --accounts)';
  if (code === 'AccessDenied' || code === 'AccessDeniedException') {
    return ' (--organization runs in the management account or a delegated administrator account; from a member account, name the accounts with --accounts)';
  }
  return '';
}
