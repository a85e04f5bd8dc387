import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import * as fontkit from '@pdf-lib/fontkit'

/**
 * Noto Sans SC for printed posters, cut down to the characters a poster uses.
 *
 * `@fontsource/noto-sans-sc` ships each weight as ~100 WOFF2 chunks split by unicode range (the
 * way Google Fonts slices CJK fonts for the web), with the ranges in the weight's CSS file. A
 * poster needs a few dozen characters, so for each weight we pick the fewest chunks that hold
 * them and have harfbuzz (`subset-font`) keep only those glyphs, written as TrueType: pdf-lib and
 * fontkit embed TrueType outlines reliably, and a poster's fonts stay at a few kilobytes each.
 *
 * Characters no chunk has a glyph for (emoji outside the ranges, private-use code points, …) are
 * not drawable; the caller draws {@link FALLBACK_CHARACTER} in their place, which this module
 * then includes. Control characters are ignored: line breaks are the caller's business.
 */

/** Font weights a poster uses: regular for body text, bold for the name and the short code. */
export type FontWeight = 400 | 700

/** Drawn in place of a character no chunk of the font has: a white square, U+25A1. */
export const FALLBACK_CHARACTER = '□'

/** One subset font: a chunk of Noto Sans SC holding only the glyphs asked for. */
export interface FontSlice {
  /** The Fontsource file it was cut from, e.g. `noto-sans-sc-118-400-normal.woff2`. */
  source: string
  weight: FontWeight
  /** TrueType (sfnt) bytes. */
  data: Uint8Array
  /** The code points the slice has a glyph for. */
  codePoints: ReadonlySet<number>
}

/** The part of `subset-font`'s API used here (the package ships no types). */
type SubsetFont = (
  font: Buffer,
  text: string,
  options: { targetFormat: 'sfnt' | 'woff' | 'woff2'; dropTables?: string[] },
) => Promise<Buffer>

// A plain require with a literal name: the package has no type declarations to import, and
// Vercel's file tracer follows literal requires into the bundle.
const subsetFont = require('subset-font') as SubsetFont

interface Chunk {
  /** File name under the package's `files/` directory. */
  file: string
  /** Inclusive code point ranges, as in the CSS `unicode-range` descriptor. */
  ranges: ReadonlyArray<readonly [number, number]>
}

/**
 * OpenType tables left out of each subset. Without GSUB every character maps to its cmap glyph:
 * pdf-lib writes glyph widths and the ToUnicode map only for cmap glyphs, so a glyph that GSUB
 * substitutes in context (Noto Sans SC swaps the 0s in "QD0001" for another glyph) is drawn with
 * the PDF's default 1000-unit width — Q D 0 0 0 1, spaced out — and drops out of copied text. GPOS is unused (pdf-lib
 * positions by advance widths alone), and the vertical-writing and baseline tables don't apply to
 * horizontal print.
 */
const DROPPED_TABLES = ['GSUB', 'GPOS', 'BASE', 'STAT', 'vhea', 'vmtx']

let packageDir: string | undefined
const chunkLists = new Map<FontWeight, Promise<Chunk[]>>()
const chunkFiles = new Map<string, Promise<Buffer>>()

/** The installed package's directory, wherever node_modules is (project root, Vercel bundle). */
function fontsourceDir(): string {
  packageDir ??= dirname(require.resolve('@fontsource/noto-sans-sc/package.json'))
  return packageDir
}

/** Parses `U+4e00-9fff,U+3000` into inclusive ranges (CSS Fonts Level 4, `unicode-range`). */
function parseUnicodeRange(value: string): Array<readonly [number, number]> {
  return value.split(',').map((part) => {
    const match = /^\s*U\+([0-9a-f]{1,6})(?:-([0-9a-f]{1,6}))?\s*$/i.exec(part)
    if (!match?.[1]) {
      throw new Error(`unsupported unicode-range in @fontsource/noto-sans-sc: ${part}`)
    }
    const start = Number.parseInt(match[1], 16)
    const end = match[2] ? Number.parseInt(match[2], 16) : start
    return [start, end] as const
  })
}

/** The weight's chunks in CSS order, parsed once per process. */
function chunksOf(weight: FontWeight): Promise<Chunk[]> {
  let list = chunkLists.get(weight)
  if (!list) {
    list = readFile(join(fontsourceDir(), `${weight}.css`), 'utf8').then((css) => {
      const chunks: Chunk[] = []
      for (const block of css.split('@font-face').slice(1)) {
        const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1]
        const range = /unicode-range:\s*([^;}]+)/.exec(block)?.[1]
        if (file && range) chunks.push({ file, ranges: parseUnicodeRange(range) })
      }
      if (chunks.length === 0) {
        throw new Error(`no unicode-range chunks found in @fontsource/noto-sans-sc/${weight}.css`)
      }
      return chunks
    })
    // A failed read is not cached: the next poster tries again.
    list.catch(() => chunkLists.delete(weight))
    chunkLists.set(weight, list)
  }
  return list
}

