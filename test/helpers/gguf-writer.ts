/**
 * Writes a tiny random-weight llama GGUF (format v3) that the real llama.cpp runtime loads and
 * generates from, so model tests run where `../shared/models` is absent. Layout mirrors
 * `llama-2-tiny-random.gguf`: one block, f32 tensors, a SentencePiece ("llama") vocabulary of
 * control tokens + 256 byte tokens + a few hundred word pieces.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sharedFile } from "./shared-dir.js";

const ALIGNMENT = 32;

// GGUF metadata value types.
const T = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10 } as const;
const GGML_F32 = 0;

type Kv =
  | { type: "u32"; value: number }
  | { type: "f32"; value: number }
  | { type: "string"; value: string }
  | { type: "bool"; value: boolean }
  | { type: "string[]"; value: string[] }
  | { type: "f32[]"; value: number[] }
  | { type: "i32[]"; value: number[] };

export interface TinyGgufOptions {
  /** Seed for the random weights; the same seed gives the same bytes. */
  seed?: number;
  embedding?: number;
  feedForward?: number;
  heads?: number;
  contextLength?: number;
  /** Number of word-piece tokens after the 3 control + 256 byte tokens. */
  extraTokens?: number;
  name?: string;
}

class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;
  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v: number | bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string): void {
    const bytes = Buffer.from(s, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(): void {
    const rem = this.length % ALIGNMENT;
    if (rem) this.push(Buffer.alloc(ALIGNMENT - rem));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** mulberry32: small deterministic PRNG, enough for test weights. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  "the a an and of to in is it that was he she they we you for on with as at by this from or be are not have had his her but one all there what so when up out if about who which will would can said time little day big cat dog tree sun happy friend play home went saw lot very".split(
    " ",
  );

function vocabulary(extra: number): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens = ["<unk>", "<s>", "</s>"];
  const types = [2, 3, 3]; // unknown, control, control
  for (let i = 0; i < 256; i++) {
    tokens.push(`<0x${i.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(6); // byte
  }
  const pieces = new Set<string>();
  for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'\"{}[]:;-_()")
    pieces.add(c);
  for (const c of "abcdefghijklmnopqrstuvwxyz") pieces.add(`▁${c}`);
  pieces.add("▁");
  for (const w of WORDS) pieces.add(`▁${w}`);
  for (const a of "etaoinshrdlu") for (const b of "etaoinshrdlu") pieces.add(a + b);
  const list = [...pieces].slice(0, extra);
  for (const piece of list) {
    tokens.push(piece);
    types.push(1); // normal
  }
  // SentencePiece scores: longer pieces score higher so merges prefer them.
  const scores = tokens.map((t, i) => (i < 259 ? 0 : -1000 + t.length * 10 - i / 1000));
  return { tokens, scores, types };
}

/** Builds the GGUF bytes in memory. */
export function buildTinyLlamaGguf(options: TinyGgufOptions = {}): Buffer {
  const nEmbd = options.embedding ?? 16;
  const nFf = options.feedForward ?? 32;
  const nHead = options.heads ?? 2;
  const headDim = nEmbd / nHead;
  if (!Number.isInteger(headDim)) throw new Error("embedding must be divisible by heads");
  const vocab = vocabulary(options.extraTokens ?? 300);
  const nVocab = vocab.tokens.length;
  const random = rng(options.seed ?? 42);

  const kv: Array<[string, Kv]> = [
    ["general.architecture", { type: "string", value: "llama" }],
    ["general.name", { type: "string", value: options.name ?? "flm-tiny-random" }],
    ["general.alignment", { type: "u32", value: ALIGNMENT }],
    ["llama.context_length", { type: "u32", value: options.contextLength ?? 2048 }],
    ["llama.embedding_length", { type: "u32", value: nEmbd }],
    ["llama.block_count", { type: "u32", value: 1 }],
    ["llama.feed_forward_length", { type: "u32", value: nFf }],
    ["llama.rope.dimension_count", { type: "u32", value: headDim }],
    ["llama.attention.head_count", { type: "u32", value: nHead }],
    ["llama.attention.head_count_kv", { type: "u32", value: nHead }],
    ["llama.attention.layer_norm_rms_epsilon", { type: "f32", value: 1e-5 }],
    ["tokenizer.ggml.model", { type: "string", value: "llama" }],
    ["tokenizer.ggml.tokens", { type: "string[]", value: vocab.tokens }],
    ["tokenizer.ggml.scores", { type: "f32[]", value: vocab.scores }],
    ["tokenizer.ggml.token_type", { type: "i32[]", value: vocab.types }],
    ["tokenizer.ggml.bos_token_id", { type: "u32", value: 1 }],
    ["tokenizer.ggml.eos_token_id", { type: "u32", value: 2 }],
    ["tokenizer.ggml.unknown_token_id", { type: "u32", value: 0 }],
  ];

  // GGUF dims are listed innermost first (ne0, ne1), as in the shared model.
  const tensors: Array<{ name: string; dims: number[] }> = [
    { name: "token_embd.weight", dims: [nEmbd, nVocab] },
    { name: "blk.0.attn_norm.weight", dims: [nEmbd] },
    { name: "blk.0.attn_q.weight", dims: [nEmbd, nEmbd] },
    { name: "blk.0.attn_k.weight", dims: [nEmbd, nEmbd] },
    { name: "blk.0.attn_v.weight", dims: [nEmbd, nEmbd] },
    { name: "blk.0.attn_output.weight", dims: [nEmbd, nEmbd] },
    { name: "blk.0.ffn_norm.weight", dims: [nEmbd] },
    { name: "blk.0.ffn_gate.weight", dims: [nEmbd, nFf] },
    { name: "blk.0.ffn_up.weight", dims: [nEmbd, nFf] },
    { name: "blk.0.ffn_down.weight", dims: [nFf, nEmbd] },
    { name: "output_norm.weight", dims: [nEmbd] },
    { name: "output.weight", dims: [nEmbd, nVocab] },
  ];

  const w = new ByteWriter();
  w.push(Buffer.from("GGUF", "ascii"));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(kv.length);
  for (const [key, value] of kv) {
    w.str(key);
    switch (value.type) {
      case "u32":
        w.u32(T.u32);
        w.u32(value.value);
        break;
      case "f32":
        w.u32(T.f32);
        w.f32(value.value);
        break;
      case "bool":
        w.u32(T.bool);
        w.push(Buffer.from([value.value ? 1 : 0]));
        break;
      case "string":
        w.u32(T.string);
        w.str(value.value);
        break;
      case "string[]":
        w.u32(T.array);
        w.u32(T.string);
        w.u64(value.value.length);
        for (const s of value.value) w.str(s);
        break;
      case "f32[]":
        w.u32(T.array);
        w.u32(T.f32);
        w.u64(value.value.length);
        for (const n of value.value) w.f32(n);
        break;
      case "i32[]":
        w.u32(T.array);
        w.u32(T.i32);
        w.u64(value.value.length);
        for (const n of value.value) w.i32(n);
        break;
    }
  }

  const data: Buffer[] = [];
  let offset = 0;
  for (const tensor of tensors) {
    const count = tensor.dims.reduce((a, b) => a * b, 1);
    const bytes = Buffer.alloc(count * 4);
    const isNorm = tensor.name.endsWith("norm.weight");
    for (let i = 0; i < count; i++) bytes.writeFloatLE(isNorm ? 1 : (random() - 0.5) * 0.5, i * 4);
    w.str(tensor.name);
    w.u32(tensor.dims.length);
    for (const d of tensor.dims) w.u64(d);
    w.u32(GGML_F32);
    w.u64(offset);
    const padded = Math.ceil(bytes.length / ALIGNMENT) * ALIGNMENT;
    data.push(bytes, Buffer.alloc(padded - bytes.length));
    offset += padded;
  }
  w.pad();
  for (const d of data) w.push(d);
  return w.toBuffer();
}

/** Writes the GGUF to `path` atomically (temp file + rename) and returns the path. */
export function writeTinyLlamaGguf(path: string, options: TinyGgufOptions = {}): string {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, buildTinyLlamaGguf(options));
  renameSync(tmp, path);
  return path;
}

/** The generated model, cached in os.tmpdir() by a hash of its options. */
export function generatedTestModelPath(options: TinyGgufOptions = {}): string {
  const key = createHash("sha256").update(JSON.stringify(options)).digest("hex").slice(0, 12);
  const dir = join(tmpdir(), "flm-test-models");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `tiny-llama-${key}.gguf`);
  if (!existsSync(path)) writeTinyLlamaGguf(path, options);
  return path;
}

export type TestModelName = "tiny-random" | "stories260K" | "generated";

/**
 * A small model for real-runtime tests: the shared `llama-2-tiny-random.gguf` (or
 * `stories260K.gguf` when asked) when ../shared is present, else the generated one.
 */
export function testModelPath(prefer: "tiny-random" | "stories260K" = "tiny-random"): string {
  const file = prefer === "stories260K" ? "stories260K.gguf" : "llama-2-tiny-random.gguf";
  return sharedFile("models", file) ?? generatedTestModelPath();
}
