import { z } from 'zod'
import { ancestorsOf } from '../../../src/shared/regions'
import {
  type StationQuery,
  type StationSummary,
  StationSummarySchema,
} from '../../../src/shared/schemas/station'
import { store } from '../store'
import { keys } from '../store/keys'

export const StationRecordSchema = StationSummarySchema.extend({ updatedAt: z.string() })
export type StationRecord = z.infer<typeof StationRecordSchema>

function parseRecord(value: unknown): StationRecord | null {
  const parsed = StationRecordSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}

/** The registry of 就享家 stations and 助创驿站 points. */
export const stations = {
  /** Creates or replaces a station and its region indexes in one transaction. */
  async put(station: StationSummary, now = new Date()): Promise<StationRecord> {
    const record: StationRecord = { ...StationSummarySchema.parse(station), updatedAt: now.toISOString() }
    const { redis } = store()
    const previous = parseRecord(await redis.get(keys.station(record.code)))
    const tx = redis.multi()
    if (previous && previous.regionCode !== record.regionCode) {
      for (const region of ancestorsOf(previous.regionCode))
        tx.srem(keys.stationsInRegion(region), record.code)
    }
    tx.set(keys.station(record.code), JSON.stringify(record))
    tx.sadd(keys.stations(), record.code)
    for (const region of ancestorsOf(record.regionCode)) tx.sadd(keys.stationsInRegion(region), record.code)
    await tx.exec()
    return record
  },

  async get(code: string): Promise<StationRecord | null> {
    return parseRecord(await store().redis.get(keys.station(code.toUpperCase())))
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
    return values
      .map(parseRecord)
      .filter((record): record is StationRecord => record !== null)
      .filter((record) => !query.kind || record.kind === query.kind)
  },
}
