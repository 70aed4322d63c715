/**
 * Validation of what the fake OpenAI server sends against the official OpenAPI description
 * (openai/openai-openapi). The tests read the part of it they need, committed as
 * test/fixtures/openai-openapi/openapi.subset.json (see test/fixtures/README.md;
 * `npm run fixtures:openapi -- --check` checks it against ../shared/reference/openai-openapi.yaml when that
 * file is present).
 *
 * The description says `openapi: 3.1.0` but still carries OpenAPI 3.0 idioms: `nullable: true`
 * (also next to `enum`, next to `$ref`), boolean `exclusiveMinimum`, and vendor keywords
 * (`x-oaiMeta`, `x-stainless-const`, `discriminator`, `example`, custom formats such as `unixtime`).
 * The schemas are normalised to plain JSON Schema 2020-12 before Ajv (2020 dialect) sees them;
 * vendor keywords are left in place and ignored (`strict: false`), everything that constrains
 * data is enforced.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { SentPayload } from './fake-openai.js';
import { OPENAPI_FIXTURE_PATH, readOpenApiFixture } from './openapi-fixture.js';

export const OPENAPI_PATH = OPENAPI_FIXTURE_PATH;
const SPEC_ID = 'https://openai-openapi.local/openapi.json';

type Schema = Record<string, any>;

let documentCache: any;
/** The committed subset of the OpenAPI document (components.schemas and friends): read once per module instance, i.e. once per test file. */
export function loadOpenApiDocument(): any {
  documentCache ??= readOpenApiFixture();
  return documentCache;
}

// Keywords whose value is a map of name → schema, a list of schemas, or a single schema.
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_SINGLES = [
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
];
const ANNOTATION_KEYS = ['description', 'title', 'default', 'example', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment'];
// Keywords that cannot be expressed by adding "null" to `type`: wrap the node in anyOf [node, null].
const NEEDS_WRAP = ['$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'const', 'if'];

/**
 * Turn one OpenAPI (3.0-flavoured) schema into JSON Schema 2020-12, recursively and without
 * mutating the input:
 * - `nullable: true` → `type: [T, "null"]` and `null` appended to any `enum`; when the node has
 *   `$ref`/`allOf`/`anyOf`/`oneOf`/`not`/`const`/`if` (or no `type` and no `enum`), it becomes
 *   `anyOf: [<node>, {type: "null"}]` instead. `nullable: false` is dropped.
 * - `allOf: [X, {nullable: true}]` → X or null.
 * - boolean `exclusiveMinimum`/`exclusiveMaximum` (3.0) → numeric form (2020-12).
 * Only schema positions are walked, so a property *named* `nullable` or `type` is left alone.
 */
export function normalizeOpenApiSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalizeOpenApiSchema);
  if (node === null || typeof node !== 'object') return node;
  const input = { ...(node as Schema) };
  // 3.0 idiom `allOf: [{$ref: X}, {nullable: true}]` means "X or null": hoist the nullable branch.
  if (Array.isArray(input.allOf)) {
    const isNullableOnly = (b: unknown) =>
      !!b && typeof b === 'object' && (b as Schema).nullable === true &&
      Object.keys(b).every((k) => k === 'nullable' || ANNOTATION_KEYS.includes(k));
    if (input.allOf.some(isNullableOnly)) {
      input.allOf = input.allOf.filter((b: unknown) => !isNullableOnly(b));
      input.nullable = true;
    }
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(input)) {
    if (SCHEMA_MAPS.includes(key) && value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeOpenApiSchema(v)]));
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map(normalizeOpenApiSchema);
    } else if (SCHEMA_SINGLES.includes(key) && value && typeof value === 'object') {
      out[key] = normalizeOpenApiSchema(value);
    } else {
      out[key] = value;
    }
  }

  for (const [bool, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[bool] === 'boolean') {
      if (out[bool] && typeof out[bound] === 'number') {
        out[bool] = out[bound];
        delete out[bound];
      } else {
        delete out[bool];
      }
    }
  }

  if (!('nullable' in out)) return out;
  const nullable = out.nullable === true;
  delete out.nullable;
  if (!nullable) return out;

  const canExtendType = !NEEDS_WRAP.some((k) => k in out) && ('type' in out || Array.isArray(out.enum));
  if (!canExtendType) return { anyOf: [out, { type: 'null' }] };
  if (typeof out.type === 'string' && out.type !== 'null') out.type = [out.type, 'null'];
  else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return out;
}

