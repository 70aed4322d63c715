// The word ids a reader works in. Each distinct word gets a small integer once, so matchers look
// words up in arrays instead of hashing strings. A Vocabulary is owned by whoever reads many
// documents together (a grading run, a worker thread, an interview session) and handed to
// analyzeText: documents read with one vocabulary share ids, and nothing in reading/ is
// process-wide. It also keeps the scratch buffers the tokeniser reuses between documents, and
// what other reading modules learn per word id (see wordTable), so all of it goes when the owner
// lets the vocabulary go.
//
// The table is open addressing keyed by an FNV-1a hash of the word's (normalised) characters;
// the characters of every word sit in one typed-array pool, so a token is found straight from
// the text's code units without making a string. Bounded: past VOCABULARY_LIMIT words it starts
// over under a new generation (only between documents, so one document's ids share one).

export const VOCABULARY_LIMIT = 500_000;
const INITIAL_SLOTS = 1 << 12;
/** Token data is handed out in arenas of up to this many ints (1 MB). */
const ARENA_MAX = 1 << 18;
const ARENA_MIN = 1 << 12;

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 16777619;
const LITTLE_ENDIAN = new Uint16Array(new Uint8Array([1, 0]).buffer)[0] === 1;

export function hashChars(src: Uint16Array, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let k = from; k < to; k++) h = Math.imul(h ^ src[k]!, FNV_PRIME);
  return h;
}

function growInts(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(a.length * 2);
  grown.set(a);
  return grown;
}

export class Vocabulary {
  /** Words by id. A new generation starts a new array; documents keep the one their ids index. */
  words: string[] = [];
  /** Bumped when the table starts over: ids of different generations never compare. */
  generation = 0;
  // The table's fields are public for the tokeniser, which inlines the lookup in its loop (a
  // call per token measured slower); nothing else should touch them.
  slotHashes = new Int32Array(INITIAL_SLOTS);
  /** id + 1 per slot; 0 = empty. */
  slotIds = new Int32Array(INITIAL_SLOTS);
  slotMask = INITIAL_SLOTS - 1;
  /** Per id: where its characters start in `pool`, how many, and their hash (growth rehashes without re-reading words). */
  wordAt = new Int32Array(INITIAL_SLOTS / 2);
  wordLength = new Int32Array(INITIAL_SLOTS / 2);
  wordHash = new Int32Array(INITIAL_SLOTS / 2);
  pool = new Uint16Array(1 << 14);
  private poolUsed = 0;
  /** Normalised characters of the word being looked up, when they differ from the text's. */
  private scratch = new Uint16Array(256);
  // The text's UTF-16 code units, copied once per document: reading a typed array is several
  // times cheaper than `charCodeAt` in the scanning loops.
  private chars = new Uint16Array(1 << 10);
  private charBytes = Buffer.from(this.chars.buffer, this.chars.byteOffset, this.chars.byteLength);
  /** Positions of sentence-boundary candidates. */
  private boundaries = new Int32Array(1 << 10);
  /**
   * Token data for many documents: each document keeps a view of its part, and a full arena is
   * left to the documents still using it (a typed array per document measured costlier).
   */
  arena = new Int32Array(0);
  arenaUsed = 0;
  /** Per-id facts other modules memoise, by name; emptied with the table. */
  private tables = new Map<string, Uint8Array>();
  /** What each phrase matcher has learnt about these ids; emptied with the table. */
  private memos = new WeakMap<object, unknown>();

  /** Start over when the table is full; call only between documents. */
  startDocument(): void {
    if (this.words.length <= VOCABULARY_LIMIT) return;
    this.words = [];
    this.generation++;
    this.slotHashes = new Int32Array(INITIAL_SLOTS);
    this.slotIds = new Int32Array(INITIAL_SLOTS);
    this.slotMask = INITIAL_SLOTS - 1;
    this.wordAt = new Int32Array(INITIAL_SLOTS / 2);
    this.wordLength = new Int32Array(INITIAL_SLOTS / 2);
    this.wordHash = new Int32Array(INITIAL_SLOTS / 2);
    this.pool = new Uint16Array(1 << 14);
    this.poolUsed = 0;
    this.tables.clear();
    this.memos = new WeakMap();
  }

