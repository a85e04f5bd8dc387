import { randomInt } from 'node:crypto'
import { z } from 'zod'
import { childrenOf, isWithin } from '../../../src/shared/regions'
import { roleSchema, ScopeSchema } from '../../../src/shared/schemas/auth'
import { INVITATION_ALPHABET } from '../../../src/shared/schemas/identity'
import type { AccessScope } from '../policy'
import { store } from '../store'
import { keys } from '../store/keys'

export const INVITATION_SECONDS = 72 * 3600

export const InvitationRecordSchema = z.object({
  code: z.string(),
  role: roleSchema,
  scope: ScopeSchema,
  /** GB/T 2260 region the scope lies in ('000000' for administrators' whole-country scope). */
  region: z.string(),
  note: z.string().optional(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  usedAt: z.string().optional(),
  usedBy: z.string().optional(),
})
export type InvitationRecord = z.infer<typeof InvitationRecordSchema>

function newCode(): string {
  let code = ''
  for (let i = 0; i < 10; i++) code += INVITATION_ALPHABET[randomInt(INVITATION_ALPHABET.length)]
  return code
}

function visible(access: AccessScope, record: InvitationRecord): boolean {
  if (access.rule === 'all') return true
  if (access.rule === 'region') return isWithin(record.region, access.region)
  return false
}

/**
 * Marks an invitation used, once: KEYS[1] = the invitation; ARGV = account id, now (ISO).
 * Answers the record as it was before, or 0 when it is missing (expired) or already used.
 */
const CONSUME_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local record = cjson.decode(raw)
if record.usedAt then return 0 end
record.usedAt = ARGV[2]
record.usedBy = ARGV[1]
redis.call('SET', KEYS[1], cjson.encode(record), 'KEEPTTL')
return raw`

/** Puts an invitation back when the account it was used for could not be created. */
const RELEASE_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local record = cjson.decode(raw)
if record.usedBy ~= ARGV[1] then return 0 end
record.usedAt = nil
record.usedBy = nil
redis.call('SET', KEYS[1], cjson.encode(record), 'KEEPTTL')
return 1`

/** One-time invitations that bind a role and a scope to whoever redeems them within 72 hours. */
export const invitations = {
  async create(
    input: Pick<InvitationRecord, 'role' | 'scope' | 'region' | 'note' | 'createdBy'>,
    now = new Date(),
  ): Promise<InvitationRecord> {
    const { redis } = store()
    for (let attempt = 0; attempt < 5; attempt++) {
      const record = InvitationRecordSchema.parse({
        ...input,
        code: newCode(),
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + INVITATION_SECONDS * 1000).toISOString(),
      })
      const tx = redis.multi()
      tx.set(keys.invitation(record.code), JSON.stringify(record), { nx: true, ex: INVITATION_SECONDS })
      tx.sadd(keys.invitationsInRegion(record.region), record.code)
      tx.expire(keys.invitationsInRegion(record.region), INVITATION_SECONDS)
      const [created] = (await tx.exec()) as [unknown, ...unknown[]]
      if (created === 'OK') return record
    }
    throw new Error('could not draw a free invitation code')
  },

  /** Invitations still alive within the caller's scope, newest first. */
  async list(access: AccessScope): Promise<InvitationRecord[]> {
    const { redis } = store()
    const regions = access.rule === 'region' ? [access.region] : access.rule === 'all' ? null : []
    let codes: string[]
    if (regions === null) {
      codes = []
      let cursor = '0'
      do {
        const [next, batch] = await redis.scan(cursor, { match: keys.invitation('*'), count: 500 })
        cursor = String(next)
        codes.push(...batch.map((key) => String(key).split(':').pop() ?? ''))
      } while (cursor !== '0')
    } else {
      // A region's set holds its own invitations; a city official also sees its districts'.
      const sets = await Promise.all(
        regions
          .flatMap((region) => [region, ...descendantsOf(region)])
          .map((r) => redis.smembers(keys.invitationsInRegion(r))),
      )
      codes = sets.flat().map(String)
    }
    if (codes.length === 0) return []
    const values = await redis.mget<unknown[]>(...[...new Set(codes)].map((code) => keys.invitation(code)))
    return values
      .map((value) => InvitationRecordSchema.safeParse(value))
      .flatMap((parsed) => (parsed.success ? [parsed.data] : []))
      .filter((record) => visible(access, record))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  },

  async consume(code: string, accountId: string, now = new Date()): Promise<InvitationRecord | null> {
    const raw = await store().redis.eval(
      CONSUME_SCRIPT,
      [keys.invitation(code)],
      [accountId, now.toISOString()],
    )
    if (!raw || raw === 0) return null
    const parsed = InvitationRecordSchema.safeParse(typeof raw === 'string' ? JSON.parse(raw) : raw)
    return parsed.success ? parsed.data : null
  },

  async release(code: string, accountId: string): Promise<void> {
    await store().redis.eval(RELEASE_SCRIPT, [keys.invitation(code)], [accountId])
  },
}

function descendantsOf(region: string): string[] {
  return childrenOf(region).flatMap((child) => [child.code, ...descendantsOf(child.code)])
}
