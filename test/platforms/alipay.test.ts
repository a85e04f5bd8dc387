import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../api/_lib/errors'
import { setLogSink } from '../../api/_lib/log'
import {
  type AlipayClient,
  type AlipayConfig,
  createAlipayClient,
  identityKey,
} from '../../api/_lib/platforms/alipay'
import { type FakeAlipay, startFakeAlipay } from '../support/fake-alipay'

const APP_ID = '2021004100000001'

let fake: FakeAlipay
const logs: string[] = []
/** Everything a client returned or threw, serialised, to search for leaked tokens. */
const outputs: string[] = []

function client(overrides: Partial<AlipayConfig> = {}): AlipayClient {
  return createAlipayClient({
    appId: APP_ID,
    privateKey: fake.appPrivateKey,
    alipayPublicKey: fake.alipayPublicKey,
    gateway: fake.gateway,
    timeoutMs: 2_000,
    ...overrides,
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

/** PEM → the bare base64 body, as Alipay's key tool prints keys. */
function bare(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')
}

beforeAll(async () => {
  setLogSink((line) => logs.push(line))
  fake = await startFakeAlipay({ appId: APP_ID })
})

beforeEach(() => {
  fake.setLatency(0)
})

afterAll(async () => {
  const issued = [...fake.issued.accessTokens, ...fake.issued.refreshTokens]
  // The forged and altered answers carried tokens too: they must not leak either.
  expect(issued.length).toBeGreaterThanOrEqual(8)
  for (const token of issued) {
    for (const line of logs) expect(line).not.toContain(token)
    for (const output of outputs) expect(output).not.toContain(token)
  }
  await fake.close()
})

describe('oauthToken', () => {
  it('returns the open_id (apps since the open_id upgrade) and builds the identity key', async () => {
    const identity = await succeed(
      client().oauthToken(fake.issueAuthCode('074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5')),
    )
    expect(identity).toEqual({ openId: '074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5' })
    expect(identityKey(APP_ID, identity.openId ?? '')).toBe(
      `alipay:${APP_ID}:074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5`,
    )
  })

  it('returns the user_id for an older app', async () => {
    const identity = await succeed(client().oauthToken(fake.issueAuthCode({ userId: '2088102150477652' })))
    expect(identity).toEqual({ userId: '2088102150477652' })
  })

  it('sends a correctly signed request: Beijing-time timestamp, code in the form, RSA2', async () => {
    const code = fake.issueAuthCode('open-id-params')
    await succeed(client().oauthToken(code))
    const call = fake.calls.at(-1)
    expect(call?.params).toMatchObject({
      app_id: APP_ID,
      method: 'alipay.system.oauth.token',
      charset: 'utf-8',
      sign_type: 'RSA2',
      version: '1.0',
      grant_type: 'authorization_code',
      code,
    })
    const sent = Date.parse(`${call?.params.timestamp?.replace(' ', 'T')}+08:00`)
    expect(Math.abs(sent - Date.now())).toBeLessThan(60_000)
  })

  it('accepts keys pasted as bare base64, as the key tool prints them', async () => {
    const identity = await succeed(
      client({
        privateKey: bare(fake.appPrivateKey),
        alipayPublicKey: bare(fake.alipayPublicKey),
      }).oauthToken(fake.issueAuthCode('open-id-bare')),
    )
    expect(identity).toEqual({ openId: 'open-id-bare' })
  })

  it('refuses a used auth code as invalid_credentials', async () => {
    const code = fake.issueAuthCode('open-id-replay')
    await succeed(client().oauthToken(code))
    const error = await failure(client().oauthToken(code))
    expect(error.code).toBe('invalid_credentials')
    expect(error.status).toBe(401)
    expect(error.message).toBe('支付宝登录凭证无效或已使用，请重新进入小程序')
  })

  it('refuses an unknown auth code as invalid_credentials', async () => {
    const error = await failure(client().oauthToken('not-a-code'))
    expect(error.code).toBe('invalid_credentials')
  })

  it.each(['wrong-key', 'altered-body', 'missing-sign'] as const)(
    'answers unavailable when the answer signature is spoiled (%s)',
    async (tamper) => {
      fake.tamperNext(tamper)
      const before = logs.length
      const error = await failure(client().oauthToken(fake.issueAuthCode('open-id-forged')))
      expect(error.code).toBe('unavailable')
      expect(error.status).toBe(503)
      expect(logs.slice(before).some((l) => /signature check|could not be verified/.test(l))).toBe(true)
    },
  )

  it('answers unavailable when a signed error answer fails verification', async () => {
    fake.tamperNext('wrong-key')
    const error = await failure(client().oauthToken('not-a-code'))
    expect(error.code).toBe('unavailable')
  })

  it('answers unavailable when the app key is wrong (Alipay rejects the request signature)', async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    })
    const before = logs.length
    const error = await failure(
      client({ privateKey: other.privateKey }).oauthToken(fake.issueAuthCode('open-id-x')),
    )
    expect(error.code).toBe('unavailable')
    expect(logs.slice(before).some((l) => l.includes('isv.invalid-signature'))).toBe(true)
  })

  it('answers unavailable with Retry-After when Alipay is slower than the timeout', async () => {
    fake.setLatency(400)
    const started = performance.now()
    const error = await failure(client({ timeoutMs: 150 }).oauthToken(fake.issueAuthCode('open-id-slow')))
    expect(error.code).toBe('unavailable')
    expect(error.headers).toEqual({ 'Retry-After': '1' })
    expect(performance.now() - started).toBeLessThan(390)
    expect(logs.some((l) => l.includes('alipay unreachable') && l.includes('"reason":"timeout"'))).toBe(true)
  })

  it.each(['service-unavailable', 'system-error', 'http-502'] as const)(
    'answers unavailable with Retry-After on %s, and keeps the code usable',
    async (mode) => {
      const code = fake.issueAuthCode('open-id-retry')
      fake.failNext(mode)
      const error = await failure(client().oauthToken(code))
      expect(error.code).toBe('unavailable')
      expect(error.headers).toEqual({ 'Retry-After': '1' })
      expect(await succeed(client().oauthToken(code))).toEqual({ openId: 'open-id-retry' })
    },
  )

  it('answers unavailable when nothing listens', async () => {
    const error = await failure(client({ gateway: 'http://127.0.0.1:9/gateway.do' }).oauthToken('x'))
    expect(error.code).toBe('unavailable')
    expect(error.headers).toEqual({ 'Retry-After': '1' })
  })

  it('refuses to build a client from an unreadable key, without quoting it', () => {
    const garbage = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ-not-a-key'
    expect(() => client({ privateKey: garbage })).toThrow(/not a readable RSA key/)
    try {
      client({ privateKey: garbage })
    } catch (error) {
      expect(String(error)).not.toContain(garbage)
    }
  })
})
