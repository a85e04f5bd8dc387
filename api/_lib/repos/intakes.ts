import { z } from 'zod'
import { type IntakeStatus, isClosed } from '../../../src/shared/intake-workflow'
import {
  BusinessViewSchema,
  type IntakeSubmit,
  LoanViewSchema,
  OutcomeSchema,
  PrecheckSchema,
  type QueueQuery,
} from '../../../src/shared/schemas/intake'
import { maskIdNumber, maskMobile } from '../../../src/shared/validators'
import { type AccessScope, canSee } from '../policy'
import { type SessionGuard, sessionGuardLua } from '../sessions'
import { store } from '../store'
import { keys } from '../store/keys'

/**
 * Loan intakes. A record is a hash `{ v, doc }`: `v` the version every change compares and sets,
 * `doc` the JSON record below. Personal data is stored encrypted (`pii`, see crypto.ts) next to
 * its masks, so staff lists never decrypt. Every multi-key change is one Lua script: one round
 * trip, all or nothing.
 */

const PiiSchema = z.object({ name: z.string(), idNumber: z.string(), mobile: z.string() })

export const IntakeRecordSchema = z.object({
  id: z.string(),
  receipt: z.string(),
  /** The point that owns the intake now (changes on referral). */
  station: z.string(),
  /** Region of the owning point: officials see the intakes within their region. */
  region: z.string(),
  /** Where it was filed. */
  filedAt: z.string(),
  status: z.string() as z.ZodType<IntakeStatus>,
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  statusSince: z.string(),
  /** Score in the point's queue sets (filing time, ms × 1000 + jitter). */
  score: z.number(),
  contactDueAt: z.string().nullable(),
  firstContactAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  owner: z.string().nullable(),
  assistedBy: z.string().nullable(),
  groups: z.array(z.string()),
  business: BusinessViewSchema,
  loan: LoanViewSchema,
  /** Encrypted; null once purged. */
  pii: PiiSchema.nullable(),
  masked: z.object({ name: z.string(), idNumber: z.string(), mobile: z.string() }),
  precheck: PrecheckSchema,
  consent: z.object({ version: z.string(), at: z.string() }).nullable(),
  notify: z.boolean(),
  history: z.array(
    z.object({
      at: z.string(),
      actor: z.string().nullable(),
      actorName: z.string().nullable(),
      from: z.string().nullable() as z.ZodType<IntakeStatus | null>,
      to: z.string() as z.ZodType<IntakeStatus>,
      note: z.string().optional(),
    }),
  ),
  outcome: OutcomeSchema.optional(),
  /** 帮办: SHA-256 of the confirmation code and when it lapses. */
  confirmation: z.object({ codeHash: z.string(), expiresAt: z.string(), attempts: z.number() }).nullable(),
  purgedAt: z.string().nullable(),
})
export type IntakeRecord = z.infer<typeof IntakeRecordSchema>

export function parseIntake(doc: unknown): IntakeRecord | null {
  let value = doc
  if (typeof doc === 'string') {
    try {
      value = JSON.parse(doc)
    } catch {
      return null
    }
  }
  const parsed = IntakeRecordSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}

/** Masks staff see: the family name only, 身份证号 first 3 + last 4, mobile first 3 + last 4. */
export function masksOf(contact: IntakeSubmit['contact']): IntakeRecord['masked'] {
  return {
    name: `${[...contact.name][0] ?? ''}${'*'.repeat(Math.max(1, [...contact.name].length - 1))}`,
    idNumber: maskIdNumber(contact.idNumber),
    mobile: maskMobile(contact.mobile),
  }
}

/**
 * Submit, in one round trip:
 * KEYS  1 idempotency  2 duplicate index  3 intake  4 receipt  5 queue  6 queue by status
 *       7 mine (or a dummy)  8 audit day  9 rate counter (ip)  10 rate counter (account)
 * ARGV  1 body hash  2 id  3 doc  4 score  5 idempotency TTL  6 duplicate TTL  7 has owner
 *       8 audit line  9 audit TTL  10 rate limit per window  11 rate window seconds
 *       12 intake key prefix
 * and, when the caller's session is checked here (see sessions.ts `sessionGuard`):
 * KEYS 11–13 account, session family, denylist; ARGV 13 token iat, 14 role, 15 '1'.
 * Answers { 'created' | 'replay' | 'duplicate' | 'mismatch' | 'limited' | 'session', id }.
 */
