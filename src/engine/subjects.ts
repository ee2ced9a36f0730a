/**
 * Subjects: the inventory seen as the things rules judge. One TrailSubject per TrailARN
 * (shadow copies and the copies member accounts see folded together: trail-subject.ts), and per
 * account the region and account views over the trails that apply to it. Built once per evaluation
 * (model.ts); this module holds their shapes, which rules, built-ins and policies read.
 */
import type {
  AdvancedEventSelector,
  Bucket,
  EventSelector,
  InsightSelector,
  Key,
  Partition,
  Trail,
  TrailStatus,
} from '../inventory/types.ts';
import type { FailedRead, Subject } from './result.ts';
import type { Selectors } from './facts.ts';
import type { ReadState } from './reads.ts';

/** Derived facts about a trail, named so rule authors can use them as `facts.<name>`. */
export interface TrailFacts {
  /** The account the trail is seen from owns it (always true on a trail-scoped subject). */
  owned: boolean;
  ownerAccountId: string;
  isOrganizationTrail: boolean;
  multiRegion: boolean;
  coversGlobalRegion: boolean;
  kmsEncrypted: boolean;
  /**
   * The region of the trail's KMS key: the one in KmsKeyId when it is an ARN, else the trail's
   * home region (a bare key id or alias names a key there). Absent without a key. KMS commands
   * must be sent there, which need not be the trail's home region (the key follows the bucket).
   */
  keyRegion?: string;
  /**
   * The selectors were collected and take no management events (a data-only trail). False when
   * they take some, and also when they were not collected: a rule may use it only to leave a
   * trail out where that leans towards failing, never to pass one.
   */
  knownToSkipManagementEvents: boolean;
  /** Undefined below when the selectors were not collected. */
  recordsAllManagementEvents?: boolean;
  eventSelectorCount?: number;
  dataResourceCount?: number;
  advancedSelectorCount?: number;
  advancedValueCount?: number;
  /** S3 object write / read events for every bucket of the partition (undefined: selectors not collected). */
  recordsS3WriteDataEvents?: boolean;
  recordsS3ReadDataEvents?: boolean;
  /** Hours from Status.LatestCloudWatchLogsDeliveryTime to the inventory's collectedAt (undefined: either is missing). */
  cloudWatchLogsDeliveryAgeHours?: number;
  /**
   * The trail's KMS key is customer managed / symmetric unless its metadata says otherwise
   * (KeyManager AWS; a KeySpec other than SYMMETRIC_DEFAULT). Undefined when there is no key.
   */
  keyCustomerManaged?: boolean;
  keySymmetric?: boolean;
  /** False when KMS answered DescribeKey with NotFoundException: the trail's key does not exist. Undefined when there is no key. */
  keyFound?: boolean;
  /** The trail has insight selectors: from GetInsightSelectors, else DescribeTrails' HasInsightSelectors. */
  hasInsightSelectors?: boolean;
}

/** Where in the inventory a subject's entry is: an account id and a pointer inside its entry. */
export interface Anchor {
  accountId: string;
  pointer: string;
}

/** One trail, once per TrailARN, under the account that owns it. */
export interface TrailSubject {
  kind: 'trail';
  accountId: string;
  region: string;
  /** What its results are about, built once and shared by every result. */
  subject: Subject;
  partition: Partition;
  /** The owner's organization id, when the inventory knows it. */
  organizationId?: string;
  /**
   * For an organization trail whose organization id the inventory does not know: the recorded
   * DescribeOrganization failure that explains why (the owner's, else that of an account that
   * sees the trail), so a rule that needs the id can name the read and the permission.
   */
  organizationFailure?: FailedRead;
  /**
   * For an organization trail: the other accounts of its organization that the inventory lists
   * (naming the organization id, or seeing the trail), in id order. CloudTrail delivers each
   * one's logs under `AWSLogs/<org-id>/<account>/`.
   */
  organizationMembers?: readonly string[];
  /**
   * For a multi-region trail: the regions besides the home region that the inventories of its
   * owner and (for an organization trail) its members list, in name order. CloudTrail writes each
   * one's logs under `.../CloudTrail/<region>/`.
   */
  otherRegions?: readonly string[];
  collectedAt?: string;
  /**
   * When merged inventories differ in collectedAt: the account whose inventory's collectedAt is
   * this trail's "now", so that a message about a missing one can say which inventory lacks it.
   */
  collectedAtAccount?: string;
  Trail: Trail;
  Status?: TrailStatus;
  EventSelectors?: EventSelector[];
  AdvancedEventSelectors?: AdvancedEventSelector[];
  InsightSelectors?: InsightSelector[];
  /** The selectors in effect (AWS's default when the trail has no custom ones). */
  selectors?: Selectors;
  Bucket?: Bucket;
  Key?: Key;
  facts: TrailFacts;
  anchor: Anchor;
  /** Whether a read (`Status`, `Bucket.Policy`, ...) is usable for this trail. */
  read(name: string): ReadState;
}

/** The trails that cover one region of one account. */
export interface RegionSubject {
  kind: 'region';
  accountId: string;
  region: string;
  subject: Subject;
  trails: TrailSubject[];
  anchor: Anchor;
  /** Whether the trail list itself is complete. */
  listState: ReadState;
}

/** The trails that apply to one account. */
export interface AccountSubject {
  kind: 'account';
  accountId: string;
  subject: Subject;
  organizationId?: string;
  regions: string[];
  trails: TrailSubject[];
  anchor: Anchor;
  listState: ReadState;
  /**
   * When the entry lists its regions: each DescribeTrails failure recorded for a region it does not
   * list (a hand-written inventory that left such a region out; empty when there is none), naming
   * its region, so that a region rule whose `where` leaves those regions out need not call them
   * unseen. Undefined when the entry lists no region: which regions the account has is unknown.
   */
  unlistedRegionFailures?: FailedRead[];
}

export interface Model {
  trails: TrailSubject[];
  regions: RegionSubject[];
  /**
   * Regions an account's entry does not list where single-region trails it owns are homed (a hand-written
   * inventory, a planned configuration): nobody looked there, so a region rule judges them only
   * for what the trails they show already break (evaluate.ts), never passing them and never
   * calling them unread. Their trail lists are incomplete (NotCollected).
   */
  unlistedRegions: RegionSubject[];
  accounts: AccountSubject[];
  partition: Partition;
}
