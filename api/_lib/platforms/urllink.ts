import { z } from 'zod'
import { AppError } from '../errors'
import { log } from '../log'
import { networkCause, transient, type WechatClient } from './wechat'

/**
 * "Open in the WeChat mini-program" from an ordinary browser, through WeChat's URL Link:
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/url-link/generateUrlLink.html
 *
 * A link lives at most 30 days, and since WeChat's 2022 rule change a scheme or link opened by one
 * user may be bound to that user, so a link is made per tap (behind `/s/<code>/weapp`) rather than
 * cached and shared. The generation quota (500 000 links a day, shared with URL Scheme) is far
 * above what posters on station walls draw.
 */
export interface UrlLinkService {
  /** A fresh `https://wxaurl.cn/…` link that opens the home page with the station bound. */
  stationLink(stationCode: string): Promise<string>
}

const API = 'generate_urllink'
const PATH = '/wxa/generate_urllink'
const PAGE = 'pages/index/index'
/** WeChat's longest interval for an expiring link. */
const EXPIRE_DAYS = 30
/** The token was refreshed elsewhere or expired early: fetch a new one, once. */
const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001])
const CODE = /^[A-Z0-9]{4,12}$/

const AnswerSchema = z.object({
  errcode: z.number().int().optional(),
  errmsg: z.string().optional(),
  url_link: z.string().optional(),
})
type Answer = z.infer<typeof AnswerSchema>

export function createUrlLinkService(client: WechatClient): UrlLinkService {
  /** One POST; the URL carries the access token, so neither it nor a fetch error is ever logged. */
  async function request(stationCode: string, accessToken: string): Promise<Answer> {
    const url = new URL(PATH, client.baseUrl)
    url.searchParams.set('access_token', accessToken)
    let response: Response
    let text: string
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          path: PAGE,
          query: `s=${stationCode}`,
          expire_type: 1,
          expire_interval: EXPIRE_DAYS,
        }),
        signal: AbortSignal.timeout(client.timeoutMs),
      })
      text = await response.text()
    } catch (error) {
      log('warn', 'wechat unreachable', { api: API, station: stationCode, ...networkCause(error) })
      throw transient()
    }
    if (response.status >= 500) {
      log('warn', 'wechat server error', { api: API, station: stationCode, status: response.status })
      throw transient()
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      raw = null
    }
    const parsed = AnswerSchema.safeParse(raw)
    if (!parsed.success) {
      log('warn', 'wechat answered something that is not JSON', { api: API, status: response.status })
      throw transient()
    }
    return parsed.data
  }

  return {
    async stationLink(stationCode) {
      if (!CODE.test(stationCode)) throw new Error('station code must be 4–12 capital letters and digits')
      let answer = await request(stationCode, await client.getAccessToken())
      if (answer.errcode && TOKEN_ERRCODES.has(answer.errcode)) {
        await client.invalidateAccessToken()
        answer = await request(stationCode, await client.getAccessToken())
      }
      if (!answer.errcode && answer.url_link?.startsWith('https://')) return answer.url_link
      const fields = {
        api: API,
        station: stationCode,
        errcode: answer.errcode,
        errmsg: answer.errmsg?.slice(0, 200),
      }
      if (answer.errcode === -1) {
        log('warn', 'wechat system busy', fields)
        throw transient()
      }
      if (answer.errcode === 45009 || answer.errcode === 45011) {
        log('warn', 'wechat url link quota reached', fields)
        throw new AppError('rate_limited', { headers: { 'Retry-After': '60' } })
      }
      log('error', 'wechat refused the url link', fields)
      throw new AppError('unavailable')
    },
  }
}
