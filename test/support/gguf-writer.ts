// A small GGUF (v3) writer, so tests make their own model file instead of downloading one:
// a llama-architecture model with a byte-level SentencePiece vocabulary (3 control tokens and
// the 256 `<0xXX>` byte tokens) and random F32 weights from a seeded PRNG. llama.cpp loads it,
// tokenises any text (byte fallback) and generates from it: gibberish, but real tokens.
import { writeFile } from 'node:fs/promises';
// The same PRNG as the builtin interviewer's: one seed writes the same model byte for byte.
import { seededRandom } from '../../src/interview/engine/random.js';

/** GGUF metadata value types (gguf.md). */
const enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
}

/** A metadata value, tagged with the GGUF type it is written as. */
export type GgufValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'u64'; value: bigint }
  | { type: 'string[]'; value: string[] }
  | { type: 'f32[]'; value: number[] }
  | { type: 'i32[]'; value: number[] };

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the innermost (contiguous) one. */
  dims: number[];
  data: Float32Array;
}

const ALIGNMENT = 32;

class ByteSink {
  private chunks: Buffer[] = [];
  length = 0;
  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }
  u64(value: bigint | number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  f32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(alignment: number): void {
    const rest = this.length % alignment;
    if (rest) this.push(Buffer.alloc(alignment - rest));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(sink: ByteSink, value: GgufValue): void {
  switch (value.type) {
    case 'u32':
      sink.u32(ValueType.UINT32);
      return sink.u32(value.value);
    case 'i32':
      sink.u32(ValueType.INT32);
      return sink.i32(value.value);
    case 'f32':
      sink.u32(ValueType.FLOAT32);
      return sink.f32(value.value);
    case 'bool':
      sink.u32(ValueType.BOOL);
      return sink.push(Buffer.from([value.value ? 1 : 0]));
    case 'string':
      sink.u32(ValueType.STRING);
      return sink.string(value.value);
    case 'u64':
      sink.u32(ValueType.UINT64);
      return sink.u64(value.value);
    case 'string[]':
      return writeArray(sink, ValueType.STRING, value.value, (item) => sink.string(item));
    case 'f32[]':
      return writeArray(sink, ValueType.FLOAT32, value.value, (item) => sink.f32(item));
    case 'i32[]':
      return writeArray(sink, ValueType.INT32, value.value, (item) => sink.i32(item));
  }
}

/** An array value: its element type, its length, then each element. */
function writeArray<T>(sink: ByteSink, type: ValueType, items: readonly T[], write: (item: T) => void): void {
  sink.u32(ValueType.ARRAY);
  sink.u32(type);
  sink.u64(items.length);
  for (const item of items) write(item);
}

/** Any GGUF file: metadata in the order given, then F32 tensors, each aligned to 32 bytes. */
export function encodeGguf(metadata: Record<string, GgufValue>, tensors: GgufTensor[]): Buffer {
  const sink = new ByteSink();
  sink.push(Buffer.from('GGUF', 'latin1'));
  sink.u32(3);
  sink.u64(tensors.length);
  sink.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    sink.string(key);
    writeValue(sink, value);
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const tensor of tensors) {
    if (tensor.data.length !== tensor.dims.reduce((a, b) => a * b, 1)) throw new Error(`tensor ${tensor.name}: data does not match dims`);
    sink.string(tensor.name);
    sink.u32(tensor.dims.length);
    for (const dim of tensor.dims) sink.u64(dim);
    sink.u32(0); // GGML_TYPE_F32
    sink.u64(offset);
    offsets.push(offset);
    offset += Math.ceil((tensor.data.byteLength) / ALIGNMENT) * ALIGNMENT;
  }
  sink.pad(ALIGNMENT);
  for (const tensor of tensors) {
    sink.push(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    sink.pad(ALIGNMENT);
  }
  return sink.toBuffer();
}

export interface TinyLlamaOptions {
  seed?: number;
  layers?: number;
  embedding?: number;
  feedForward?: number;
  heads?: number;
  contextLength?: number;
  name?: string;
  /** A Jinja chat template to store as tokenizer.chat_template (none by default). */
  chatTemplate?: string;
}

/** Token ids of the byte-level vocabulary: the three control tokens, then byte b at BYTE_BASE + b. */
export const TINY_VOCAB = { unk: 0, bos: 1, eos: 2, byteBase: 3, size: 259 } as const;

/** A llama model small enough to write in milliseconds and run on any CPU (~150 kB at the defaults). */
export function tinyLlamaGguf(options: TinyLlamaOptions = {}): Buffer {
  const random = seededRandom(options.seed ?? 42);
  const nEmbd = options.embedding ?? 32;
  const nFf = options.feedForward ?? 64;
  const nLayer = options.layers ?? 2;
  const nHead = options.heads ?? 4;
  const nVocab = TINY_VOCAB.size;
  const weights = (count: number, scale: number) => {
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = (random() * 2 - 1) * scale;
    return data;
  };
  const ones = (count: number) => new Float32Array(count).fill(1);

  const tokens = ['<unk>', '<s>', '</s>'];
  for (let b = 0; b < 256; b++) tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
  // token_type: 2 unknown, 3 control, 6 byte.
  const tokenTypes = [2, 3, 3, ...Array.from({ length: 256 }, () => 6)];

  const metadata: Record<string, GgufValue> = {
    'general.architecture': { type: 'string', value: 'llama' },
    'general.name': { type: 'string', value: options.name ?? 'sdcoach tiny test model' },
    'general.file_type': { type: 'u32', value: 0 }, // ALL_F32
    'general.alignment': { type: 'u32', value: ALIGNMENT },
    'llama.context_length': { type: 'u32', value: options.contextLength ?? 512 },
    'llama.embedding_length': { type: 'u32', value: nEmbd },
    'llama.block_count': { type: 'u32', value: nLayer },
    'llama.feed_forward_length': { type: 'u32', value: nFf },
    'llama.attention.head_count': { type: 'u32', value: nHead },
    'llama.attention.head_count_kv': { type: 'u32', value: nHead },
    'llama.attention.layer_norm_rms_epsilon': { type: 'f32', value: 1e-5 },
    'llama.rope.dimension_count': { type: 'u32', value: nEmbd / nHead },
    'llama.rope.freq_base': { type: 'f32', value: 10000 },
    'llama.vocab_size': { type: 'u32', value: nVocab },
    'tokenizer.ggml.model': { type: 'string', value: 'llama' },
    'tokenizer.ggml.tokens': { type: 'string[]', value: tokens },
    'tokenizer.ggml.scores': { type: 'f32[]', value: tokens.map(() => 0) },
    'tokenizer.ggml.token_type': { type: 'i32[]', value: tokenTypes },
    'tokenizer.ggml.unknown_token_id': { type: 'u32', value: TINY_VOCAB.unk },
    'tokenizer.ggml.bos_token_id': { type: 'u32', value: TINY_VOCAB.bos },
    'tokenizer.ggml.eos_token_id': { type: 'u32', value: TINY_VOCAB.eos },
    'tokenizer.ggml.add_bos_token': { type: 'bool', value: true },
    'tokenizer.ggml.add_eos_token': { type: 'bool', value: false },
    // No "▁" before the first word: text survives tokenise → detokenise unchanged.
    'tokenizer.ggml.add_space_prefix': { type: 'bool', value: false },
  };
  if (options.chatTemplate) metadata['tokenizer.chat_template'] = { type: 'string', value: options.chatTemplate };

  const scale = 1 / Math.sqrt(nEmbd);
  const tensors: GgufTensor[] = [
    { name: 'token_embd.weight', dims: [nEmbd, nVocab], data: weights(nEmbd * nVocab, 1) },
    { name: 'output_norm.weight', dims: [nEmbd], data: ones(nEmbd) },
    { name: 'output.weight', dims: [nEmbd, nVocab], data: weights(nEmbd * nVocab, scale) },
  ];
  for (let layer = 0; layer < nLayer; layer++) {
    const p = `blk.${layer}.`;
    tensors.push(
      { name: `${p}attn_norm.weight`, dims: [nEmbd], data: ones(nEmbd) },
      { name: `${p}attn_q.weight`, dims: [nEmbd, nEmbd], data: weights(nEmbd * nEmbd, scale) },
      { name: `${p}attn_k.weight`, dims: [nEmbd, nEmbd], data: weights(nEmbd * nEmbd, scale) },
      { name: `${p}attn_v.weight`, dims: [nEmbd, nEmbd], data: weights(nEmbd * nEmbd, scale) },
      { name: `${p}attn_output.weight`, dims: [nEmbd, nEmbd], data: weights(nEmbd * nEmbd, scale) },
      { name: `${p}ffn_norm.weight`, dims: [nEmbd], data: ones(nEmbd) },
      { name: `${p}ffn_gate.weight`, dims: [nEmbd, nFf], data: weights(nEmbd * nFf, scale) },
      { name: `${p}ffn_up.weight`, dims: [nEmbd, nFf], data: weights(nEmbd * nFf, scale) },
      { name: `${p}ffn_down.weight`, dims: [nFf, nEmbd], data: weights(nFf * nEmbd, 1 / Math.sqrt(nFf)) },
    );
  }
  return encodeGguf(metadata, tensors);
}

export async function writeTinyLlamaGguf(file: string, options: TinyLlamaOptions = {}): Promise<string> {
  await writeFile(file, tinyLlamaGguf(options));
  return file;
}
