import type { IncomingMessage, ServerResponse } from 'node:http'
import { STATION_KINDS, STATION_SERVICES } from '../../src/shared/catalog'
import { describeError, log } from './log'
import { type CodeResolution, posterCodes, type StationRecord, scans } from './repos/stations'
import { isStoreUnavailable } from './store'

/**
 * The QR front door: `/s/<code>` answers a small server-rendered page — no framework, no script,
 * inline styles — because a resident scanning a poster may be on a weak 4G signal, where an
 * empty Taro H5 bundle alone takes about 4 s to paint. It names the station and offers the next
 * steps as plain links into the H5 app with the station bound.
 */
const CODE_PATTERN = /^[A-Za-z0-9]{4,12}$/

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  )

const STYLE = `body{margin:0;font:18px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f1f1f;background:#f6f6f6}
header{background:#b3261e;color:#fff;padding:16px 20px}header p{margin:0;font-size:15px;opacity:.9}
h1{font-size:26px;margin:4px 0 0}main{padding:16px 20px 32px;max-width:640px;margin:0 auto}
section{background:#fff;border-radius:12px;padding:16px;margin:0 0 16px}h2{font-size:20px;margin:0 0 8px}
dl{margin:0}dt{color:#595959;font-size:15px}dd{margin:0 0 8px}ul{margin:0;padding-left:20px}
a.go{display:block;background:#b3261e;color:#fff;text-decoration:none;text-align:center;font-size:20px;padding:14px;border-radius:10px;margin:0 0 12px}
a.alt{background:#fff;color:#8c1d18;border:2px solid #b3261e}a{color:#8c1d18}.note{color:#595959;font-size:15px}`

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`
}

function appLink(station: StationRecord, next: 'consult' | 'intake' | 'policies'): string {
  return `/#/pages/index/index?s=${encodeURIComponent(station.code)}&next=${next}`
}

function stationSection(station: StationRecord): string {
  const services = station.services
    .map((service) => `<li>${escapeHtml(STATION_SERVICES[service])}</li>`)
    .join('')
  const bank = station.bank
    ? `<dt>所在银行</dt><dd>${escapeHtml(station.bank)} ${escapeHtml(station.branch ?? '')}</dd>`
    : ''
  return `<section><dl><dt>地址</dt><dd>${escapeHtml(station.districtName)} ${escapeHtml(station.address)}</dd>${bank}<dt>开放时间</dt><dd>${escapeHtml(station.hours)}</dd><dt>电话</dt><dd><a href="tel:${escapeHtml(station.phone)}">${escapeHtml(station.phone)}</a></dd></dl></section><section><h2>这里可以办</h2><ul>${services}</ul></section>`
}

function header(kicker: string, title: string): string {
  return `<header><p>${escapeHtml(kicker)}</p><h1>${escapeHtml(title)}</h1></header>`
}

export interface LandingAnswer {
  status: number
  html: string
  headers: Record<string, string>
}

/** The page for a resolved code (pure: tested without a server). */
export function renderLanding(code: string, resolution: CodeResolution): LandingAnswer {
  const base = { 'Content-Type': 'text/html; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }
  if (resolution.status === 'unknown') {
    return {
      status: 404,
      headers: { ...base, 'Cache-Control': 'no-store' },
      html: page(
        '没有找到这个服务点',
        `${header('家门口创业服务', '没有找到这个服务点')}<main><section><p>二维码上的编码“${escapeHtml(code)}”不存在。请核对海报，或直接查看附近的服务点。</p></section><a class="go" href="/">查看全部服务点</a></main>`,
      ),
    }
  }
  const { station } = resolution
  if (resolution.status === 'revoked') {
    const next = resolution.replacedBy
      ? `<a class="go" href="/s/${encodeURIComponent(resolution.replacedBy)}">打开新的服务点页面</a>`
      : ''
    return {
      status: 410,
      headers: { ...base, 'Cache-Control': 'no-store' },
      html: page(
        `海报已更换 · ${station.name}`,
        `${header(STATION_KINDS[station.kind], station.name)}<main><section><h2>这张海报已经换新</h2><p>这个二维码已停用，服务点仍在为您服务，地址和时间如下。</p></section>${stationSection(station)}${next}<a class="go alt" href="/">查看全部服务点</a></main>`,
      ),
    }
  }
  if (station.status === 'suspended') {
    return {
      status: 503,
      headers: { ...base, 'Cache-Control': 'no-store', 'Retry-After': '86400' },
      html: page(
        `暂停服务 · ${station.name}`,
        `${header(STATION_KINDS[station.kind], station.name)}<main><section><h2>本服务点暂停服务</h2><p>请到附近的服务点办理，或在线咨询。</p></section><a class="go" href="/">查看附近的服务点</a><a class="go alt" href="${appLink(station, 'consult')}">在线咨询政策</a></main>`,
      ),
    }
  }
  return {
    status: 200,
    headers: { ...base, 'Cache-Control': 'public, max-age=60' },
    html: page(
      station.name,
      `${header(STATION_KINDS[station.kind], station.name)}<main>${stationSection(station)}<a class="go" href="${appLink(station, 'intake')}">办理创业担保贷款受理</a><a class="go" href="${appLink(station, 'consult')}">咨询创业政策</a><a class="go alt" href="${appLink(station, 'policies')}">看创业政策口袋书</a><p class="note">在微信或支付宝中打开，也可以使用小程序。服务点编码 ${escapeHtml(station.posterCode)}。</p></main>`,
    ),
  }
}

/** Serves `/s/<code>`: resolve, count the scan (one HINCRBY), answer the page. */
export async function handleLanding(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname
  const raw = decodeURIComponentSafe(path.replace(/^\/s\//, '').replace(/\/$/, ''))
  let answer: LandingAnswer
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end()
      return
    }
    const resolution: CodeResolution =
      raw !== null && CODE_PATTERN.test(raw) ? await posterCodes.resolve(raw) : { status: 'unknown' }
    if (resolution.status !== 'unknown') await scans.record(resolution.station.code)
    answer = renderLanding(raw ?? '', resolution)
  } catch (error) {
    const unavailable = isStoreUnavailable(error)
    log(unavailable ? 'warn' : 'error', 'landing failed', describeError(error))
    answer = {
      status: unavailable ? 503 : 500,
      headers: {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Retry-After': '1',
      },
      html: page(
        '请稍后再试',
        `${header('家门口创业服务', '请稍后再试')}<main><section><p>服务暂时繁忙，请稍后刷新本页。</p></section></main>`,
      ),
    }
  }
  const body = Buffer.from(answer.html)
  res.writeHead(answer.status, { ...answer.headers, 'Content-Length': body.length })
  res.end(req.method === 'HEAD' ? undefined : body)
}

function decodeURIComponentSafe(text: string): string | null {
  try {
    return decodeURIComponent(text)
  } catch {
    return null
  }
}
