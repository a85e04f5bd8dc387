import { z } from 'zod'
import { sceneFor } from '../../../src/shared/entry'
import { AppError } from '../errors'
import { log } from '../log'
import { store } from '../store'
import { keys } from '../store/keys'
import { networkCause, transient, type WechatClient } from './wechat'

/**
 * 小程序码 for station posters, through WeChat's `getUnlimitedQRCode`:
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/qr-code/getUnlimitedQRCode.html
 *
 * The code opens `page` with `scene = s=<poster code>` (see `sceneFor`). Success is the image itself
 * (image/jpeg or image/png), failure a JSON `{ errcode, errmsg }`. The API counts against a daily
 * quota, so each image is cached in the store: WeChat is asked once per station and poster code.
 */
export interface WxacodeOptions {
  /** The page the code opens; WeChat's default is the home page. Defaults to `pages/index/index`. */
  page?: string
  /** Which version of the mini program the code opens; WeChat's default is `release`. */
  envVersion?: 'release' | 'trial' | 'develop'
  /** Image width in px, 280–1280; WeChat's default is 430. */
  width?: number
}

export interface WxacodeService {
  /**
   * The 小程序码 image (PNG or JPEG bytes) for a station's poster, from the store when cached.
   * Throws `AppError` ('unprocessable', 'rate_limited', 'unavailable'), or `Error` for a station
   * or poster code that cannot be put into a code or a key.
   */
  stationWxacode(stationCode: string, posterCode: string): Promise<Buffer>
}

const API = 'getwxacodeunlimit'
const PATH = '/wxa/getwxacodeunlimit'
const DEFAULT_PAGE = 'pages/index/index'
const DEFAULT_WIDTH = 430
/** WeChat's bounds for `width`. */
const MIN_WIDTH = 280
const MAX_WIDTH = 1280
/** The image never changes for a station and poster code; 30 days bounds what a stale entry costs. */
const CACHE_TTL_S = 30 * 24 * 3600

/**
 * `scene`: at most 32 visible characters of digits, letters and `!#$&'()*+,/:;=?@-._~` — WeChat
 * answers 40129/40169 otherwise, which would be our bug, so it is refused before any call.
 */
const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/
/**
 * `page`: a path as in app.json — no leading `/` and no query (parameters belong in `scene`), else
 * WeChat answers 41030. Refused when the service is built, so a misconfiguration fails at boot.
 */
const PAGE = /^[^/?#\s][^?#\s]*$/
/** Poster codes are letters and digits; anything else could make two keys collide. */
const POSTER_CODE = /^[A-Za-z0-9]{1,32}$/

/** errcodes of this API (and the global ones it can answer). */
const ERRCODE = {
  systemBusy: -1,
  invalidCredential: 40001,
  invalidAccessToken: 40014,
  accessTokenExpired: 42001,
  invalidPage: 41030,
  dailyQuota: 45009,
  minuteQuota: 45011,
} as const

/**
 * "The token is no good": it was refreshed by another caller (a token fetch invalidates the
 * previous one after five minutes) or expired early. Fixed by fetching a new one, once.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getAccessToken.html
 */
const TOKEN_ERRCODES: ReadonlySet<number> = new Set([
  ERRCODE.invalidCredential,
  ERRCODE.invalidAccessToken,
  ERRCODE.accessTokenExpired,
])

const ErrorAnswerSchema = z.object({ errcode: z.number().int(), errmsg: z.string().optional() })

type Answer =
  | { kind: 'image'; bytes: Buffer }
  | { kind: 'error'; errcode: number; errmsg: string | undefined }

/**
 * One generation in flight per station and poster code, shared by every caller in this process: a
 * poster batch may ask for the same station many times at once, and each call to WeChat counts
 * against the daily quota. Module-level because handlers may build a service per request.
 */
const flights = new Map<string, Promise<Buffer>>()

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff])

