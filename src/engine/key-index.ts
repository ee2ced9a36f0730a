/** Finding a trail's key in an inventory by any of the names a KmsKeyId can give. */
import type { Key } from '../inventory/types.ts';

/** Where a bare key id or alias name is looked up: the account and region it was given in. */
export interface KeyScope {
  account: string;
  region: string;
}

const ALIAS_ARN = /^arn:[^:]+:kms:([^:]*):([^:]*):(alias\/.+)$/;

/**
 * Finds keys by ARN, key id, alias name or alias ARN. Built once per inventory: looking each
 * trail's key up by scanning every key would cost trails x keys on a large organization.
 *
 * An alias name, and a key id too (the replicas of a multi-Region key share theirs), means a key
 * only within one account and region: `alias/cloudtrail` in another account is another key. So
 * names are indexed under the account and region of the key's ARN, an alias ARN is looked up
 * where it says, and a bare name where the caller gives it (a trail's owner and home region, as
 * CloudTrail resolves it).
 */
export function keyIndex(keys: Record<string, Key> | undefined): (id: string, scope: KeyScope) => Key | undefined {
  const scoped = new Map<string, Key>();
  // A hand-written inventory may key a key by its id or alias (inventory.md keys it by ARN): its
  // KeyMetadata.Arn then says where it lives, and names it too.
  const byArn = new Map<string, Key>();
  // Keyed by a bare id or alias that its KeyMetadata.Arn places: a name of that account and region
  // only, looked up there like the others, not wherever a trail gives the same name.
  const placed = new Set<string>();
  for (const [name, k] of Object.entries(keys ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const metadataArn = typeof k.KeyMetadata?.Arn === 'string' && k.KeyMetadata.Arn.startsWith('arn:') ? k.KeyMetadata.Arn : undefined;
    const arn = name.startsWith('arn:') ? name : (metadataArn ?? name);
    if (metadataArn !== undefined && metadataArn !== name && !byArn.has(metadataArn)) byArn.set(metadataArn, k);
    if (arn !== name) placed.add(name);
    const [, , , region = '', account = ''] = arn.split(':');
    const names = [arn !== name ? name : '', name.split('/').pop() ?? '', arn.split('/').pop() ?? '', typeof k.KeyMetadata?.KeyId === 'string' ? k.KeyMetadata.KeyId : '', ...(k.Aliases ?? [])];
    for (const n of names) {
      if (n === '') continue;
      // An alias recorded as an alias ARN says where it lives.
      const alias = ALIAS_ARN.exec(n);
      const where = alias ? `${alias[2]}/${alias[1]}/${alias[3]}` : `${account}/${region}/${n}`;
      if (!scoped.has(where)) scoped.set(where, k);
    }
  }
  return (id, scope) => {
    if (keys && Object.hasOwn(keys, id) && !placed.has(id)) return keys[id];
    const named = byArn.get(id);
    if (named !== undefined) return named;
    const alias = ALIAS_ARN.exec(id);
    if (alias) return scoped.get(`${alias[2]}/${alias[1]}/${alias[3]}`);
    return scoped.get(`${scope.account}/${scope.region}/${id}`);
  };
}
