// `npm run fixtures:openapi [-- <openapi.yaml> [--commit <sha>]]`: refresh
// test/fixtures/openai-openapi/openapi.subset.json from OpenAI's full API description.
//
// The default source is ../shared/reference/openai-openapi.yaml (openapi.yaml of
// github.com/openai/openai-openapi). The commit recorded in the fixture is --commit, or else the
// one named in ../shared/reference/README.md ("openai/openai-openapi (commit abc123…").
// Afterwards run `npx vitest run test/openapi-fixture.test.ts test/openapi-conformance.test.ts`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildSubsetDocument,
  OPENAPI_FIXTURE_PATH,
  OPENAPI_SOURCE_PATH,
  readOpenApiSource,
  repoRoot,
  serializeSubset,
} from './openapi-fixture.js';

const { values, positionals } = parseArgs({ options: { commit: { type: 'string' } }, allowPositionals: true });
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
