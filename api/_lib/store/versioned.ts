import { store } from './index'

/**
 * A record kept as a hash `{ v, doc }` and changed by compare-and-set: the write happens only if
 * the stored version is still the one the caller read, together with the index changes that go
 * with it (sorted sets, sets, an audit line) — one Lua script, one round trip, all or nothing.
 */
export type IndexOp =
  | { op: 'zadd'; key: string; score: number; member: string }
  | { op: 'zrem' | 'sadd' | 'srem' | 'lpush'; key: string; member: string }
  | { op: 'expire'; key: string; seconds: number }

const SCRIPT = `
local v = redis.call('HGET', KEYS[1], 'v')
if ARGV[1] == '' then
  if v then return 'conflict' end
elseif v ~= ARGV[1] then
  if not v then return 'missing' end
  return 'conflict'
end
redis.call('HSET', KEYS[1], 'v', (v and tonumber(v) or 0) + 1, 'doc', ARGV[2])
local i = 3
while i <= #ARGV do
  local op = ARGV[i]
  local key = KEYS[tonumber(ARGV[i + 1])]
  if op == 'zadd' then
    redis.call('ZADD', key, ARGV[i + 2], ARGV[i + 3])
    i = i + 4
  else
    if op == 'zrem' then redis.call('ZREM', key, ARGV[i + 2])
    elseif op == 'sadd' then redis.call('SADD', key, ARGV[i + 2])
    elseif op == 'srem' then redis.call('SREM', key, ARGV[i + 2])
    elseif op == 'lpush' then redis.call('LPUSH', key, ARGV[i + 2])
    elseif op == 'expire' then redis.call('EXPIRE', key, ARGV[i + 2])
    else return redis.error_reply('unknown index operation') end
    i = i + 3
  end
end
return 'ok'`

/**
 * Writes `doc` as the next version of `key` if the stored version is `expected` (null: the record
 * must not exist yet), and applies `ops`. Answers 'ok', 'conflict' or 'missing'.
 */
export async function compareAndSet(
  key: string,
  expected: number | null,
  doc: unknown,
  ops: readonly IndexOp[],
): Promise<'ok' | 'conflict' | 'missing'> {
  const keys = [key]
  const args: string[] = [expected === null ? '' : String(expected), JSON.stringify(doc)]
  for (const op of ops) {
    keys.push(op.key)
    const ref = String(keys.length)
    if (op.op === 'zadd') args.push('zadd', ref, String(op.score), op.member)
    else if (op.op === 'expire') args.push('expire', ref, String(op.seconds))
    else args.push(op.op, ref, op.member)
  }
  const answer = await store().redis.eval(SCRIPT, keys, args)
  if (answer === 'ok' || answer === 'conflict' || answer === 'missing') return answer
  throw new Error(`unexpected compare-and-set answer: ${String(answer)}`)
}

/** Reads a versioned record: its parsed doc and version, or null. */
export async function readVersioned<T>(
  key: string,
  parse: (doc: unknown) => T | null,
): Promise<{ record: T; version: number } | null> {
  const values = await store().redis.hmget<{ v: unknown; doc: unknown }>(key, 'v', 'doc')
  if (!values || values.doc === null || values.doc === undefined) return null
  let raw = values.doc
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw)
    } catch {
      return null
    }
  }
  const record = parse(raw)
  return record ? { record, version: Number(values.v) } : null
}
