/**
 * The inventory (snapshot) format, version 1: AWS's own shapes, verbatim, in a thin envelope.
 * See README "Inventory format". A missing optional key means "not collected", never "empty".
 */

/** AWS partitions trailgate knows; each has its own global region. */
export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

/** One element of DescribeTrails' trailList. AWS adds fields over time, so unknown keys are kept. */
export interface Trail {
  Name?: string;
  TrailARN: string;
  HomeRegion?: string;
  IsMultiRegionTrail?: boolean;
  IncludeGlobalServiceEvents?: boolean;
  LogFileValidationEnabled?: boolean;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  KmsKeyId?: string;
  SnsTopicName?: string;
  SnsTopicARN?: string;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  HasCustomEventSelectors?: boolean;
  HasInsightSelectors?: boolean;
  IsOrganizationTrail?: boolean;
  [key: string]: unknown;
}

/** GetTrailStatus output. Times are ISO 8601 strings in an inventory. */
export interface TrailStatus {
  IsLogging?: boolean;
  LatestDeliveryError?: string;
  LatestNotificationError?: string;
  LatestDeliveryTime?: string;
  LatestNotificationTime?: string;
  StartLoggingTime?: string;
  StopLoggingTime?: string;
  LatestCloudWatchLogsDeliveryError?: string;
  LatestCloudWatchLogsDeliveryTime?: string;
  LatestDigestDeliveryTime?: string;
  LatestDigestDeliveryError?: string;
  [key: string]: unknown;
}

export interface DataResource {
  Type?: string;
  Values?: string[];
}

export interface EventSelector {
  ReadWriteType?: 'ReadOnly' | 'WriteOnly' | 'All' | string;
  IncludeManagementEvents?: boolean;
  DataResources?: DataResource[];
  ExcludeManagementEventSources?: string[];
}

export interface AdvancedFieldSelector {
  Field: string;
  Equals?: string[];
  StartsWith?: string[];
  EndsWith?: string[];
  NotEquals?: string[];
  NotStartsWith?: string[];
  NotEndsWith?: string[];
}

export interface AdvancedEventSelector {
  Name?: string;
  FieldSelectors: AdvancedFieldSelector[];
}

export interface InsightSelector {
  InsightType?: string;
}

/** A trail as seen from one account: DescribeTrails plus the per-trail reads. */
export interface TrailEntry {
  Trail: Trail;
  Status?: TrailStatus;
  EventSelectors?: EventSelector[];
  AdvancedEventSelectors?: AdvancedEventSelector[];
  InsightSelectors?: InsightSelector[];
}

export interface AccountInventory {
  accountId: string;
  organizationId?: string;
  regions: string[];
  trails: TrailEntry[];
}

/** An S3 bucket as collected; `null` members were read and are absent, missing ones were not read. */
export interface Bucket {
  Exists?: boolean;
  Region?: string;
  Policy?: string | Record<string, unknown> | null;
  PolicyStatus?: { IsPublic?: boolean } | null;
  PublicAccessBlock?: Record<string, unknown> | null;
  OwnershipControls?: Record<string, unknown> | null;
  Acl?: { Owner?: Record<string, unknown>; Grants?: Record<string, unknown>[] } | null;
  Logging?: Record<string, unknown> | null;
  Versioning?: { Status?: string; MFADelete?: string } | null;
  RequestPayer?: string | null;
  [key: string]: unknown;
}

/** A KMS key as collected, keyed in the inventory by its ARN. */
export interface Key {
  KeyMetadata?: Record<string, unknown> & { Arn?: string; KeyState?: string; KeySpec?: string; KeyManager?: string; MultiRegion?: boolean };
  KeyRotationEnabled?: boolean | null;
  Policy?: string | Record<string, unknown> | null;
  Aliases?: string[];
  [key: string]: unknown;
}

/** A read that failed during collection. */
export interface ReadError {
  accountId: string;
  region?: string;
  service: 'cloudtrail' | 's3' | 'kms' | 'sts' | 'organizations' | 'account' | 'ec2' | string;
  operation: string;
  resource?: string;
  code: string;
  message?: string;
}

export interface Inventory {
  version: 1;
  collectedAt?: string;
  /**
   * Not part of the file format: set when files merged into one were collected at different
   * moments (or some say not when), each account's own file's collectedAt, so a delivery's age
   * is measured from when its status was read, and a file without one leaves it unknown.
   */
  collectedAtByAccount?: Map<string, string | undefined>;
  partition?: Partition;
  accounts: AccountInventory[];
  buckets?: Record<string, Bucket>;
  keys?: Record<string, Key>;
  errors?: ReadError[];
}

/** Where something in an inventory came from: a file and a 1-based line. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/**
 * Source positions of the entries a result can point at, looked up by JSON pointer
 * (`/accounts/3`, `/accounts/3/trails/1`). Kept apart from the data, as cfn-lint does,
 * so evaluation never touches positions.
 */
export interface SourceMap {
  /** Position of the value at `pointer`, or undefined when unknown. */
  locate(pointer: string): SourcePosition | undefined;
  /** Before the first `locate`: `/errors/N` will be asked for too (a JSON map skips them otherwise). */
  wantErrors?(): void;
}

/** A loaded inventory with where its pieces came from. */
export interface LoadedInventory {
  inventory: Inventory;
  /**
   * Per account id, the source map of the file that holds it and the account's index there; for
   * an account known only from its errors, `base` is the pointer of the error that names it.
   */
  sources: Map<string, { map: SourceMap; index: number; base?: string }>;
  files: string[];
}
