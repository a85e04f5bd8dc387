import jsQR from 'jsqr'
import { PDFDocument } from 'pdf-lib'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApi, type TestApi } from '../support/api-server'
import { setEnv } from '../support/env'
import { type FakeWechat, startFakeWechat } from '../support/fake-wechat'

function decodePng(bytes: Buffer): string | null {
  const png = PNG.sync.read(bytes)
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null
}

describe('posters, QR images and 小程序码 through the API', () => {
  let api: TestApi
  let wechat: FakeWechat
  let staff: string
  let restoreEnv = () => {}

  beforeAll(async () => {
    wechat = await startFakeWechat({ appid: 'wx00000000000000f3', secret: 'poster-test-secret' })
    restoreEnv = setEnv({
      WECHAT_APPID: 'wx00000000000000f3',
      WECHAT_SECRET: 'poster-test-secret',
      WECHAT_API_BASE: wechat.url,
      PUBLIC_ORIGIN: 'https://doorstep.example.cn',
    })
    api = await startTestApi('tcp')
    staff = await api.login('demo-bank') // CQ0001
  })
  afterAll(async () => {
    await api?.close()
    await wechat?.close()
    restoreEnv()
  })

  const auth = () => ({ headers: { Authorization: `Bearer ${staff}` } })

  it('gives station staff their A4 poster as a one-page PDF', async () => {
    const response = await fetch(`${api.url}/api/v1/stations/CQ0001/poster.pdf`, auth())
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/pdf')
    expect(response.headers.get('content-disposition')).toContain('CQ0001-poster.pdf')
    const pdf = await PDFDocument.load(new Uint8Array(await response.arrayBuffer()))
    expect(pdf.getPageCount()).toBe(1)
    const { width, height } = pdf.getPage(0).getSize()
    expect(Math.round(width)).toBe(595)
    expect(Math.round(height)).toBe(842)
  })

  it('serves the plain-link QR as PNG and SVG, pointing at the public origin, never a forged Host', async () => {
    const png = await fetch(`${api.url}/api/v1/stations/CQ0001/qr?format=png`, {
      headers: { ...auth().headers, 'X-Forwarded-Host': 'evil.example' },
    })
    expect(png.headers.get('content-type')).toBe('image/png')
    expect(decodePng(Buffer.from(await png.arrayBuffer()))).toBe('https://doorstep.example.cn/s/CQ0001')
    const svg = await fetch(`${api.url}/api/v1/stations/CQ0001/qr`, auth())
    expect(svg.headers.get('content-type')).toBe('image/svg+xml')
    expect(await svg.text()).toMatch(/^<svg/)
    const bad = await api.call('/api/v1/stations/CQ0001/qr?format=gif', auth())
    expect(bad.status).toBe(400)
  })

  it('makes a 小程序码 once through WeChat and then serves it from Redis', async () => {
    const first = await fetch(`${api.url}/api/v1/stations/CQ0001/wxacode`, auth())
    expect(first.status).toBe(200)
    expect(decodePng(Buffer.from(await first.arrayBuffer()))).toBe('s=CQ0001')
    const calls = wechat.calls.filter((call) => call.path === '/wxa/getwxacodeunlimit').length
    await fetch(`${api.url}/api/v1/stations/CQ0001/wxacode`, auth())
    expect(wechat.calls.filter((call) => call.path === '/wxa/getwxacodeunlimit').length).toBe(calls)
  })

  it('keeps staff to their own station', async () => {
    const other = await api.call('/api/v1/stations/CQ0002/poster.pdf', auth())
    expect(other.status).toBe(404)
    const anonymous = await api.call('/api/v1/stations/CQ0001/poster.pdf')
    expect(anonymous.status).toBe(401)
  })
})
