import type { IncomingMessage, ServerResponse } from 'node:http'
import { STATION_KINDS, STATION_SERVICES } from '../../src/shared/catalog'
import { env } from './env'
import { AppError } from './errors'
import { describeError, log } from './log'
import { wechatClient } from './platforms/logins'
import { createUrlLinkService, type UrlLinkService } from './platforms/urllink'
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

/** Which mini-programs this deployment can open from a browser. */
export interface MiniProgramDoors {
  /** WeChat credentials are configured: `/s/<code>/weapp` makes a URL Link. */
  wechat: boolean
  /** The Alipay mini-program's appId, for its documented scheme link. */
  alipayAppId?: string | undefined
}

/**
 * Alipay opens a mini-program from a browser through its scheme wrapped in an https link
 * (支付宝明文 scheme: `alipays://platformapi/startapp?appId=…&page=…&query=…`, the query
 * URL-encoded, the whole scheme URL-encoded after `https://ds.alipay.com/?scheme=`).
 */
export function alipayOpenLink(appId: string, stationCode: string): string {
  const scheme = `alipays://platformapi/startapp?appId=${encodeURIComponent(appId)}&page=pages/index/index&query=${encodeURIComponent(`s=${stationCode}`)}`
  return `https://ds.alipay.com/?scheme=${encodeURIComponent(scheme)}`
}

function doorLinks(station: StationRecord, doors: MiniProgramDoors): string {
  const links: string[] = []
  if (doors.wechat) {
    links.push(
      `<a class="go alt" href="/s/${encodeURIComponent(station.posterCode)}/weapp">在微信小程序中打开</a>`,
    )
  }
  if (doors.alipayAppId) {
    links.push(
      `<a class="go alt" href="${escapeHtml(alipayOpenLink(doors.alipayAppId, station.code))}">在支付宝小程序中打开</a>`,
    )
  }
  return links.join('')
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
export function renderLanding(
  code: string,
  resolution: CodeResolution,
  doors: MiniProgramDoors = { wechat: false },
): LandingAnswer {
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
      `${header(STATION_KINDS[station.kind], station.name)}<main>${stationSection(station)}<a class="go" href="${appLink(station, 'intake')}">办理创业担保贷款受理</a><a class="go" href="${appLink(station, 'consult')}">咨询创业政策</a><a class="go alt" href="${appLink(station, 'policies')}">看创业政策口袋书</a>${doorLinks(station, doors)}<p class="note">服务点编码 ${escapeHtml(station.posterCode)}。</p></main>`,
    ),
  }
}

function doorsFromEnv(): MiniProgramDoors {
  return { wechat: Boolean(env().WECHAT_APPID && env().WECHAT_SECRET), alipayAppId: env().ALIPAY_APPID }
}

function busyPage(): LandingAnswer {
  return {
    status: 503,
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

let urlLinks: UrlLinkService | undefined

/**
 * `/s/<code>/weapp`: a fresh WeChat URL Link for the station, answered as a redirect. Anything
 * else — an unknown or replaced code, a suspended station, WeChat not configured — goes back to
 * the landing page, which explains it.
 */
async function openWeapp(code: string): Promise<LandingAnswer> {
  const resolution = await posterCodes.resolve(code)
  const client = wechatClient()
  const back = {
    status: 303,
    html: '',
    headers: { Location: `/s/${encodeURIComponent(code)}`, 'Cache-Control': 'no-store' },
  }
  if (!client || resolution.status !== 'active' || resolution.station.status !== 'active') return back
  urlLinks ??= createUrlLinkService(client)
  const link = await urlLinks.stationLink(resolution.station.code)
  return { status: 302, html: '', headers: { Location: link, 'Cache-Control': 'no-store' } }
}

/** Serves `/s/<code>` (resolve, count the scan with one HINCRBY, answer the page) and `/s/<code>/weapp`. */
export async function handleLanding(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname
  const weapp = path.endsWith('/weapp')
  const raw = decodeURIComponentSafe(
    path
      .replace(/^\/s\//, '')
      .replace(/\/weapp$/, '')
      .replace(/\/$/, ''),
  )
  let answer: LandingAnswer
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end()
      return
    }
    const valid = raw !== null && CODE_PATTERN.test(raw)
    if (weapp && valid) {
      answer = await openWeapp(raw)
    } else {
      const resolution: CodeResolution = valid ? await posterCodes.resolve(raw) : { status: 'unknown' }
      if (resolution.status !== 'unknown') await scans.record(resolution.station.code)
      answer = renderLanding(raw ?? '', resolution, doorsFromEnv())
    }
  } catch (error) {
    // The store or WeChat could not answer (an AppError here is WeChat's busy, quota or outage).
    const unavailable = isStoreUnavailable(error) || error instanceof AppError
    log(unavailable ? 'warn' : 'error', 'landing failed', describeError(error))
    answer = { ...busyPage(), status: unavailable ? 503 : 500 }
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
