import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { roleSchema, ScopeSchema } from '../../../src/shared/schemas/auth'
import { type AccessScope, canSee } from '../policy'
import { regionOfScope } from '../scopes'
import { store } from '../store'
import { keys } from '../store/keys'

export const AccountRecordSchema = z.object({
  id: z.string(),
  /** Staff sign-in name (H5 password login); residents have none. */
  username: z.string().optional(),
  displayName: z.string(),
  role: roleSchema,
  scope: ScopeSchema,
  passwordHash: z.string().optional(),
  /** Platform identities bound to this account: `wechat:<appid>:<openid>`, `alipay:…`, `device:…`. */
  identities: z.array(z.string()).default([]),
  disabled: z.boolean().default(false),
  /** Tokens issued before this moment (epoch seconds) are refused: "log out everywhere". */
  validAfter: z.number().int().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type AccountRecord = z.infer<typeof AccountRecordSchema>
export type NewAccount = Omit<AccountRecord, 'id' | 'createdAt' | 'updatedAt' | 'disabled' | 'identities'> & {
  identities?: string[]
}

export function parseAccount(value: unknown): AccountRecord | null {
  const parsed = AccountRecordSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}

/**
 * Claims every index key (username, platform identities) and writes the account in one step:
 * two accounts never share a username or an identity, and no account exists without its indexes.
 * KEYS[1] = the account, KEYS[2] = the staff directory, KEYS[3..] = index keys;
 * ARGV[1] = id, ARGV[2] = the record, ARGV[3] = '1' when the account is staff.
 */
const CREATE_SCRIPT = `
for i = 3, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end
end
for i = 3, #KEYS do redis.call('SET', KEYS[i], ARGV[1]) end
redis.call('SET', KEYS[1], ARGV[2])
if ARGV[3] == '1' then redis.call('SADD', KEYS[2], ARGV[1]) end
return 1`

/** Adds an identity index to an existing account unless another account holds it. */
const BIND_SCRIPT = `
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[1], ARGV[2])
return 1`

export const accounts = {
  /** Creates an account; null when its username or an identity is already taken. */
  async create(input: NewAccount, now = new Date()): Promise<AccountRecord | null> {
    const record = AccountRecordSchema.parse({
      ...input,
      id: randomUUID(),
      disabled: false,
      identities: input.identities ?? [],
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    })
    const indexKeys = [
      ...(record.username ? [keys.accountByUsername(record.username)] : []),
      ...record.identities.map((identity) => keys.accountByIdentity(identity)),
    ]
    const created = await store().redis.eval(
      CREATE_SCRIPT,
      [keys.account(record.id), keys.staffAccounts(), ...indexKeys],
      [record.id, JSON.stringify(record), record.role === 'resident' ? '0' : '1'],
    )
    return Number(created) === 1 ? record : null
  },

  /** Replaces an existing account's record (indexes unchanged). */
  async replace(record: AccountRecord, now = new Date()): Promise<AccountRecord> {
    const next = AccountRecordSchema.parse({ ...record, updatedAt: now.toISOString() })
    const tx = store().redis.multi()
    tx.set(keys.account(next.id), JSON.stringify(next))
    if (next.role === 'resident') tx.srem(keys.staffAccounts(), next.id)
    else tx.sadd(keys.staffAccounts(), next.id)
    await tx.exec()
    return next
  },

  /** Binds a platform identity to an account; false when another account already holds it. */
  async bindIdentity(
    record: AccountRecord,
    identity: string,
    now = new Date(),
  ): Promise<AccountRecord | null> {
    const next = AccountRecordSchema.parse({
      ...record,
      identities: [...new Set([...record.identities, identity])],
      updatedAt: now.toISOString(),
    })
    const bound = await store().redis.eval(
      BIND_SCRIPT,
      [keys.account(next.id), keys.accountByIdentity(identity)],
      [next.id, JSON.stringify(next)],
    )
    return Number(bound) === 1 ? next : null
  },

  async get(id: string): Promise<AccountRecord | null> {
    return parseAccount(await store().redis.get(keys.account(id)))
  },

  async findByUsername(username: string): Promise<AccountRecord | null> {
    const id = await store().redis.get<string>(keys.accountByUsername(username))
    return id ? accounts.get(String(id)) : null
  },

  async findByIdentity(identity: string): Promise<AccountRecord | null> {
    const id = await store().redis.get<string>(keys.accountByIdentity(identity))
    return id ? accounts.get(String(id)) : null
  },
}

/**
 * Staff, officials and administrators as the caller may see them: every read takes the caller's
 * access scope, and a record outside it is indistinguishable from one that does not exist.
 */
export const staffDirectory = {
  async list(access: AccessScope): Promise<AccountRecord[]> {
    const { redis } = store()
    const ids = (await redis.smembers(keys.staffAccounts())).map(String)
    if (ids.length === 0) return []
    const values = await redis.mget<unknown[]>(...ids.map((id) => keys.account(id)))
    const records = values.map(parseAccount).filter((record): record is AccountRecord => record !== null)
    const shown = await Promise.all(records.map((record) => staffVisible(access, record)))
    return records.filter((_, index) => shown[index]).sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  },

  /** One staff account, or null when it is missing, a resident, or outside the caller's scope. */
  async get(access: AccessScope, id: string): Promise<AccountRecord | null> {
    const record = await accounts.get(id)
    return record && (await staffVisible(access, record)) ? record : null
  },
}

async function staffVisible(access: AccessScope, record: AccountRecord): Promise<boolean> {
  if (record.role === 'resident') return false
  return canSee(access, { owner: record.id, region: await regionOfScope(record.scope) })
}
