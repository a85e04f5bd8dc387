import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApi, type TestApi } from '../support/api-server'
import { setEnv } from '../support/env'
import { type FakeAlipay, startFakeAlipay } from '../support/fake-alipay'
import { type FakeWechat, startFakeWechat } from '../support/fake-wechat'

const json = { 'Content-Type': 'application/json' }
type Pair = { accessToken: string; refreshToken: string }

describe('resident logins, invitations and account administration through the API', () => {
  let api: TestApi
  let wechat: FakeWechat
  let alipay: FakeAlipay
  const answers: string[] = []
  let restoreEnv = () => {}

  beforeAll(async () => {
    wechat = await startFakeWechat({ appid: 'wx00000000000000e2', secret: 'wechat-test-secret' })
    alipay = await startFakeAlipay({ appId: '2021000000000042' })
    restoreEnv = setEnv({
      WECHAT_APPID: 'wx00000000000000e2',
      WECHAT_SECRET: 'wechat-test-secret',
      WECHAT_API_BASE: wechat.url,
      ALIPAY_APPID: '2021000000000042',
      ALIPAY_PRIVATE_KEY: alipay.appPrivateKey,
      ALIPAY_PUBLIC_KEY: alipay.alipayPublicKey,
      ALIPAY_GATEWAY: alipay.gateway,
    })
    api = await startTestApi('tcp')
  })
  afterAll(async () => {
    await api?.close()
    await wechat?.close()
    await alipay?.close()
    restoreEnv()
  })

  async function call(path: string, init: RequestInit = {}) {
    const answer = await api.call(path, init)
    answers.push(answer.text)
    return answer
  }
  const post = (path: string, body: unknown, token?: string) =>
    call(path, {
      method: 'POST',
      headers: { ...json, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
  const get = (path: string, token: string) => call(path, { headers: { Authorization: `Bearer ${token}` } })

  it('signs a WeChat resident in by code, always as the same account, and never twice with one code', async () => {
    const code = wechat.issueCode('o6_openid_resident_1')
    const first = await post('/api/v1/auth/wechat', { code })
    expect(first.status).toBe(200)
    const me = await get('/api/v1/me', (first.body as Pair).accessToken)
    expect(me.body).toMatchObject({ role: 'resident', scope: { type: 'none' } })

    const replay = await post('/api/v1/auth/wechat', { code })
    expect(replay.status).toBe(401)
    expect(replay.body).toMatchObject({ error: { code: 'invalid_credentials' } })
    expect(replay.text).not.toContain('accessToken')

    const again = await post('/api/v1/auth/wechat', { code: wechat.issueCode('o6_openid_resident_1') })
    const meAgain = await get('/api/v1/me', (again.body as Pair).accessToken)
    expect((meAgain.body as { id: string }).id).toBe((me.body as { id: string }).id)

    const unknown = await post('/api/v1/auth/wechat', { code: 'never-issued' })
    expect(unknown.status).toBe(401)
  })

  it('signs an Alipay resident in by auth code and refuses a used one', async () => {
    const authCode = alipay.issueAuthCode('074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5')
    const first = await post('/api/v1/auth/alipay', { authCode })
    expect(first.status).toBe(200)
    const me = await get('/api/v1/me', (first.body as Pair).accessToken)
    expect(me.body).toMatchObject({ role: 'resident' })
    const replay = await post('/api/v1/auth/alipay', { authCode })
    expect(replay.status).toBe(401)
  })

  it('gives an H5 visitor a device-bound session that refreshes', async () => {
    const device = await post('/api/v1/auth/device', {})
    expect(device.status).toBe(200)
    const pair = device.body as Pair
    const refreshed = await post('/api/v1/auth/refresh', { refreshToken: pair.refreshToken })
    expect(refreshed.status).toBe(200)
    expect((await get('/api/v1/me', (refreshed.body as Pair).accessToken)).body).toMatchObject({
      role: 'resident',
    })
  })

  it('lets an administrator invite station staff, whom a WeChat resident becomes by redeeming', async () => {
    const admin = await api.login('demo-admin')
    const invite = await post(
      '/api/v1/invitations',
      { role: 'station_staff', scope: { type: 'station', code: 'QD0003' } },
      admin,
    )
    expect(invite.status).toBe(201)
    const { code, expiresAt } = invite.body as { code: string; expiresAt: string }
    expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/)
    const hours = (Date.parse(expiresAt) - Date.now()) / 3_600_000
    expect(hours).toBeGreaterThan(71.9)
    expect(hours).toBeLessThanOrEqual(72)
    const ttl = await api.store.redis.ttl(`ds:invitation:${code}`)
    expect(ttl).toBeGreaterThan(71 * 3600)

    const login = await post('/api/v1/auth/wechat', { code: wechat.issueCode('o6_future_staff') })
    const resident = (login.body as Pair).accessToken
    const redeemed = await post('/api/v1/invitations/redeem', { code, displayName: '李站长' }, resident)
    expect(redeemed.status).toBe(200)
    const me = await get('/api/v1/me', (redeemed.body as Pair).accessToken)
    expect(me.body).toMatchObject({
      role: 'station_staff',
      scope: { type: 'station', code: 'QD0003' },
      displayName: '李站长',
    })

    const someoneElse = await post('/api/v1/auth/wechat', { code: wechat.issueCode('o6_someone_else') })
    const twice = await post(
      '/api/v1/invitations/redeem',
      { code, displayName: '别人' },
      (someoneElse.body as Pair).accessToken,
    )
    expect(twice.status).toBe(404)
    expect(twice.body).toMatchObject({ error: { code: 'not_found', message: '邀请码无效、已使用或已过期' } })
  })

  it('creates a password account on H5 from an invitation, with a strength rule', async () => {
    const official = await api.login('demo-official')
    const invite = await post(
      '/api/v1/invitations',
      { role: 'station_staff', scope: { type: 'station', code: 'QD0004' } },
      official,
    )
    expect(invite.status).toBe(201)
    const { code } = invite.body as { code: string }
    const weak = await post('/api/v1/invitations/redeem', {
      code,
      displayName: '王五',
      username: 'wangwu',
      password: 'wangwu12345',
    })
    expect(weak.status).toBe(400)
    expect((weak.body as { error: { fields: Record<string, string[]> } }).error.fields.password?.[0]).toMatch(
      /密码/,
    )
    const good = await post('/api/v1/invitations/redeem', {
      code,
      displayName: '王五',
      username: 'wangwu',
      password: 'Laoshan-Station-9',
    })
    expect(good.status).toBe(200)
    const login = await post('/api/v1/auth/login', { username: 'wangwu', password: 'Laoshan-Station-9' })
    expect(login.status).toBe(200)
  })

  it('keeps an official inside their region', async () => {
    const official = await api.login('demo-official')
    const outside = await post(
      '/api/v1/invitations',
      { role: 'bank_staff', scope: { type: 'station', code: 'CQ0001' } },
      official,
    )
    expect(outside.status).toBe(403)
    const admins = await post('/api/v1/invitations', { role: 'admin', scope: { type: 'all' } }, official)
    expect(admins.status).toBe(403)
    const list = await get('/api/v1/accounts', official)
    const scopes = (list.body as { items: { scope: { code?: string } }[] }).items.map(
      (item) => item.scope.code,
    )
    expect(scopes.length).toBeGreaterThan(0)
    expect(scopes.every((scope) => scope === '370200' || scope?.startsWith('QD'))).toBe(true)
  })

  it('applies an administrator’s disabling and scope change on the very next request', async () => {
    const admin = await api.login('demo-admin')
    const bank = await api.login('demo-bank')
    const me = await get('/api/v1/me', bank)
    const id = (me.body as { id: string }).id

    const moved = await call(`/api/v1/accounts/${id}`, {
      method: 'PATCH',
      headers: { ...json, Authorization: `Bearer ${admin}` },
      body: JSON.stringify({ scope: { type: 'station', code: 'CQ0002' } }),
    })
    expect(moved.status).toBe(200)
    // The same token, the very next request: the new scope applies.
    expect((await get('/api/v1/me', bank)).body).toMatchObject({ scope: { code: 'CQ0002' } })
    const bankAgain = await api.login('demo-bank')

    const disabled = await call(`/api/v1/accounts/${id}`, {
      method: 'PATCH',
      headers: { ...json, Authorization: `Bearer ${admin}` },
      body: JSON.stringify({ disabled: true }),
    })
    expect(disabled.status).toBe(200)
    expect((await get('/api/v1/me', bankAgain)).status).toBe(401)
    const refused = await post('/api/v1/auth/login', {
      username: 'demo-bank',
      password: api.passwords['demo-bank'],
    })
    expect(refused.status).toBe(401)
    const audit = (await api.store.redis.keys('ds:audit:*')).map(String)
    expect(audit.length).toBeGreaterThan(0)
  })

  it('never lets a session_key or a platform token out, in any answer or log line', () => {
    const everything = [...answers, ...api.logs].join('\n')
    expect(wechat.issued.sessionKeys.length).toBeGreaterThan(0)
    for (const secret of [
      ...wechat.issued.sessionKeys,
      ...alipay.issued.accessTokens,
      ...alipay.issued.refreshTokens,
    ]) {
      expect(everything).not.toContain(secret)
    }
    expect(everything).not.toContain('session_key')
    expect(everything).not.toContain('wechat-test-secret')
  })

  it('fails closed when Redis stops: privileged routes answer 503, none 2xx', async () => {
    const admin = await api.login('demo-admin')
    await api.redis.stop()
    for (const [path, init] of [
      ['/api/v1/accounts', { headers: { Authorization: `Bearer ${admin}` } }],
      ['/api/v1/invitations', { headers: { Authorization: `Bearer ${admin}` } }],
      ['/api/v1/me', { headers: { Authorization: `Bearer ${admin}` } }],
      [
        '/api/v1/auth/login',
        { method: 'POST', headers: json, body: JSON.stringify({ username: 'demo-admin', password: 'x' }) },
      ],
      ['/api/v1/auth/device', { method: 'POST', headers: json, body: '{}' }],
    ] as [string, RequestInit][]) {
      const answer = await call(path, init)
      expect(answer.status, path).toBe(503)
    }
  })
})
