// Strict YAML + zod loading with positions, for files people edit by hand (rubrics, problem
// front-matter). Every problem comes back as `file:line:column: message` in plain words: a zod
// issue path is walked back through the YAML node tree to the key or value it is about, unknown
// keys get a did-you-mean against the keys that object allows, and zod's messages are translated
// ("weight must be a number, got string "heavy"", "anchors is missing score 4").
//
// Which position an error names:
//   - YAML syntax errors: yaml's own position;
//   - an unknown key, or a cross-reference check that names a key (`unknown dimension "x"`): the key;
//   - a missing key: the key of the mapping it is missing from (`anchors:`), or the mapping's
//     first line when it is a list item or the whole file;
//   - anything else (wrong type, out of range, not one of the allowed values): the value.
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type Pair,
} from 'yaml';
import type { ZodType } from 'zod';

/** One problem in a file, at a 1-based line and column. */
export interface YamlError {
  file: string;
  line: number;
  column: number;
  message: string;
}

export type YamlParseResult<T> = { ok: true; value: T } | { ok: false; errors: YamlError[] };

export interface ParseYamlOptions {
  /** Lines in the real file before this YAML text (front-matter after a `---` line: 1). */
  lineOffset?: number;
}

/** `file:line:column: message`, the format editors and terminals turn into links. */
export function formatYamlError(error: YamlError): string {
  return `${error.file}:${error.line}:${error.column}: ${error.message}`;
}

/**
 * Splits `---`-delimited front-matter from a markdown body. `frontMatter` is null when the text
 * does not start with a `---` line or the block is never closed (by `---` or `...`).
 * `frontMatterLine` is the 1-based line of the first front-matter line (2 after the opening
 * `---`), so `lineOffset: frontMatterLine - 1` makes errors name whole-file lines.
 * A leading byte-order mark is ignored.
 */
export function splitFrontMatter(text: string): { frontMatter: string | null; body: string; frontMatterLine: number } {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const opening = /^---[ \t]*(\r?\n|$)/.exec(source);
  if (!opening) return { frontMatter: null, body: source, frontMatterLine: 0 };
  const start = opening[0].length;
  const closing = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/gm;
  closing.lastIndex = start;
  // An empty block (`---` straight after `---`) closes at `start` itself.
  const match = closing.exec(source);
  if (!match || match.index < start) return { frontMatter: null, body: source, frontMatterLine: 0 };
  return {
    frontMatter: source.slice(start, match.index),
    body: source.slice(match.index + match[0].length),
    frontMatterLine: 2,
  };
}

/**
 * Parses one YAML document and validates it with `schema`. Never throws: syntax errors and every
 * schema issue come back positioned, sorted by line.
 */
export function parseYamlDocument<T>(
  text: string,
  file: string,
  schema: ZodType<T>,
  options: ParseYamlOptions = {},
): YamlParseResult<T> {
  const lineOffset = options.lineOffset ?? 0;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { keepSourceTokens: true, lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, message: string): YamlError => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { file, line: line + lineOffset, column: col, message };
  };

  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => at(e.pos[0], syntaxMessage(e.code, e.message)));
    return { ok: false, errors: sortErrors(errors) };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, errors: [at(0, `cannot read the YAML: ${(error as Error).message}`)] };
  }
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };

  const errors: YamlError[] = [];
  for (const issue of result.error.issues as Issue[]) {
    for (const { offset, message } of describeIssue(issue, doc, schema)) errors.push(at(offset, message));
  }
  return { ok: false, errors: sortErrors(dedupe(errors)) };
}

// ---------------------------------------------------------------------------------------------
// zod issues → positioned, plain-words messages

/** The parts of a zod 4 issue we read (the union of its variants, loosely). */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  input?: unknown;
  expected?: string;
  keys?: string[];
  values?: unknown[];
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  format?: string;
  pattern?: string;
  errors?: Issue[][];
}

type Segment = string | number;

interface Positioned {
  offset: number;
  message: string;
}

