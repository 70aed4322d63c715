/**
 * The committed subset of OpenAI's API description (test/fixtures/openai-openapi/openapi.subset.json,
 * read by the conformance tests) is self-contained, and, when the full description is beside the
 * repository (../shared/reference/openai-openapi.yaml), still exactly what the extraction script
 * takes from it. Refresh it with `npm run fixtures:openapi`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  extractComponents,
  OPENAPI_FIXTURE_PATH,
  OPENAPI_SOURCE_PATH,
  readOpenApiFixture,
  readOpenApiSource,
  repoRoot,
  ROOT_SCHEMAS,
} from './support/openapi-fixture.js';

const fixture = readOpenApiFixture();
const REFRESH = 'the fixture is stale: run `npm run fixtures:openapi` and review the diff';

describe('the committed OpenAPI subset', () => {
  it('holds every root schema and, transitively, everything they $ref: nothing missing, nothing extra', () => {
    expect(fixture['x-sdcoach-subset'].roots).toEqual([...ROOT_SCHEMAS]);
    expect(extractComponents(fixture, ROOT_SCHEMAS)).toEqual(fixture.components);
    expect(Object.keys(fixture.components.schemas)).toEqual(expect.arrayContaining([...ROOT_SCHEMAS]));
  });

  it('names its source and licence', () => {
    expect(fixture['x-sdcoach-subset'].source).toMatchObject({ repository: 'openai/openai-openapi', path: 'openapi.yaml' });
    expect(fixture.info.license).toMatchObject({ name: 'MIT' });
    const dir = path.dirname(OPENAPI_FIXTURE_PATH);
    expect(readFileSync(path.join(dir, 'LICENSE'), 'utf8')).toMatch(/The MIT License[\s\S]*Copyright \(c\) OpenAI/);
    expect(readFileSync(path.join(repoRoot, 'test', 'fixtures', 'README.md'), 'utf8')).toContain(path.basename(OPENAPI_FIXTURE_PATH));
  });

  it('still matches ../shared/reference/openai-openapi.yaml', (ctx) => {
    if (!existsSync(OPENAPI_SOURCE_PATH)) {
      const reason = `${path.relative(repoRoot, OPENAPI_SOURCE_PATH)} not found beside the repository: fixture not compared with its source`;
      console.warn(`skipped: ${reason}`);
      ctx.skip(reason);
    }
    const source = readOpenApiSource();
    expect(extractComponents(source, ROOT_SCHEMAS), REFRESH).toEqual(fixture.components);
    expect({ openapi: source.openapi, info: source.info }, REFRESH).toEqual({ openapi: fixture.openapi, info: fixture.info });
    const sha256 = createHash('sha256').update(readFileSync(OPENAPI_SOURCE_PATH)).digest('hex');
    // A different file with the same schemas is fine; say so rather than fail.
    if (sha256 !== fixture['x-sdcoach-subset'].source.sha256) {
      console.warn(`note: ${OPENAPI_SOURCE_PATH} differs from the fixture's source file, but the extracted schemas are identical`);
    }
  });
});
