import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { roleSchema, ScopeSchema } from '../../../src/shared/schemas/auth'
import { store } from '../store'
import { keys } from '../store/keys'

export const AccountRecordSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  scope: ScopeSchema,
  passwordHash: z.string().optional(),
  disabled: z.boolean().default(false),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type AccountRecord = z.infer<typeof AccountRecordSchema>

function parseAccount(value: unknown): AccountRecord | null {
  const parsed = AccountRecordSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}

/**
 * Claims the username and writes the account in one step: two accounts can never share a
 * username, and an account never exists without its username index.
 */
const CREATE_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  redis.call('SET', KEYS[2], ARGV[2])
  return 1
end
return 0`

export const accounts = {
  async create(
    input: Omit<AccountRecord, 'id' | 'createdAt' | 'updatedAt' | 'disabled'>,
    now = new Date(),
  ): Promise<AccountRecord | null> {
    const record: AccountRecord = {
      ...input,
      id: randomUUID(),
      disabled: false,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    }
    const created = await store().redis.eval(
      CREATE_SCRIPT,
      [keys.accountByUsername(record.username), keys.account(record.id)],
      [record.id, JSON.stringify(record)],
    )
    return Number(created) === 1 ? record : null
  },

  /** Replaces an existing account (same id and username). */
  async replace(record: AccountRecord, now = new Date()): Promise<AccountRecord> {
    const next = AccountRecordSchema.parse({ ...record, updatedAt: now.toISOString() })
    await store().redis.set(keys.account(next.id), JSON.stringify(next))
    return next
  },

  async get(id: string): Promise<AccountRecord | null> {
    return parseAccount(await store().redis.get(keys.account(id)))
  },

  async findByUsername(username: string): Promise<AccountRecord | null> {
    const id = await store().redis.get<string>(keys.accountByUsername(username))
    return id ? accounts.get(String(id)) : null
  },
}
