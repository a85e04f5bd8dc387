/**
 * The published pocket-book (创业政策口袋书) kept on the device, so the 口袋书 tab paints at once
 * and still works with no signal. Plain code (no Taro, no zod): it sits in the main package, and
 * the pages pass the platform's storage and the API call in (`use-pocketbook.ts`).
 *
 * Storage keys (versioned: a new shape gets a new key, and the old one is simply never read):
 * - `doorstep.pocketbook.v1` → `{ v: 1, etag, entries, checkedAt }`, the published entries as
 *   `GET /api/v1/pocketbook` answered them, and when the server last confirmed them.
 * - `doorstep.pocketbook.place.v1` → `{ code, regionCode, districtName }`, where the resident's
 *   chosen station is (so the region filter works offline too).
 *
 * Size: 30–50 entries are a few hundred KB at most, well inside WeChat's 1 MB per key and 10 MB
 * per mini-program (https://developers.weixin.qq.com/miniprogram/dev/api/storage/wx.setStorageSync.html).
 */
import type { PolicyEntry, PolicySource } from '../shared/schemas/policy'

export const POCKETBOOK_KEY = 'doorstep.pocketbook.v1'
export const PLACE_KEY = 'doorstep.pocketbook.place.v1'

/** Region code of national policies (GB/T 2260 has no code for the whole country). */
export const NATIONAL = '000000'

