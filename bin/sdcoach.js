#!/usr/bin/env node
// Thin launcher (CommonJS, see bin/package.json: a CommonJS entry starts measurably faster than
// an ES module one). All logic lives in dist/bundle/cli.cjs, which `npm run build` makes from
// src/cli.ts and the command registrations (scripts/bundle.mjs); actions are imported lazily
// from tsc's output in dist/.
//
// Node 20 has no module compile cache (module.enableCompileCache is Node ≥ 22.1), so the bundle
// is compiled here with V8's code cache from dist/bundle/cli.cjs.cache (written by the build).
// A cache V8 rejects (another Node version or V8 flags) or a missing one only costs the time
// saved; the bundle then compiles as usual.
'use strict';

// package.json `engines`: Node >= 20.19 (the bundle and ink need it; on older Node they die with a
// bare SyntaxError). Checked before anything loads, with nothing but string and number work, and
// written in syntax old Node still parses (no ?., ??=) so the message itself is reached.
// SDCOACH_TEST_NODE_VERSION stands in for the running version in tests only.
var MIN_NODE = [20, 19];
var nodeVersion = process.env.SDCOACH_TEST_NODE_VERSION || process.versions.node;
var nodeParts = nodeVersion.split('.');
var nodeMajor = Number(nodeParts[0]);
var nodeMinor = Number(nodeParts[1]);
if (!(nodeMajor > MIN_NODE[0] || (nodeMajor === MIN_NODE[0] && nodeMinor >= MIN_NODE[1]))) {
  process.stderr.write('sdcoach needs Node ' + MIN_NODE.join('.') + ' or newer (this is v' + nodeVersion + ')\n');
  process.exit(1);
}

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { pathToFileURL } = require('node:url');

// React (under ink) runs its slow development build unless told otherwise; a user's own
// NODE_ENV is respected.
if (process.env.NODE_ENV === undefined) process.env.NODE_ENV = 'production';

const bundle = path.join(__dirname, '..', 'dist', 'bundle', 'cli.cjs');
const cacheFile = `${bundle}.cache`;
const writeCache = process.env.SDCOACH_WRITE_CODE_CACHE === '1'; // the build sets this, once

function load() {
  const source = fs.readFileSync(bundle, 'utf8');
  // The bundle's first line names its build; the cache starts with the same line.
  const buildLine = Buffer.from(source.slice(0, source.indexOf('\n') + 1));
  let cachedData;
  if (!writeCache) {
    try {
      const cache = fs.readFileSync(cacheFile);
      if (buildLine.length > 1 && buildLine.equals(cache.subarray(0, buildLine.length))) cachedData = cache.subarray(buildLine.length);
    } catch {
      // no cache: compile as usual
    }
  }
  // CommonJS's own wrapper, plus __lazy: the bundle's lazy import()s (scripts/bundle.mjs).
  const wrapped = `(function (exports, require, module, __filename, __dirname, __lazy) {${source}\n});`;
  const script = new vm.Script(wrapped, { filename: bundle, cachedData });
  const module = { exports: {}, filename: bundle, id: bundle };
  const base = pathToFileURL(bundle);
  const lazy = (specifier) => import(specifier.startsWith('.') ? new URL(specifier, base).href : specifier);
  script.runInThisContext()(module.exports, require, module, bundle, path.dirname(bundle), lazy);
  return { cli: module.exports, script, buildLine };
}

const { cli, script, buildLine } = load();

// `sdcoach … | head` closes the pipe early: that is the reader's choice, not an error.
function onStdoutError(error) {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
}
// process.stdout is made on first use, and making it costs more than the rest of --help, which
// does not need it: the handler goes on when something first asks for it.
const stdoutProperty = Object.getOwnPropertyDescriptor(process, 'stdout');
if (stdoutProperty && stdoutProperty.get && stdoutProperty.configurable) {
  Object.defineProperty(process, 'stdout', {
    configurable: true,
    enumerable: stdoutProperty.enumerable,
    get() {
      Object.defineProperty(process, 'stdout', stdoutProperty);
      const stream = process.stdout;
      stream.on('error', onStdoutError);
      return stream;
    },
  });
} else {
  process.stdout.on('error', onStdoutError);
}

if (writeCache) {
  // Build only: run the startup paths worth caching, then save what V8 compiled.
  cli.warmUp().then(() => {
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, Buffer.concat([buildLine, script.createCachedData()]));
    fs.renameSync(temporary, cacheFile);
  });
} else {
  cli.main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`sdcoach: ${(error && error.stack) || error}\n`);
      process.exitCode = 1;
    },
  );
}
