import * as fontkit from '@pdf-lib/fontkit'
import { type Color, PDFDocument, type PDFFont, type PDFImage, type PDFPage, rgb } from 'pdf-lib'
import { STATION_KINDS, STATION_SERVICES } from '../../../src/shared/catalog'
import type { StationSummary } from '../../../src/shared/schemas/station'
import { FALLBACK_CHARACTER, type FontSlice, notoSansSC } from './font'
import { qrPng, stationLink } from './qr'

/**
 * The printable poster a station hangs by its door: one A4 page with the station's name, what it
 * offers, and a QR code to its page. Laid out to be read at a distance and by older eyes: large
 * type, high contrast, nothing printed over anything else.
 */

/** ISO 216 A4 portrait in PDF points (1 pt = 1/72 in): 210 × 297 mm. */
const A4 = { width: 595.28, height: 841.89 } as const
const MM = 72 / 25.4
const MARGIN = 15 * MM
const CONTENT_WIDTH = A4.width - 2 * MARGIN

const RED = rgb(0xb3 / 255, 0x26 / 255, 0x1e / 255)
const INK = rgb(0x1f / 255, 0x1f / 255, 0x1f / 255)
const GREY = rgb(0x59 / 255, 0x59 / 255, 0x59 / 255)
const PANEL = rgb(0xf4 / 255, 0xf4 / 255, 0xf4 / 255)
const WHITE = rgb(1, 1, 1)

const PRODUCT_NAME = '家门口创业服务'
/** The call to action printed under the short code: what to scan with and what it is for. */
export const POSTER_INSTRUCTIONS = '用微信、支付宝或手机相机扫一扫，咨询创业政策、办理创业担保贷款受理'
const SERVICES_LABEL = '服务项目'

/** Line height as a multiple of the font size; CJK text needs more air than Latin. */
const LEADING = 1.35
/**
 * Where the baseline sits below the top of a line box, as a multiple of the font size: Noto Sans
 * SC's ideographs reach ~0.88 em above the baseline and ~0.12 em below, so this centres them in a
 * 1.35 em line.
 */
const BASELINE = 1.0

/** One embedded subset font and the characters it can draw. */
interface Face {
  font: PDFFont
  codePoints: ReadonlySet<number>
}

/** A piece of text drawn with one font. */
interface Run {
  face: Face
  text: string
}

/**
 * One weight of Noto Sans SC spread over several embedded subset fonts: splits text into runs by
 * which font holds each character, so callers measure and draw strings as if it were one font.
 */
class Typeface {
  readonly #faces: readonly Face[]

  constructor(faces: readonly Face[]) {
    if (faces.length === 0) throw new Error('a typeface needs at least one font')
    this.#faces = faces
  }

