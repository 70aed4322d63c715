// Reads the header of a GGUF model file: version, tensor count and the metadata key/values
// (architecture, context length, file type…). Only the header is read, a chunk at a time: the
// tensors (gigabytes) never are, and big arrays (the vocabulary) are skipped, not kept.
// Ours rather than node-llama-cpp's reader, so `models list` and the load pre-check work
// without that optional package.
import { open, type FileHandle } from 'node:fs/promises';
import { SdcoachError } from '../errors.js';

const MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const CHUNK = 1 << 20;
/** Far more than any real header's metadata: a larger count means the file is not GGUF. */
const MAX_KV = 100_000;
const MAX_STRING = 64 << 20;

export class GgufHeaderError extends SdcoachError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'GgufHeaderError';
  }
}

/** A scalar metadata value, or a summary of an array (its element type and length, and its items when short). */
export type GgufMetadataValue = number | bigint | boolean | string | { arrayOf: string; length: number; items?: GgufMetadataValue[] };

export interface GgufHeader {
  version: number;
  tensorCount: number;
  metadata: Record<string, GgufMetadataValue>;
  /** Bytes from the start of the file to the end of the metadata. */
  headerBytes: number;
}

/** The facts `models list` shows, from the header. */
export interface GgufSummary {
  architecture: string | null;
  name: string | null;
  /** The quantisation, e.g. Q4_K_M, from general.file_type. */
  fileType: string | null;
  /** The context length the model was trained for (`<arch>.context_length`). */
  contextLength: number | null;
  hasChatTemplate: boolean;
}

/** llama.cpp's llama_ftype values → the names model files use. */
const FILE_TYPES: Record<number, string> = {
  0: 'F32', 1: 'F16', 2: 'Q4_0', 3: 'Q4_1', 7: 'Q8_0', 8: 'Q5_0', 9: 'Q5_1', 10: 'Q2_K', 11: 'Q3_K_S', 12: 'Q3_K_M',
  13: 'Q3_K_L', 14: 'Q4_K_S', 15: 'Q4_K_M', 16: 'Q5_K_S', 17: 'Q5_K_M', 18: 'Q6_K', 19: 'IQ2_XXS', 20: 'IQ2_XS',
  21: 'Q2_K_S', 22: 'IQ3_XS', 23: 'IQ3_XXS', 24: 'IQ1_S', 25: 'IQ4_NL', 26: 'IQ3_S', 27: 'IQ3_M', 28: 'IQ2_S',
  29: 'IQ2_M', 30: 'IQ4_XS', 31: 'IQ1_M', 32: 'BF16', 36: 'TQ1_0', 37: 'TQ2_0', 38: 'MXFP4_MOE',
};

