import { createServer, type Server, type Socket } from 'node:net'
import { createClient } from 'redis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../api/_lib/errors'
import {
  clientIp,
  enforce,
  type LimitName,
  resetLimitersForTests,
  trustProxy,
} from '../../api/_lib/ratelimit'
import { createRedisStore, createUpstashStore, installStore, type Store } from '../../api/_lib/store'
import { type RunningRedisServer, startRedisServer } from '../support/redis-server'
import { startUpstashRestServer, type UpstashRestServer } from '../support/upstash-rest-server'

/** What `enforce` threw: its AppError code and headers, or 'allowed' when it resolved. */
async function outcome(
  name: LimitName,
  subjects: { ip: string; identity?: string },
  options?: { timeoutMs?: number },
): Promise<'allowed' | { code: string; retryAfter: string | undefined }> {
  try {
    await enforce(name, subjects, options)
    return 'allowed'
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    return { code: error.code, retryAfter: error.headers['Retry-After'] }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

describe('rate limits over TCP (real redis-server)', () => {
  let redis: RunningRedisServer
  let store: Store

  beforeAll(async () => {
    redis = await startRedisServer()
    store = createRedisStore(redis.url, 600)
    installStore(store)
  })
  afterEach(async () => {
    resetLimitersForTests()
    await store.redis.flushdb()
  })
  afterAll(async () => {
    await store?.close()
    await redis?.stop()
  })

  it('refuses the 21st login from one IP with 429 and a Retry-After within the window', async () => {
    resetLimitersForTests()
    for (let i = 0; i < 20; i++) {
      // A different identity each time, so only the IP limit (20 / 10 min) is in play.
      expect(await outcome('login', { ip: '203.0.113.7', identity: `user-${i}` })).toBe('allowed')
    }
    const refused = await outcome('login', { ip: '203.0.113.7', identity: 'user-20' })
    expect(refused).toMatchObject({ code: 'rate_limited' })
    const seconds = Number(typeof refused === 'object' ? refused.retryAfter : NaN)
    expect(Number.isInteger(seconds)).toBe(true)
    expect(seconds).toBeGreaterThanOrEqual(1)
    expect(seconds).toBeLessThanOrEqual(600)
  })

  it('limits an identity independently of the IP, case- and space-insensitively', async () => {
    resetLimitersForTests()
    for (let i = 0; i < 5; i++) {
      expect(await outcome('login', { ip: `198.51.100.${i + 1}`, identity: 'Alice' })).toBe('allowed')
    }
    // A fresh IP does not help: the identity budget (5 / 10 min) is spent.
    expect(await outcome('login', { ip: '198.51.100.99', identity: ' alice ' })).toMatchObject({
      code: 'rate_limited',
    })
    // Another identity from one of those IPs still passes.
    expect(await outcome('login', { ip: '198.51.100.1', identity: 'bob' })).toBe('allowed')
  })

  it('does not spend the identity budget on requests already refused by IP', async () => {
    resetLimitersForTests({
      login: { ip: { tokens: 1, window: '1 m' }, identity: { tokens: 2, window: '1 m' } },
    })
    expect(await outcome('login', { ip: '192.0.2.1', identity: 'carol' })).toBe('allowed')
    for (let i = 0; i < 5; i++) {
      expect(await outcome('login', { ip: '192.0.2.1', identity: 'carol' })).toMatchObject({
        code: 'rate_limited',
      })
    }
    expect(await outcome('login', { ip: '192.0.2.2', identity: 'carol' })).toBe('allowed')
  })

  it('keeps different IPs and different limit names independent', async () => {
    resetLimitersForTests({ create: { ip: { tokens: 2, window: '1 m' } } })
    expect(await outcome('create', { ip: '192.0.2.10' })).toBe('allowed')
    expect(await outcome('create', { ip: '192.0.2.10' })).toBe('allowed')
    expect(await outcome('create', { ip: '192.0.2.10' })).toMatchObject({ code: 'rate_limited' })
    expect(await outcome('create', { ip: '192.0.2.11' })).toBe('allowed')
    expect(await outcome('redeem', { ip: '192.0.2.10' })).toBe('allowed')
  })

  it('reopens once the window has passed (2 requests / 2 s)', async () => {
    resetLimitersForTests({ login: { ip: { tokens: 2, window: '2 s' } } })
    expect(await outcome('login', { ip: '192.0.2.20' })).toBe('allowed')
    expect(await outcome('login', { ip: '192.0.2.20' })).toBe('allowed')
    const refused = await outcome('login', { ip: '192.0.2.20' })
    expect(refused).toMatchObject({ code: 'rate_limited' })
    const seconds = Number(typeof refused === 'object' ? refused.retryAfter : NaN)
    expect(seconds).toBeGreaterThanOrEqual(1)
    expect(seconds).toBeLessThanOrEqual(2)
    await sleep(seconds * 1000 + 100)
    expect(await outcome('login', { ip: '192.0.2.20' })).toBe('allowed')
  })

  it('never stores an identity in a key name, only a 32-hex-digit hash', async () => {
    resetLimitersForTests()
    const identities = ['Alice.Smith@example.com', '13812345678', '11010519491231002X']
    for (const identity of identities) await enforce('login', { ip: '192.0.2.30', identity })
    await enforce('redeem', { ip: '192.0.2.30', identity: 'account-7f3a' })
    const all = (await store.redis.keys('*')).map(String)
    expect(all.length).toBeGreaterThan(0)
    for (const key of all) {
      expect(key.startsWith('ds:rl:')).toBe(true)
      for (const identity of [...identities, 'account-7f3a']) {
        expect(key.toLowerCase()).not.toContain(identity.toLowerCase())
      }
    }
    const identityKeys = all.filter((key) => key.includes(':id:'))
    expect(identityKeys).toHaveLength(4)
    for (const key of identityKeys) expect(key).toMatch(/^ds:rl:(login|redeem):id:[0-9a-f]{32}:\d+$/)
    expect(all.some((key) => /^ds:rl:login:ip:192\.0\.2\.30:\d+$/.test(key))).toBe(true)
  })

  it('decides in Redis on every call (no ephemeral cache): clearing Redis lifts a refusal', async () => {
    resetLimitersForTests({ login: { ip: { tokens: 1, window: '1 m' } } })
    expect(await outcome('login', { ip: '192.0.2.40' })).toBe('allowed')
    expect(await outcome('login', { ip: '192.0.2.40' })).toMatchObject({ code: 'rate_limited' })
    await store.redis.flushdb()
    expect(await outcome('login', { ip: '192.0.2.40' })).toBe('allowed')
  })
})

describe('rate limits fail closed', () => {
  it('answers unavailable (503, Retry-After: 1) within 1.5 s once Redis is stopped, and never allows', async () => {
    const redis = await startRedisServer()
    const store = createRedisStore(redis.url, 600)
    installStore(store)
    resetLimitersForTests()
    try {
      expect(await outcome('login', { ip: '192.0.2.50', identity: 'dave' })).toBe('allowed')
      await redis.stop()
      for (const name of ['login', 'redeem', 'create', 'platformLogin'] as const) {
        const started = performance.now()
        const answer = await outcome(name, { ip: '192.0.2.50', identity: 'dave' })
        expect(performance.now() - started).toBeLessThan(1500)
        expect(answer).toEqual({ code: 'unavailable', retryAfter: '1' })
      }
    } finally {
      await store.close()
      await redis.stop()
    }
  })

  it('races its own budget: a Redis that accepts but never answers is refused after timeoutMs', async () => {
    // A TCP server that takes connections and stays silent: node-redis never becomes ready.
    const sockets = new Set<Socket>()
    const silent: Server = createServer((socket) => {
      sockets.add(socket)
      socket.on('error', () => undefined)
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const address = silent.address()
    const port = typeof address === 'object' && address ? address.port : 0
    // The store's own budget (5 s) is far longer than the limiter's, so only the race can end it.
    const store = createRedisStore(`redis://127.0.0.1:${port}`, 5000)
    installStore(store)
    resetLimitersForTests()
    try {
      const started = performance.now()
      const answer = await outcome('login', { ip: '192.0.2.60' }, { timeoutMs: 200 })
      const elapsed = performance.now() - started
      expect(answer).toEqual({ code: 'unavailable', retryAfter: '1' })
      expect(elapsed).toBeGreaterThanOrEqual(190)
      expect(elapsed).toBeLessThan(1000)
    } finally {
      await store.close()
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    }
  })
})

describe('rate limits over the Upstash HTTP protocol', () => {
  const token = 'test-token-not-a-secret'
  let redis: RunningRedisServer
  let rest: UpstashRestServer
  let store: Store

  beforeAll(async () => {
    redis = await startRedisServer()
    rest = await startUpstashRestServer({ redisUrl: redis.url, token })
    store = createUpstashStore(rest.url, token, 600)
    installStore(store)
  })
  afterAll(async () => {
    resetLimitersForTests()
    await store?.close()
    await rest?.close()
    await redis?.stop()
  })

  it('the raw Redis 7.0 refuses the library’s `allow-key-locking` shebang (so the next test means something)', async () => {
    const admin = createClient({ url: redis.url })
    await admin.connect()
    try {
      await expect(
        admin.sendCommand(['EVAL', '#!lua flags=allow-key-locking\nreturn 1', '0']),
      ).rejects.toThrow(/flag/i)
    } finally {
      await admin.close()
    }
  })

  it('counts, refuses with 429 and keeps identities out of keys, through EVALSHA/EVAL over HTTP', async () => {
    resetLimitersForTests({
      login: { ip: { tokens: 3, window: '1 m' }, identity: { tokens: 2, window: '1 m' } },
    })
    expect(await outcome('login', { ip: '192.0.2.70', identity: 'erin@example.com' })).toBe('allowed')
    expect(await outcome('login', { ip: '192.0.2.71', identity: 'erin@example.com' })).toBe('allowed')
    expect(await outcome('login', { ip: '192.0.2.72', identity: 'erin@example.com' })).toMatchObject({
      code: 'rate_limited',
    })
    expect(await outcome('login', { ip: '192.0.2.70' })).toBe('allowed')
    expect(await outcome('login', { ip: '192.0.2.70' })).toBe('allowed')
    const refused = await outcome('login', { ip: '192.0.2.70' })
    expect(refused).toMatchObject({ code: 'rate_limited' })
    expect(Number(typeof refused === 'object' ? refused.retryAfter : 0)).toBeGreaterThanOrEqual(1)
    const all = (await store.redis.keys('*')).map(String)
    expect(all.some((key) => key.startsWith('ds:rl:login:id:'))).toBe(true)
    expect(all.join(' ')).not.toContain('erin')
  })
})

describe('clientIp', () => {
  afterEach(() => {
    trustProxy(true)
  })

  it('takes the first x-forwarded-for entry behind a trusted proxy (the default)', () => {
    expect(clientIp({ 'x-forwarded-for': '203.0.113.9, 10.0.0.1' }, '10.0.0.2')).toBe('203.0.113.9')
    expect(clientIp({ 'x-forwarded-for': ['203.0.113.10', '10.0.0.1'] }, '10.0.0.2')).toBe('203.0.113.10')
    expect(clientIp({ 'x-forwarded-for': '  2001:DB8::1 ' })).toBe('2001:db8::1')
  })

  it('normalises IPv4-mapped IPv6 and strips ports', () => {
    expect(clientIp({ 'x-forwarded-for': '::ffff:203.0.113.11' })).toBe('203.0.113.11')
    expect(clientIp({}, '::ffff:127.0.0.1')).toBe('127.0.0.1')
    expect(clientIp({ 'x-forwarded-for': '203.0.113.12:51234' })).toBe('203.0.113.12')
    expect(clientIp({ 'x-forwarded-for': '[2001:db8::2]:443' })).toBe('2001:db8::2')
  })

  it('falls back to the socket address, then to "unknown"', () => {
    expect(clientIp({}, '192.0.2.80')).toBe('192.0.2.80')
    expect(clientIp({ 'x-forwarded-for': 'not-an-ip' }, '192.0.2.81')).toBe('192.0.2.81')
    expect(clientIp({ 'x-forwarded-for': '' }, '192.0.2.82')).toBe('192.0.2.82')
    expect(clientIp({})).toBe('unknown')
    expect(clientIp({ 'x-forwarded-for': 'garbage' }, 'also-garbage')).toBe('unknown')
  })

  it('ignores x-forwarded-for when the proxy is not trusted', () => {
    trustProxy(false)
    expect(clientIp({ 'x-forwarded-for': '203.0.113.13' }, '192.0.2.83')).toBe('192.0.2.83')
    expect(clientIp({ 'x-forwarded-for': '203.0.113.13' })).toBe('unknown')
  })
})
