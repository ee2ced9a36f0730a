/**
 * What the shared config and credentials files hold, as far as a message needs it: the SDK's
 * credential chain ends every failure it cannot pin on one provider with "Could not load
 * credentials from any providers", which does not tell a misspelt profile from one that gives
 * no credentials, nor say where credentials are looked for.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The SDK's last word when no provider of its chain gave credentials. */
export const NO_PROVIDER = 'Could not load credentials from any providers';

/** The paths of the shared config and credentials files, as the SDK finds them. */
function sharedFilePaths(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  const home = homedir();
  const resolve = (p: string) => (p.startsWith('~/') ? join(home, p.slice(2)) : p);
  return {
    config: resolve(env.AWS_CONFIG_FILE || join(home, '.aws', 'config')),
    credentials: resolve(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')),
  };
}

/** The section names of an INI file, or none when it cannot be read. */
function sections(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*\[\s*([^\]]*?)\s*\]\s*(?:[#;].*)?$/.exec(line);
    // Group 1 is not optional: a match has it.
    if (m) out.push(m[1]!);
  }
  return out;
}

/**
 * Whether `profile` is a profile of the shared files: `[default]` or `[profile NAME]` in the
 * config file (other sections there, such as `[sso-session NAME]`, are no profiles), `[NAME]` in
 * the credentials file.
 */
function profileExists(profile: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const { config, credentials } = sharedFilePaths(env);
  const inConfig = sections(config).some((s) => {
    const m = /^profile\s+(.+)$/.exec(s);
    return m ? m[1] === profile : s === 'default' && profile === 'default';
  });
  return inConfig || sections(credentials).includes(profile);
}

/**
 * Why the credential chain gave nothing, in words a user can act on: `profile` is the one in
 * force (from --profile or AWS_PROFILE), `from` says which. Only the SDK's generic failure is
 * explained; anything more specific (an expired SSO session, a missing token file) says enough.
 */
export function noCredentialsHint(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const { config, credentials } = sharedFilePaths(env);
  if (profile === undefined) {
    return `none in the environment (AWS_ACCESS_KEY_ID), ${config}, ${credentials}, a web identity, container or instance role; run \`aws configure\` (or \`aws configure sso\`), or name a profile with --profile`;
  }
  if (!profileExists(profile, env)) {
    return `there is no profile ${profile} in ${config} or ${credentials}; \`aws configure list-profiles\` lists those there`;
  }
  return `the profile gives no credentials the AWS SDK could use (its keys, source_profile, credential_process or SSO settings); \`aws sts get-caller-identity --profile ${profile}\` shows why`;
}