const SUBMIT_SCRIPT = `
if ARGV[15] == '1' then
${sessionGuardLua(11, 13)}
end
local seen = redis.call('GET', KEYS[1])
if seen then
  local sep = string.find(seen, '|', 1, true)
  local hash = string.sub(seen, 1, sep - 1)
  if hash ~= ARGV[1] then return {'mismatch', ''} end
  return {'replay', string.sub(seen, sep + 1)}
end
local limit = tonumber(ARGV[10])
for i = 9, 10 do
  local n = redis.call('INCR', KEYS[i])
  if n == 1 then redis.call('EXPIRE', KEYS[i], tonumber(ARGV[11])) end
  if n > limit then return {'limited', ''} end
end
local existing = redis.call('GET', KEYS[2])
if existing and redis.call('EXISTS', ARGV[12] .. existing) == 1 then
  redis.call('SET', KEYS[1], ARGV[1] .. '|' .. existing, 'EX', tonumber(ARGV[5]))
  return {'duplicate', existing}
end
redis.call('HSET', KEYS[3], 'v', 1, 'doc', ARGV[3])
redis.call('SET', KEYS[4], ARGV[2])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[2])
redis.call('ZADD', KEYS[6], ARGV[4], ARGV[2])
if ARGV[7] == '1' then redis.call('ZADD', KEYS[7], ARGV[4], ARGV[2]) end
redis.call('SET', KEYS[2], ARGV[2], 'EX', tonumber(ARGV[6]))
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', tonumber(ARGV[5]))
redis.call('LPUSH', KEYS[8], ARGV[8])
redis.call('EXPIRE', KEYS[8], tonumber(ARGV[9]))
return {'created', ARGV[2]}`

/**
 * Change, compare-and-set on the version:
 * KEYS  1 intake  2 old status set  3 new status set  4 old queue  5 new queue  6 audit day
 *       7 closed index  8 mine (or a dummy)
 * ARGV  1 expected version  2 new doc  3 id  4 score  5 audit line  6 audit TTL  7 closed-at ms
 *       (or '') 8 has owner
 * Answers 'ok', 'conflict' (someone changed it first) or 'missing'.
 */
const CHANGE_SCRIPT = `
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return 'missing' end
if v ~= ARGV[1] then return 'conflict' end
redis.call('HSET', KEYS[1], 'v', tonumber(ARGV[1]) + 1, 'doc', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('ZREM', KEYS[4], ARGV[3])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
if ARGV[8] == '1' then redis.call('ZADD', KEYS[8], ARGV[4], ARGV[3]) end
if ARGV[7] ~= '' then redis.call('ZADD', KEYS[7], tonumber(ARGV[7]), ARGV[3]) end
redis.call('LPUSH', KEYS[6], ARGV[5])
redis.call('EXPIRE', KEYS[6], tonumber(ARGV[6]))
return 'ok'`

/**
 * A page of a queue set, newest first, in one round trip: ids below the cursor score, then their docs.
 * KEYS 1 queue set; ARGV 1 max score (exclusive, or '+inf') 2 min score 3 count 4 intake key prefix.
 * Answers a flat list: id, score, version, doc, id, score, …
 */
const PAGE_SCRIPT = `
local ids = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for i = 1, #ids, 2 do
  local values = redis.call('HMGET', ARGV[4] .. ids[i], 'v', 'doc')
  if values[2] then
    table.insert(out, ids[i])
    table.insert(out, ids[i + 1])
    table.insert(out, values[1])
    table.insert(out, values[2])
  end
end
return out`

export type SubmitOutcome =
  | { kind: 'created' | 'replay' | 'duplicate'; id: string }
  | { kind: 'mismatch' }
  | { kind: 'limited' }
  | { kind: 'session' }

export interface StoredIntake {
  record: IntakeRecord
  version: number
}

const IDEMPOTENCY_TTL_S = 24 * 3600
const DUPLICATE_TTL_S = 30 * 24 * 3600
/** Submits per person (device or account) and per address in a 10-minute window. */
export const SUBMIT_LIMIT = 20
const SUBMIT_WINDOW_S = 600
const CACHE_MS = 30_000
let groupCache: { groups: Record<string, string>; until: number; redis: unknown } | undefined

