#!/usr/bin/env node
// Thin launcher: all logic lives in dist/cli.js (built by `npm install` via the prepare script).
import { main } from '../dist/cli.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`sdcoach: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
