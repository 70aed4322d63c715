// Build step after tsc: bundles the CLI entry (src/cli.ts), the command registrations and
// commander into one file, dist/bundle/cli.cjs, so `sdcoach --help`, `--version` and the
// completion helper read one file instead of ~20 modules. Every dynamic import() stays a
// dynamic import of tsc's output in dist/ (the code the tests run), so actions and the heavy
// packages they use (ink, react, openai, marked, zod, yaml…) load only when an action runs.
// The bundle sits two folders below the package root, like dist/storage/paths.js, so
// packageRoot() finds package.json, prompts/ and rubrics/ from either. It also writes the
// packaged problem index, dist/problem-index.json (see below).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');
const outdir = path.join(root, 'dist', 'bundle');
const outfile = path.join(outdir, 'cli.cjs');

/** Packages a static import must never pull into the bundle: they would load for --help. */
const HEAVY = ['ink', 'react', 'openai', 'marked', 'marked-terminal', 'node-llama-cpp', 'gpt-tokenizer', 'zod', 'yaml', 'conf', 'asciichart'];

const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

/**
 * commander requires node:child_process at load time for executable subcommands, which sdcoach
 * does not use; loading it costs more than the rest of commander. It is required on first use.
 * @type {import('esbuild').Plugin}
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!text.includes(eager)) return { errors: [{ text: `commander changed: no "${eager}" in ${args.path}` }] };
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: text.replace(eager, lazy), loader: 'js' };
    });
  },
};

/** Write then rename: a CLI started while the build runs reads the old file or the new one. */
async function writeAtomic(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}

/** Every specifier left as a dynamic import(), as it appears in the output. */
const lazySpecifiers = new Set();

/** @type {import('esbuild').Plugin} */
const lazyImports = {
  name: 'lazy-imports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const relative = args.path.startsWith('.');
      if (args.kind === 'dynamic-import') {
        if (!relative) {
          lazySpecifiers.add(args.path);
          return { path: args.path, external: true };
        }
        // ../storage/paths.js from src/commands/doctor.ts → ../storage/paths.js from dist/bundle/.
        const target = path.resolve(path.dirname(args.importer), args.path);
        const fromSrc = path.relative(src, target);
        if (fromSrc.startsWith('..')) return { errors: [{ text: `dynamic import outside src/: ${args.path}` }] };
        const built = path.join(root, 'dist', fromSrc);
        const spec = path.relative(outdir, built).split(path.sep).join('/');
        const external = spec.startsWith('.') ? spec : './' + spec;
        lazySpecifiers.add(external);
        return { path: external, external: true };
      }
      if (args.path.startsWith('node:')) return undefined;
      if (!relative && HEAVY.includes(packageName(args.path)) && args.importer.startsWith(src)) {
        return {
          errors: [
            {
              text: `${path.relative(root, args.importer)} imports ${args.path} statically: it would load for every command, --help included. Import it inside the action (await import(...)).`,
            },
          ],
        };
      }
      return undefined;
    });
  },
};

// A code cache belongs to exactly one build of the bundle (V8 checks little more than the source
// length): both carry this id, and bin/sdcoach.js ignores a cache with another.
const buildId = `// sdcoach bundle ${randomBytes(8).toString('hex')}`;
await mkdir(outdir, { recursive: true });
for (const name of await readdir(outdir)) if (name.endsWith('.cache')) await rm(path.join(outdir, name));

const result = await build({
  entryPoints: [path.join(src, 'cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // paths.ts finds the package root from import.meta.url; in CommonJS that is this file's URL.
  define: { 'import.meta.url': '__bundle_import_meta_url' },
  banner: { js: `${buildId}\n'use strict';\nconst __bundle_import_meta_url = require('node:url').pathToFileURL(__filename).href;` },
  plugins: [lazyImports, lazyChildProcess],
  minify: true,
  metafile: true,
  sourcemap: false, // the tarball ships no maps, so the bundle must not point at one
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
});

// bin/sdcoach.js compiles the bundle with vm.Script to use a code cache, and import() in such a
// script needs a loader callback that Node 20 loses for cached functions and marks experimental.
// So each lazy import("x") calls __lazy("x") instead, a function the launcher passes in (same
// length as `import`, so the source map stays exact).
for (const output of result.outputFiles) {
  if (!output.path.endsWith('.cjs')) {
    await writeAtomic(output.path, output.contents);
    continue;
  }
  let text = output.text;
  for (const spec of lazySpecifiers) text = text.split(`import(${JSON.stringify(spec)})`).join(`__lazy(${JSON.stringify(spec)})`);
  const left = text.match(/\bimport\(/g);
  if (left) throw new Error(`bundle: ${left.length} import() left in ${output.path} that bin/sdcoach.js could not load`);
  await writeAtomic(output.path, text);
}

await writeAtomic(path.join(outdir, 'meta.json'), JSON.stringify(result.metafile, null, 2) + '\n');
const bytes = result.metafile.outputs[path.relative(root, outfile)]?.bytes ?? 0;
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`bundle: ${path.relative(root, outfile)} ${(bytes / 1024).toFixed(0)} kB from ${inputs} modules`);

// The packaged problem index (src/content/problem-index.ts): the row `sdcoach problems` prints
// for each packaged problem, made by the built loader, so even the first listing after install
// loads neither zod nor yaml. Its fingerprint is a hash of the loader bundled with everything it
// runs (schemas, zod, yaml): rows made by any other loader are never used.
const loaderBundle = await build({
  entryPoints: [path.join(root, 'dist', 'content', 'problem-loader.js')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  write: false,
  logLevel: 'warning',
});
const loaderFingerprint = createHash('sha256')
  .update(loaderBundle.outputFiles.map((f) => f.text).join('\0'))
  .digest('hex')
  .slice(0, 32);
const { writePackagedProblemIndex } = await import(pathToFileURL(path.join(root, 'dist', 'content', 'problem-index.js')).href);
const problemIndex = await writePackagedProblemIndex(loaderFingerprint, root);
console.log(
  `bundle: ${path.relative(root, problemIndex.file)} ${problemIndex.rows} problems` +
    (problemIndex.broken.length > 0 ? ` (not indexed, broken: ${problemIndex.broken.join(', ')})` : ''),
);

// V8 code cache: bin/sdcoach.js runs the startup paths (--help, --version, completion) once and
// saves what V8 compiled. Made here, on the machine that runs sdcoach (npm ci/install builds).
const warm = spawnSync(process.execPath, [path.join(root, 'bin', 'sdcoach.js')], {
  env: { ...process.env, SDCOACH_WRITE_CODE_CACHE: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (warm.status !== 0) {
  console.error(`bundle: writing the code cache failed (exit ${warm.status}); sdcoach works without it, only slower to start`);
  process.exit(1);
}
