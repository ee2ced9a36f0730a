/** The tool's identity, as reports state it. */
import pkg from '../../package.json' with { type: 'json' };

export const TOOL = {
  name: 'trailgate',
  version: pkg.version,
  informationUri: 'https://github.com/trailgate/trailgate',
} as const;
