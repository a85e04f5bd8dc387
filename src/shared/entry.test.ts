import { describe, expect, it } from 'vitest'
import { arrivalFromLaunch, sceneFor, stationCodeFromLaunch } from './entry'

describe('the station a resident arrived from', () => {
  it.each([
    ['H5 link', { s: 'cq0001' }, 'CQ0001'],
    ['小程序码 scene', { scene: encodeURIComponent('s=QD0002') }, 'QD0002'],
    ['bare scene', { scene: 'QD0003' }, 'QD0003'],
    ['WeChat plain-link QR', { q: encodeURIComponent('https://example.cn/s/CQ0004') }, 'CQ0004'],
    [
      'WeChat plain-link QR with a query',
      { q: encodeURIComponent('https://example.cn/s/cq0002?from=poster') },
      'CQ0002',
    ],
    ['Alipay qrCode', { qrCode: 'https://example.cn/s/QD0004' }, 'QD0004'],
  ])('reads the %s', (_label, params, code) => {
    expect(stationCodeFromLaunch(params)).toBe(code)
  })

  it.each([
    ['nothing', {}],
    ['a hostile s', { s: '<script>' }],
    ['a foreign URL', { q: encodeURIComponent('https://example.cn/other/CQ0001') }],
    ['broken encoding', { q: '%E0%A4%A' }],
    ['a scene for something else', { scene: 'x=1&y=2' }],
  ])('answers null for %s', (_label, params) => {
    expect(stationCodeFromLaunch(params)).toBeNull()
  })

  it('writes scenes within WeChat’s 32-character limit', () => {
    expect(sceneFor('CQ0001')).toBe('s=CQ0001')
    expect(() => sceneFor('X'.repeat(40))).toThrow()
  })

  it.each([
    [{ s: 'CQ0001' }, 'link'],
    [{ scene: 's%3DK7M2PX' }, 'wxacode'],
    [{ q: encodeURIComponent('https://example.cn/s/K7M2PX') }, 'wechat_qr'],
    [{ qrCode: 'https://example.cn/s/K7M2PX' }, 'alipay_qr'],
  ])('tells which door %j came through, so only scans are counted', (params, via) => {
    expect(arrivalFromLaunch(params)?.via).toBe(via)
  })
})
