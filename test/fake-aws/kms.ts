/**
 * KMS as documented: DescribeKey accepts a key id, key ARN, alias name or alias ARN (another
 * account's key only by ARN and only when its policy allows); GetKeyRotationStatus a key id or
 * ARN; GetKeyPolicy only in the key's own account.
 */
import { awsError, jsonOk, type Reply } from './protocol.ts';
import { keyArn, type FakeKey } from './scenario.ts';
import type { FakeRequest, World } from './world.ts';

function find(world: World, req: FakeRequest, id: unknown, aliasesAllowed: boolean): FakeKey | Reply {
  const notFound = awsError('kms', 400, 'NotFoundException', `Key '${String(id)}' does not exist`);
  if (typeof id !== 'string' || id === '') return awsError('kms', 400, 'ValidationException', 'KeyId is required');
  let account = req.account;
  let region = req.region;
  let rest = id;
  const arn = /^arn:aws:kms:([^:]+):(\d{12}):(.+)$/.exec(id);
  if (arn) {
    [, region, account, rest] = arn;
    if (region !== req.region) return notFound;
  }
  let key: FakeKey | undefined;
  if (rest.startsWith('alias/')) {
    if (!aliasesAllowed) return notFound;
    key = world.scenario.keys.find((k) => k.account === account && k.region === region && k.aliases?.includes(rest));
  } else {
    const keyId = rest.startsWith('key/') ? rest.slice(4) : rest;
    key = world.scenario.keys.find((k) => k.account === account && k.region === region && k.id === keyId);
  }
  if (account !== req.account) {
    if (!arn || !key || !key.usableBy?.includes(req.account)) {
      return awsError('kms', 400, 'AccessDeniedException', `User: ${req.principalArn} is not authorized to perform: kms:${req.operation} on resource: ${id}`);
    }
  }
  return key ?? notFound;
}

/** Handles one KMS request. */
export function kms(world: World, req: FakeRequest): Reply {
  const p = req.params;
  switch (req.operation) {
    case 'DescribeKey': {
      const k = find(world, req, p.KeyId, true);
      if ('status' in k) return k;
      const spec = k.keySpec ?? 'SYMMETRIC_DEFAULT';
      return jsonOk({
        KeyMetadata: {
          AWSAccountId: k.account,
          KeyId: k.id,
          Arn: keyArn(k),
          CreationDate: 1735689600,
          Enabled: (k.state ?? 'Enabled') === 'Enabled',
          Description: 'trail key',
          KeyUsage: 'ENCRYPT_DECRYPT',
          KeyState: k.state ?? 'Enabled',
          Origin: 'AWS_KMS',
          KeyManager: k.manager ?? 'CUSTOMER',
          CustomerMasterKeySpec: spec,
          KeySpec: spec,
          EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
          MultiRegion: false,
        },
      });
    }
    case 'GetKeyRotationStatus': {
      const k = find(world, req, p.KeyId, false);
      if ('status' in k) return k;
      if ((k.keySpec ?? 'SYMMETRIC_DEFAULT') !== 'SYMMETRIC_DEFAULT') return awsError('kms', 400, 'UnsupportedOperationException', `${keyArn(k)} key spec does not support rotation`);
      return jsonOk({ KeyRotationEnabled: k.rotation ?? false, KeyId: keyArn(k), RotationPeriodInDays: k.rotation ? 365 : undefined });
    }
    case 'GetKeyPolicy': {
      const k = find(world, req, p.KeyId, false);
      if ('status' in k) return k;
      if (k.account !== req.account) return awsError('kms', 400, 'AccessDeniedException', 'GetKeyPolicy cannot be called across accounts');
      if ((p.PolicyName ?? 'default') !== 'default') return awsError('kms', 400, 'NotFoundException', 'No such policy');
      const policy = k.policy ?? JSON.stringify({ Version: '2012-10-17', Id: 'key-default-1', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${k.account}:root` }, Action: 'kms:*', Resource: '*' }] });
      return jsonOk({ Policy: policy, PolicyName: 'default' });
    }
    default:
      return awsError('kms', 400, 'UnknownOperationException', `${req.operation} is not served by the fake`);
  }
}
