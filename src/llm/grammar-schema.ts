// A request's JSON Schema (as sent to OpenAI's structured output) → the subset node-llama-cpp
// turns into a grammar (its GbnfJsonSchema): `anyOf` becomes `oneOf`, a list of types becomes a
// `oneOf` of single types, and keywords a grammar cannot enforce (minimum, pattern, $schema…)
// are dropped. The reply is still checked against the full schema by its reader (the judge's zod).
type Json = Record<string, unknown>;

/** Keywords node-llama-cpp's JSON-schema grammar understands; everything else is dropped. */
const KEPT = new Set([
  'type', 'enum', 'const', 'oneOf', 'properties', 'additionalProperties', 'required', 'items', 'prefixItems',
  'minItems', 'maxItems', 'minLength', 'maxLength', 'format', 'description', '$defs', '$ref', 'minProperties', 'maxProperties',
]);

const FORMATS = new Set(['date-time', 'time', 'date']);

export function toGrammarSchema(schema: unknown): Json {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const source = node as Json;
    const out: Json = {};
    for (const [key, value] of Object.entries(source)) {
      if (key === 'anyOf') out.oneOf = visit(value);
      else if (key === 'format' && !FORMATS.has(value as string)) continue;
      else if (key === 'properties' || key === '$defs') {
        out[key] = Object.fromEntries(Object.entries(value as Json).map(([name, sub]) => [name, visit(sub)]));
      } else if (KEPT.has(key)) out[key] = visit(value);
    }
    // ["number", "null"] → oneOf, which every version of the grammar builder accepts.
    if (Array.isArray(out.type)) {
      const { type, ...rest } = out;
      return { ...(rest.description ? { description: rest.description } : {}), oneOf: (type as string[]).map((t) => (t === 'null' ? { type: t } : { ...rest, type: t })) };
    }
    return out;
  };
  return visit(schema) as Json;
}
