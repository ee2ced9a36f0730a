#!/usr/bin/env node
// The published entry point: the esbuild bundle built by `npm run build` (run by `prepare`).
import '../lib/trailgate.js';