/** A key that is never written: scripts need a fixed number of keys. */
const NO_KEY = 'ds:intake:none'

/** The score of an intake in its queue sets: filing time in ms, with jitter to keep ties apart. */
export function queueScore(createdAt: Date): number {
  return createdAt.getTime() * 1000 + Math.floor(Math.random() * 1000)
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))
    : []
}

export const intakes = {
  async submit(input: {
    record: IntakeRecord
    bodyHash: string
    idempotencyKey: string
    caller: string
    ip: string
    blind: string
    audit: { key: string; line: string; ttl: number }
    now: Date
    /** The caller's session, checked inside the script (null: already checked by the router). */
    guard: SessionGuard | null
  }): Promise<SubmitOutcome> {
    const { record } = input
    const window = Math.floor(input.now.getTime() / 1000 / SUBMIT_WINDOW_S)
    const answer = await store().redis.eval(
      SUBMIT_SCRIPT,
      [
        keys.intakeIdempotency(input.caller, input.idempotencyKey),
        keys.intakeDuplicate(record.station, input.blind),
        keys.intake(record.id),
        keys.intakeByReceipt(record.receipt),
        // A 帮办 filing reaches the point's queue only when the resident confirms it.
        record.status === 'awaiting_confirmation' ? NO_KEY : keys.intakeQueue(record.station),
        keys.intakeQueue(record.station, record.status),
        record.owner ? keys.intakesOf(record.owner) : NO_KEY,
        input.audit.key,
        keys.intakeRate('ip', input.ip, window),
        keys.intakeRate('caller', input.caller, window),
        ...(input.guard?.keys ?? [NO_KEY, NO_KEY, NO_KEY]),
      ],
      [
        input.bodyHash,
        record.id,
        JSON.stringify(record),
        String(record.score),
        String(IDEMPOTENCY_TTL_S),
        String(DUPLICATE_TTL_S),
        record.owner ? '1' : '0',
        input.audit.line,
        String(input.audit.ttl),
        String(SUBMIT_LIMIT),
        String(SUBMIT_WINDOW_S),
        keys.intake(''),
        ...(input.guard?.args ?? ['0', '']),
        input.guard ? '1' : '0',
      ],
    )
    const [kind, id] = asStrings(answer)
    if (kind === 'session') return { kind: 'session' }
    if (kind === 'mismatch') return { kind: 'mismatch' }
    if (kind === 'limited') return { kind: 'limited' }
    if ((kind === 'created' || kind === 'replay' || kind === 'duplicate') && id) return { kind, id }
    throw new Error(`unexpected submit answer: ${String(kind)}`)
  },

  /** One intake with its version, or null. Scope is checked by the caller with `visible`. */
  async get(id: string): Promise<StoredIntake | null> {
    const values = await store().redis.hmget<{ v: unknown; doc: unknown }>(keys.intake(id), 'v', 'doc')
    if (!values) return null
    const record = parseIntake(values.doc)
    if (!record) return null
    return { record, version: Number(values.v) }
  },

  /** An intake the caller may see (staff: their point; officials: their region), else null. */
  async visible(access: AccessScope, id: string): Promise<StoredIntake | null> {
    const found = await intakes.get(id)
    if (!found) return null
    const { record } = found
    return canSee(access, {
      owner: record.owner ?? undefined,
      station: record.station,
      region: record.region,
    })
      ? found
      : null
  },

  async byReceipt(receipt: string): Promise<StoredIntake | null> {
    const id = await store().redis.get<string>(keys.intakeByReceipt(receipt))
    return typeof id === 'string' ? intakes.get(id) : null
  },

  /**
   * Compare-and-set: writes `next` only if the stored version is still `version`; moves the id
   * between the status sets (and between points on a referral) and records the audit line, all in
   * one script. Answers 'ok', 'conflict' or 'missing'.
   */
  async change(
    previous: IntakeRecord,
    version: number,
    next: IntakeRecord,
    audit: { key: string; line: string; ttl: number },
  ): Promise<'ok' | 'conflict' | 'missing'> {
    const closedAt = next.closedAt && isClosed(next.status) ? String(Date.parse(next.closedAt)) : ''
    const answer = await store().redis.eval(
      CHANGE_SCRIPT,
      [
        keys.intake(next.id),
        keys.intakeQueue(previous.station, previous.status),
        keys.intakeQueue(next.station, next.status),
        keys.intakeQueue(previous.station),
        keys.intakeQueue(next.station),
        audit.key,
        keys.intakesClosed(),
        next.owner ? keys.intakesOf(next.owner) : NO_KEY,
      ],
      [
        String(version),
        JSON.stringify({ ...next, version: version + 1 }),
        next.id,
        String(next.score),
        audit.line,
        String(audit.ttl),
        closedAt,
        next.owner && !previous.owner ? '1' : '0',
      ],
    )
    if (answer === 'ok' || answer === 'conflict' || answer === 'missing') return answer
    throw new Error(`unexpected change answer: ${String(answer)}`)
  },

  /**
   * A page of a point's queue, newest first: one script call per batch. Group and age filters
   * are applied to each batch; `next` is the cursor to continue from (null at the end).
   */
  async page(
    station: string,
    query: QueueQuery,
    now: Date,
  ): Promise<{ items: StoredIntake[]; next: string | null; roundTrips: number }> {
    const limit = query.limit ?? 20
    const set = keys.intakeQueue(station, query.status)
    let max = query.cursor ? `(${query.cursor}` : '+inf'
    if (query.olderThanDays !== undefined) {
      const bound = (now.getTime() - query.olderThanDays * 86_400_000) * 1000
      if (!query.cursor || bound < Number(query.cursor)) max = `(${bound}`
    }
    const items: StoredIntake[] = []
    let roundTrips = 0
    let lastScore: string | null = null
    // Without a group filter one batch fills the page; with one, a few more may be needed.
    for (let batch = 0; batch < 5; batch++) {
      // One more than needed tells whether another page follows.
      const want = limit - items.length + 1
      const flat = asStrings(
        await store().redis.eval(PAGE_SCRIPT, [set], [max, '-inf', String(want), keys.intake('')]),
      )
      roundTrips++
      const rows = Math.floor(flat.length / 4)
      for (let row = 0; row < rows; row++) {
        if (items.length === limit) return { items, next: lastScore, roundTrips }
        const at = row * 4
        lastScore = flat[at + 1] ?? null
        const record = parseIntake(flat[at + 3])
        if (!record || (query.group && !record.groups.includes(query.group))) continue
        items.push({ record, version: Number(flat[at + 2]) })
      }
      if (rows < want) return { items, next: null, roundTrips }
      max = `(${lastScore}`
    }
    return { items, next: lastScore, roundTrips }
  },

  /** A resident's own intakes, newest first. */
  async mine(account: string): Promise<StoredIntake[]> {
    const ids = await store().redis.zrange<string[]>(keys.intakesOf(account), 0, 49, { rev: true })
    const found = await Promise.all(ids.map((id) => intakes.get(String(id))))
    return found.filter((item): item is StoredIntake => item !== null && item.record.owner === account)
  },

  /** Closed intakes whose retention ran out before `before`, oldest first, at most `limit`. */
  async closedBefore(before: Date, limit: number): Promise<string[]> {
    const ids = await store().redis.zrange<string[]>(keys.intakesClosed(), 0, before.getTime(), {
      byScore: true,
      offset: 0,
      count: limit,
    })
    return ids.map(String)
  },

  /** Drops an id from the purge index (after its personal data was removed). */
  async forgetClosed(id: string): Promise<void> {
    await store().redis.zrem(keys.intakesClosed(), id)
  },

  /**
   * Target groups officials added, id → label. Kept in this process for 30 s: the list changes
   * rarely and is read on every submit; another instance sees an addition within 30 s.
   */
  async extraGroups(): Promise<Record<string, string>> {
    if (groupCache && groupCache.until > Date.now() && groupCache.redis === store().redis)
      return groupCache.groups
    const all = await store().redis.hgetall<Record<string, unknown>>(keys.targetGroups())
    const groups = Object.fromEntries(Object.entries(all ?? {}).map(([id, label]) => [id, String(label)]))
    groupCache = { groups, until: Date.now() + CACHE_MS, redis: store().redis }
    return groups
  },

  async addGroup(id: string, label: string): Promise<boolean> {
    groupCache = undefined
    return (await store().redis.hsetnx(keys.targetGroups(), id, label)) === 1
  },
}
