/** Inventories copied from real AWS output: what one CLI version prints is read like another's. */
import { expect } from 'chai';
import { parseInventory } from '../../src/inventory/parse.ts';

const ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t';

function withStatus(status: string): string {
  return `{"version": 1, "accounts": [{"accountId": "111122223333", "regions": ["us-east-1"],
  "trails": [{"Trail": {"TrailARN": "${ARN}", "Name": "t", "HomeRegion": "us-east-1"}, "Status": ${status}}]}]}`;
}

describe('inventory from AWS CLI output', () => {
  it('reads get-trail-status times in epoch seconds (AWS CLI v1, the raw API) as ISO 8601', () => {
    const v1 = `{"IsLogging": true, "LatestDeliveryTime": 1763604000.052, "StartLoggingTime": 1741944600,
      "LatestDigestDeliveryTime": 1763602262, "LatestCloudWatchLogsDeliveryTime": 1763603892.345, "StopLoggingTime": 1763604300,
      "LatestNotificationTime": 1763603999.5, "LatestDeliveryAttemptTime": "2025-11-20T02:00:00Z", "TimeLoggingStopped": ""}`;
    const status = parseInventory(withStatus(v1), 'v1.json').inventory.accounts[0].trails[0].Status;
    expect(status).to.deep.equal({
      IsLogging: true,
      LatestDeliveryTime: '2025-11-20T02:00:00.052Z',
      StartLoggingTime: '2025-03-14T09:30:00.000Z',
      LatestDigestDeliveryTime: '2025-11-20T01:31:02.000Z',
      LatestCloudWatchLogsDeliveryTime: '2025-11-20T01:58:12.345Z',
      StopLoggingTime: '2025-11-20T02:05:00.000Z',
      LatestNotificationTime: '2025-11-20T01:59:59.500Z',
      LatestDeliveryAttemptTime: '2025-11-20T02:00:00Z',
      TimeLoggingStopped: '',
    });
  });

  it('keeps CLI v2 times as printed', () => {
    const v2 = '{"IsLogging": true, "LatestDeliveryTime": "2026-11-20T01:59:59.123000+00:00"}';
    const status = parseInventory(withStatus(v2), 'v2.json').inventory.accounts[0].trails[0].Status;
    expect(status?.LatestDeliveryTime).to.equal('2026-11-20T01:59:59.123000+00:00');
  });
});
