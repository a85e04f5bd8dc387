import { createHash } from 'node:crypto'
import { type PolicyContent, type PolicyEntry, PolicyEntrySchema } from '../../../src/shared/schemas/policy'
import { buildIndex, type SearchDocument, type SearchIndex } from '../../../src/shared/search'
import { restoreIndex, type StoredIndex, storeIndex } from '../search-store'
import { store } from '../store'
import { keys } from '../store/keys'

/**
 * The pocket-book: every version of every entry is kept (`ds:policy:{id}:versions`, a list, oldest
 * first); `ds:policy:{id}` holds the entry's current state (its latest version, with a status).
 * Publishing or archiving rebuilds, in the same transaction, the published bundle (what the
 * mini-program keeps offline), its content hash (the ETag) and the search index — so the index
 * is built when content changes, never per request.
 */

export function parseEntry(value: unknown): PolicyEntry | null {
  let raw = value
  if (typeof value === 'string') {
    try {
      raw = JSON.parse(value)
    } catch {
      return null
    }
  }
  const parsed = PolicyEntrySchema.safeParse(raw)
  return parsed.success ? parsed.data : null
}

/** The search document of an entry: title and keywords weigh most, then summary, then the rest. */
export function searchDocument(entry: PolicyEntry | ({ id: string } & PolicyContent)): SearchDocument {
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

export interface Bundle {
  etag: string
  entries: PolicyEntry[]
}

interface Loaded {
  etag: string
  index: SearchIndex
  entries: Map<string, PolicyEntry>
  redis: unknown
  /** Until when this process trusts its copy without asking the store for the hash. */
  until: number
}

/** How long a process serves its loaded index before checking the stored hash again. */
const RECHECK_MS = 5_000

let loaded: Loaded | undefined

function etagOf(entries: PolicyEntry[]): string {
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 22)
}

/** Writes the published bundle, its hash and its search index into a transaction. */
function bundleInto(
  tx: ReturnType<ReturnType<typeof store>['redis']['multi']>,
  entries: PolicyEntry[],
): void {
  const published = [...entries].sort((a, b) => a.id.localeCompare(b.id))
  const bundle: Bundle = { etag: etagOf(published), entries: published }
  tx.set(keys.pocketbookBundle(), JSON.stringify(bundle))
  tx.set(keys.pocketbookEtag(), bundle.etag)
  tx.set(
    keys.pocketbookIndex(),
    JSON.stringify({ etag: bundle.etag, index: storeIndex(buildIndex(published.map(searchDocument))) }),
  )
}

export const policies = {
  async get(id: string): Promise<PolicyEntry | null> {
    return parseEntry(await store().redis.get(keys.policy(id)))
  },

  async versions(id: string): Promise<PolicyEntry[]> {
    const values = await store().redis.lrange(keys.policyVersions(id), 0, -1)
    return values.map(parseEntry).filter((entry): entry is PolicyEntry => entry !== null)
  },

  async all(): Promise<PolicyEntry[]> {
    const ids = (await store().redis.smembers(keys.policies())).map(String).sort()
    if (ids.length === 0) return []
    const values = await store().redis.mget<unknown[]>(...ids.map((id) => keys.policy(id)))
    return values.map(parseEntry).filter((entry): entry is PolicyEntry => entry !== null)
  },

  /**
   * Saves a new version of an entry. `expected` is the version the editor started from (null for
   * a new entry): a stale one is refused, so two editors never overwrite each other silently.
   * When the new version is published or archived, the bundle and the index are rebuilt with it.
   */
  async save(entry: PolicyEntry, expected: number | null): Promise<'ok' | 'conflict'> {
    const current = await policies.get(entry.id)
    if ((current?.version ?? null) !== expected) return 'conflict'
    const redis = store().redis
    const tx = redis.multi()
    tx.set(keys.policy(entry.id), JSON.stringify(entry))
    tx.rpush(keys.policyVersions(entry.id), JSON.stringify(entry))
    tx.sadd(keys.policies(), entry.id)
    // A draft leaves the published version in place; publishing or archiving changes the bundle.
    if (entry.status !== 'draft') {
      const { entries } = await policies.bundle()
      const others = entries.filter((other) => other.id !== entry.id)
      bundleInto(tx, entry.status === 'published' ? [...others, entry] : others)
    }
    await tx.exec()
    loaded = undefined
    return 'ok'
  },

  /**
   * Loads shipped entries that are not stored yet, as published version 1, and rebuilds the
   * bundle and the index once. Entries already stored (edited or not) are left alone.
   */
  async seedMissing(entries: readonly ({ id: string } & PolicyContent)[], now = new Date()): Promise<number> {
    const redis = store().redis
    const present = new Set((await redis.smembers(keys.policies())).map(String))
    const missing = entries.filter((entry) => !present.has(entry.id))
    if (missing.length === 0 && (await redis.exists(keys.pocketbookBundle())) === 1) return 0
    const added = missing.map(
      (content): PolicyEntry => ({
        ...content,
        version: 1,
        status: 'published',
        updatedAt: now.toISOString(),
        editor: null,
      }),
    )
    const { entries: published } = await policies.bundle()
    const tx = redis.multi()
    for (const entry of added) {
      tx.set(keys.policy(entry.id), JSON.stringify(entry))
      tx.rpush(keys.policyVersions(entry.id), JSON.stringify(entry))
      tx.sadd(keys.policies(), entry.id)
    }
    bundleInto(tx, [...published, ...added])
    await tx.exec()
    loaded = undefined
    return missing.length
  },

  /** The published entries and their hash, as the mini-program keeps them offline. */
  async bundle(): Promise<Bundle> {
    const raw = await store().redis.get<unknown>(keys.pocketbookBundle())
    const value = typeof raw === 'string' ? JSON.parse(raw) : raw
    if (value && typeof value === 'object' && 'etag' in value && 'entries' in value) {
      const entries = (value.entries as unknown[])
        .map(parseEntry)
        .filter((entry): entry is PolicyEntry => entry !== null)
      return { etag: String(value.etag), entries }
    }
    return { etag: etagOf([]), entries: [] }
  },

  /** Only the hash: a cheap "has anything changed" for the offline copy. */
  async etag(): Promise<string> {
    const etag = await store().redis.get<unknown>(keys.pocketbookEtag())
    return typeof etag === 'string' ? etag : etagOf([])
  },

  /**
   * The search index and published entries, loaded once per process and reloaded when the stored
   * hash changes (another instance published). Checking the hash is one GET of a short string.
   */
  async searchable(): Promise<Loaded> {
    const redis = store().redis
    if (loaded && loaded.redis === redis && loaded.until > Date.now()) return loaded
    const etag = await policies.etag()
    if (loaded && loaded.redis === redis && loaded.etag === etag) {
      loaded.until = Date.now() + RECHECK_MS
      return loaded
    }
    const [bundle, raw] = await Promise.all([policies.bundle(), redis.get<unknown>(keys.pocketbookIndex())])
    const value = (typeof raw === 'string' ? JSON.parse(raw) : raw) as {
      etag?: string
      index?: StoredIndex
    } | null
    const index =
      value?.index && value.etag === bundle.etag
        ? restoreIndex(value.index)
        : buildIndex(bundle.entries.map(searchDocument))
    loaded = {
      etag: bundle.etag,
      index,
      entries: new Map(bundle.entries.map((entry) => [entry.id, entry])),
      redis,
      until: Date.now() + RECHECK_MS,
    }
    return loaded
  },
}
