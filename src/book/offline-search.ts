/**
 * Search over the pocket-book kept on the device, for when the API cannot be reached. The same
 * bigram index and BM25 scoring as the server (`src/shared/search.ts`), with the same field
 * weights (title 4, keywords 3, summary 2, the rest 1), so offline results rank as online ones do.
 */
import { type EntryFilter, filterEntries, type PocketbookCopy } from '../services/pocketbook'
import type { PolicyEntry } from '../shared/schemas/policy'
import { buildIndex, type SearchDocument, type SearchIndex, search } from '../shared/search'

/** What an entry contributes to the index. */
export function searchDocument(entry: PolicyEntry): SearchDocument {
  return {
    id: entry.id,
    fields: [
      { text: entry.title, weight: 4 },
      { text: entry.keywords.join(' '), weight: 3 },
      { text: entry.summary, weight: 2 },
      {
        text: [
          ...entry.benefits.map((benefit) => `${benefit.label} ${benefit.note ?? ''}`),
          ...entry.conditions.text,
          ...entry.steps,
          entry.source.title,
          entry.source.documentNumber ?? '',
        ].join(' '),
        weight: 1,
      },
    ],
  }
}

/** One index per copy, built on the first offline search of the session and reused after. */
let built: { etag: string; index: SearchIndex } | null = null

let builds = 0

/** How many times an index was built this session (once per copy is the point). */
export function indexBuildCount(): number {
  return builds
}

function indexFor(copy: PocketbookCopy): SearchIndex {
  if (built?.etag !== copy.etag) {
    built = { etag: copy.etag, index: buildIndex(copy.entries.map(searchDocument)) }
    builds++
  }
  return built.index
}

export interface OfflineHit {
  entry: PolicyEntry
  score: number
}

/**
 * The best entries of the stored copy for a query, filters applied after ranking (as the API
 * does), at most `limit`.
 */
export function searchCopy(
  copy: PocketbookCopy,
  query: string,
  filter: EntryFilter = {},
  limit = 20,
): OfflineHit[] {
  const byId = new Map(copy.entries.map((entry) => [entry.id, entry]))
  const hits = search(indexFor(copy), query, copy.entries.length)
    .map((hit) => ({ entry: byId.get(hit.id), score: hit.score }))
    .filter((hit): hit is OfflineHit => hit.entry !== undefined)
  const allowed = new Set(
    filterEntries(
      hits.map((hit) => hit.entry),
      filter,
    ).map((entry) => entry.id),
  )
  return hits.filter((hit) => allowed.has(hit.entry.id)).slice(0, limit)
}
