/**
 * The regions AWS enables in every account of a partition, which no account can turn off (those
 * launched before March 2019; later ones are opt-in). A multi-region trail writes logs in each of
 * them whatever regions an inventory looks at, so bucket-delivery and kms-key-usable check their
 * log paths even when a scan was limited to fewer regions; an opt-in region counts where the
 * inventory lists it.
 */
import type { Partition } from '../inventory/types.ts';

export const DEFAULT_REGIONS: Readonly<Record<Partition, readonly string[]>> = {
  aws: [
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-southeast-1',
    'ap-southeast-2',
    'ca-central-1',
    'eu-central-1',
    'eu-north-1',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'sa-east-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
};