function chunkFile(file: string): Promise<Buffer> {
  let data = chunkFiles.get(file)
  if (!data) {
    data = readFile(join(fontsourceDir(), 'files', file))
    data.catch(() => chunkFiles.delete(file))
    chunkFiles.set(file, data)
  }
  return data
}

/** Which chunks hold a code point, per chunk list: posters repeat most of their characters. */
const holderCache = new WeakMap<readonly Chunk[], Map<number, Chunk[]>>()

function holdersOf(chunks: readonly Chunk[], codePoint: number): Chunk[] {
  let cache = holderCache.get(chunks)
  if (!cache) {
    cache = new Map()
    holderCache.set(chunks, cache)
  }
  let holders = cache.get(codePoint)
  if (!holders) {
    holders = chunks.filter((chunk) =>
      chunk.ranges.some(([start, end]) => codePoint >= start && codePoint <= end),
    )
    cache.set(codePoint, holders)
  }
  return holders
}

/**
 * Assigns each code point to a chunk so that as few chunks as possible are used: code points only
 * one chunk has decide first, then the rest go to a chunk already chosen when they can, else to
 * the chunk holding most of what is left (greedy set cover; chunks overlap only on Latin letters,
 * digits and punctuation, where greedy is as good as exact). Code points in no chunk are returned apart.
 */
function assign(codePoints: readonly number[], chunks: readonly Chunk[]) {
  const candidates = new Map<number, Chunk[]>()
  const outside: number[] = []
  for (const codePoint of codePoints) {
    const holders = holdersOf(chunks, codePoint)
    if (holders.length === 0) outside.push(codePoint)
    else candidates.set(codePoint, holders)
  }

  const plan = new Map<Chunk, number[]>()
  const place = (chunk: Chunk, codePoint: number) => {
    const list = plan.get(chunk)
    if (list) list.push(codePoint)
    else plan.set(chunk, [codePoint])
    candidates.delete(codePoint)
  }
  for (const [codePoint, holders] of candidates) {
    if (holders.length === 1 && holders[0]) place(holders[0], codePoint)
  }
  while (candidates.size > 0) {
    for (const [codePoint, holders] of candidates) {
      const chosen = holders.find((chunk) => plan.has(chunk))
      if (chosen) place(chosen, codePoint)
    }
    let best: Chunk | undefined
    let bestCount = 0
    for (const chunk of chunks) {
      let count = 0
      for (const holders of candidates.values()) if (holders.includes(chunk)) count++
      if (count > bestCount) {
        best = chunk
        bestCount = count
      }
    }
    if (!best) break
    for (const [codePoint, holders] of candidates) if (holders.includes(best)) place(best, codePoint)
  }
  return { plan, outside }
}

async function cut(weight: FontWeight, chunk: Chunk, codePoints: readonly number[]): Promise<FontSlice> {
  const original = await chunkFile(chunk.file)
  const data = await subsetFont(original, String.fromCodePoint(...codePoints), {
    targetFormat: 'sfnt',
    dropTables: DROPPED_TABLES,
  })
  // What the subset really maps: a unicode-range may name code points the chunk has no glyph for.
  const mapped = new Set(fontkit.create(data).characterSet)
  return { source: chunk.file, weight, data: new Uint8Array(data), codePoints: mapped }
}

/** Code points to draw: every distinct one in `text` except control characters. */
function drawable(text: string): number[] {
  const seen = new Set<number>()
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0
    if (codePoint >= 0x20 && !(codePoint >= 0x7f && codePoint <= 0x9f)) seen.add(codePoint)
  }
  return [...seen].sort((a, b) => a - b)
}

/**
 * The fewest Noto Sans SC subset fonts of one weight that together draw every character of
 * `text`. When some character has no glyph in any chunk, the result also draws
 * {@link FALLBACK_CHARACTER}, which the caller puts in its place.
 *
 * The CSS is parsed once per weight and chunk files are read once per process; harfbuzz's wasm is
 * compiled on the first call (~0.1 s), later calls take a few milliseconds.
 *
 * @param text - every string the caller will draw in this weight (order and repeats don't matter).
 * @param weight - 400 (regular) or 700 (bold).
 * @throws Error when the font package is missing or its CSS no longer has unicode-range chunks.
 */
export async function notoSansSC(text: string, weight: FontWeight = 400): Promise<FontSlice[]> {
  const chunks = await chunksOf(weight)
  const subset = async (codePoints: readonly number[]) => {
    const { plan, outside } = assign(codePoints, chunks)
    const slices = await Promise.all([...plan].map(([chunk, points]) => cut(weight, chunk, points)))
    const missing = outside.length > 0 || codePoints.some((cp) => !slices.some((s) => s.codePoints.has(cp)))
    return { slices, missing }
  }

  const codePoints = drawable(text)
  const first = await subset(codePoints)
  if (!first.missing) return first.slices
  const fallback = FALLBACK_CHARACTER.codePointAt(0) ?? 0
  const second = await subset([...codePoints, fallback])
  if (!second.slices.some((slice) => slice.codePoints.has(fallback))) {
    throw new Error(`@fontsource/noto-sans-sc ${weight} has no glyph for the fallback ${FALLBACK_CHARACTER}`)
  }
  return second.slices
}
