import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import jsQR from 'jsqr'
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { DEMO_STATIONS } from '../../api/_lib/demo-data'
import { FALLBACK_CHARACTER, notoSansSC } from '../../api/_lib/poster/font'
import { POSTER_INSTRUCTIONS, renderPoster } from '../../api/_lib/poster/pdf'
import { qrPng, qrSvg, stationLink } from '../../api/_lib/poster/qr'
import { STATION_KINDS, STATION_SERVICES } from '../../src/shared/catalog'
import type { StationSummary } from '../../src/shared/schemas/station'

const ROOT = resolve(__dirname, '..', '..')
/** Rasterised posters are kept here so a person can look at them after a run. */
const OUT = resolve(ROOT, 'test-results', 'poster')
const ORIGIN = 'https://example.cn'
const NOW = new Date('2026-11-23T02:00:00Z')
/** ISO 216 A4 in PDF points. */
const A4 = { width: 595.28, height: 841.89 }
const DPI = 150

function demoStation(code: string): StationSummary {
  const station = DEMO_STATIONS.find((candidate) => candidate.code === code)
  if (!station) throw new Error(`no demo station ${code}`)
  return station
}

/** Runs a poppler tool; a missing tool fails the test with what to install, never skips it. */
function poppler(tool: 'pdftoppm' | 'pdftotext', args: string[]): Buffer {
  try {
    return execFileSync(tool, args, { maxBuffer: 64 * 1024 * 1024 })
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      throw new Error(`${tool} is not installed: install poppler-utils (apt-get install -y poppler-utils)`)
    }
    throw error
  }
}

function decodeQr(png: Buffer) {
  const image = PNG.sync.read(png)
  return { image, code: jsQR(new Uint8ClampedArray(image.data), image.width, image.height) }
}

/** Writes the PDF and its 150 dpi rendering under test-results/poster; returns the PNG path. */
function rasterise(name: string, pdf: Uint8Array): string {
  mkdirSync(OUT, { recursive: true })
  const pdfPath = resolve(OUT, `${name}.pdf`)
  writeFileSync(pdfPath, pdf)
  poppler('pdftoppm', ['-r', String(DPI), '-png', '-singlefile', pdfPath, resolve(OUT, name)])
  return resolve(OUT, `${name}.png`)
}

function pageText(name: string): string {
  return poppler('pdftotext', [resolve(OUT, `${name}.pdf`), '-']).toString('utf8')
}

const squash = (text: string) => text.replace(/\s+/g, '')

async function embeddedFontFiles(bytes: Uint8Array): Promise<{ trueType: number; other: number }> {
  const pdf = await PDFDocument.load(bytes)
  let trueType = 0
  let other = 0
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict)) continue
    if (object.get(PDFName.of('FontFile2'))) trueType++
    if (object.get(PDFName.of('FontFile')) || object.get(PDFName.of('FontFile3'))) other++
  }
  return { trueType, other }
}

describe('stationLink', () => {
  it('joins an http(s) origin and the poster code', () => {
    expect(stationLink('https://example.cn', 'QD0001')).toBe('https://example.cn/s/QD0001')
    expect(stationLink('https://example.cn/', 'QD0001')).toBe('https://example.cn/s/QD0001')
    expect(stationLink('http://localhost:3000', 'cq0001')).toBe('http://localhost:3000/s/CQ0001')
  })

  it.each([
    ['example.cn'],
    ['ftp://example.cn'],
    ['javascript:alert(1)'],
    ['https://example.cn/app'],
    ['https://example.cn/?from=poster'],
    ['https://example.cn/#top'],
    ['https://user:secret@example.cn'],
    [''],
  ])('rejects the origin %j', (origin) => {
    expect(() => stationLink(origin, 'QD0001')).toThrow(Error)
  })

  it.each([[''], ['QD-01'], ['QD0001/../admin'], ['ABC'], ['A'.repeat(13)]])(
    'rejects the code %j',
    (code) => {
      expect(() => stationLink(ORIGIN, code)).toThrow(/station code/)
    },
  )
})

describe('QR codes', () => {
  const link = stationLink(ORIGIN, 'QD0001')

  it('PNG decodes to the exact link, with a 4-module quiet zone', async () => {
    const { image, code } = decodeQr(await qrPng(link))
    expect(code?.data).toBe(link)
    // Default scale is 10 px a module: the symbol starts 40 px in, after 4 white modules.
    const modules = image.width / 10
    expect(Number.isInteger(modules)).toBe(true)
    const dark = (x: number, y: number) => (image.data[(y * image.width + x) * 4] ?? 255) < 128
    for (let i = 0; i < 40; i++) {
      expect(dark(i, 45) || dark(45, i)).toBe(false)
    }
    expect(dark(40, 40)).toBe(true) // the top-left finder pattern's corner
  })

  it('PNG honours an explicit size', async () => {
    const { image, code } = decodeQr(await qrPng(link, { size: 300 }))
    expect(image.width).toBe(300)
    expect(code?.data).toBe(link)
    await expect(qrPng(link, { size: 0 })).rejects.toThrow(Error)
  })

  it('SVG is a scalable SVG document', async () => {
    const svg = await qrSvg(link)
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    const viewBox = /viewBox="0 0 (\d+) \1"/.exec(svg)
    expect(viewBox).not.toBeNull()
    // Symbol plus 4 modules of quiet zone each side: version 2 or more is 25 + 4k modules.
    expect((Number(viewBox?.[1]) - 8 - 17) % 4).toBe(0)
    expect(svg).toContain('stroke="#000000"')
  })
})

