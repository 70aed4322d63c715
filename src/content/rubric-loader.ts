// Rubric files: found by name (the coach's folder first, then the packaged rubrics/) or by path,
// parsed strictly, with every error as file:line:column. Listing never throws: a broken file is
// listed with its first error, so one typo does not hide the other rubrics.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { analyzerFor, Rubric } from '../schemas/rubric.js';
import { sha256 } from '../storage/hash.js';
import { packagedDirs, type SdcoachPaths } from '../storage/paths.js';
import { formatYamlError, parseYamlDocument, type YamlError } from '../storage/yaml-file.js';
import { SdcoachError } from '../errors.js';

/** Where a rubric came from: the coach's folder, the package, or a path given explicitly. */
export type RubricSource = 'user' | 'packaged' | 'file';

/** A valid rubric and the file it was read from. Usable anywhere a `Rubric` is. */
export interface LoadedRubric extends Rubric {
  file: string;
  source: RubricSource;
}

/** Folders searched for rubrics by name. `packagedRubricsDir` defaults to the package's `rubrics/`. */
export type RubricDirs = Pick<SdcoachPaths, 'userRubricsDir'> & { packagedRubricsDir?: string };

/** An entry of `listRubrics`: a usable rubric's summary, or a broken file with its errors. */
export type RubricListing = {
  /** What `--rubric` takes: the file name without `.yaml`. */
  name: string;
  file: string;
  source: 'user' | 'packaged';
  /** A user rubric with the same name is used instead of this one. */
  shadowed: boolean;
} & (
  | { ok: true; title: string; version: string; description: string; dimensions: number }
  | { ok: false; error: string; errors: YamlError[] }
);

/** A rubric could not be found or is invalid; `errors` holds positioned problems (empty when not found). */
export class RubricError extends SdcoachError {
  readonly errors: YamlError[];
  constructor(message: string, errors: YamlError[] = []) {
    super(message, 2);
    this.name = 'RubricError';
    this.errors = errors;
  }
}

const EXTENSIONS = ['.yaml', '.yml'];

/**
 * Something in a valid rubric that is probably not what its author meant: signals the dimension's
 * analyzer never reads, or a pattern that is an everyday word. Never stops a rubric loading.
 */
export interface RubricWarning extends YamlError {
  kind: 'ignored-signals' | 'everyday-word';
}

/** `file:line:column: warning: message`. */
export function formatRubricWarning(warning: RubricWarning): string {
  return `${warning.file}:${warning.line}:${warning.column}: warning: ${warning.message}`;
}

/** A rubric file read and checked: the rubric or its errors, and warnings (only for a valid rubric). */
export type RubricReadResult =
  | { ok: true; value: Rubric; warnings: RubricWarning[] }
  | { ok: false; errors: YamlError[]; warnings: RubricWarning[] };

/** Read and validate one rubric file. Never throws: an unreadable file is an error at 1:1. */
export async function readRubricFile(file: string): Promise<RubricReadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, errors: [{ file, line: 1, column: 1, message: readErrorMessage(error) }], warnings: [] };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseRubricText(text, file);
}

/** Validate rubric YAML text as if read from `file`. */
export function parseRubricText(text: string, file: string): RubricReadResult {
  const result = parseYamlDocument(text, file, Rubric);
  if (!result.ok) return { ok: false, errors: firstSyntaxError(text, file, result.errors), warnings: [] };
  return { ok: true, value: result.value, warnings: rubricWarnings(text, file, result.value) };
}

// ---------------------------------------------------------------------------------------------
// Syntax errors: the first one only, with an indentation hint when a line's indentation is wrong.
// One mis-indented key makes the YAML parser report a cascade of errors (often at column 1 of
// later lines); only the first is worth reading, and it rarely says "indentation".

const SYNTAX = 'YAML syntax error: ';

