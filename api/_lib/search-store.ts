import { type SearchIndex, search } from '../../src/shared/search'

/**
 * The search index as stored: ids and terms as JSON, the flat posting arrays as raw little-endian
 * bytes in base64. Loading decodes three buffers and builds one term map — no per-posting parsing —
 * so a cold process has the index in a few milliseconds even for thousands of entries.
 */
export interface StoredIndex {
  ids: string[]
  terms: string[]
  offsets: string
  /** Document numbers as 16-bit integers when there are fewer than 65 536 documents, else 32-bit. */
  docs: string
  docWidth: 2 | 4
  /** Weights as 16-bit fixed point: value × scale. */
  weights: string
  scale: number
}

const bytes = (array: Uint32Array | Uint16Array | Float32Array) =>
  Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64')

function view<T extends Uint32Array | Uint16Array>(text: string, make: (buffer: ArrayBuffer) => T): T {
  const raw = Buffer.from(text, 'base64')
  // Copy into an aligned buffer of its own: a Buffer may sit at any offset of a shared pool.
  const copy = new ArrayBuffer(raw.byteLength)
  new Uint8Array(copy).set(raw)
  return make(copy)
}

export function storeIndex(index: SearchIndex): StoredIndex {
  const terms = new Array<string>(index.terms.size)
  for (const [term, p] of index.terms) terms[p] = term
  const narrow = index.ids.length < 65_536
  let max = 0
  for (const weight of index.weights) if (weight > max) max = weight
  const scale = max > 0 ? 65_535 / max : 1
  return {
    ids: index.ids,
    terms,
    offsets: bytes(index.offsets),
    docs: bytes(narrow ? Uint16Array.from(index.docs) : index.docs),
    docWidth: narrow ? 2 : 4,
    weights: bytes(Uint16Array.from(index.weights, (weight) => Math.round(weight * scale))),
    scale,
  }
}

export function restoreIndex(stored: StoredIndex): SearchIndex {
  const docs =
    stored.docWidth === 2
      ? Uint32Array.from(view(stored.docs, (buffer) => new Uint16Array(buffer)))
      : view(stored.docs, (buffer) => new Uint32Array(buffer))
  const fixed = view(stored.weights, (buffer) => new Uint16Array(buffer))
  const weights = new Float32Array(fixed.length)
  for (let i = 0; i < fixed.length; i++) weights[i] = (fixed[i] as number) / stored.scale
  return {
    ids: stored.ids,
    terms: new Map(stored.terms.map((term, p) => [term, p])),
    offsets: view(stored.offsets, (buffer) => new Uint32Array(buffer)),
    docs,
    weights,
  }
}

export { search }