function describeIssue(issue: Issue, doc: Document, schema: ZodType<unknown>): Positioned[] {
  const path = issue.path.filter((p): p is Segment => typeof p === 'string' || typeof p === 'number');
  const found = locate(doc, path);
  const what = subject(path);
  const got = describeValue(issue.input);
  const atValue = (message: string): Positioned[] => [
    { offset: found.complete ? valuePosition(found) : parentPosition(found), message },
  ];

  switch (issue.code) {
    case 'unrecognized_keys':
      return unknownKeys(issue.keys ?? [], path, found, objectKeys(schema, path));

    case 'invalid_type': {
      const missing = !found.complete && path.length > 0 && found.depth === path.length - 1;
      if (!missing) return atValue(`${what} must be ${expectedWords(issue.expected)}, got ${got}`);
      // `wieght:` present and `weight` missing: the unknown-key error's did-you-mean says it all.
      const key = String(path[path.length - 1]);
      if (misspeltAs(found.node, key, objectKeys(schema, path.slice(0, -1)))) return [];
      return [{ offset: parentPosition(found), message: missingMessage(path) }];
    }

    case 'invalid_value': {
      const values = issue.values ?? [];
      if (values.length === 1) return atValue(`${what} must be ${JSON.stringify(values[0])}, got ${got}`);
      const names = values.map(String);
      const guess = typeof issue.input === 'string' ? didYouMean(issue.input, names) : undefined;
      return atValue(`${what} must be one of ${names.join(', ')}, got ${got}${guess ? ` (did you mean "${guess}"?)` : ''}`);
    }

    case 'too_small':
    case 'too_big':
      return atValue(sizeMessage(issue, path));

    case 'invalid_format': {
      const why = !isDefaultMessage(issue.message)
        ? issue.message
        : issue.pattern
          ? `it must match ${issue.pattern}`
          : `it must be a valid ${issue.format ?? 'value'}`;
      return atValue(`${what} ${got} is not valid: ${why}`);
    }

    case 'invalid_union': {
      // Each branch's own type expectation: "version must be text or a number".
      const expected = new Set<string>();
      for (const branch of issue.errors ?? []) {
        for (const b of branch) if (b.code === 'invalid_type' && b.path.length === 0) expected.add(expectedWords(b.expected));
      }
      return atValue(`${what} ${expected.size > 0 ? `must be ${[...expected].join(' or ')}` : 'is not valid'}, got ${got}`);
    }

    case 'custom': {
      // A check that names the last key (`unknown dimension "x"`) is about the key, not its value.
      const last = path[path.length - 1];
      const aboutKey = typeof last === 'string' && issue.message.includes(`"${last}"`) && found.complete && found.pair;
      const named = aboutKey ? path.slice(0, -1) : path;
      const message = named.length > 0 ? `${formatPath(named)}: ${issue.message}` : issue.message;
      if (aboutKey) return [{ offset: startOf(found.pair?.key) ?? valuePosition(found), message }];
      return atValue(message);
    }

    default:
      return atValue(isDefaultMessage(issue.message) ? `${what} is not valid: ${issue.message}` : `${what}: ${issue.message}`);
  }
}

/** One error per unknown key, at the key, with a did-you-mean (or the allowed keys when nothing is close). */
function unknownKeys(keys: string[], path: Segment[], found: Located, allowed: string[] | undefined): Positioned[] {
  const mapping = found.complete && isMap(found.node) ? found.node : undefined;
  const fallback = found.complete ? valuePosition(found) : parentPosition(found);
  return keys.map((key) => {
    const pair = mapping ? findPair(mapping, key) : undefined;
    const where = path.length > 0 ? ` in ${formatPath(path)}` : '';
    const guess = allowed ? didYouMean(key, allowed) : undefined;
    let hint = '';
    if (guess) hint = ` (did you mean "${guess}"?)`;
    else if (allowed && allowed.length > 0) hint = ` (allowed here: ${allowed.join(', ')})`;
    return { offset: startOf(pair?.key) ?? fallback, message: `unknown key "${key}"${where}${hint}` };
  });
}

