import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../api/_lib/errors'
import { setLogSink } from '../../api/_lib/log'
import { createWechatClient, type WechatClient } from '../../api/_lib/platforms/wechat'
import { createWxacodeService, type WxacodeOptions } from '../../api/_lib/platforms/wxacode'
import { createRedisStore, installStore, type Store } from '../../api/_lib/store'
import { keys } from '../../api/_lib/store/keys'
import { type FakeWechat, startFakeWechat } from '../support/fake-wechat'
import { type RunningRedisServer, startRedisServer } from '../support/redis-server'

const APPID = 'wx5e1f0c3a9d8b7e21'
const SECRET = 'b3c1d2e4f5a6978812345678deadbeef'
const WXACODE = '/wxa/getwxacodeunlimit'
const TOKEN = '/cgi-bin/token'
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
/** A token WeChat never issued, planted in the cache to provoke 40001. */
const STALE_TOKEN = '69_staleStaleStaleStaleStaleStaleStaleStaleStaleStaleStaleStale'

let redis: RunningRedisServer
let store: Store
let fake: FakeWechat
const logs: string[] = []
/** Everything the service returned or threw, serialised, to search for leaked tokens. */
const outputs: string[] = []

function client(overrides: { timeoutMs?: number } = {}): WechatClient {
  return createWechatClient({
    appid: APPID,
    secret: SECRET,
    baseUrl: fake.url,
    timeoutMs: overrides.timeoutMs ?? 2_000,
  })
}

function service(options: WxacodeOptions = {}, timeoutMs?: number) {
  return createWxacodeService(client(timeoutMs === undefined ? {} : { timeoutMs }), options)
}

function callsTo(path: string) {
  return fake.calls.filter((c) => c.path === path)
}

/** Runs a call that must fail and returns the AppError, recording what it exposes. */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(AppError)
  if (!(error instanceof AppError)) throw error
  outputs.push(error.message, error.stack ?? '', JSON.stringify(error), JSON.stringify(error.toBody()))
  return error
}

/** The text of the QR code in a PNG. */
function decode(png: Buffer): string | undefined {
  const image = PNG.sync.read(png)
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data
}

beforeAll(async () => {
  setLogSink((line) => logs.push(line))
  redis = await startRedisServer()
  store = createRedisStore(redis.url, 600)
  installStore(store)
  fake = await startFakeWechat({ appid: APPID, secret: SECRET })
})

afterAll(async () => {
  // No access token — issued, or the stale one planted — may appear in a log line or an error.
  expect(fake.issued.accessTokens.length).toBeGreaterThan(1)
  for (const token of [...fake.issued.accessTokens, STALE_TOKEN]) {
    for (const line of logs) expect(line).not.toContain(token)
    for (const output of outputs) expect(output).not.toContain(token)
  }
  await fake?.close()
  await store?.close()
  await redis?.stop()
})

beforeEach(async () => {
  fake.setLatency(0)
  const cached = await store.redis.keys(keys.wxacode('*', '*'))
  await store.redis.del(keys.platformToken(`wechat:${APPID}`), ...cached)
})

afterEach(() => {
  fake.calls.length = 0
})