/** True for bytes that start like a PNG or a JPEG — the two formats WeChat answers. */
function isImage(bytes: Buffer): boolean {
  return (
    (bytes.length > PNG_SIGNATURE.length && bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) ||
    (bytes.length > JPEG_SIGNATURE.length && bytes.subarray(0, JPEG_SIGNATURE.length).equals(JPEG_SIGNATURE))
  )
}

/** True when the first non-blank byte is `{`: WeChat has sent JSON errors under image and text types. */
function startsLikeJson(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue
    return byte === 0x7b
  }
  return false
}

/** The `{ errcode, errmsg }` in a body, or null when it is not one. */
function errorAnswer(bytes: Buffer): Answer | null {
  let raw: unknown
  try {
    raw = JSON.parse(bytes.toString('utf8'))
  } catch {
    return null
  }
  const parsed = ErrorAnswerSchema.safeParse(raw)
  return parsed.success ? { kind: 'error', errcode: parsed.data.errcode, errmsg: parsed.data.errmsg } : null
}

/**
 * Builds the service over a WeChat client (which supplies the access token, base URL and timeout).
 * Nothing is fetched until a code is asked for.
 *
 * @param client - the mini program's WeChat client.
 * @param options - the page, version and width every code of this service is drawn with.
 * @throws Error when `page` starts with `/` or carries a query, or `width` is outside 280–1280.
 */