/** zod's own messages start like this; anything else was written by a schema author, so kept. */
function isDefaultMessage(message: string): boolean {
  return /^(Invalid|Too small|Too big|Unrecognized key|Expected)/.test(message);
}

/** Does `mapping` hold an unknown key whose did-you-mean is the missing `key`? */
function misspeltAs(mapping: YamlNode | null, key: string, allowed: string[] | undefined): boolean {
  if (!allowed || !isMap(mapping)) return false;
  return mapping.items.some((item) => {
    const name = String(isScalar(item.key) ? item.key.value : item.key);
    return !allowed.includes(name) && didYouMean(name, allowed) === key;
  });
}

function missingMessage(path: Segment[]): string {
  const key = path[path.length - 1]!;
  const parent = path.slice(0, -1);
  const owner = parent.length === 0 ? 'the file' : formatPath(parent);
  // Numbered keys are scores (rubric anchors 1–5).
  if (typeof key === 'string' && /^\d+$/.test(key)) return `${owner} is missing score ${key}`;
  return `${owner} is missing "${String(key)}"`;
}

function sizeMessage(issue: Issue, path: Segment[]): string {
  const what = subject(path);
  if (!isDefaultMessage(issue.message)) return `${what}: ${issue.message}`;
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  switch (issue.origin) {
    case 'number':
    case 'int':
    case 'bigint': {
      const relation = small
        ? issue.inclusive === false ? 'greater than' : 'at least'
        : issue.inclusive === false ? 'less than' : 'at most';
      return `${what} must be ${relation} ${bound}, got ${describeValue(issue.input)}`;
    }
    case 'string':
      if (small && bound === 1) return `${what} must not be empty`;
      return `${what} must be ${small ? 'at least' : 'at most'} ${bound} characters long`;
    case 'array':
    case 'set': {
      if (small && bound === 1) return `${what} must list at least one entry`;
      const count = Array.isArray(issue.input) ? issue.input.length : '?';
      return `${what} must list ${small ? 'at least' : 'at most'} ${bound} entries, got ${count}`;
    }
    default:
      return `${what} is ${small ? 'too small' : 'too big'}: ${issue.message}`;
  }
}

/** How a path reads in a message: `dimensions[3].weight`, `levels[0].minimums.tradeoffs`. */
export function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

function subject(path: Segment[]): string {
  return path.length === 0 ? 'the file' : formatPath(path);
}

function expectedWords(expected: string | undefined): string {
  switch (expected) {
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
    case 'map':
      return 'a mapping (key: value lines)';
    default:
      return expected ? `a ${expected}` : 'something else';
  }
}

function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value)}`;
  if (typeof value === 'number' || typeof value === 'bigint') return `number ${String(value)}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

// ---------------------------------------------------------------------------------------------
// Did you mean

/** Edit distance (insert, delete, substitute, swap two neighbours). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest candidate within edit distance 2 (less for very short input), else one that
 * `input` is a prefix of or extends (`desc` → `description`); undefined when nothing is close.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    if (other === needle) return candidate;
    const distance = editDistance(needle, other);
    const prefix = Math.min(needle.length, other.length) >= 3 && (other.startsWith(needle) || needle.startsWith(other));
    // Short inputs need a closer match: "x" is not a typo of "id".
    const close = distance <= 2 && distance < needle.length;
    if (!close && !prefix) continue;
    const score = close ? distance : 2.5;
    if (!best || score < best.score) best = { candidate, score };
  }
  return best?.candidate;
}

/** The keys the object schema at `path` allows, or undefined when it cannot be told. */
function objectKeys(schema: ZodType<unknown>, path: Segment[]): string[] | undefined {
  let current: unknown = schema;
  for (const segment of path) {
    current = unwrap(current);
    const def = defOf(current);
    if (!def) return undefined;
    if (def.type === 'object' && typeof segment === 'string') current = (def.shape as Record<string, unknown>)[segment];
    else if (def.type === 'array' && typeof segment === 'number') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return undefined;
  }
  const def = defOf(unwrap(current));
  return def?.type === 'object' ? Object.keys(def.shape as Record<string, unknown>) : undefined;
}