  #faceFor(codePoint: number): Face | undefined {
    return this.#faces.find((face) => face.codePoints.has(codePoint))
  }

  /** Splits `text` into runs; characters no font has become {@link FALLBACK_CHARACTER}. */
  runs(text: string): Run[] {
    const fallback = FALLBACK_CHARACTER.codePointAt(0) ?? 0
    const runs: Run[] = []
    for (const char of text) {
      const codePoint = char.codePointAt(0) ?? 0
      let face = this.#faceFor(codePoint)
      let drawn = char
      if (!face) {
        face = this.#faceFor(fallback)
        drawn = FALLBACK_CHARACTER
        // notoSansSC() adds the fallback whenever a character is missing, so this is a bug.
        if (!face) throw new Error(`no font for ${JSON.stringify(char)} nor for the fallback`)
      }
      const last = runs.at(-1)
      if (last && last.face === face) last.text += drawn
      else runs.push({ face, text: drawn })
    }
    return runs
  }

  width(text: string, size: number): number {
    return this.runs(text).reduce((sum, run) => sum + run.face.font.widthOfTextAtSize(run.text, size), 0)
  }

  /** Draws `text` with its baseline starting at (x, y). */
  draw(page: PDFPage, text: string, at: { x: number; y: number; size: number; color: Color }): void {
    let x = at.x
    for (const run of this.runs(text)) {
      page.drawText(run.text, { x, y: at.y, size: at.size, font: run.face.font, color: at.color })
      x += run.face.font.widthOfTextAtSize(run.text, at.size)
    }
  }

  /**
   * Breaks `text` into lines no wider than `maxWidth`. CJK text may break between any two
   * characters; runs of Latin letters and digits (phone numbers, codes) stay whole when they fit;
   * closing punctuation never starts a line and opening brackets never end one (the basic rules
   * of 禁则 in GB/T 15834).
   */
  wrap(text: string, size: number, maxWidth: number): string[] {
    return this.#pack(text.match(TOKEN) ?? [], size, maxWidth)
  }

  /**
   * Like {@link wrap}, but breaks after a clause (at '，', '。', '；') when it can, so a sentence
   * on a poster reads in whole phrases.
   */
  wrapPhrases(text: string, size: number, maxWidth: number): string[] {
    const clauses = text.match(/[^，。；]+[，。；]*/gu) ?? []
    // A clause longer than a line falls back to breaking within it.
    const tokens = clauses.flatMap((clause) =>
      this.width(clause, size) > maxWidth ? (clause.match(TOKEN) ?? []) : [clause],
    )
    return this.#pack(tokens, size, maxWidth)
  }

  /**
   * Like {@link wrap}, with lines of about equal width: a centred name of two lines reads better
   * split in the middle than as a full line and a stub. Uses the narrowest width that needs no
   * more lines than `maxWidth` does.
   */
  wrapBalanced(text: string, size: number, maxWidth: number): string[] {
    const lines = this.wrap(text, size, maxWidth)
    if (lines.length < 2) return lines
    let low = maxWidth / lines.length
    let high = maxWidth
    while (high - low > 1) {
      const mid = (low + high) / 2
      if (this.wrap(text, size, mid).length <= lines.length) high = mid
      else low = mid
    }
    return this.wrap(text, size, high)
  }

  /** Width of a line as the eye sees it: without trailing CJK punctuation's empty half cell. */
  visualWidth(line: string, size: number): number {
    return this.width(line.replace(/[，。、；：]$/u, ''), size)
  }

  /** Greedy line filling; a token wider than a whole line is cut by character. */
  #pack(tokens: readonly string[], size: number, maxWidth: number): string[] {
    const lines: string[] = []
    let line = ''
    for (const token of tokens) {
      const candidate = line + token
      if (this.width(candidate.trim(), size) <= maxWidth) {
        line = candidate
        continue
      }
      if (line.trim() !== '') lines.push(line.trim())
      line = token.trimStart()
      while (this.width(line, size) > maxWidth) {
        const chars = [...line]
        let fit = 1
        while (fit < chars.length && this.width(chars.slice(0, fit + 1).join(''), size) <= maxWidth) fit++
        lines.push(chars.slice(0, fit).join(''))
        line = chars.slice(fit).join('')
      }
    }
    if (line.trim() !== '') lines.push(line.trim())
    return lines
  }
}

/** Unbreakable units for {@link Typeface.wrap}: brackets and punctuation cling to their text. */
const TOKEN = /[（《「『“‘([]*(?:[A-Za-z0-9@._:/+\-–]+|\s+|.)[，。、；：！？）》」』”’,.;:!?)\]]*/gsu

/** Embeds every slice of one weight; pdf-lib must not subset again (the slices are subsets). */
async function embedTypeface(pdf: PDFDocument, slices: readonly FontSlice[]): Promise<Typeface> {
  const faces = await Promise.all(
    slices.map(async (slice) => ({
      font: await pdf.embedFont(slice.data, { subset: false }),
      codePoints: slice.codePoints,
    })),
  )
  return new Typeface(faces)
}

