// `npm run fixtures:openapi [-- <openapi.yaml> [--commit <sha>]]`: refresh
// test/fixtures/openai-openapi/openapi.subset.json from OpenAI's full API description.
//
// The default source is ../shared/reference/openai-openapi.yaml (openapi.yaml of
// github.com/openai/openai-openapi). The commit recorded in the fixture is --commit, or else the
// one named in ../shared/reference/README.md ("openai/openai-openapi (commit abc123…").
// Afterwards run `npx vitest run test/openapi-fixture.test.ts test/openapi-conformance.test.ts`.
// `--check` writes nothing: it says whether the committed fixture still matches the description
// (exit 1 when it is stale). npm test never reads the description: it lives outside the repo.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildSubsetDocument,
  extractComponents,
  readOpenApiFixture,
  ROOT_SCHEMAS,
  OPENAPI_FIXTURE_PATH,
  readOpenApiSource,
  repoRoot,
  serializeSubset,
} from './openapi-fixture.js';

/** The full description, outside the repository (only some checkouts have it beside them). */
const OPENAPI_SOURCE_PATH = path.resolve(repoRoot, '..', 'shared', 'reference', 'openai-openapi.yaml');

const { values, positionals } = parseArgs({ options: { commit: { type: 'string' }, check: { type: 'boolean' } }, allowPositionals: true });
const sourcePath = path.resolve(positionals[0] ?? OPENAPI_SOURCE_PATH);
if (!existsSync(sourcePath)) {
  console.error(`no OpenAPI description at ${sourcePath}; pass its path as the first argument`);
  process.exit(2);
}

function commitFromReadme(): string | undefined {
  const readme = path.join(path.dirname(sourcePath), 'README.md');
  if (!existsSync(readme)) return undefined;
  return /openai\/openai-openapi\s*\(commit\s+([0-9a-f]{7,40})/i.exec(readFileSync(readme, 'utf8'))?.[1];
}

const sha256 = createHash('sha256').update(readFileSync(sourcePath)).digest('hex');

if (values.check) {
  const source = readOpenApiSource(sourcePath);
  const fixture = readOpenApiFixture();
  const same =
    JSON.stringify(extractComponents(source, ROOT_SCHEMAS)) === JSON.stringify(fixture.components) &&
    JSON.stringify({ openapi: source.openapi, info: source.info }) === JSON.stringify({ openapi: fixture.openapi, info: fixture.info });
  if (!same) {
    console.error(`${path.relative(repoRoot, OPENAPI_FIXTURE_PATH)} is stale against ${sourcePath}: run npm run fixtures:openapi and review the diff`);
    process.exit(1);
  }
  // A different file with the same schemas is fine; say so rather than fail.
  const note = sha256 === fixture['x-sdcoach-subset'].source.sha256 ? '' : ' (the source file differs, the extracted schemas do not)';
  console.log(`${path.relative(repoRoot, OPENAPI_FIXTURE_PATH)} matches ${sourcePath}${note}`);
  process.exit(0);
}
const commit = values.commit ?? commitFromReadme();
const subset = buildSubsetDocument(readOpenApiSource(sourcePath), {
  repository: 'openai/openai-openapi',
  ...(commit ? { commit } : {}),
  path: 'openapi.yaml',
  sha256,
});
writeFileSync(OPENAPI_FIXTURE_PATH, serializeSubset(subset));
const counts = Object.entries(subset.components as Record<string, object>).map(([section, entries]) => `${Object.keys(entries).length} ${section}`);
console.log(`wrote ${path.relative(repoRoot, OPENAPI_FIXTURE_PATH)}: ${counts.join(', ')} from ${sourcePath}${commit ? ` (commit ${commit})` : ''}`);
