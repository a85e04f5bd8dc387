import { randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createRedisStore } from '../../api/_lib/store'

/**
 * The personal-data sweep: every test Redis is dumped (every key, every value) just before it
 * stops, and every captured log stream is written out, under test-results/pii-sweep/. After the
 * whole suite, test/sweep/pii.test.ts reads them all and fails on any plaintext 身份证号 or mobile.
 */
export const SWEEP_DIR = join(process.cwd(), 'test-results', 'pii-sweep')

function write(kind: 'redis' | 'logs', text: string): void {
  mkdirSync(SWEEP_DIR, { recursive: true })
  writeFileSync(join(SWEEP_DIR, `${kind}-${process.pid}-${randomUUID().slice(0, 8)}.txt`), text)
}

/** Writes every key and value of the Redis on `port`; a Redis that no longer answers is skipped. */
export async function dumpForSweep(port: number): Promise<void> {
  const store = createRedisStore(`redis://127.0.0.1:${port}`, 2_000)
  try {
    const { redis } = store
    const lines: string[] = []
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, { count: 1000 })
      cursor = String(next)
      for (const key of keys) {
        const type = await redis.type(key)
        let value: unknown
        if (type === 'string') value = await redis.get(key)
        else if (type === 'hash') value = await redis.hgetall(key)
        else if (type === 'list') value = await redis.lrange(key, 0, -1)
        else if (type === 'set') value = await redis.smembers(key)
        else if (type === 'zset') value = await redis.zrange(key, 0, -1)
        else value = `(${type})`
        lines.push(`${key}\t${typeof value === 'string' ? value : JSON.stringify(value)}`)
      }
    } while (cursor !== '0')
    write('redis', lines.join('\n'))
  } catch {
    // A crashed or stopped Redis has nothing left to leak.
  } finally {
    await store.close().catch(() => undefined)
  }
}

/** Writes a captured log stream (API logs, a child process's output). */
export function logsForSweep(lines: readonly string[] | string): void {
  write('logs', typeof lines === 'string' ? lines : lines.join('\n'))
}
