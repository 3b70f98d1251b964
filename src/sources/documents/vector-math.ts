/** Unit-length Float32 copy, so cosine similarity becomes a dot product at query time. */
export function normalise(vector: readonly number[]): Float32Array {
  const out = Float32Array.from(vector);
  let norm = 0;
  for (const x of out) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
}

export function toBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function fromBlob(blob: Uint8Array): Float32Array {
  // Copy: SQLite's buffer may not be 4-byte aligned.
  const copy = new Uint8Array(blob);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

export function dot(a: Float32Array, b: Float32Array, bOffset = 0): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[bOffset + i];
  return sum;
}

/** Unit vectors of many chunks in one flat matrix (row `i` is chunk `ids[i]`), cached by a store. */
export interface VectorMatrix {
  ids: Int32Array;
  matrix: Float32Array;
  dims: number;
}

/** The `limit` rows most similar to a unit query, best first; `allowed` restricts the chunk ids. */
export function topByDot(
  query: Float32Array,
  vectors: VectorMatrix,
  limit: number,
  allowed?: ReadonlySet<number>,
): Array<{ chunkId: number; score: number }> {
  // Keep the top `limit` in a small sorted array: cheaper than sorting every score.
  const top: Array<{ chunkId: number; score: number }> = [];
  for (let row = 0; row < vectors.ids.length; row++) {
    const id = vectors.ids[row];
    if (allowed && !allowed.has(id)) continue;
    const score = dot(query, vectors.matrix, row * vectors.dims);
    if (top.length === limit && score <= top[top.length - 1].score) continue;
    let at = top.length;
    while (at > 0 && top[at - 1].score < score) at--;
    top.splice(at, 0, { chunkId: id, score });
    if (top.length > limit) top.pop();
  }
  return top;
}