describe('stationWxacode', () => {
  it('returns the PNG WeChat draws for s=<poster code>, and caches it for 30 days', async () => {
    const image = await service().stationWxacode('CQ0001', 'K7PX3M')
    expect([...image.subarray(0, 8)]).toEqual(PNG_SIGNATURE)
    expect(decode(image)).toBe('s=K7PX3M')
    expect(callsTo(WXACODE)).toEqual([
      {
        path: WXACODE,
        query: {},
        tokenIndex: fake.issued.accessTokens.length - 1,
        body: {
          scene: 's=K7PX3M',
          page: 'pages/index/index',
          check_path: false,
          env_version: 'release',
          width: 430,
        },
      },
    ])
    const ttl = await store.redis.ttl(keys.wxacode('CQ0001', 'K7PX3M'))
    expect(ttl).toBeGreaterThan(30 * 86400 - 10)
    expect(ttl).toBeLessThanOrEqual(30 * 86400)
  })

  it('sends the configured page, version and width', async () => {
    const options = { envVersion: 'trial', width: 280 } as const
    const image = await service(options).stationWxacode('CQ0002', 'K7PX3N')
    expect(callsTo(WXACODE)[0]?.body).toMatchObject({ env_version: 'trial', width: 280 })
    expect(PNG.sync.read(image).width).toBe(280)
  })

  it('asks WeChat once (token and image) for 10 concurrent callers, then serves from Redis', async () => {
    const images = await Promise.all(
      Array.from({ length: 10 }, () => service().stationWxacode('CQ0001', 'K7PX3M')),
    )
    expect(callsTo(TOKEN)).toHaveLength(1)
    expect(callsTo(WXACODE)).toHaveLength(1)
    const first = images[0]
    if (!first) throw new Error('no image')
    for (const image of images) expect(image.equals(first)).toBe(true)
    // Each caller holds its own copy.
    images[1]?.fill(0)
    expect(images[2]?.equals(first)).toBe(true)

    // Another instance reads the store instead of asking WeChat.
    const again = await service().stationWxacode('CQ0001', 'K7PX3M')
    expect(again.equals(first)).toBe(true)
    expect(fake.calls).toHaveLength(2)
    expect(await store.redis.get(keys.wxacode('CQ0001', 'K7PX3M'))).toBe(first.toString('base64'))
  })

  it('fetches a new image for a reissued poster code', async () => {
    await service().stationWxacode('CQ0001', 'K7PX3M')
    const reissued = await service().stationWxacode('CQ0001', 'R4WT9Q')
    expect(callsTo(WXACODE)).toHaveLength(2)
    expect(decode(reissued)).toBe('s=R4WT9Q')
    expect(await store.redis.exists(keys.wxacode('CQ0001', 'R4WT9Q'))).toBe(1)
  })

  it('on 42001 fetches a fresh token and retries once', async () => {
    fake.failNext('token-expired')
    const image = await service().stationWxacode('CQ0003', 'K7PX3M')
    expect(decode(image)).toBe('s=K7PX3M')
    expect(fake.calls.map((c) => c.path)).toEqual([TOKEN, WXACODE, TOKEN, WXACODE])
    const [expired, fresh] = callsTo(WXACODE).map((c) => c.tokenIndex)
    expect(fresh).toBe(fake.issued.accessTokens.length - 1)
    expect(expired).toBe(fake.issued.accessTokens.length - 2)
  })

  it('on 40001 (a token WeChat no longer knows) fetches a fresh token and retries once', async () => {
    await store.redis.set(
      keys.platformToken(`wechat:${APPID}`),
      { token: STALE_TOKEN, expiresAt: Date.now() + 3_600_000 },
      { ex: 3600 },
    )
    const image = await service().stationWxacode('CQ0004', 'K7PX3M')
    expect(decode(image)).toBe('s=K7PX3M')
    expect(fake.calls.map((c) => [c.path, c.tokenIndex])).toEqual([
      [WXACODE, -1],
      [TOKEN, undefined],
      [WXACODE, fake.issued.accessTokens.length - 1],
    ])
  })

  it('retries only once: a refused fresh token answers unavailable', async () => {
    fake.failNext('token-expired', 2)
    const error = await failure(service().stationWxacode('CQ0005', 'K7PX3M'))
    expect(error.code).toBe('unavailable')
    expect(callsTo(WXACODE)).toHaveLength(2)
    expect(logs.some((l) => l.includes('wechat refused a fresh access token'))).toBe(true)
    expect(await store.redis.exists(keys.wxacode('CQ0005', 'K7PX3M'))).toBe(0)
  })

  it('answers unprocessable on 41030 (page not released), and caches nothing', async () => {
    const error = await failure(service({ page: 'pages/station/index' }).stationWxacode('CQ0001', 'K7PX3M'))
    expect(error.code).toBe('unprocessable')
    expect(error.status).toBe(422)
    expect(error.message).toBe('小程序页面尚未发布，无法生成小程序码')
    expect(await store.redis.exists(keys.wxacode('CQ0001', 'K7PX3M'))).toBe(0)
  })

  it('answers rate_limited with Retry-After: 3600 on 45009', async () => {
    fake.failNext('wxacode-limit')
    const error = await failure(service().stationWxacode('CQ0001', 'K7PX3M'))
    expect(error.code).toBe('rate_limited')
    expect(error.status).toBe(429)
    expect(error.headers).toEqual({ 'Retry-After': '3600' })
    // The quota is WeChat's; the next call (another day) asks again.
    expect(decode(await service().stationWxacode('CQ0001', 'K7PX3M'))).toBe('s=K7PX3M')
  })

  it.each([
    ['system-busy', '-1 labelled text/plain'],
    ['mislabelled-error', '-1 labelled image/jpeg'],
    ['http-500', 'an HTTP 500'],
    ['not-json', 'an HTML page'],
  ] as const)('answers unavailable with Retry-After: 1 on %s (%s)', async (mode, _what) => {
    await client().getAccessToken()
    fake.failNext(mode)
    const error = await failure(service().stationWxacode('CQ0001', 'K7PX3M'))
    expect(error.code).toBe('unavailable')
    expect(error.status).toBe(503)
    expect(error.headers).toEqual({ 'Retry-After': '1' })
  })

  it('answers unavailable when WeChat is slower than the timeout', async () => {
    await client().getAccessToken()
    fake.setLatency(400)
    const started = performance.now()
    const error = await failure(service({}, 150).stationWxacode('CQ0001', 'K7PX3M'))
    expect(error.code).toBe('unavailable')
    expect(error.headers).toEqual({ 'Retry-After': '1' })
    expect(performance.now() - started).toBeLessThan(390)
    expect(
      logs.some(
        (l) => l.includes('wechat unreachable') && l.includes('getwxacodeunlimit') && l.includes('"timeout"'),
      ),
    ).toBe(true)
  })

  it('answers unavailable when nothing listens', async () => {
    const reachable = client()
    await reachable.getAccessToken()
    const unreachable: WechatClient = { ...reachable, baseUrl: 'http://127.0.0.1:9' }
    const error = await failure(createWxacodeService(unreachable).stationWxacode('CQ0001', 'K7PX3M'))
    expect(error.code).toBe('unavailable')
    expect(error.headers).toEqual({ 'Retry-After': '1' })
  })
})

describe('createWxacodeService', () => {
  it.each([
    ['/pages/index/index', 'a leading slash'],
    ['pages/index/index?s=CQ0001', 'a query'],
    ['', 'an empty page'],
  ])('refuses page %j (%s)', (page, _why) => {
    expect(() => createWxacodeService(client(), { page })).toThrow(Error)
  })

  it('refuses a width outside 280–1280', () => {
    expect(() => createWxacodeService(client(), { width: 100 })).toThrow(Error)
    expect(() => createWxacodeService(client(), { width: 2000 })).toThrow(Error)
  })

  it('refuses codes that cannot make a scene or a key, before asking WeChat', async () => {
    await expect(service().stationWxacode('CQ0001', 'X'.repeat(40))).rejects.toThrow(Error)
    await expect(service().stationWxacode('CQ 01', 'K7PX3M')).rejects.toThrow(Error)
    await expect(service().stationWxacode('CQ0001', 'K7:X')).rejects.toThrow(Error)
    expect(fake.calls).toHaveLength(0)
  })
})