describe('notoSansSC', () => {
  it('covers every character with few TrueType subsets', async () => {
    const text = '市南区香港中路街道就享家服务站 QD0001（演示地址）'
    const slices = await notoSansSC(text, 400)
    for (const char of text) {
      expect(slices.some((slice) => slice.codePoints.has(char.codePointAt(0) ?? 0))).toBe(true)
    }
    // One chunk per Google Fonts slice used: a handful, not one per character.
    expect(slices.length).toBeLessThanOrEqual(6)
    for (const slice of slices) {
      expect([...slice.data.subarray(0, 4)]).toEqual([0, 1, 0, 0]) // sfnt version 1.0: TrueType outlines
      expect(slice.data.byteLength).toBeLessThan(40_000)
    }
    expect(slices.some((slice) => slice.codePoints.has(FALLBACK_CHARACTER.codePointAt(0) ?? 0))).toBe(false)
  })

  it('adds the fallback glyph only when a character is in no chunk', async () => {
    const slices = await notoSansSC('𠀀站', 700)
    expect(slices.some((slice) => slice.codePoints.has(0x20000))).toBe(false)
    expect(slices.some((slice) => slice.codePoints.has(FALLBACK_CHARACTER.codePointAt(0) ?? 0))).toBe(true)
  })
})

describe('renderPoster', () => {
  for (const code of ['QD0001', 'CQ0001']) {
    it(`${code}: one A4 page with embedded fonts, its QR code scans from a 150 dpi rendering`, async () => {
      const station = demoStation(code)
      const bytes = await renderPoster(station, { origin: ORIGIN, now: NOW })

      expect(bytes.byteLength).toBeLessThan(300 * 1024)
      const pdf = await PDFDocument.load(bytes)
      expect(pdf.getPageCount()).toBe(1)
      const { width, height } = pdf.getPage(0).getSize()
      expect(width).toBeCloseTo(A4.width, 1)
      expect(height).toBeCloseTo(A4.height, 1)
      expect(pdf.getTitle()).toBe(`${station.name} 服务海报`)
      expect(pdf.getCreator()).toBe('Doorstep')
      expect(pdf.getCreationDate()?.getTime()).toBe(NOW.getTime())
      const fonts = await embeddedFontFiles(bytes)
      expect(fonts.trueType).toBeGreaterThan(0)
      expect(fonts.other).toBe(0)

      const { image, code: qr } = decodeQr(readFileSync(rasterise(code, bytes)))
      // pdftoppm rounds the page's 1240.2 px up.
      expect(Math.abs(image.width - (A4.width / 72) * DPI)).toBeLessThan(1)
      expect(qr?.data).toBe(`https://example.cn/s/${code}`)
      // The symbol (finder pattern to finder pattern, outer edges) is at least 60 mm wide.
      const location = qr?.location
      const moduleCount = 25 + 4 * ((qr?.version ?? 2) - 2)
      const centreSpan = (location?.topRightFinderPattern.x ?? 0) - (location?.topLeftFinderPattern.x ?? 0)
      const symbolPx = (centreSpan * moduleCount) / (moduleCount - 7)
      expect((symbolPx / DPI) * 25.4).toBeGreaterThanOrEqual(60)

      const text = squash(pageText(code))
      expect(text).toContain(squash(station.name))
      expect(text).toContain(squash(POSTER_INSTRUCTIONS))
      expect(text).toContain(station.posterCode)
      expect(text).toContain(squash(station.address))
      expect(text).toContain(squash(station.hours))
      expect(text).toContain(station.phone)
      for (const service of station.services) expect(text).toContain(STATION_SERVICES[service])
      if (station.bank) expect(text).toContain(squash(station.bank))
      if (station.branch) expect(text).toContain(squash(station.branch))
      expect(text).toContain(STATION_KINDS[station.kind])
    })
  }

  it('fits the longest texts the schema allows on the one page, every character drawn', async () => {
    const base = demoStation('CQ0004')
    const repeatTo = (text: string, length: number) =>
      text.repeat(Math.ceil(length / text.length)).slice(0, length)
    const station: StationSummary = {
      ...base,
      code: 'CQ9999',
      posterCode: 'CQ9999',
      name: repeatTo('九龙坡区杨家坪街道创业孵化基地联合助创驿站', 60),
      address: repeatTo('九龙坡区杨家坪步行街88号演示城市商业银行大厦（地铁2号线杨家坪站A口）', 120),
      hours: repeatTo('周一至周五 9:00–17:00，周六 9:00–12:00，', 60),
      bank: repeatTo('演示城市商业银行股份有限公司', 40),
      branch: repeatTo('九龙坡支行营业部（杨家坪）', 60),
      phone: '023-0000000000000000',
      services: ['consult', 'intake', 'appointment', 'mentor', 'venue'],
    }
    const bytes = await renderPoster(station, { origin: ORIGIN, now: NOW })
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1)
    const { code } = decodeQr(readFileSync(rasterise('CQ9999-longest', bytes)))
    expect(code?.data).toBe('https://example.cn/s/CQ9999')
    const text = squash(pageText('CQ9999-longest'))
    for (const part of [
      station.name,
      station.address,
      station.hours,
      station.bank ?? '',
      station.branch ?? '',
    ]) {
      expect(text).toContain(squash(part))
    }
  })

  it('draws a character no font has as the fallback square', async () => {
    const station = { ...demoStation('QD0002'), name: '台东𠀀街道就享家服务站' }
    const bytes = await renderPoster(station, { origin: ORIGIN, now: NOW })
    rasterise('QD0002-fallback', bytes)
    expect(squash(pageText('QD0002-fallback'))).toContain(`台东${FALLBACK_CHARACTER}街道就享家服务站`)
  })

  it('rejects an origin that is not http(s)', async () => {
    await expect(renderPoster(demoStation('QD0001'), { origin: 'ftp://example.cn' })).rejects.toThrow(/http/)
  })
})