interface LooseDef {
  type: string;
  [key: string]: unknown;
}

function defOf(schema: unknown): LooseDef | undefined {
  const def = (schema as { _zod?: { def?: LooseDef } } | undefined)?._zod?.def;
  return def && typeof def.type === 'string' ? def : undefined;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** Through optional, default, nullable, readonly, catch, lazy and the input side of pipes/transforms. */
function unwrap(schema: unknown): unknown {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(current);
    if (!def) return current;
    if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else if (def.type === 'lazy' && typeof def.getter === 'function') current = (def.getter as () => unknown)();
    else return current;
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// Path → YAML node

interface Located {
  /** The node at the path (complete) or the deepest one reached. */
  node: YamlNode | null;
  /** The pair whose value `node` is, when it is a mapping value. */
  pair: Pair | undefined;
  /** How many path segments were resolved. */
  depth: number;
  complete: boolean;
  /** Offset of the document's content, for issues at the root. */
  rootOffset: number;
}

function locate(doc: Document, path: Segment[]): Located {
  const rootOffset = startOf(doc.contents) ?? 0;
  let node = (doc.contents ?? null) as YamlNode | null;
  let pair: Pair | undefined;
  let depth = 0;
  for (const segment of path) {
    const container = resolveAlias(node, doc);
    let next: { node: YamlNode | null; pair: Pair | undefined } | undefined;
    if (isMap(container)) {
      const found = findPair(container, segment);
      if (found) next = { node: (found.value ?? null) as YamlNode | null, pair: found };
    } else if (isSeq(container) && typeof segment === 'number') {
      const item = container.items[segment];
      if (item !== undefined) next = { node: item as YamlNode, pair: undefined };
    }
    if (!next) return { node, pair, depth, complete: false, rootOffset };
    node = next.node;
    pair = next.pair;
    depth++;
  }
  return { node, pair, depth, complete: true, rootOffset };
}

function resolveAlias(node: YamlNode | null, doc: Document): YamlNode | null {
  let current: unknown = node;
  for (let i = 0; i < 20 && isAlias(current); i++) current = current.resolve(doc) ?? null;
  return current as YamlNode | null;
}

function findPair(map: { items: Pair[] }, key: Segment): Pair | undefined {
  return map.items.find((item) => {
    if (!isPair(item)) return false;
    const k = isScalar(item.key) ? item.key.value : item.key;
    return String(k) === String(key);
  });
}

function startOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/** Where a value is; for an empty value (`weight:` and nothing) its key. */
function valuePosition(found: Located): number {
  const { node, pair } = found;
  const empty = !node || (isScalar(node) && node.value === null && (!node.source || node.range?.[0] === node.range?.[1]));
  if (empty && pair) return startOf(pair.key) ?? found.rootOffset;
  return startOf(node) ?? startOf(pair?.key) ?? found.rootOffset;
}

/** Where the mapping reached last is named: its key (`anchors:`), or its own first line. */
function parentPosition(found: Located): number {
  if (found.pair) return startOf(found.pair.key) ?? found.rootOffset;
  return startOf(found.node) ?? found.rootOffset;
}

// ---------------------------------------------------------------------------------------------

/** yaml's messages are terse; a few common ones get a hint. */
function syntaxMessage(code: string, message: string): string {
  const base = message.replace(/\s+at line \d+, column \d+.*$/s, '').trim();
  const hints: Record<string, string> = {
    DUPLICATE_KEY: 'this key appears twice in the same mapping',
    TAB_AS_INDENT: 'indent with spaces, not tabs',
    MULTIPLE_DOCS: 'one YAML document per file (remove the extra `---`)',
  };
  const hint = hints[code];
  return `YAML syntax error: ${base}${hint ? ` (${hint})` : ''}`;
}

function sortErrors(errors: YamlError[]): YamlError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.column - b.column);
}

function dedupe(errors: YamlError[]): YamlError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = formatYamlError(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