/** The calendar date in China (UTC+8 all year, no daylight saving), as YYYY-MM-DD. */
function chinaDate(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

/** Everything the poster says, in the order it is laid out. */
interface PosterText {
  kind: string
  name: string
  /** Bank and branch for a 助创驿站, the district for a 就享家服务站: one line if they fit. */
  subtitle: string[]
  code: string
  services: string[]
  details: Array<{ label: string; value: string }>
  footer: string
}

function posterText(station: StationSummary, link: string, now: Date): PosterText {
  const bank = [station.bank, station.branch].filter(
    (part): part is string => part !== undefined && part.trim() !== '',
  )
  return {
    kind: STATION_KINDS[station.kind],
    name: station.name,
    subtitle: station.kind === 'bank_point' && bank.length > 0 ? bank : [station.districtName],
    code: station.posterCode,
    services: station.services.map((service) => STATION_SERVICES[service]),
    details: [
      { label: '开放时间', value: station.hours },
      { label: '服务地址', value: station.address },
      { label: '咨询电话', value: station.phone },
    ].filter((row) => row.value.trim() !== ''),
    footer: `无法扫码时请用浏览器打开 ${link}　·　海报生成于 ${chinaDate(now)}`,
  }
}

/**
 * Sizes in points, largest first; the first scale whose layout fits the page is used, so typical
 * stations get the large type and only the longest names and addresses the schema allows shrink.
 */
interface Scale {
  name: number
  subtitle: number
  /** Printed width of the QR image, quiet zone included. */
  qr: number
  code: number
  instructions: number
  body: number
}

/**
 * The QR symbol proper is n / (n + 8) of the image (4 modules of quiet zone each side), and any
 * link `https://host/s/CODE` needs version 2 (n = 25) or more at level M: so an 80 mm image
 * holds a symbol of at least 25/33 × 80 ≈ 60.6 mm, the 60 mm an older phone camera needs to read
 * the code from about a metre. No scale goes below that.
 */
const SCALES: readonly Scale[] = [
  { name: 38, subtitle: 20, qr: 90 * MM, code: 48, instructions: 22, body: 18 },
  { name: 34, subtitle: 18, qr: 88 * MM, code: 46, instructions: 22, body: 17 },
  { name: 30, subtitle: 17, qr: 85 * MM, code: 44, instructions: 20, body: 16 },
  { name: 26, subtitle: 16, qr: 82 * MM, code: 40, instructions: 19, body: 15 },
  { name: 22, subtitle: 15, qr: 80 * MM, code: 36, instructions: 18, body: 14 },
  { name: 20, subtitle: 13, qr: 80 * MM, code: 32, instructions: 16, body: 12 },
]

const HEADER_HEIGHT = 64
/** A name may shrink to this fraction of the scale's name size to stay on one line. */
const NAME_SHRINK = 0.8
const HEADER_SIZE = 22
const FOOTER_SIZE = 10
const LABEL_COLUMN = 5 // label width in ems of body text: four ideographs and a gap
const PANEL_PADDING = 14
/** Service bullets: a dot of this radius (× body size) in a cell of this width before the label. */
const BULLET_RADIUS = 0.2
const BULLET_CELL = 0.9

/**
 * Something to put on the page, positioned from the top-left corner of the page (the way the
 * layout is reasoned about) rather than in PDF's bottom-up coordinates.
 */
type Mark =
  | { type: 'text'; face: Typeface; text: string; x: number; top: number; size: number; color: Color }
  | { type: 'rect'; x: number; top: number; width: number; height: number; color: Color }
  | { type: 'dot'; x: number; y: number; radius: number; color: Color }
  | { type: 'image'; image: PDFImage; x: number; top: number; size: number }

/**
 * Lays the poster out at one scale: returns what to draw and whether it fits between the header
 * and the footer. Everything is measured with the embedded fonts, so what fits here fits in print.
 */
function compose(
  text: PosterText,
  scale: Scale,
  fonts: { regular: Typeface; bold: Typeface },
  qr: PDFImage,
): { marks: Mark[]; fits: boolean } {
  const { regular, bold } = fonts
  const marks: Mark[] = []
  const line = (size: number) => size * LEADING
  const centred = (face: Typeface, textLine: string, top: number, size: number, color: Color) =>
    marks.push({
      type: 'text',
      face,
      text: textLine,
      x: (A4.width - face.visualWidth(textLine, size)) / 2,
      top,
      size,
      color,
    })

  // Header band: the service's name on the left, the kind of service point on the right.
  marks.push({ type: 'rect', x: 0, top: 0, width: A4.width, height: HEADER_HEIGHT, color: RED })
  const headerTop = (HEADER_HEIGHT - line(HEADER_SIZE)) / 2
  const kindX = A4.width - MARGIN - bold.width(text.kind, HEADER_SIZE)
  marks.push({
    type: 'text',
    face: bold,
    text: PRODUCT_NAME,
    x: MARGIN,
    top: headerTop,
    size: HEADER_SIZE,
    color: WHITE,
  })
  marks.push({
    type: 'text',
    face: bold,
    text: text.kind,
    x: kindX,
    top: headerTop,
    size: HEADER_SIZE,
    color: WHITE,
  })

  // A name a little too long for one line is set smaller rather than broken: wrapping splits
  // place names (街/道) mid-word. Longer names wrap into lines of even width.
  let y = HEADER_HEIGHT + 24
  const oneLineSize = Math.floor((2 * CONTENT_WIDTH) / bold.width(text.name, 1)) / 2
  const nameSize = oneLineSize >= scale.name * NAME_SHRINK ? Math.min(scale.name, oneLineSize) : scale.name
  for (const nameLine of bold.wrapBalanced(text.name, nameSize, CONTENT_WIDTH)) {
    centred(bold, nameLine, y, nameSize, INK)
    y += line(nameSize)
  }
  // Bank and branch share a line when they fit; otherwise each starts its own.
  const joined = text.subtitle.join(' · ')
  const subtitleLines =
    regular.width(joined, scale.subtitle) <= CONTENT_WIDTH
      ? [joined]
      : text.subtitle.flatMap((part) => regular.wrapBalanced(part, scale.subtitle, CONTENT_WIDTH))
  for (const subtitleLine of subtitleLines) {
    centred(regular, subtitleLine, y, scale.subtitle, GREY)
    y += line(scale.subtitle)
  }

  // The QR image brings its own white quiet zone, so it needs no extra space around it.
  y += 6
  marks.push({ type: 'image', image: qr, x: (A4.width - scale.qr) / 2, top: y, size: scale.qr })
  y += scale.qr
  // The short code, big enough for staff to read out and residents to type in.
  centred(bold, text.code, y - line(scale.code) * 0.1, scale.code, INK)
  y += line(scale.code)
  for (const instructionLine of regular.wrapPhrases(POSTER_INSTRUCTIONS, scale.instructions, CONTENT_WIDTH)) {
    centred(regular, instructionLine, y, scale.instructions, RED)
    y += line(scale.instructions)
  }

  // Details panel: labels in bold on the left, values wrapped in the column to their right.
  y += 14
  const panelTop = y
  const labelX = MARGIN + PANEL_PADDING
  const valueX = labelX + LABEL_COLUMN * scale.body
  const valueWidth = MARGIN + CONTENT_WIDTH - PANEL_PADDING - valueX
  const body = scale.body
  const panel: Mark = {
    type: 'rect',
    x: MARGIN,
    top: panelTop,
    width: CONTENT_WIDTH,
    height: 0,
    color: PANEL,
  }
  marks.push(panel)
  y += PANEL_PADDING

  // Services flow left to right as bulleted items, wrapping whole items.
  marks.push({ type: 'text', face: bold, text: SERVICES_LABEL, x: labelX, top: y, size: body, color: GREY })
  const gap = body * 1.5
  let x = valueX
  for (const service of text.services) {
    const itemWidth = BULLET_CELL * body + regular.width(service, body)
    if (x > valueX && x + itemWidth > valueX + valueWidth) {
      x = valueX
      y += line(body)
    }
    // A drawn dot rather than a glyph: it centres on the ideographs, not on the baseline.
    const dotY = y + body * BASELINE - body * 0.36
    marks.push({
      type: 'dot',
      x: x + BULLET_RADIUS * body,
      y: dotY,
      radius: BULLET_RADIUS * body,
      color: RED,
    })
    marks.push({
      type: 'text',
      face: regular,
      text: service,
      x: x + BULLET_CELL * body,
      top: y,
      size: body,
      color: INK,
    })
    x += itemWidth + gap
  }
  y += line(body)
  for (const row of text.details) {
    y += 6
    marks.push({ type: 'text', face: bold, text: row.label, x: labelX, top: y, size: body, color: GREY })
    for (const valueLine of regular.wrap(row.value, body, valueWidth)) {
      marks.push({ type: 'text', face: regular, text: valueLine, x: valueX, top: y, size: body, color: INK })
      y += line(body)
    }
  }
  y += PANEL_PADDING
  panel.height = y - panelTop

  // Footer, set from the bottom margin up.
  const footerLines = regular.wrap(text.footer, FOOTER_SIZE, CONTENT_WIDTH)
  let footerTop = A4.height - MARGIN - footerLines.length * line(FOOTER_SIZE)
  const fits = y + 12 <= footerTop
  for (const footerLine of footerLines) {
    centred(regular, footerLine, footerTop, FOOTER_SIZE, GREY)
    footerTop += line(FOOTER_SIZE)
  }
  return { marks, fits }
}

function draw(page: PDFPage, marks: readonly Mark[]): void {
  // PDF's y axis points up from the bottom edge; marks measure down from the top.
  const { height } = page.getSize()
  for (const mark of marks) {
    switch (mark.type) {
      case 'text':
        mark.face.draw(page, mark.text, {
          x: mark.x,
          y: height - mark.top - mark.size * BASELINE,
          size: mark.size,
          color: mark.color,
        })
        break
      case 'rect':
        page.drawRectangle({
          x: mark.x,
          y: height - mark.top - mark.height,
          width: mark.width,
          height: mark.height,
          color: mark.color,
        })
        break
      case 'dot':
        page.drawCircle({ x: mark.x, y: height - mark.y, size: mark.radius, color: mark.color })
        break
      case 'image':
        page.drawImage(mark.image, {
          x: mark.x,
          y: height - mark.top - mark.size,
          width: mark.size,
          height: mark.size,
        })
        break
    }
  }
}

/**
 * Renders a station's A4 poster as a PDF: the station's name, kind (and bank and branch for a
 * 助创驿站), a QR code to `<origin>/s/<posterCode>` with the short code printed under it so staff
 * can read it out, how to scan it, then services, opening hours, address and phone.
 *
 * Fonts are subsets of Noto Sans SC holding only the characters on the page, so a poster is a few
 * tens of kilobytes. Rendering takes ~0.1 s once the fonts' CSS and harfbuzz are loaded (the first
 * call in a process takes longer).
 *
 * @param station - the station as the public sees it; `posterCode` is the code printed and linked.
 * @param options.origin - the public site's origin, e.g. `https://example.cn` (see {@link stationLink}).
 * @param options.now - the creation date written into the PDF and its footer (default: now).
 * @returns the PDF file's bytes.
 * @throws Error when the origin or the poster code is invalid, or (never for text within the
 *   StationSummary schema's limits) the text does not fit on the page.
 */
export async function renderPoster(
  station: StationSummary,
  options: { origin: string; now?: Date },
): Promise<Uint8Array> {
  const now = options.now ?? new Date()
  const link = stationLink(options.origin, station.posterCode)
  const text = posterText(station, link, now)

  const regularText = [
    ...text.subtitle,
    ' · ',
    POSTER_INSTRUCTIONS,
    ...text.services,
    ...text.details.map((row) => row.value),
  ]
  const boldText = [
    PRODUCT_NAME,
    text.kind,
    text.name,
    text.code,
    SERVICES_LABEL,
    ...text.details.map((row) => row.label),
  ]
  const [regularSlices, boldSlices, qrBytes] = await Promise.all([
    notoSansSC([...regularText, text.footer].join(''), 400),
    notoSansSC(boldText.join(''), 700),
    qrPng(link),
  ])

  const pdf = await PDFDocument.create()
  pdf.registerFontkit(fontkit)
  pdf.setTitle(`${station.name} 服务海报`, { showInWindowTitleBar: true })
  pdf.setSubject(`${text.kind}：${station.name}（${link}）`)
  pdf.setCreator('Doorstep')
  pdf.setProducer('Doorstep (pdf-lib)')
  pdf.setLanguage('zh-CN')
  pdf.setCreationDate(now)
  pdf.setModificationDate(now)

  const [regular, bold, qr] = await Promise.all([
    embedTypeface(pdf, regularSlices),
    embedTypeface(pdf, boldSlices),
    pdf.embedPng(qrBytes),
  ])
  let layout: { marks: Mark[]; fits: boolean } | undefined
  for (const scale of SCALES) {
    layout = compose(text, scale, { regular, bold }, qr)
    if (layout.fits) break
  }
  if (!layout?.fits) throw new Error(`poster text for station ${station.code} does not fit on one A4 page`)
  draw(pdf.addPage([A4.width, A4.height]), layout.marks)
  return pdf.save()
}
