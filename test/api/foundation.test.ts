import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routes } from '../../api/_lib/routes'
import { startTestApi, type TestApi, type Transport } from '../support/api-server'

type ErrorAnswer = { error: { code: string; message: string; fields?: Record<string, string[]> } }
const json = { 'Content-Type': 'application/json' }

describe.each<Transport>(['tcp', 'http'])('API over %s on a real redis-server', (transport) => {
  let api: TestApi
  beforeAll(async () => {
    api = await startTestApi(transport)
  })
  afterAll(async () => {
    await api?.close()
  })

  it('reports health with the store kind, reachability and version', async () => {
    const answer = await api.call('/api/health')
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      status: 'ok',
      version: expect.any(String),
      store: { kind: transport === 'http' ? 'upstash' : 'redis', reachable: true },
    })
    expect(answer.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9._-]{8,64}$/)
  })

  it('lists the seeded stations, filtered by region and kind', async () => {
    const all = await api.call('/api/v1/stations')
    expect(all.status).toBe(200)
    const codes = (all.body as { items: { code: string }[] }).items.map((s) => s.code)
    expect(codes).toEqual(['CQ0001', 'CQ0002', 'CQ0003', 'CQ0004', 'QD0001', 'QD0002', 'QD0003', 'QD0004'])

    const qingdao = await api.call('/api/v1/stations?region=370200')
    expect((qingdao.body as { items: { code: string }[] }).items.map((s) => s.code)).toEqual([
      'QD0001',
      'QD0002',
      'QD0003',
      'QD0004',
    ])
    const shinan = await api.call('/api/v1/stations?region=370202')
    expect((shinan.body as { items: { code: string }[] }).items.map((s) => s.code)).toEqual(['QD0001'])
    const banks = await api.call('/api/v1/stations?kind=bank_point&region=500000')
    expect((banks.body as { items: { code: string; bank?: string }[] }).items).toHaveLength(4)
  })

  it('opens one station by code, case-insensitively, and says plainly when it does not exist', async () => {
    const station = await api.call('/api/v1/stations/qd0002')
    expect(station.status).toBe(200)
    expect(station.body).toMatchObject({ code: 'QD0002', kind: 'station', regionCode: '370203' })
    const missing = await api.call('/api/v1/stations/ZZ9999')
    expect(missing.status).toBe(404)
    expect((missing.body as ErrorAnswer).error.code).toBe('not_found')
    expect((missing.body as ErrorAnswer).error.message).toMatch(/[\u4e00-\u9fff]/)
  })

  it('names the offending field, in Chinese, for bad query and path input', async () => {
    const badRegion = await api.call('/api/v1/stations?region=abc')
    expect(badRegion.status).toBe(400)
    expect((badRegion.body as ErrorAnswer).error.fields?.region?.[0]).toBe('地区代码应为 6 位数字')

    const unknownParam = await api.call('/api/v1/stations?sort=name')
    expect(unknownParam.status).toBe(400)
    expect(Object.keys((unknownParam.body as ErrorAnswer).error.fields ?? {})).toEqual(['sort'])

    const repeated = await api.call('/api/v1/stations?region=370200&region=500000')
    expect(repeated.status).toBe(400)
    expect((repeated.body as ErrorAnswer).error.fields).toHaveProperty('region')

    const badCode = await api.call(`/api/v1/stations/${encodeURIComponent('QD!!')}`)
    expect(badCode.status).toBe(400)
    expect((badCode.body as ErrorAnswer).error.fields).toHaveProperty('code')

    const badEncoding = await api.call('/api/v1/stations/%E0%A4%A')
    expect(badEncoding.status).toBe(400)

    const noParams = await api.call('/api/health?x=1')
    expect(noParams.status).toBe(400)
  })

  it('answers unknown routes with 404 and wrong methods with 405 and Allow', async () => {
    const unknown = await api.call('/api/v1/nothing-here')
    expect(unknown.status).toBe(404)
    expect((unknown.body as ErrorAnswer).error.code).toBe('not_found')
    const wrongMethod = await api.call('/api/v1/stations', { method: 'DELETE' })
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST')
  })

  describe('hostile bodies', () => {
    const login = (init: RequestInit) => api.call('/api/v1/auth/login', { method: 'POST', ...init })

    it('refuses a body over 64 KB with 413, before parsing it', async () => {
      const huge = JSON.stringify({ username: 'demo-admin', password: 'x'.repeat(70 * 1024) })
      const answer = await login({ headers: json, body: huge })
      expect(answer.status).toBe(413)
      expect((answer.body as ErrorAnswer).error.code).toBe('payload_too_large')
      // Not even valid JSON is looked at: the size alone decides.
      const garbage = await login({ headers: json, body: '{'.repeat(65 * 1024) })
      expect(garbage.status).toBe(413)
    })

    it('refuses anything but JSON with 415', async () => {
      const form = await login({
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'username=a&password=b',
      })
      expect(form.status).toBe(415)
      const none = await login({ body: 'plain' })
      expect(none.status).toBe(415)
    })

    it('answers malformed JSON and invalid UTF-8 with 400', async () => {
      const broken = await login({ headers: json, body: '{"username": "demo-admin",' })
      expect(broken.status).toBe(400)
      expect((broken.body as ErrorAnswer).error.code).toBe('invalid_json')
      const empty = await login({ headers: json, body: '' })
      expect(empty.status).toBe(400)
      const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])
      const invalidUtf8 = await login({ headers: json, body: bytes })
      expect(invalidUtf8.status).toBe(400)
    })

    it('rejects unknown fields, including __proto__, and pollutes nothing', async () => {
      const extra = await login({
        headers: json,
        body: JSON.stringify({ username: 'demo-admin', password: 'x', role: 'admin' }),
      })
      expect(extra.status).toBe(400)
      expect((extra.body as ErrorAnswer).error.fields).toEqual({ role: ['不支持的字段'] })
      const proto = await login({
        headers: json,
        body: '{"username":"demo-admin","password":"x","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
      })
      expect(proto.status).toBe(400)
      expect(Object.keys((proto.body as ErrorAnswer).error.fields ?? {}).sort()).toEqual([
        '__proto__',
        'constructor',
      ])
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    })

    it('names missing and wrongly typed fields in Chinese', async () => {
      const answer = await login({ headers: json, body: JSON.stringify({ username: 12 }) })
      expect(answer.status).toBe(400)
      const fields = (answer.body as ErrorAnswer).error.fields ?? {}
      expect(fields.username?.[0]).toBe('请填写账号')
      expect(fields.password?.[0]).toBe('请填写密码')
      const notAnObject = await login({ headers: json, body: '[1,2,3]' })
      expect(notAnObject.status).toBe(400)
      const deep = await login({ headers: json, body: `${'['.repeat(5000)}${']'.repeat(5000)}` })
      expect(deep.status).toBe(400)
    })
  })

  describe('sign-in', () => {
    it('gives a token for the right password and a 401 for a wrong one or an unknown account', async () => {
      const token = await api.login('demo-station')
      expect(token.split('.')).toHaveLength(3)
      const wrong = await api.call('/api/v1/auth/login', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: 'demo-station', password: 'not-it' }),
      })
      expect(wrong.status).toBe(401)
      expect((wrong.body as ErrorAnswer).error.code).toBe('invalid_credentials')
      const nobody = await api.call('/api/v1/auth/login', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: 'nobody-here', password: 'whatever' }),
      })
      expect(nobody.status).toBe(401)
      expect(nobody.body).toEqual(wrong.body)
    })

    it('tells a signed-in caller who they are and refuses everyone else', async () => {
      const token = await api.login('demo-bank')
      const me = await api.call('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })
      expect(me.status).toBe(200)
      expect(me.body).toMatchObject({
        role: 'bank_staff',
        scope: { type: 'station', code: 'CQ0001' },
        scopeName: '渝中助创驿站',
      })
      const anonymous = await api.call('/api/v1/me')
      expect(anonymous.status).toBe(401)
      const [header, payload, signature] = token.split('.')
      const forged = `${header}.${payload}.${signature?.slice(0, -4)}AAAA`
      const tampered = await api.call('/api/v1/me', { headers: { Authorization: `Bearer ${forged}` } })
      expect(tampered.status).toBe(401)
      const garbage = await api.call('/api/v1/me', { headers: { Authorization: 'Basic abc' } })
      expect(garbage.status).toBe(401)
    })

    it('never writes a password or token into the logs', async () => {
      const token = await api.login('demo-official')
      await api.call('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })
      const all = api.logs.join('\n')
      expect(all).toContain('"operation":"login"')
      for (const secret of Object.values(api.passwords)) expect(all).not.toContain(secret)
      expect(all).not.toContain(token)
      for (const line of api.logs) expect(JSON.parse(line)).toHaveProperty('requestId')
    })
  })

  it('serves a valid OpenAPI 3.1 document that lists every route', async () => {
    const answer = await api.call('/api/openapi.json')
    expect(answer.status).toBe(200)
    const document = answer.body as { openapi: string; paths: Record<string, Record<string, unknown>> }
    expect(document.openapi).toBe('3.1.0')
    const validator = new Validator()
    const result = await validator.validate(document as unknown as Parameters<Validator['validate']>[0])
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    const listed = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    )
    expect(listed.sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort())
  })
})