function firstSyntaxError(text: string, file: string, errors: YamlError[]): YamlError[] {
  if (errors.length === 0 || !errors.every((e) => e.message.startsWith(SYNTAX))) return errors;
  const first = errors[0]!;
  // Tabs have their own clear message; keep it.
  if (/tab/i.test(first.message)) return [first];
  const bad = badIndentation(text);
  if (bad && bad.line <= first.line + 1) {
    const expected = bad.expected.length === 1 ? `${spaces(bad.expected[0]!)}` : bad.expected.map(String).join(' or ') + ' spaces';
    return [
      {
        file,
        line: bad.line,
        column: bad.indent + 1,
        message:
          `${SYNTAX}bad indentation: check the indentation of this line: it has ${spaces(bad.indent)}, expected ${expected}` +
          (bad.like ? ` (like line ${bad.like})` : '') +
          (errors.length > 1 ? `; the parser's ${errors.length} errors from here on follow from it` : ''),
      },
    ];
  }
  return [
    {
      ...first,
      message:
        first.message +
        (errors.length > 1
          ? ` (fix this one first: the ${errors.length - 1} syntax error${errors.length === 2 ? '' : 's'} after it, not shown, may follow from it)`
          : ''),
    },
  ];
}

function spaces(n: number): string {
  return `${n} space${n === 1 ? '' : 's'}`;
}

interface BadIndent {
  /** 1-based. */
  line: number;
  indent: number;
  expected: number[];
  /** A line at the expected indentation, when there is one. */
  like: number | null;
}

/** A key or item on the stack of open blocks: its indentation, kind and 1-based line. */
interface Level {
  indent: number;
  kind: 'map' | 'seq';
  line: number;
}

const KEY = /^(?:"[^"]*"|'[^']*'|[^\s#'"[\]{},][^#]*?)\s*:(?:\s|$)/;

/** Open `[`/`{` minus closing ones on a line, outside quotes and comments. */
function flowDepth(line: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    // A quote opens a quoted scalar only where a scalar starts (`i'd` is plain text).
    if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(line[i - 1]!))) quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return depth;
}

/**
 * The first line whose indentation fits neither its parent block nor any open sibling level, or
 * that breaks the file's indentation step (every other line a multiple of 2: this one odd).
 * A light, line-based reading of block YAML: flow collections and block scalars are skipped.
 */