  /**
   * The text's code units in a reused array, with one slot past the end holding 0 (not a word
   * character), so scans can stop on it. Valid until the next call.
   */
  charsOf(text: string): Uint16Array {
    const n = text.length;
    if (this.chars.length <= n) {
      this.chars = new Uint16Array(Math.max(n + 1, this.chars.length * 2));
      this.charBytes = Buffer.from(this.chars.buffer, this.chars.byteOffset, this.chars.byteLength);
    }
    const cs = this.chars;
    // Short texts: a loop beats the native call's fixed cost.
    if (n < 64 || !LITTLE_ENDIAN) for (let i = 0; i < n; i++) cs[i] = text.charCodeAt(i);
    else this.charBytes.write(text, 0, n * 2, 'utf16le');
    cs[n] = 0;
    return cs;
  }

  /** A reused array of at least n ints for sentence-boundary candidates. */
  boundariesFor(n: number): Int32Array {
    if (this.boundaries.length < n) this.boundaries = new Int32Array(Math.max(n, this.boundaries.length * 2));
    return this.boundaries;
  }

  /** Make room for `ints` more ints of token data at `arenaUsed`. */
  reserveArena(ints: number): void {
    if (this.arena.length - this.arenaUsed >= ints) return;
    // Grows from small (a session reads a few short turns) to ARENA_MAX (a batch reads many).
    this.arena = new Int32Array(Math.max(ints, Math.min(ARENA_MAX, Math.max(ARENA_MIN, this.arena.length * 2))));
    this.arenaUsed = 0;
  }

  private scratchFor(length: number): Uint16Array {
    if (this.scratch.length < length) this.scratch = new Uint16Array(Math.max(length, this.scratch.length * 2));
    return this.scratch;
  }

  /** The id of the word spelled by src[from, from + length) with hash h, or -1. */
  findWord(src: Uint16Array, from: number, length: number, h: number): number {
    const ids = this.slotIds;
    const hashes = this.slotHashes;
    const lengths = this.wordLength;
    const mask = this.slotMask;
    let i = h & mask;
    for (;;) {
      const slot = ids[i]!;
      if (slot === 0) return -1;
      if (hashes[i] === h && lengths[slot - 1] === length) {
        const chars = this.pool;
        const at = this.wordAt[slot - 1]! - from;
        let k = from;
        const to = from + length;
        while (k < to && chars[at + k] === src[k]) k++;
        if (k === to) return slot - 1;
      }
      i = (i + 1) & mask;
    }
  }

  private placeWord(h: number, id: number): void {
    const ids = this.slotIds;
    const mask = this.slotMask;
    let i = h & mask;
    while (ids[i] !== 0) i = (i + 1) & mask;
    this.slotHashes[i] = h;
    ids[i] = id + 1;
  }

  /** Add `word`, spelled by src[from, from + word.length) with hash h. */
  addWord(word: string, src: Uint16Array, from: number, h: number): number {
    const id = this.words.length;
    const length = word.length;
    this.words.push(word);
    if (this.poolUsed + length > this.pool.length) {
      const grown = new Uint16Array(Math.max(this.poolUsed + length, this.pool.length * 2));
      grown.set(this.pool.subarray(0, this.poolUsed));
      this.pool = grown;
    }
    this.pool.set(src.subarray(from, from + length), this.poolUsed);
    if (id >= this.wordAt.length) {
      this.wordAt = growInts(this.wordAt);
      this.wordLength = growInts(this.wordLength);
      this.wordHash = growInts(this.wordHash);
    }
    this.wordAt[id] = this.poolUsed;
    this.wordLength[id] = length;
    this.wordHash[id] = h;
    this.poolUsed += length;
    if (this.words.length * 2 > this.slotMask + 1) {
      // Keep the table at most half full: rehash into twice the slots.
      const size = (this.slotMask + 1) * 2;
      this.slotHashes = new Int32Array(size);
      this.slotIds = new Int32Array(size);
      this.slotMask = size - 1;
      for (let k = 0; k <= id; k++) this.placeWord(this.wordHash[k]!, k);
    } else {
      this.placeWord(h, id);
    }
    return id;
  }