export function createWxacodeService(client: WechatClient, options: WxacodeOptions = {}): WxacodeService {
  const page = options.page ?? DEFAULT_PAGE
  if (!PAGE.test(page)) {
    throw new Error(`wxacode page must be an app.json path without a leading "/" or a query: ${page}`)
  }
  const envVersion = options.envVersion ?? 'release'
  const width = options.width ?? DEFAULT_WIDTH
  if (!Number.isInteger(width) || width < MIN_WIDTH || width > MAX_WIDTH) {
    throw new Error(`wxacode width must be a whole number of px within ${MIN_WIDTH}–${MAX_WIDTH}: ${width}`)
  }

  /**
   * POSTs one request with the given token. Throws `AppError` when WeChat cannot be reached or
   * answers something that is neither an image nor an errcode. The URL carries the access token, so
   * neither it nor a fetch error's message is ever logged or put into an error.
   */
  async function request(scene: string, accessToken: string, station: string): Promise<Answer> {
    const url = new URL(PATH, client.baseUrl)
    url.searchParams.set('access_token', accessToken)
    // check_path false: codes can be drawn before the page is released, and a page renamed in a
    // later release does not break generation (WeChat caps such unchecked pages at 60 000).
    const body = JSON.stringify({ scene, page, check_path: false, env_version: envVersion, width })
    let status: number
    let contentType: string
    let bytes: Buffer
    try {
      // The signal also bounds reading the body: a server that stalls mid-image times out too.
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.timeout(client.timeoutMs),
      })
      status = response.status
      contentType = (response.headers.get('content-type') ?? '').toLowerCase()
      bytes = Buffer.from(await response.arrayBuffer())
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
      log('warn', 'wechat unreachable', {
        api: API,
        station,
        reason: timedOut ? 'timeout' : 'network',
        timeoutMs: client.timeoutMs,
        ...networkCause(error),
      })
      throw transient()
    }
    if (status >= 500) {
      log('warn', 'wechat server error', { api: API, station, status })
      throw transient()
    }
    if (status !== 200) {
      log('warn', 'wechat unexpected status', { api: API, station, status })
      throw new AppError('unavailable')
    }
    // Errors are JSON, nominally application/json; WeChat has been seen to label JSON text/plain, so
    // the body's first byte counts as much as the header.
    if (contentType.includes('json') || contentType.startsWith('text/') || startsLikeJson(bytes)) {
      const answer = errorAnswer(bytes)
      if (answer) return answer
    }
    if (isImage(bytes)) return { kind: 'image', bytes }
    log('warn', 'wechat answered neither an image nor an errcode', {
      api: API,
      station,
      contentType: contentType.slice(0, 100),
      length: bytes.length,
    })
    throw transient()
  }

  /** The error an errcode answers, logged with the errcode and WeChat's message (never the URL). */
  function failure(errcode: number, errmsg: string | undefined, station: string): AppError {
    const fields = { api: API, station, errcode, errmsg: errmsg?.slice(0, 200) }
    switch (errcode) {
      case ERRCODE.invalidPage:
        // "invalid page": the page is not in the released version (or was never released).
        log('error', 'wechat refused the wxacode page', { ...fields, page, envVersion })
        return new AppError('unprocessable', { message: '小程序页面尚未发布，无法生成小程序码' })
      case ERRCODE.dailyQuota:
        // "reach max api daily quota limit": the quota resets at midnight; an hour is a fair wait.
        log('warn', 'wechat daily quota reached', fields)
        return new AppError('rate_limited', { headers: { 'Retry-After': '3600' } })
      case ERRCODE.minuteQuota:
        log('warn', 'wechat rate limit reached', fields)
        return new AppError('rate_limited', { headers: { 'Retry-After': '60' } })
      case ERRCODE.systemBusy:
        log('warn', 'wechat system busy', fields)
        return transient()
      default:
        if (TOKEN_ERRCODES.has(errcode)) {
          // Refused right after a refresh: something else keeps refreshing this app's token (a
          // second system using the same AppSecret) — an operator must act.
          log('error', 'wechat refused a fresh access token', fields)
          return new AppError('unavailable')
        }
        log('error', 'wechat answered an unexpected errcode', fields)
        return new AppError('unavailable')
    }
  }

  /** Asks WeChat for the image, refreshing the access token once if WeChat refuses it. */
  async function generate(scene: string, station: string): Promise<Buffer> {
    let answer = await request(scene, await client.getAccessToken(), station)
    if (answer.kind === 'error' && TOKEN_ERRCODES.has(answer.errcode)) {
      log('info', 'wechat refused the access token, fetching a new one', {
        api: API,
        errcode: answer.errcode,
      })
      await client.invalidateAccessToken()
      answer = await request(scene, await client.getAccessToken(), station)
    }
    if (answer.kind === 'image') return answer.bytes
    throw failure(answer.errcode, answer.errmsg, station)
  }

  /** The cached image, or a new one (then cached). Store read errors propagate: the router answers 503. */
  async function load(key: string, scene: string, station: string): Promise<Buffer> {
    const redis = store().redis
    const cached: unknown = await redis.get(key)
    if (typeof cached === 'string') {
      const bytes = Buffer.from(cached, 'base64')
      if (isImage(bytes)) return bytes
    }
    const bytes = await generate(scene, station)
    try {
      await redis.set(key, bytes.toString('base64'), { ex: CACHE_TTL_S })
    } catch (error) {
      // The image is good; the next caller asks WeChat again.
      log('warn', 'wxacode not cached', {
        station,
        errorName: error instanceof Error ? error.name : typeof error,
      })
    }
    return bytes
  }

  return {
    async stationWxacode(stationCode, posterCode) {
      const scene = sceneFor(posterCode)
      if (!SCENE.test(scene)) throw new Error('station code cannot be put into a wxacode scene')
      if (!POSTER_CODE.test(posterCode) || !POSTER_CODE.test(stationCode)) {
        throw new Error('station and poster codes must be letters and digits')
      }
      const key = keys.wxacode(stationCode, posterCode)
      let flight = flights.get(key)
      if (!flight) {
        flight = load(key, scene, stationCode).finally(() => flights.delete(key))
        flights.set(key, flight)
      }
      // Each caller gets its own copy: one writing into its buffer must not change the others'.
      return Buffer.from(await flight)
    },
  }
}
