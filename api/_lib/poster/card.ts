import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Resvg } from '@resvg/resvg-js'
import { POLICY_CATEGORIES, TARGET_GROUPS } from '../../../src/shared/catalog'
import { amountText } from '../../../src/shared/matcher'
import type { PolicyEntry } from '../../../src/shared/schemas/policy'
import { FALLBACK_CHARACTER, notoSansSC } from './font'

/**
 * 一图看: one entry as a phone-sized picture a resident can save or forward — what it gives, who
 * it is for, the main conditions, how to apply, and where it comes from. Drawn as SVG from the
 * entry, then rendered to PNG by resvg with a subset of Noto Sans SC (the server has no fonts).
 */
const WIDTH = 750
const MARGIN = 48
const INNER = WIDTH - MARGIN * 2

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch,
  )

/** Width of a character in ems: CJK and full-width characters are square, the rest about half. */
function charWidth(ch: string): number {
  return /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/u.test(ch) ? 1 : 0.55
}

/** Greedy line breaking by measured width (CJK text may break between any two characters). */
export function wrap(text: string, fontSize: number, width = INNER, maxLines = 6): string[] {
  const lines: string[] = []
  let line = ''
  let used = 0
  for (const ch of text.replace(/\s+/g, ' ')) {
    const w = charWidth(ch) * fontSize
    if (used + w > width && line) {
      lines.push(line)
      line = ''
      used = 0
      if (lines.length === maxLines) break
    }
    line += ch
    used += w
  }
  if (line && lines.length < maxLines) lines.push(line)
  if (lines.length === maxLines && used > 0) {
    const last = lines[maxLines - 1] ?? ''
    if (text.length > lines.join('').length) lines[maxLines - 1] = `${[...last].slice(0, -1).join('')}…`
  }
  return lines
}

interface Block {
  svg: string
  height: number
}

function textBlock(
  lines: string[],
  fontSize: number,
  y: number,
  options: { bold?: boolean; color?: string } = {},
): Block {
  const lineHeight = Math.round(fontSize * 1.45)
  const svg = lines
    .map(
      (line, i) =>
        `<text x="${MARGIN}" y="${y + fontSize + i * lineHeight}" font-size="${fontSize}" font-weight="${options.bold ? 700 : 400}" fill="${options.color ?? '#1f1f1f'}">${escapeXml(line)}</text>`,
    )
    .join('')
  return { svg, height: lines.length * lineHeight }
}

/** The card as SVG text (also served as is: browsers draw it with their own fonts). */
export function cardSvg(entry: PolicyEntry): string {
  const parts: string[] = []
  let y = 0
  const header = 210
  parts.push(`<rect width="${WIDTH}" height="${header}" fill="#b3261e"/>`)
  parts.push(
    `<text x="${MARGIN}" y="64" font-size="26" fill="#ffffff">一图看 · ${escapeXml(POLICY_CATEGORIES[entry.category].name)}</text>`,
  )
  const title = textBlock(wrap(entry.title, 44, INNER, 2), 44, 84, { bold: true, color: '#ffffff' })
  parts.push(title.svg)
  y = header + 32
  const section = (heading: string, body: string[], size = 28) => {
    parts.push(textBlock([heading], 30, y, { bold: true, color: '#8c1d18' }).svg)
    y += 52
    const block = textBlock(body, size, y)
    parts.push(block.svg)
    y += block.height + 28
  }
  section('一句话', wrap(entry.summary, 30, INNER, 3), 30)
  const amounts = entry.benefits.map((benefit) => amountText(benefit) ?? benefit.label)
  if (amounts.length > 0)
    section('能享受', amounts.flatMap((text) => wrap(`· ${text}`, 30, INNER, 2)).slice(0, 8), 30)
  const groups = entry.groups.map((group) => TARGET_GROUPS[group as keyof typeof TARGET_GROUPS] ?? group)
  section('适用人群', wrap(groups.length > 0 ? groups.join('、') : '符合条件的创业者', 28, INNER, 2))
  if (entry.conditions.text.length > 0) {
    section(
      '主要条件',
      entry.conditions.text.slice(0, 4).flatMap((text) => wrap(`· ${text}`, 28, INNER, 2)),
    )
  }
  if (entry.steps.length > 0) {
    section(
      '怎么办',
      entry.steps.slice(0, 4).flatMap((text, i) => wrap(`${i + 1}. ${text}`, 28, INNER, 2)),
    )
  }
  const source = `${entry.source.title}${entry.source.documentNumber ? `（${entry.source.documentNumber}）` : ''} ${entry.source.clause}`
  y += 8
  parts.push(
    `<line x1="${MARGIN}" y1="${y}" x2="${WIDTH - MARGIN}" y2="${y}" stroke="#d9d9d9" stroke-width="2"/>`,
  )
  y += 16
  const sourceBlock = textBlock(wrap(`依据：${source}`, 22, INNER, 3), 22, y, { color: '#595959' })
  parts.push(sourceBlock.svg)
  y += sourceBlock.height + 8
  if (entry.localNote) {
    const note = textBlock(wrap(entry.localNote, 22, INNER, 2), 22, y, { color: '#595959' })
    parts.push(note.svg)
    y += note.height
  }
  const footer = textBlock(['家门口创业服务 · 创业政策口袋书'], 22, y + 16, { color: '#8c1d18' })
  parts.push(footer.svg)
  const height = y + 16 + footer.height + MARGIN
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"><rect width="${WIDTH}" height="${height}" fill="#fffaf5"/>${parts.join('')}</svg>`
}

/** The card as PNG, drawn with an embedded subset of Noto Sans SC. */
export async function cardPng(entry: PolicyEntry): Promise<Uint8Array> {
  const svg = cardSvg(entry)
  const text = [...new Set(svg.replace(/<[^>]+>/g, ''))].join('') + FALLBACK_CHARACTER
  const [regular, bold] = await Promise.all([notoSansSC(text, 400), notoSansSC(text, 700)])
  // resvg on Node reads fonts from files: the subsets go to a private temporary folder (on Vercel
  // /tmp is the writable place) and are removed after drawing.
  const dir = await mkdtemp(join(tmpdir(), 'doorstep-card-'))
  try {
    const fontFiles = await Promise.all(
      [...regular, ...bold].map(async (slice, i) => {
        const file = join(dir, `${i}.ttf`)
        await writeFile(file, slice.data)
        return file
      }),
    )
    const resvg = new Resvg(svg, {
      font: { fontFiles, loadSystemFonts: false, defaultFontFamily: 'Noto Sans SC' },
      fitTo: { mode: 'width', value: WIDTH },
    })
    return resvg.render().asPng()
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
