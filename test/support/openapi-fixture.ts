/**
 * The part of OpenAI's API description the tests need, committed under test/fixtures/ so that a
 * clone with nothing beside it can run them. `buildSubsetDocument` builds it from the full
 * description; test/support/extract-openapi-fixture.ts (`npm run fixtures:openapi`, never run by
 * npm test) finds that description outside the repo, writes the subset, and with --check says
 * whether the committed copy still matches. Nothing here reads outside the repository.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
/** The committed subset the tests read. */
export const OPENAPI_FIXTURE_PATH = path.join(repoRoot, 'test', 'fixtures', 'openai-openapi', 'openapi.subset.json');
/** The payloads the fake server sends (test/support/openapi.ts SCHEMA_FOR_KIND); everything they $ref comes along. */
export const ROOT_SCHEMAS = [
  'CreateChatCompletionStreamResponse',
  'CreateChatCompletionResponse',
  'ListModelsResponse',
  'Model',
  'ErrorResponse',
  // The Batch API (grade --batch-api): the fake's Files and Batches objects, and the request
  // body each batch input line carries.
  'CreateBatchRequest',
  'Batch',
  'OpenAIFile',
  'CreateChatCompletionRequest',
] as const;

type Json = any;

/** Parse the full YAML description (3 MB, ≈1 s; it uses anchors and aliases). */
export function readOpenApiSource(file: string): Json {
  return YAML.parse(readFileSync(file, 'utf8'), { maxAliasCount: -1 });
}

/** Every local `#/components/<section>/<name>` reference anywhere below `node`. */
function localRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) localRefs(item, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else localRefs(value, out);
    }
  }
  return out;
}

function decodePointerPart(part: string): string {
  return decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * `components` restricted to `roots` (schema names) and everything they reference, transitively,
 * copied verbatim (vendor keywords and examples included). Keys are sorted so the output is
 * stable. Throws on a reference that does not resolve or is not under `#/components/`.
 */
export function extractComponents(document: Json, roots: readonly string[] = ROOT_SCHEMAS): Record<string, Record<string, Json>> {
  const picked: Record<string, Record<string, Json>> = {};
  const queue = roots.map((name) => `#/components/schemas/${name}`);
  const seen = new Set<string>();
  while (queue.length > 0) {
    const ref = queue.shift()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const parts = ref.split('/');
    if (parts.length !== 4 || parts[0] !== '#' || parts[1] !== 'components') throw new Error(`unsupported $ref ${ref}`);
    const [section, name] = [decodePointerPart(parts[2]!), decodePointerPart(parts[3]!)];
    const value = document.components?.[section]?.[name];
    if (value === undefined) throw new Error(`$ref ${ref} does not resolve`);
    (picked[section] ??= {})[name] = value;
    queue.push(...localRefs(value));
  }
  const sorted = (o: Record<string, Json>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  return Object.fromEntries(Object.keys(picked).sort().map((section) => [section, sorted(picked[section]!)]));
}

export interface SourceInfo {
  /** Where the description comes from, e.g. "openai/openai-openapi". */
  repository: string;
  /** The commit of that repository, when known. */
  commit?: string;
  /** File in that repository. */
  path: string;
  sha256: string;
}

/** A small OpenAPI document: the source's `openapi` and `info`, a note on its origin, and the extracted components. */
export function buildSubsetDocument(document: Json, source: SourceInfo, roots: readonly string[] = ROOT_SCHEMAS): Json {
  return {
    openapi: document.openapi,
    info: document.info,
    'x-sdcoach-subset': {
      note: 'Extracted by test/support/extract-openapi-fixture.ts; do not edit by hand. See test/fixtures/README.md.',
      source,
      roots: [...roots],
    },
    components: extractComponents(document, roots),
  };
}

export function serializeSubset(subset: Json): string {
  return JSON.stringify(subset, null, 2) + '\n';
}

/** The committed subset. */
export function readOpenApiFixture(file = OPENAPI_FIXTURE_PATH): Json {
  return JSON.parse(readFileSync(file, 'utf8'));
}
