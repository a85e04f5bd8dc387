import { z } from 'zod'
import { ancestorsOf } from '../../../src/shared/regions'
import { INVITATION_ALPHABET } from '../../../src/shared/schemas/identity'
import {
  type StationQuery,
  type StationSummary,
  StationSummarySchema,
} from '../../../src/shared/schemas/station'
import { chinaDate } from '../../../src/shared/working-days'
import { type AccessScope, canSee } from '../policy'
import { store } from '../store'
import { keys } from '../store/keys'

export const StationRecordSchema = StationSummarySchema.extend({ updatedAt: z.string() })
export type StationRecord = z.infer<typeof StationRecordSchema>

function parseRecord(value: unknown): StationRecord | null {
  const parsed = StationRecordSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}

const recent = new Map<string, { record: StationRecord | null; until: number; redis: unknown }>()

/** The registry of 就享家 stations and 助创驿站 points. */
export const stations = {
  /** Creates or replaces a station and its region indexes in one transaction. */
  async put(station: StationSummary, now = new Date()): Promise<StationRecord> {
    recent.delete(station.code.toUpperCase())
    const record: StationRecord = { ...StationSummarySchema.parse(station), updatedAt: now.toISOString() }
    const { redis } = store()
    const previous = parseRecord(await redis.get(keys.station(record.code)))
    const tx = redis.multi()
    if (previous && previous.regionCode !== record.regionCode) {
      for (const region of ancestorsOf(previous.regionCode))
        tx.srem(keys.stationsInRegion(region), record.code)
    }
    tx.set(keys.station(record.code), JSON.stringify(record))
    // The poster code's index; NX so a re-put never revives a code that was revoked.
    tx.set(keys.posterCode(record.posterCode), JSON.stringify({ station: record.code, status: 'active' }), {
      nx: true,
    })
    tx.sadd(keys.stations(), record.code)
    for (const region of ancestorsOf(record.regionCode)) tx.sadd(keys.stationsInRegion(region), record.code)
    await tx.exec()
    return record
  },

  async get(code: string): Promise<StationRecord | null> {
    return parseRecord(await store().redis.get(keys.station(code.toUpperCase())))
  },

  /**
   * A station as of at most 30 s ago, for hot paths (every intake submit reads its point): a
   * suspension or an edit reaches other instances within 30 s; this instance forgets on `put`.
   */
  async getRecent(code: string): Promise<StationRecord | null> {
    const key = code.toUpperCase()
    const cached = recent.get(key)
    if (cached && cached.until > Date.now() && cached.redis === store().redis) return cached.record
    const record = await stations.get(key)
    recent.set(key, { record, until: Date.now() + 30_000, redis: store().redis })
    return record
  },

  /** Stations, optionally within a region and of one kind, ordered by code. */
  async list(query: StationQuery = {}): Promise<StationRecord[]> {
    const { redis } = store()
    const codes = query.region
      ? await redis.smembers(keys.stationsInRegion(query.region))
      : await redis.smembers(keys.stations())
    if (codes.length === 0) return []
    const sorted = [...codes].map(String).sort()
    const values = await redis.mget<unknown[]>(...sorted.map((code) => keys.station(code)))
    const found = values
      .map(parseRecord)
      .filter((record): record is StationRecord => record !== null)
      .filter((record) => !query.kind || record.kind === query.kind)
    if (!query.near) return found
    // Nearest first; stations without coordinates keep their order after those with.
    const [lat, lng] = query.near.split(',').map(Number) as [number, number]
    const distance = (record: StationRecord) =>
      record.location
        ? haversineKm(lat, lng, record.location.lat, record.location.lng)
        : Number.POSITIVE_INFINITY
    return found
      .map((record) => ({ record, km: distance(record) }))
      .sort((a, b) => a.km - b.km)
      .map((x) => x.record)
  },

  /**
   * Every station the caller manages, whatever its status: the whole registry for an
   * administrator, the stations within an official's region, the staff member's own station.
   */
  async listManaged(access: AccessScope, query: Pick<StationQuery, 'region'> = {}): Promise<StationRecord[]> {
    const region = query.region ?? (access.rule === 'region' ? access.region : undefined)
    const found = await stations.list(region ? { region } : {})
    return found.filter((record) => canSee(access, { station: record.code, region: record.regionCode }))
  },
}