const TYPE_NAMES = ['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'f32', 'bool', 'string', 'array', 'u64', 'i64', 'f64'];
const FIXED_SIZE: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
/** Arrays up to this length are kept in the metadata (e.g. per-layer head counts); longer ones only summarised. */
const KEEP_ARRAY_ITEMS = 64;

/** Reads forward through a file, keeping a window of it in memory. */
class Cursor {
  private buffer = Buffer.alloc(0);
  private start = 0; // file offset of buffer[0]
  position = 0;
  constructor(
    private readonly file: FileHandle,
    private readonly size: number,
  ) {}

  private async ensure(n: number): Promise<Buffer> {
    const from = this.position - this.start;
    if (from + n <= this.buffer.length) return this.buffer;
    if (this.position + n > this.size) throw new GgufHeaderError('the file ends inside its header (incomplete download?)');
    const length = Math.max(n, CHUNK);
    const next = Buffer.alloc(Math.min(length, this.size - this.position));
    const { bytesRead } = await this.file.read(next, 0, next.length, this.position);
    this.buffer = next.subarray(0, bytesRead);
    this.start = this.position;
    if (bytesRead < n) throw new GgufHeaderError('the file ends inside its header (incomplete download?)');
    return this.buffer;
  }

  async bytes(n: number): Promise<Buffer> {
    const buffer = await this.ensure(n);
    const from = this.position - this.start;
    this.position += n;
    return buffer.subarray(from, from + n);
  }
  async u32(): Promise<number> {
    return (await this.bytes(4)).readUInt32LE(0);
  }
  async u64(): Promise<bigint> {
    return (await this.bytes(8)).readBigUInt64LE(0);
  }
  async string(): Promise<string> {
    const length = await this.u64();
    if (length > BigInt(MAX_STRING)) throw new GgufHeaderError('a metadata string is impossibly long (corrupt file?)');
    return (await this.bytes(Number(length))).toString('utf8');
  }
  skip(n: number): void {
    if (this.position + n > this.size) throw new GgufHeaderError('the file ends inside its header (incomplete download?)');
    this.position += n;
  }
}

async function readScalar(cursor: Cursor, type: number): Promise<number | bigint | boolean | string> {
  switch (type) {
    case 0: return (await cursor.bytes(1)).readUInt8(0);
    case 1: return (await cursor.bytes(1)).readInt8(0);
    case 2: return (await cursor.bytes(2)).readUInt16LE(0);
    case 3: return (await cursor.bytes(2)).readInt16LE(0);
    case 4: return cursor.u32();
    case 5: return (await cursor.bytes(4)).readInt32LE(0);
    case 6: return (await cursor.bytes(4)).readFloatLE(0);
    case 7: return (await cursor.bytes(1)).readUInt8(0) !== 0;
    case 8: return cursor.string();
    case 10: return cursor.u64();
    case 11: return (await cursor.bytes(8)).readBigInt64LE(0);
    case 12: return (await cursor.bytes(8)).readDoubleLE(0);
    default: throw new GgufHeaderError(`unknown metadata value type ${type} (corrupt file?)`);
  }
}

async function readValue(cursor: Cursor, type: number): Promise<GgufMetadataValue> {
  if (type !== 9) return readScalar(cursor, type);
  const itemType = await cursor.u32();
  const length = Number(await cursor.u64());
  if (!(itemType in FIXED_SIZE) && itemType !== 8) throw new GgufHeaderError(`unknown array item type ${itemType} (corrupt file?)`);
  const summary = { arrayOf: TYPE_NAMES[itemType] ?? String(itemType), length };
  if (length <= KEEP_ARRAY_ITEMS) {
    const items: GgufMetadataValue[] = [];
    for (let i = 0; i < length; i++) items.push(await readScalar(cursor, itemType));
    return { ...summary, items };
  }
  if (itemType === 8) {
    for (let i = 0; i < length; i++) {
      const n = await cursor.u64();
      if (n > BigInt(MAX_STRING)) throw new GgufHeaderError('a metadata string is impossibly long (corrupt file?)');
      cursor.skip(Number(n));
    }
  } else cursor.skip(length * FIXED_SIZE[itemType]!);
  return summary;
}

/** The header of the GGUF file at `file`; GgufHeaderError when it is not one (or is cut short). */
export async function readGgufHeader(file: string): Promise<GgufHeader> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const cursor = new Cursor(handle, size);
    if (size < 24) throw new GgufHeaderError('the file is too short to be a GGUF model');
    if ((await cursor.u32()) !== MAGIC) throw new GgufHeaderError('not a GGUF file (wrong magic bytes)');
    const version = await cursor.u32();
    if (version < 2 || version > 3) throw new GgufHeaderError(`GGUF version ${version} is not supported (2 or 3 expected)`);
    const tensorCount = Number(await cursor.u64());
    const kvCount = Number(await cursor.u64());
    if (kvCount > MAX_KV) throw new GgufHeaderError(`the header claims ${kvCount} metadata entries (corrupt file?)`);
    const metadata: Record<string, GgufMetadataValue> = {};
    for (let i = 0; i < kvCount; i++) {
      const key = await cursor.string();
      metadata[key] = await readValue(cursor, await cursor.u32());
    }
    return { version, tensorCount, metadata, headerBytes: cursor.position };
  } finally {
    await handle.close();
  }
}

function asNumber(value: GgufMetadataValue | undefined): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return null;
}

/** Q4_K_M and the like from a file name, for files whose header has no general.file_type. */
function fileTypeFromName(file: string): string | null {
  const match = /(?:^|[-_.])((?:I?Q\d(?:_[A-Z0-9]+)*)|F16|F32|BF16)(?=[-_.]|\.gguf$)/i.exec(file);
  return match ? match[1]!.toUpperCase() : null;
}

export function summariseGguf(header: GgufHeader, fileName = ''): GgufSummary {
  const meta = header.metadata;
  const architecture = typeof meta['general.architecture'] === 'string' ? meta['general.architecture'] : null;
  const fileTypeNumber = asNumber(meta['general.file_type']);
  return {
    architecture,
    name: typeof meta['general.name'] === 'string' ? meta['general.name'] : null,
    fileType: fileTypeNumber !== null ? (FILE_TYPES[fileTypeNumber] ?? `type ${fileTypeNumber}`) : fileTypeFromName(fileName),
    contextLength: architecture ? asNumber(meta[`${architecture}.context_length`]) : null,
    hasChatTemplate: typeof meta['tokenizer.chat_template'] === 'string',
  };
}