/** The platform's synchronous key-value storage (`Taro.getStorageSync` and friends). */
export interface KeyValueStorage {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

export interface PocketbookCopy {
  etag: string
  entries: PolicyEntry[]
  /** When the server last said this copy is current (ISO 8601). */
  checkedAt: string
}

/** What `GET /api/v1/pocketbook?have=<etag>` answers: entries are null when `have` is current. */
export interface PocketbookAnswer {
  etag: string
  entries: PolicyEntry[] | null
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string')

/**
 * Enough of an entry for the pages to show it without crashing. The server validated the whole
 * entry when it was published; this only guards against a damaged or foreign stored value.
 */
function looksLikeEntry(value: unknown): value is PolicyEntry {
  if (!isRecord(value)) return false
  const { id, title, summary, category, regions, groups, source, conditions } = value
  return (
    typeof id === 'string' &&
    typeof title === 'string' &&
    typeof summary === 'string' &&
    typeof category === 'string' &&
    isStringArray(regions) &&
    isStringArray(groups) &&
    isRecord(source) &&
    typeof source.title === 'string' &&
    isRecord(conditions) &&
    Array.isArray(value.benefits) &&
    Array.isArray(value.materials) &&
    Array.isArray(value.steps)
  )
}

/** A stored copy, or null when there is none or it is not ours (another shape, damaged). */
export function reviveCopy(raw: unknown): PocketbookCopy | null {
  if (!isRecord(raw) || raw.v !== 1 || typeof raw.etag !== 'string' || !Array.isArray(raw.entries))
    return null
  return {
    etag: raw.etag,
    entries: raw.entries.filter(looksLikeEntry),
    checkedAt: typeof raw.checkedAt === 'string' ? raw.checkedAt : '',
  }
}

/** The copy on the device; storage that cannot be read counts as empty. */
export function readCopy(storage: KeyValueStorage): PocketbookCopy | null {
  try {
    return reviveCopy(storage.get(POCKETBOOK_KEY))
  } catch {
    return null
  }
}

/** Keeps the copy; answers false when the device refused (full, private mode). */
export function writeCopy(storage: KeyValueStorage, copy: PocketbookCopy): boolean {
  try {
    storage.set(POCKETBOOK_KEY, { v: 1, ...copy })
    return true
  } catch {
    return false
  }
}

export type Refreshed =
  /** The server sent entries: the copy was replaced. */
  | { status: 'updated'; copy: PocketbookCopy }
  /** The server confirmed the copy (`entries: null`). */
  | { status: 'current'; copy: PocketbookCopy }
  /** No answer (or an error): the stored copy, if any, is all there is. */
  | { status: 'offline'; copy: PocketbookCopy | null; error: unknown }

/**
 * Asks the server whether the stored copy is current, and keeps what it answers. Entries cross
 * the network only when they changed: `have` carries the stored copy's etag.
 *
 * @example
 * const result = await refreshCopy(storage, readCopy(storage), (have) =>
 *   api.get<PocketbookAnswer>('/api/v1/pocketbook', { query: { have } }),
 * )
 */
export async function refreshCopy(
  storage: KeyValueStorage,
  copy: PocketbookCopy | null,
  fetchBook: (have: string | undefined) => Promise<PocketbookAnswer>,
  now: Date = new Date(),
): Promise<Refreshed> {
  try {
    let answer = await fetchBook(copy?.etag)
    if (answer.entries === null && answer.etag !== copy?.etag) {
      // "Nothing new" for an etag we do not hold: ask for the whole book.
      answer = await fetchBook(undefined)
    }
    const checkedAt = now.toISOString()
    if (answer.entries === null) {
      if (!copy || answer.etag !== copy.etag) throw new Error('口袋书没有取全，请稍后再试')
      const confirmed: PocketbookCopy = { ...copy, checkedAt }
      writeCopy(storage, confirmed)
      return { status: 'current', copy: confirmed }
    }
    const updated: PocketbookCopy = { etag: answer.etag, entries: answer.entries, checkedAt }
    writeCopy(storage, updated)
    return { status: 'updated', copy: updated }
  } catch (error) {
    return { status: 'offline', copy, error }
  }
}

/** “2026-05-01 09:30” in China time (UTC+8, no daylight saving), whatever the device's zone. */
export function chinaTime(iso: string): string {
  const time = Date.parse(iso)
  if (Number.isNaN(time)) return ''
  const china = new Date(time + 8 * 3600_000).toISOString()
  return `${china.slice(0, 10)} ${china.slice(11, 16)}`
}

/** The note shown over a copy the server could not confirm: “离线内容（更新于 2026-05-01 09:30）”. */
export function offlineNote(copy: PocketbookCopy): string {
  const when = chinaTime(copy.checkedAt)
  return when ? `离线内容（更新于 ${when}）` : '离线内容'
}

/**
 * A GB/T 2260 code and the codes that contain it: district → city → province
 * (`370212` → `370212`, `370200`, `370000`). The code's own digits say this, so no table is
 * needed (Chongqing's districts give `500100`, which no entry uses, then `500000`).
 */
export function regionChain(code: string): string[] {
  if (!/^\d{6}$/.test(code) || code === NATIONAL) return [code]
  const chain = [code, `${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`]
  return [...new Set(chain)]
}

/**
 * Whether an entry concerns a resident of `region`: national entries always do, and so do
 * entries of the region itself, of a region containing it, or of a district inside it.
 */
export function concernsRegion(entryRegions: readonly string[], region: string): boolean {
  const mine = regionChain(region)
  return entryRegions.some(
    (code) => code === NATIONAL || mine.includes(code) || regionChain(code).includes(region),
  )
}

/** Whether an entry is for this target group; an entry naming no group is open to everyone. */
export function concernsGroup(entryGroups: readonly string[], group: string): boolean {
  return entryGroups.length === 0 || entryGroups.includes(group)
}

export interface EntryFilter {
  category?: string | undefined
  group?: string | undefined
  region?: string | undefined
}

/** The entries that pass every filter that is set, in their stored order. */
export function filterEntries<T extends Pick<PolicyEntry, 'category' | 'regions' | 'groups'>>(
  entries: readonly T[],
  filter: EntryFilter,
): T[] {
  return entries.filter(
    (entry) =>
      (!filter.category || entry.category === filter.category) &&
      (!filter.group || concernsGroup(entry.groups, filter.group)) &&
      (!filter.region || concernsRegion(entry.regions, filter.region)),
  )
}

/** “《关于健全创业支持体系提升创业质量的意见》人社部发〔2025〕5号 第三条”: the list's source line. */
export function sourceLine(source: Pick<PolicySource, 'title' | 'documentNumber' | 'clause'>): string {
  return [`《${source.title}》`, source.documentNumber ?? '', source.clause].filter(Boolean).join(' ')
}

/** Where the resident's chosen station is, as kept for the region filter. */
export interface Place {
  code: string
  regionCode: string
  districtName: string
}

export function revivePlace(raw: unknown): Place | null {
  if (!isRecord(raw)) return null
  const { code, regionCode, districtName } = raw
  return typeof code === 'string' && typeof regionCode === 'string' && /^\d{6}$/.test(regionCode)
    ? { code, regionCode, districtName: typeof districtName === 'string' ? districtName : '' }
    : null
}