/** The Batch API's line formats (BatchRequestInput, BatchRequestOutput), kept beside the subset: see that file's note. */
let batchLines: Record<string, unknown> | undefined;
function batchLineSchemas(): Record<string, unknown> {
  batchLines ??= JSON.parse(readFileSync(path.join(path.dirname(OPENAPI_FIXTURE_PATH), 'batch-lines.schema.json'), 'utf8')).schemas;
  return batchLines!;
}

let ajvCache: InstanceType<typeof Ajv2020> | undefined;
function ajvInstance(): InstanceType<typeof Ajv2020> {
  if (ajvCache) return ajvCache;
  const document = loadOpenApiDocument();
  const schemas = Object.fromEntries(
    Object.entries({ ...document.components.schemas, ...batchLineSchemas() } as Record<string, unknown>).map(([name, schema]) => [name, normalizeOpenApiSchema(schema)]),
  );
  // strict: false → vendor keywords (x-*, discriminator, example) are ignored, not rejected.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  const addFormats = ((addFormatsImport as any).default ?? addFormatsImport) as (a: unknown) => void;
  addFormats(ajv);
  // OpenAPI-specific formats.
  ajv.addFormat('unixtime', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 });
  for (const name of ['int32', 'int64']) {
    if (!ajv.formats[name]) ajv.addFormat(name, { type: 'number', validate: (n: number) => Number.isInteger(n) });
  }
  for (const name of ['float', 'double']) if (!ajv.formats[name]) ajv.addFormat(name, { type: 'number', validate: () => true });
  if (!ajv.formats['binary']) ajv.addFormat('binary', true);
  // The normalised schemas live at their OpenAPI location so `#/components/schemas/X` refs resolve.
  ajv.addSchema({ $id: SPEC_ID, components: { schemas } });
  ajvCache = ajv;
  return ajv;
}

const validators = new Map<string, ValidateFunction>();
/** Compiled validator for `components.schemas[name]` (compiled once, cached). */
export function validatorFor(name: string): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    const document = loadOpenApiDocument();
    if (!document.components.schemas[name] && !batchLineSchemas()[name]) throw new Error(`no schema components.schemas.${name} in ${OPENAPI_PATH} (add it to ROOT_SCHEMAS in test/support/openapi-fixture.ts and run npm run fixtures:openapi)`);
    validate = ajvInstance().compile({ $ref: `${SPEC_ID}#/components/schemas/${name}` });
    validators.set(name, validate);
  }
  return validate;
}

export function formatAjvErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)} [${e.schemaPath}]`,
  );
}

/** All validation errors of `value` against `components.schemas[name]`; empty when valid. */
export function validateAgainst(name: string, value: unknown): string[] {
  const validate = validatorFor(name);
  return validate(value) ? [] : formatAjvErrors(validate.errors);
}

export const SCHEMA_FOR_KIND: Record<SentPayload['kind'], string> = {
  chunk: 'CreateChatCompletionStreamResponse',
  completion: 'CreateChatCompletionResponse',
  models: 'ListModelsResponse',
  model: 'Model',
  error: 'ErrorResponse',
};

/** Validate every payload the fake sent; returns one line per error, prefixed with the payload's index and kind. */
export function validateSent(sent: readonly SentPayload[]): string[] {
  const problems: string[] = [];
  sent.forEach((entry, index) => {
    const schema = SCHEMA_FOR_KIND[entry.kind];
    for (const error of validateAgainst(schema, entry.payload)) {
      problems.push(`sent[${index}] ${entry.kind} (${schema}): ${error}\n    payload: ${JSON.stringify(entry.payload)}`);
    }
  });
  return problems;
}
