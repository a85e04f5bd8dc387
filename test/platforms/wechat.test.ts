import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../api/_lib/errors'
import { setLogSink } from '../../api/_lib/log'
import { createWechatClient, identityKey, type WechatClient } from '../../api/_lib/platforms/wechat'
import { createRedisStore, installStore, type Store } from '../../api/_lib/store'
import { keys } from '../../api/_lib/store/keys'
import { type FakeWechat, startFakeWechat } from '../support/fake-wechat'
import { type RunningRedisServer, startRedisServer } from '../support/redis-server'

const APPID = 'wx5e1f0c3a9d8b7e21'
const SECRET = 'b3c1d2e4f5a6978812345678deadbeef'

let redis: RunningRedisServer
let store: Store
let fake: FakeWechat
const logs: string[] = []
/** Everything a client returned or threw, serialised, to search for leaked secrets. */
const outputs: string[] = []

function client(overrides: { timeoutMs?: number; secret?: string; baseUrl?: string } = {}): WechatClient {
  return createWechatClient({
    appid: APPID,
    secret: overrides.secret ?? SECRET,
    baseUrl: overrides.baseUrl ?? fake.url,
    timeoutMs: overrides.timeoutMs ?? 2_000,
  })
}

/** Runs a call that must fail and returns the AppError, recording what it exposes. */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`)
    },
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(AppError)
  if (!(error instanceof AppError)) throw error
  outputs.push(
    error.message,
    JSON.stringify(error),
    JSON.stringify(error.toBody()),
    String(error.cause ?? ''),
  )
  return error
}

async function succeed<T>(promise: Promise<T>): Promise<T> {
  const value = await promise
  outputs.push(JSON.stringify(value))
  return value
}

beforeAll(async () => {
  setLogSink((line) => logs.push(line))
  redis = await startRedisServer()
  store = createRedisStore(redis.url, 600)
  installStore(store)
  fake = await startFakeWechat({ appid: APPID, secret: SECRET })
})

afterAll(async () => {
  // Nothing WeChat issued as a secret may appear in a log line or in anything the client exposed.
  const secrets = [...fake.issued.sessionKeys, SECRET]
  expect(fake.issued.sessionKeys.length).toBeGreaterThan(0)
  for (const secret of secrets) {
    for (const line of logs) expect(line).not.toContain(secret)
    for (const output of outputs) expect(output).not.toContain(secret)
  }
  for (const token of fake.issued.accessTokens) {
    for (const line of logs) expect(line).not.toContain(token)
  }
  await fake.close()
  await store.close()
  await redis.stop()
})

beforeEach(async () => {
  fake.setLatency(0)
  await store.redis.del(keys.platformToken(`wechat:${APPID}`))
})

afterEach(() => {
  fake.calls.length = 0
})

describe('code2session', () => {
  it('exchanges a code for the openid and builds the identity key', async () => {
    const code = fake.issueCode('o6_bmjrPTlm6_2sgVt7hMZOPfL2M')
    const identity = await succeed(client().code2session(code))
    expect(identity).toEqual({ openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M' })
    expect(identityKey(APPID, identity.openid)).toBe(`wechat:${APPID}:o6_bmjrPTlm6_2sgVt7hMZOPfL2M`)
    expect(fake.calls).toEqual([
      {
        path: '/sns/jscode2session',
        query: { appid: APPID, secret: SECRET, js_code: code, grant_type: 'authorization_code' },
      },
    ])
  })

  it('returns the unionid when WeChat sends one, and never the session_key', async () => {
    const code = fake.issueCode('o6_user2', { unionid: 'oU_union2' })
    const identity = await succeed(client().code2session(code))
    expect(identity).toEqual({ openid: 'o6_user2', unionid: 'oU_union2' })
    expect(Object.keys(identity).sort()).toEqual(['openid', 'unionid'])
    const sessionKey = fake.issued.sessionKeys.at(-1)
    expect(sessionKey).toMatch(/^[A-Za-z0-9+/]+=*$/)
    expect(JSON.stringify(identity)).not.toContain(sessionKey)
  })

  it('refuses a replayed code as invalid_credentials (40163)', async () => {
    const code = fake.issueCode('o6_replay')
    await succeed(client().code2session(code))
    const error = await failure(client().code2session(code))
    expect(error.code).toBe('invalid_credentials')
    expect(error.status).toBe(401)
    expect(error.message).toBe('微信登录凭证无效或已使用，请重新进入小程序')
  })

  it('refuses an unknown code as invalid_credentials (40029)', async () => {
    const error = await failure(client().code2session('0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d'))
    expect(error.code).toBe('invalid_credentials')
    expect(error.message).toBe('微信登录凭证无效或已使用，请重新进入小程序')
  })

  it('refuses an expired code as invalid_credentials', async () => {
    const code = fake.issueCode('o6_late', { ttlMs: -1 })
    expect((await failure(client().code2session(code))).code).toBe('invalid_credentials')
  })

  it('answers rate_limited with Retry-After: 60 on 45011, and keeps the code usable', async () => {
    const code = fake.issueCode('o6_busy')
    fake.failNext('rate-limited')
    const error = await failure(client().code2session(code))
    expect(error.code).toBe('rate_limited')
    expect(error.status).toBe(429)
    expect(error.headers).toEqual({ 'Retry-After': '60' })
    expect(await succeed(client().code2session(code))).toEqual({ openid: 'o6_busy' })
  })

  it.each([
    ['system-busy', '-1 system error'],
    ['http-500', 'an HTTP 500'],
    ['not-json', 'a non-JSON answer'],
  ] as const)('answers unavailable with Retry-After: 1 on %s (%s)', async (mode, _what) => {
    fake.failNext(mode)
    const error = await failure(client().code2session(fake.issueCode('o6_x')))
    expect(error.code).toBe('unavailable')
    expect(error.status).toBe(503)
    expect(error.headers).toEqual({ 'Retry-After': '1' })
  })

  it('answers unavailable when WeChat is slower than the timeout', async () => {
    fake.setLatency(400)
    const started = performance.now()
    const error = await failure(client({ timeoutMs: 150 }).code2session(fake.issueCode('o6_slow')))
    expect(error.code).toBe('unavailable')
    expect(error.headers).toEqual({ 'Retry-After': '1' })
    expect(performance.now() - started).toBeLessThan(390)
    const line = logs.find((l) => l.includes('wechat unreachable') && l.includes('"reason":"timeout"'))
    expect(line).toBeDefined()
  })

  it('answers unavailable when nothing listens', async () => {
    const error = await failure(client({ baseUrl: 'http://127.0.0.1:9' }).code2session('x'))
    expect(error.code).toBe('unavailable')
    expect(error.headers).toEqual({ 'Retry-After': '1' })
  })

  it('answers unavailable (no Retry-After of its own) when the secret is wrong, logging the errcode only', async () => {
    const wrong = 'ffffffffffffffffffffffffffffffff'
    const before = logs.length
    const error = await failure(client({ secret: wrong }).code2session(fake.issueCode('o6_cfg')))
    expect(error.code).toBe('unavailable')
    expect(error.headers).toEqual({})
    const lines = logs.slice(before)
    expect(lines.some((l) => l.includes('"errcode":40125'))).toBe(true)
    for (const line of lines) expect(line).not.toContain(wrong)
  })
})

describe('getAccessToken', () => {
  it('fetches once for 20 concurrent callers, then serves from Redis', async () => {
    const tokens = await Promise.all(Array.from({ length: 20 }, () => client().getAccessToken()))
    expect(fake.calls.filter((c) => c.path === '/cgi-bin/token')).toHaveLength(1)
    expect(fake.calls[0]?.query).toEqual({ grant_type: 'client_credential', appid: APPID, secret: SECRET })
    const issued = fake.issued.accessTokens.at(-1)
    expect(new Set(tokens)).toEqual(new Set([issued]))

    // Cached for expires_in − 300 s.
    const ttl = await store.redis.ttl(keys.platformToken(`wechat:${APPID}`))
    expect(ttl).toBeGreaterThan(6890)
    expect(ttl).toBeLessThanOrEqual(6900)

    // A fresh client (another instance) reads the store instead of asking WeChat.
    expect(await client().getAccessToken()).toBe(issued)
    expect(fake.calls).toHaveLength(1)
  })

  it('fetches a new token after invalidateAccessToken', async () => {
    const first = await client().getAccessToken()
    await client().invalidateAccessToken()
    const second = await client().getAccessToken()
    expect(second).not.toBe(first)
    expect(fake.calls).toHaveLength(2)
  })

  it('shares one failure among concurrent callers and tries again afterwards', async () => {
    fake.failNext('system-busy')
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => client().getAccessToken()))
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
    for (const result of results) {
      if (result.status === 'rejected') await failure(Promise.reject(result.reason))
    }
    expect(fake.calls).toHaveLength(1)
    expect(await client().getAccessToken()).toBe(fake.issued.accessTokens.at(-1))
  })

  it('answers unavailable on a wrong secret, naming the errcode but not the secret', async () => {
    const wrong = '0123456789abcdef0123456789abcdef'
    const before = logs.length
    const error = await failure(client({ secret: wrong }).getAccessToken())
    expect(error.code).toBe('unavailable')
    const lines = logs.slice(before)
    expect(lines.some((l) => l.includes('wechat rejected the app credentials') && l.includes('40125'))).toBe(
      true,
    )
    for (const line of lines) expect(line).not.toContain(wrong)
    expect(await store.redis.exists(keys.platformToken(`wechat:${APPID}`))).toBe(0)
  })

  it('answers rate_limited on 45011 and unavailable on HTTP 500', async () => {
    fake.failNext('rate-limited')
    expect((await failure(client().getAccessToken())).code).toBe('rate_limited')
    fake.failNext('http-500')
    expect((await failure(client().getAccessToken())).code).toBe('unavailable')
  })
})
