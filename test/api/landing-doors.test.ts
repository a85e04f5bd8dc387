import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alipayOpenLink } from '../../api/_lib/landing'
import { chinaDay } from '../../api/_lib/repos/stations'
import { startTestApi, type TestApi } from '../support/api-server'
import { setEnv } from '../support/env'
import { type FakeWechat, startFakeWechat } from '../support/fake-wechat'

/**
 * The doors from a scanned poster into the mini-programs: the landing's "open in WeChat / Alipay"
 * links, and the entry page's resolution of a scanned (possibly replaced) poster code.
 */
describe('from the poster into the mini-programs', () => {
  let api: TestApi
  let wechat: FakeWechat
  let restoreEnv = () => {}
  const ALIPAY_APPID = '2021000000000042'

  beforeAll(async () => {
    wechat = await startFakeWechat({ appid: 'wx00000000000000d4', secret: 'door-test-secret' })
    restoreEnv = setEnv({
      WECHAT_APPID: 'wx00000000000000d4',
      WECHAT_SECRET: 'door-test-secret',
      WECHAT_API_BASE: wechat.url,
      ALIPAY_APPID,
    })
    api = await startTestApi('tcp')
  })
  afterAll(async () => {
    await api?.close()
    await wechat?.close()
    restoreEnv()
  })

  const json = { 'Content-Type': 'application/json' }

  it('offers both mini-programs on the landing when they are configured, still without a script', async () => {
    const page = await api.call('/s/QD0003')
    expect(page.status).toBe(200)
    expect(page.text).toContain('href="/s/QD0003/weapp"')
    expect(page.text).toContain('在支付宝小程序中打开')
    expect(page.text).not.toMatch(/<script/i)
  })

  it('builds Alipay’s documented scheme link with the station in the launch query', () => {
    const link = new URL(alipayOpenLink(ALIPAY_APPID, 'CQ0001'))
    expect(link.origin).toBe('https://ds.alipay.com')
    const scheme = new URL(link.searchParams.get('scheme') ?? '')
    expect(scheme.protocol).toBe('alipays:')
    expect(scheme.searchParams.get('appId')).toBe(ALIPAY_APPID)
    expect(scheme.searchParams.get('page')).toBe('pages/index/index')
    expect(scheme.searchParams.get('query')).toBe('s=CQ0001')
  })

  it('redirects /s/<code>/weapp to a fresh WeChat URL Link that opens the home page with the station', async () => {
    const first = await fetch(`${api.url}/s/QD0003/weapp`, { redirect: 'manual' })
    expect(first.status).toBe(302)
    const location = first.headers.get('location') ?? ''
    expect(location).toMatch(/^https:\/\/wxaurl\.cn\//)
    expect(wechat.urlLinks.get(location)).toEqual({ path: 'pages/index/index', query: 's=QD0003' })
    const second = await fetch(`${api.url}/s/QD0003/weapp`, { redirect: 'manual' })
    // A link per tap: WeChat may bind a link to the first user who opens it.
    expect(second.headers.get('location')).not.toBe(location)
    // The access token was fetched once and shared.
    expect(wechat.calls.filter((call) => call.path === '/cgi-bin/token')).toHaveLength(1)
  })

  it('sends an unknown code back to the landing, and answers a busy WeChat with a 503 page', async () => {
    const unknown = await fetch(`${api.url}/s/ZZ9999/weapp`, { redirect: 'manual' })
    expect(unknown.status).toBe(303)
    expect(unknown.headers.get('location')).toBe('/s/ZZ9999')
    wechat.failNext('system-busy')
    const busy = await fetch(`${api.url}/s/QD0003/weapp`, { redirect: 'manual' })
    expect(busy.status).toBe(503)
    expect(busy.headers.get('retry-after')).toBe('1')
    expect(await busy.text()).toContain('请稍后再试')
  })

  it('resolves a scanned poster code for the entry page, counting the scan, and follows a replaced poster', async () => {
    const day = chinaDay(new Date())
    const before = Number((await api.store.redis.hget('ds:scans:QD0004', day)) ?? 0)
    const scanned = await api.call('/api/v1/poster-codes/QD0004', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ via: 'wechat_qr' }),
    })
    expect(scanned.status).toBe(200)
    expect(scanned.body).toMatchObject({ status: 'active', station: { code: 'QD0004' }, replacedBy: null })
    expect(Number(await api.store.redis.hget('ds:scans:QD0004', day))).toBe(before + 1)

    // A link inside the app carries the station code and is not a scan.
    await api.call('/api/v1/poster-codes/QD0004', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ via: 'link' }),
    })
    expect(Number(await api.store.redis.hget('ds:scans:QD0004', day))).toBe(before + 1)

    const staff = await api.login('demo-official')
    const reissued = await api.call('/api/v1/stations/QD0004/poster-code', {
      method: 'POST',
      headers: { Authorization: `Bearer ${staff}` },
    })
    expect(reissued.status).toBe(200)
    const fresh = (reissued.body as { posterCode: string }).posterCode
    const old = await api.call('/api/v1/poster-codes/QD0004', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ via: 'wxacode' }),
    })
    expect(old.body).toMatchObject({ status: 'revoked', station: { code: 'QD0004' }, replacedBy: fresh })
    const current = await api.call(`/api/v1/poster-codes/${fresh}`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ via: 'alipay_qr' }),
    })
    expect(current.body).toMatchObject({ status: 'active', station: { code: 'QD0004', posterCode: fresh } })
    // The replaced poster no longer opens the mini-program by URL Link either.
    const retired = await fetch(`${api.url}/s/QD0004/weapp`, { redirect: 'manual' })
    expect(retired.status).toBe(303)
  })

  it('answers 404 for an unknown code and 400 naming the field for a bad door', async () => {
    const unknown = await api.call('/api/v1/poster-codes/ZZ9999', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ via: 'wechat_qr' }),
    })
    expect(unknown.status).toBe(404)
    const bad = await api.call('/api/v1/poster-codes/QD0001', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ via: 'sms' }),
    })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain('via')
  })
})