const CodeEntrySchema = z.object({
  station: z.string(),
  status: z.enum(['active', 'revoked']),
  replacedBy: z.string().optional(),
  revokedAt: z.string().optional(),
})

export type CodeResolution =
  | { status: 'active'; station: StationRecord }
  | { status: 'revoked'; station: StationRecord; replacedBy: string | null }
  | { status: 'unknown' }

/**
 * Swaps a station's poster code: claims the new code (never used before), marks the old one
 * revoked and pointing at the new one, and updates the station — all or nothing.
 * KEYS: new code, old code, station; ARGV: new code entry, old code entry, station record.
 */
const REISSUE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], ARGV[3])
return 1`

/** A new poster code: 6 characters without look-alikes (no 0/O, 1/I/L). */
function drawCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6))
  return [...bytes].map((byte) => INVITATION_ALPHABET[byte % INVITATION_ALPHABET.length]).join('')
}

/** The calendar day in China (UTC+8) — what staff mean by "today's scans". */
export function chinaDay(now: Date): string {
  return chinaDate(now)
}

export const posterCodes = {
  /** What a printed code leads to: its station, the station that replaced it, or nothing. */
  async resolve(code: string): Promise<CodeResolution> {
    const entry = CodeEntrySchema.safeParse(await store().redis.get(keys.posterCode(code.toUpperCase())))
    if (!entry.success) return { status: 'unknown' }
    const station = await stations.get(entry.data.station)
    if (!station) return { status: 'unknown' }
    if (entry.data.status === 'active') return { status: 'active', station }
    return { status: 'revoked', station, replacedBy: entry.data.replacedBy ?? null }
  },

  /** Revokes the station's current poster code and issues a new one. */
  async reissue(stationCode: string, now = new Date()): Promise<StationRecord | null> {
    const station = await stations.get(stationCode)
    if (!station) return null
    for (let attempt = 0; attempt < 5; attempt++) {
      const next = drawCode()
      const updated: StationRecord = { ...station, posterCode: next, updatedAt: now.toISOString() }
      const done = await store().redis.eval(
        REISSUE_SCRIPT,
        [keys.posterCode(next), keys.posterCode(station.posterCode), keys.station(station.code)],
        [
          JSON.stringify({ station: station.code, status: 'active' }),
          JSON.stringify({
            station: station.code,
            status: 'revoked',
            replacedBy: next,
            revokedAt: now.toISOString(),
          }),
          JSON.stringify(updated),
        ],
      )
      if (Number(done) === 1) return updated
    }
    throw new Error('could not draw a free poster code')
  },
}

export const scans = {
  /** Counts one scan: a single HINCRBY, no personal data. */
  async record(stationCode: string, now = new Date()): Promise<void> {
    await store().redis.hincrby(keys.scans(stationCode), chinaDay(now), 1)
  },

  /** Scans per day for the last `days` days (China time), oldest first. */
  async recent(
    stationCode: string,
    days: number,
    now = new Date(),
  ): Promise<{ day: string; scans: number }[]> {
    const wanted = Array.from({ length: days }, (_, index) =>
      chinaDay(new Date(now.getTime() - (days - 1 - index) * 86_400_000)),
    )
    const values = await store().redis.hmget<Record<string, unknown>>(keys.scans(stationCode), ...wanted)
    return wanted.map((day) => ({ day, scans: Number(values?.[day] ?? 0) || 0 }))
  },
}

/** Great-circle distance in km (haversine, mean Earth radius 6,371 km). */
export function haversineKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180
  const dLat = (lat2 - lat1) * rad
  const dLng = (lng2 - lng1) * rad
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)))
}