  /** The id of an already normalised word, adding it if need be. */
  idOf(word: string): number {
    const length = word.length;
    const src = this.scratchFor(length);
    for (let k = 0; k < length; k++) src[k] = word.charCodeAt(k);
    const h = hashChars(src, 0, length);
    const id = this.findWord(src, 0, length, h);
    return id >= 0 ? id : this.addWord(word, src, 0, h);
  }

  /**
   * The id of a (normalised) pattern word, adding it if need be, or -1 when `generation` is no
   * longer this vocabulary's. Adding a word only makes it known: ids are never shown, so which
   * id a word gets does not matter.
   */
  idIn(word: string, generation: number): number {
    return generation === this.generation ? this.idOf(word) : -1;
  }

  /** Whether word `id` (of the current generation) starts with `prefix`, read from the pool (no string made). */
  startsWith(id: number, prefix: string): boolean {
    const length = prefix.length;
    if (this.wordLength[id]! < length) return false;
    const chars = this.pool;
    const at = this.wordAt[id]!;
    for (let k = 0; k < length; k++) if (chars[at + k] !== prefix.charCodeAt(k)) return false;
    return true;
  }

  /**
   * The id of the token text[start, end) (code units in cs), lower-cased and with curly
   * apostrophes straightened, for a `kind` other than 0 (nothing to normalise): 1 ASCII capitals
   * or curly apostrophes only (h is the hash of the normalised characters), 2 or 3 other
   * non-ASCII characters (normalised through the string functions).
   */
  normalisedTokenId(text: string, cs: Uint16Array, start: number, end: number, kind: number, h: number): number {
    const length = end - start;
    if (kind === 1) {
      const src = this.scratchFor(length);
      for (let k = 0; k < length; k++) {
        const c = cs[start + k]!;
        src[k] = c >= 65 && c <= 90 ? c + 32 : c === 0x2019 ? 39 : c;
      }
      const id = this.findWord(src, 0, length, h);
      return id >= 0 ? id : this.addWord(text.slice(start, end).toLowerCase().replace(/’/g, "'"), src, 0, h);
    }
    let word = text.slice(start, end).toLowerCase();
    if (word.includes('’')) word = word.replace(/’/g, "'");
    return this.idOf(word);
  }

  /**
   * A byte per word id that a module fills in as it meets words (0 = not yet known), for ids of
   * generation `generation` and below `size` (the length of the documents' word list). Another
   * module's facts live under another name. For a document of an older generation the table is
   * a fresh one, used for that call only.
   */
  wordTable(name: string, generation: number, size: number): Uint8Array {
    if (generation !== this.generation) return new Uint8Array(size);
    let table = this.tables.get(name);
    if (table === undefined || table.length < size) {
      const grown = new Uint8Array(Math.max(size, 1024, (table?.length ?? 0) * 2));
      if (table) grown.set(table);
      this.tables.set(name, grown);
      table = grown;
    }
    return table;
  }

  /**
   * What `owner` keeps about this vocabulary's ids (made on first use), for documents of
   * `generation`; for a document of an older generation, a fresh one for that call only.
   */
  memo<T extends object>(owner: object, generation: number, make: () => T): T {
    if (generation !== this.generation) return make();
    let value = this.memos.get(owner) as T | undefined;
    if (value === undefined) this.memos.set(owner, (value = make()));
    return value;
  }

  /** Replace what `owner` keeps (see memo). */
  remember<T extends object>(owner: object, generation: number, value: T): T {
    if (generation === this.generation) this.memos.set(owner, value);
    return value;
  }
}
