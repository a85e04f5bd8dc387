import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chinaDay } from '../../api/_lib/repos/stations'
import { startTestApi, type TestApi } from '../support/api-server'

describe('the QR landing /s/<code>', () => {
  let api: TestApi
  beforeAll(async () => {
    api = await startTestApi('tcp')
  })
  afterAll(async () => {
    await api?.close()
  })

  const json = { 'Content-Type': 'application/json' }

  it('answers a small server-rendered page naming the station, with links that bind it', async () => {
    const answer = await api.call('/s/CQ0001')
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(answer.text).toContain('渝中助创驿站')
    expect(answer.text).toContain('演示合作银行')
    expect(answer.text).toContain(
      'href="/#/pages/index/index?s=CQ0001&amp;next=intake"'.replace('&amp;', '&'),
    )
    expect(answer.text).not.toMatch(/<script/i)
    expect(Buffer.byteLength(answer.text)).toBeLessThan(8 * 1024)
    const lower = await api.call('/s/cq0001')
    expect(lower.status).toBe(200)
  })

  it('counts each scan per station and China day with one command, and shows it to the station’s staff', async () => {
    const before = Number((await api.store.redis.hget('ds:scans:QD0002', chinaDay(new Date()))) ?? 0)
    await api.call('/s/QD0002')
    await api.call('/s/QD0002')
    const after = Number(await api.store.redis.hget('ds:scans:QD0002', chinaDay(new Date())))
    expect(after - before).toBe(2)

    const token = await api.login('demo-station') // QD0001
    const own = await api.call('/api/v1/stations/QD0001/scans', {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(own.status).toBe(200)
    expect((own.body as { days: unknown[] }).days).toHaveLength(7)
    const other = await api.call('/api/v1/stations/QD0002/scans', {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(other.status).toBe(404)
    const official = await api.login('demo-official')
    const regional = await api.call('/api/v1/stations/QD0002/scans', {
      headers: { Authorization: `Bearer ${official}` },
    })
    expect(regional.body).toMatchObject({ code: 'QD0002', today: after })
  })

  it('says plainly that a code is unknown, with a 404 — for junk too', async () => {
    for (const path of ['/s/ZZ9999', '/s/%3Cscript%3E', '/s/%E0%A4%A', `/s/${'A'.repeat(300)}`]) {
      const answer = await api.call(path)
      expect(answer.status, path).toBe(404)
      expect(answer.text).toContain('没有找到这个服务点')
      expect(answer.text).not.toContain('<script>')
    }
  })

  it('tells a resident with an old poster that it was replaced, and where the station is now', async () => {
    const token = await api.login('demo-station')
    const reissued = await api.call('/api/v1/stations/QD0001/poster-code', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(reissued.status).toBe(200)
    const next = (reissued.body as { posterCode: string }).posterCode
    expect(next).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/)

    const old = await api.call('/s/QD0001')
    expect(old.status).toBe(410)
    expect(old.text).toContain('这张海报已经换新')
    expect(old.text).toContain('香港中路街道')
    expect(old.text).toContain(`href="/s/${next}"`)
    expect((await api.call(`/s/${next}`)).status).toBe(200)
  })

  it('answers a suspended station with its own page and a 503', async () => {
    const admin = await api.login('demo-admin')
    const patched = await api.call('/api/v1/stations/QD0003', {
      method: 'PATCH',
      headers: { ...json, Authorization: `Bearer ${admin}` },
      body: JSON.stringify({ status: 'suspended' }),
    })
    expect(patched.status).toBe(200)
    const answer = await api.call('/s/QD0003')
    expect(answer.status).toBe(503)
    expect(answer.text).toContain('暂停服务')
  })

  it('refuses other methods', async () => {
    expect((await api.call('/s/CQ0001', { method: 'POST' })).status).toBe(405)
    expect((await api.call('/s/CQ0001', { method: 'HEAD' })).status).toBe(200)
  })

  it('lets an official create a station in their region only, with field errors in Chinese', async () => {
    const official = await api.login('demo-official')
    const station = {
      code: 'QD0009',
      kind: 'station',
      name: '黄岛区长江路街道就享家服务站',
      regionCode: '370211',
      districtName: '青岛市黄岛区',
      address: '长江路街道（演示地址）',
      hours: '周一至周五 9:00–17:00',
      services: ['consult', 'intake'],
      phone: '0532-00000009',
    }
    const headers = { ...json, Authorization: `Bearer ${official}` }
    const created = await api.call('/api/v1/stations', {
      method: 'POST',
      headers,
      body: JSON.stringify(station),
    })
    expect(created.status).toBe(201)
    expect((await api.call('/s/QD0009')).status).toBe(200)
    const twice = await api.call('/api/v1/stations', {
      method: 'POST',
      headers,
      body: JSON.stringify(station),
    })
    expect(twice.status).toBe(409)
    const elsewhere = await api.call('/api/v1/stations', {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...station, code: 'CQ0009', regionCode: '500108' }),
    })
    expect(elsewhere.status).toBe(403)
    const bad = await api.call('/api/v1/stations', {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...station, code: 'QD0010', phone: 'call me', services: [] }),
    })
    expect(bad.status).toBe(400)
    expect(Object.keys((bad.body as { error: { fields: object } }).error.fields).sort()).toEqual([
      'phone',
      'services',
    ])
  })
})

describe('stations nearest first', () => {
  let api: TestApi
  beforeAll(async () => {
    api = await startTestApi('tcp')
  })
  afterAll(async () => {
    await api?.close()
  })

  it('orders by distance from the given position, and refuses a malformed one', async () => {
    // Standing in Laoshan district, Qingdao: 崂山区 (QD0004) first, Chongqing last.
    const answer = await api.call('/api/v1/stations?near=36.1040,120.4700')
    const codes = (answer.body as { items: { code: string }[] }).items.map((s) => s.code)
    expect(codes[0]).toBe('QD0004')
    expect(codes.slice(-4).every((code) => code.startsWith('CQ'))).toBe(true)
    const inChongqing = await api.call('/api/v1/stations?near=29.5570,106.5770&kind=bank_point')
    expect((inChongqing.body as { items: { code: string }[] }).items[0]?.code).toBe('CQ0001')
    const bad = await api.call('/api/v1/stations?near=somewhere')
    expect(bad.status).toBe(400)
    expect((bad.body as { error: { fields: Record<string, string[]> } }).error.fields.near?.[0]).toBe(
      '位置应为“纬度,经度”',
    )
  })
})
