/**
 * The committed subset of OpenAI's API description (test/fixtures/openai-openapi/openapi.subset.json,
 * read by the conformance tests) is self-contained. Whether it still matches the full description
 * (outside the repo, so never read by npm test) is `npm run fixtures:openapi -- --check`;
 * refresh it with `npm run fixtures:openapi`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  extractComponents,
  OPENAPI_FIXTURE_PATH,
  readOpenApiFixture,
  repoRoot,
  ROOT_SCHEMAS,
} from './support/openapi-fixture.js';

const fixture = readOpenApiFixture();

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
});
