#!/usr/bin/env node
// Thin launcher: all logic lives in dist/cli.js (built by `npm install` via the prepare script).
// React (under ink) runs its slow development build unless told otherwise; a user's own
// NODE_ENV is respected.
process.env.NODE_ENV ??= 'production';
const { main } = await import('../dist/cli.js');

// `sdcoach … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`sdcoach: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