function badIndentation(text: string): BadIndent | null {
  const lines = text.split(/\r?\n/);
  interface Structural {
    line: number;
    indent: number;
    kind: 'map' | 'seq' | 'other';
    /** The indentation of the key inside a `- key: value` item. */
    inner: number | null;
    opens: boolean;
  }
  const structural: Structural[] = [];
  let flow = 0;
  let blockScalar: number | null = null;
  lines.forEach((raw, i) => {
    const content = raw.trimStart();
    const indent = raw.length - content.length;
    if (blockScalar !== null) {
      if (content === '' || indent > blockScalar) return;
      blockScalar = null;
    }
    if (flow > 0) {
      flow = Math.max(0, flow + flowDepth(raw));
      return;
    }
    if (content === '' || content.startsWith('#') || /^(?:---|\.\.\.)(?:\s|$)/.test(content)) return;
    if (/^\t/.test(raw.slice(indent))) return;
    let kind: Structural['kind'] = 'other';
    let inner: number | null = null;
    let rest = content;
    if (/^-(?:\s|$)/.test(content)) {
      kind = 'seq';
      const after = content.slice(1).trimStart();
      if (KEY.test(after)) inner = indent + (content.length - after.length);
      rest = after;
    } else if (KEY.test(content)) kind = 'map';
    const value = rest.replace(KEY, '').replace(/\s+#.*$/, '').trim();
    const opens = (kind !== 'other' && value === '') || (kind === 'seq' && rest === '');
    if (kind !== 'other' && /^[|>][-+0-9]*$/.test(value)) blockScalar = indent;
    flow = Math.max(0, flowDepth(rest));
    structural.push({ line: i + 1, indent, kind, inner, opens });
  });

  const indents = structural.filter((s) => s.indent > 0).map((s) => s.indent);
  const step = indents.length >= 4 && indents.filter((n) => n % 2 === 0).length >= indents.length - 1 ? 2 : 1;

  const stack: Level[] = [];
  let previous: Structural | null = null;
  for (const s of structural) {
    if (s.kind === 'other') {
      // A plain scalar continued on a deeper line is valid YAML; anything else is left to the parser.
      previous = s;
      continue;
    }
    const fitsStep = s.indent % step === 0;
    const childOf = previous && previous.opens && s.indent > previous.indent ? previous : null;
    // A key continues a mapping at its indentation, an item a sequence (`key:` followed by
    // `- item` at the same indentation keeps both open).
    const sibling = stack.some((l) => l.indent === s.indent && l.kind === s.kind);
    if (fitsStep && (childOf || sibling || (previous === null && s.indent === 0))) {
      for (let top = stack[stack.length - 1]; top && (top.indent > s.indent || (top.indent === s.indent && top.kind === s.kind)); top = stack[stack.length - 1]) {
        stack.pop();
      }
      stack.push({ indent: s.indent, kind: s.kind, line: s.line });
      if (s.inner !== null) stack.push({ indent: s.inner, kind: 'map', line: s.line });
      previous = s;
      continue;
    }
    // Not a child of the line before, and no open block at this indentation.
    if (previous && previous.opens && s.indent > previous.indent) {
      const want = previous.indent + (step === 2 ? 2 : 2);
      return { line: s.line, indent: s.indent, expected: [want], like: null };
    }
    const sameKind = stack.filter((l) => l.kind === s.kind || (s.kind === 'map' && l.kind === 'map'));
    const candidates = (sameKind.length > 0 ? sameKind : stack).filter((l) => l.indent <= Math.max(s.indent + step, previous?.indent ?? 0));
    if (candidates.length === 0) return { line: s.line, indent: s.indent, expected: [0], like: null };
    const distance = (l: Level) => Math.abs(l.indent - s.indent);
    const best = Math.min(...candidates.map(distance));
    const nearest = candidates.filter((l) => distance(l) === best);
    const expected = [...new Set(nearest.map((l) => l.indent))].sort((a, b) => a - b);
    const like = expected.length === 1 ? nearest[nearest.length - 1]!.line : null;
    return { line: s.line, indent: s.indent, expected, like };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Warnings: signals nobody reads, patterns that are everyday words.

/**
 * Everyday words that a coach may reach for as a technical signal; as a whole-word pattern each
 * also matches ordinary speech ("the rest of the design", "post a message", "good visibility").
 */
const EVERYDAY_WORDS = new Set([
  'rest', 'post', 'posts', 'visibility', 'get', 'put', 'set', 'key', 'keys', 'log', 'lock', 'state', 'store',
  'stores', 'order', 'table', 'tables', 'record', 'records', 'field', 'fields', 'row', 'rows', 'page', 'pages',
  'point', 'line', 'lines', 'light', 'run', 'check', 'view', 'views', 'track', 'match', 'block', 'note',
  'notes', 'book', 'list', 'class', 'type', 'mark', 'spot', 'pool', 'branch', 'bank', 'cost', 'costs',
  'time', 'way', 'work', 'plan', 'case', 'view', 'place', 'part', 'thing', 'things', 'level', 'free',
]);

/** Common words a prefix pattern (`log*`) catches that are not forms of its technical word. */
const PREFIX_TRAPS = [
  'logic', 'logical', 'logically', 'login', 'logistics', 'restaurant', 'restless', 'restroom', 'postpone', 'poster',
  'posture', 'postcard', 'story', 'stories', 'storm', 'tablet', 'settle', 'settlement', 'keyboard', 'keynote',
  'lockdown', 'pageant', 'pointless', 'runway', 'blockbuster', 'listen', 'listening', 'classic', 'typical',
  'typically', 'market', 'marketing', 'costume', 'timer', 'planet', 'party', 'partner', 'particular', 'particularly',
  'freedom', 'company', 'common', 'commonly', 'comment', 'committee', 'indeed', 'share', 'sharp', 'sharply', 'repeat',
  'report', 'return', 'fair', 'fairly', 'faith', 'question', 'quick', 'quickly', 'quite', 'rather', 'train',
  'evening', 'even', 'event', 'eventually', 'capital', 'serve', 'several', 'select', 'cases', 'together', 'tough',
];

function patternWordsOf(pattern: string): { words: string[]; prefix: boolean } {
  const trimmed = pattern.trim();
  const prefix = trimmed.endsWith('*');
  const body = prefix ? trimmed.slice(0, -1) : trimmed;
  const words = (body.toLowerCase().match(/[\p{L}\p{N}'’]+/gu) ?? []).map((w) => w.replace(/’/g, "'"));
  return { words, prefix };
}

/**
 * Why a signal pattern is likely to fire on ordinary speech, or null. Only single-word patterns
 * are checked: a phrase ("at rest", "rest api") carries its own context.
 */
export function everydayWordProblem(pattern: string): string | null {
  const { words, prefix } = patternWordsOf(pattern);
  if (words.length !== 1) return null;
  const word = words[0]!;
  if (!prefix) {
    return EVERYDAY_WORDS.has(word)
      ? `signal pattern "${pattern}" is an everyday word: it also counts ordinary speech ("${example(word)}"); use a phrase that only fits the concept`
      : null;
  }
  if (EVERYDAY_WORDS.has(word)) {
    return `signal pattern "${pattern}" starts with the everyday word "${word}": it also counts ordinary speech; use a longer prefix or a phrase`;
  }
  const forms = new Set(['', 's', 'es', 'ed', 'd', 'ing', 'er', 'ers', 'ly']);
  const traps = PREFIX_TRAPS.filter((w) => w.startsWith(word) && !forms.has(w.slice(word.length)) && !isFormOf(w, word));
  if (traps.length === 0) return null;
  return `signal pattern "${pattern}" also matches everyday words (${traps.slice(0, 4).join(', ')}); use a longer prefix or list the forms you mean`;
}

/** "caching" for "cach", "replicate" for "replica": the prefix word with a common ending. */
function isFormOf(candidate: string, prefix: string): boolean {
  const rest = candidate.slice(prefix.length);
  return /^(?:e|es|ed|ing|ion|ions|ation|ations|ate|ated|ates|ating|ity|ities|ment|ments|al|able|ible|ive)$/.test(rest);
}

function example(word: string): string {
  const examples: Record<string, string> = {
    rest: 'the rest of the design',
    post: 'post a message',
    posts: 'her posts',
    visibility: 'no visibility into the plan',
    time: 'at the same time',
    way: 'by the way',
    work: 'that would work',
    case: 'in that case',
    point: 'at this point',
    check: 'let me check',
    state: 'as I stated',
    order: 'in order to',
  };
  return examples[word] ?? `everyday uses of "${word}"`;
}

/** The 1-based line and column of the node at `keys` (a pair's key for a mapping key, else the item). */
function positionIn(doc: ReturnType<typeof parseDocument>, counter: LineCounter, keys: (string | number)[]): { line: number; column: number } {
  let node: unknown = doc.contents;
  let offset = 0;
  for (const key of keys) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (!pair) break;
      offset = (pair.key as YamlNode).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as YamlNode | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  const { line, col } = counter.linePos(offset);
  return { line, column: col };
}

/**
 * The evidence grader's analyzers that read a dimension's signals; the others score from what
 * the candidate claims (estimates, named tradeoffs, answers to pushback, structure, pacing) and
 * ignore signals. A test grades with and without signals under every analyzer to keep this true.
 */
const SIGNAL_ANALYZERS: ReadonlySet<string> = new Set(['concepts', 'requirements']);

export function analyzerReadsSignals(analyzer: string): boolean {
  return SIGNAL_ANALYZERS.has(analyzer);
}

/** Warnings for a valid rubric, in file order. */
function rubricWarnings(text: string, file: string, rubric: Rubric): RubricWarning[] {
  const found: { kind: RubricWarning['kind']; path: (string | number)[]; message: string }[] = [];
  rubric.dimensions.forEach((dimension, d) => {
    const analyzer = analyzerFor(dimension);
    if (dimension.signals.length > 0 && !analyzerReadsSignals(analyzer)) {
      const n = dimension.signals.length;
      found.push({
        kind: 'ignored-signals',
        path: ['dimensions', d, 'signals'],
        message:
          `dimension "${dimension.id}" is scored by the ${analyzer} analyzer from what the candidate claims, not from signals: ` +
          `its ${n} signal group${n === 1 ? ' is' : 's are'} ignored (remove ${n === 1 ? 'it' : 'them'}, or set analyzer: concepts to score by signals)`,
      });
      return;
    }
    dimension.signals.forEach((signal, g) => {
      signal.patterns.forEach((pattern, p) => {
        const problem = everydayWordProblem(pattern);
        if (problem) found.push({ kind: 'everyday-word', path: ['dimensions', d, 'signals', g, 'patterns', p], message: problem });
      });
    });
  });
  if (found.length === 0) return [];
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, keepSourceTokens: false });
  return found
    .map(({ kind, path: keys, message }) => ({ kind, file, ...positionIn(doc, counter, keys), message }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

const loadedWarnings = new WeakMap<object, RubricWarning[]>();

/** The warnings found when this rubric was loaded (empty for a rubric built in code). */
export function warningsOf(rubric: Rubric): RubricWarning[] {
  return loadedWarnings.get(rubric) ?? [];
}

/** Keys sorted at every level: the same content always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const contentHashes = new WeakMap<object, string>();

/**
 * SHA-256 (hex) of what a rubric says: its parsed content as canonical JSON (sorted keys), so
 * comments, formatting and where the file lives do not change it, and any edit that can change
 * a grade does. Reports record it beside name@version.
 */
export function rubricSha256(rubric: Rubric): string {
  let hash = contentHashes.get(rubric);
  if (!hash) {
    const { name, version, description, scale, dimensions, levels } = rubric;
    hash = sha256(canonicalJson({ name, version, description, scale, dimensions, levels }));
    contentHashes.set(rubric, hash);
  }
  return hash;
}

/** Every problem in a rubric file, in file order; empty when it is valid. */
export async function validateRubricFile(file: string): Promise<YamlError[]> {
  const result = await readRubricFile(file);
  return result.ok ? [] : result.errors;
}

function readErrorMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'this is a folder, not a rubric file';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read the file (permission denied)';
  return `cannot read the file (${code ?? String(error)})`;
}

function looksLikePath(nameOrPath: string): boolean {
  return /[\\/]/.test(nameOrPath) || EXTENSIONS.includes(path.extname(nameOrPath).toLowerCase());
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function searchDirs(dirs: RubricDirs): { dir: string; source: 'user' | 'packaged' }[] {
  return [
    { dir: dirs.userRubricsDir, source: 'user' },
    { dir: dirs.packagedRubricsDir ?? packagedDirs().rubrics, source: 'packaged' },
  ];
}

function invalid(file: string, errors: YamlError[]): RubricError {
  const shown = errors.slice(0, 20).map(formatYamlError);
  if (errors.length > shown.length) shown.push(`… and ${errors.length - shown.length} more (sdcoach rubric validate ${file})`);
  return new RubricError(`invalid rubric ${file}:\n${shown.map((line) => `  ${line}`).join('\n')}`, errors);
}

async function loadFile(file: string, source: RubricSource): Promise<LoadedRubric> {
  const result = await readRubricFile(file);
  if (!result.ok) throw invalid(file, result.errors);
  const loaded: LoadedRubric = { ...result.value, file, source };
  loadedWarnings.set(loaded, result.warnings);
  return loaded;
}

/**
 * A rubric by path (an existing file, or anything with a `/` or a .yaml/.yml extension) or by
 * name: `<name>.yaml` (or .yml) in the user's rubrics folder, then in the packaged `rubrics/`,
 * then any valid rubric whose `name:` field is `name`. Throws RubricError when it is not found
 * (with the names available) or not valid (with every positioned error).
 */
export async function loadRubric(nameOrPath: string, dirs: RubricDirs): Promise<LoadedRubric> {
  const wanted = nameOrPath.trim();
  if (wanted === '') throw new RubricError('no rubric given (use a name such as "default", or a YAML file)');
  if (await isFile(wanted)) return loadFile(wanted, 'file');
  if (looksLikePath(wanted)) {
    const error = await stat(wanted).then(
      () => 'is not a file',
      () => 'does not exist',
    );
    throw new RubricError(`rubric file ${wanted} ${error}`);
  }

  for (const { dir, source } of searchDirs(dirs)) {
    for (const ext of EXTENSIONS) {
      const file = path.join(dir, wanted + ext);
      if (await isFile(file)) return loadFile(file, source);
    }
  }

  const listed = await listRubrics(dirs);
  const byDeclaredName = listed.find((entry) => entry.ok && !entry.shadowed && entry.title === wanted);
  if (byDeclaredName) return loadFile(byDeclaredName.file, byDeclaredName.source);

  const available = [...new Set(listed.map((entry) => entry.name))];
  throw new RubricError(
    `no rubric named "${wanted}" in ${dirs.userRubricsDir} or the packaged rubrics` +
      (available.length > 0 ? ` (available: ${available.join(', ')})` : ''),
  );
}

async function rubricFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => EXTENSIONS.includes(path.extname(name).toLowerCase()) && !name.startsWith('.'))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Every rubric in the user's folder and the package, user first, each sorted by name. Never
 * throws: a broken file is listed with `ok: false` and its errors.
 */
export async function listRubrics(dirs: RubricDirs): Promise<RubricListing[]> {
  const out: RubricListing[] = [];
  const userNames = new Set<string>();
  for (const { dir, source } of searchDirs(dirs)) {
    const files = await rubricFiles(dir);
    const entries = await Promise.all(
      files.map(async (file): Promise<RubricListing> => {
        const name = path.basename(file, path.extname(file));
        const shadowed = source === 'packaged' && userNames.has(name);
        const result = await readRubricFile(file);
        if (!result.ok) {
          return { name, file, source, shadowed, ok: false, error: formatYamlError(result.errors[0]!), errors: result.errors };
        }
        const rubric = result.value;
        return {
          name,
          file,
          source,
          shadowed,
          ok: true,
          title: rubric.name,
          version: rubric.version,
          description: rubric.description,
          dimensions: rubric.dimensions.length,
        };
      }),
    );
    for (const entry of entries) {
      // foo.yaml and foo.yml in one folder: the first (sorted) wins, the other is shadowed.
      if (source === 'user') {
        if (userNames.has(entry.name)) entry.shadowed = true;
        userNames.add(entry.name);
      }
      out.push(entry);
    }
  }
  return out;
}

/**
 * A commented starter rubric for `sdcoach rubric init`: three dimensions and three level rules
 * that validate as written, with every field explained where it appears.
 */
export function starterRubric(name: string): string {
  const quotedName = /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/.test(name) ? name : JSON.stringify(name);
  return `# A starter rubric for sdcoach. Edit it, then check it:
#
#   sdcoach rubric validate ${name}.yaml
#
# and grade with it by path (sdcoach grade ... --rubric ./${name}.yaml), or copy it to your
# rubrics folder ($SDCOACH_HOME/rubrics/) to use it by name (--rubric ${name}).
# Every key below is checked: a misspelt key is an error, never silently ignored.
# rubrics/default.yaml in the sdcoach package is a full example with twelve dimensions
# (\`sdcoach rubric show default\` prints it).

# How reports and --rubric refer to this rubric: keep it equal to the file name.
name: ${quotedName}
# Bump when you change anything that moves scores; reports record the version they used.
version: 1
# One or two sentences shown by \`sdcoach rubric list\`.
description: My rubric for system design practice.
# Always 1 to 5: scores, thresholds and minimums all use this scale.
scale: { min: 1, max: 5 }

# What is scored. Add, remove or reweight dimensions freely.
dimensions:
  # id: lower_snake_case and stable: reports, CSV columns and progress charts use it. Reuse the
  #   default rubric's ids (requirements, estimation, architecture, deep_dive, tradeoffs,
  #   scalability, reliability, observability, security, clarity, time_management, composure)
  #   to keep scores comparable with it.
  - id: architecture
    # Shown in reports.
    name: High-level architecture
    # Relative importance in the overall score (a weighted mean); only ratios matter.
    weight: 1.5
    # How the offline evidence grader scores it: concepts = coverage of the signals below.
    # Other analyzers: estimation, time_management, tradeoffs, composure, clarity. Leave it out
    # to choose by id (an id that is an analyzer name uses that analyzer, others use concepts).
    # Only concepts (and requirements) read signals; the others score what the candidate claims.
    analyzer: concepts
    # Sessions it applies to: interview, monologue, or both.
    modes: [interview, monologue]
    description: >-
      A coherent end-to-end design: components and their roles, APIs, data model, storage
      choice, and how a request flows through the system.
    # Concept groups the evidence grader looks for; touching more groups scores higher.
    # Patterns are case-insensitive words or phrases; a trailing * matches a prefix
    # (shard* matches shards and sharding). Quote a pattern that is only a number ("99.9").
    # Avoid everyday words (rest, post, table*): \`rubric validate\` warns about them.
    signals:
      - name: components
        patterns: [load balancer*, service*, worker*, cache, message queue*, cdn]
      - name: data model and storage
        patterns: [data model, schema, primary key, database*, postgres*, nosql]
      - name: request flow
        patterns: [request flow, write path, read path, the client sends, end to end]
    # What each score looks like: observable behaviour, so coaches and the LLM judge agree.
    anchors:
      1: No coherent design; components named without roles.
      2: A few boxes with unclear responsibilities; the request flow cannot be followed.
      3: A workable design with roles, a storage choice and followable read and write paths.
      4: A clean design meeting the requirements; storage chosen for a stated reason.
      5: Minimal and elegant; access patterns drive the data model; evolution sketched.
    # Extra instructions for the LLM judge: what counts, what to quote.
    judge_guidance: >-
      Could the design be drawn from the transcript alone? Naming a technology is not a
      reason. Quote the flow and the storage choice.

  - id: tradeoffs
    name: Tradeoffs
    weight: 1.5
    # No analyzer line: "tradeoffs" is an analyzer name, so it is used. It scores the
    # alternatives and costs the candidate names (and whether before being challenged), so
    # it takes no signals: \`rubric validate\` warns about signals an analyzer ignores.
    modes: [interview, monologue]
    description: Names alternatives and what each choice costs, up front.
    anchors:
      1: One approach presented as the only one.
      2: Alternatives or costs only when pushed.
      3: Main decisions name an alternative and a concrete cost.
      4: Tradeoffs stated up front and tied to the requirements.
      5: Every major decision weighed, with costs quantified where possible.
    judge_guidance: >-
      Only tradeoffs named before any challenge earn 4 or 5. Quote the choice and its cost.

  - id: composure
    name: Composure under pushback
    weight: 0.75
    # Interviews only: in a monologue nobody pushes back, so it is skipped there (and never
    # blocks a level).
    modes: [interview]
    description: Defends sound choices with reasons and revises weak ones openly.
    anchors:
      1: Gives in or gets defensive at the first challenge.
      2: Mostly gives in, with thin reasons.
      3: Engages with most challenges with some reasoning.
      4: Defends with evidence and revises openly, stating the new tradeoff.
      5: Uses pushback to improve the design and stays collaborative.
    judge_guidance: >-
      Label each response to a challenge: defended, revised with reasons, or capitulated.

# Level rules, lowest threshold first. A candidate gets the highest level whose min_overall
# and every minimum are met; the report says "tracking toward" the next level when every gap
# to it is small. Levels are L3 to L7; list only those you want to distinguish.
levels:
  - level: L4
    # The weighted overall score needed.
    min_overall: 2.5
    # Per-dimension floors: a strong overall cannot hide a weak dimension this level needs.
    minimums: { architecture: 2.5 }
    # One line shown in reports.
    summary: A complete, workable design with some prompting.
  - level: L5
    min_overall: 3.2
    minimums: { architecture: 3.5, tradeoffs: 3 }
    summary: Drives the design independently and explains the main tradeoffs.
  - level: L6
    min_overall: 3.8
    minimums: { architecture: 4, tradeoffs: 3.5, composure: 3.5 }
    summary: States tradeoffs up front and holds a sound design under challenge.
`;
}
