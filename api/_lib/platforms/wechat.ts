import { z } from 'zod'
import { env } from '../env'
import { AppError } from '../errors'
import { log } from '../log'
import { store } from '../store'
import { keys } from '../store/keys'

/**
 * The WeChat mini-program server APIs the resident login needs:
 * - `code2session` turns the one-time `wx.login` code into the user's openid (and unionid);
 *   https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
 * - `getAccessToken` fetches the app's server-API token (wxacode, subscribe messages), cached in
 *   the store so every instance shares one token.
 *   https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getAccessToken.html
 *
 * The base URL is configurable so tests (and local runs) point it at `test/support/fake-wechat.ts`.
 */
export interface WechatConfig {
  appid: string
  secret: string
  /** `https://api.weixin.qq.com` in production. */
  baseUrl: string
  /** Budget for one call, body included. */
  timeoutMs: number
  /** Defaults to the global fetch; tests may pass their own. */
  fetch?: typeof fetch
}

export interface WechatIdentity {
  openid: string
  unionid?: string
}

export interface WechatClient {
  readonly appid: string
  /** The configured API origin, for server APIs built on top of this client (wxacode). */
  readonly baseUrl: string
  /** The configured budget for one call, body included. */
  readonly timeoutMs: number
  /** Exchanges a `wx.login` code for the user's identity. Throws `AppError`. */
  code2session(code: string): Promise<WechatIdentity>
  /** The app's server-API access token, from the store when cached. Throws `AppError`. */
  getAccessToken(): Promise<string>
  /**
   * Forgets the cached token. Call it when a server API answers 40001/42001 (the token was
   * refreshed elsewhere or expired early), then ask again.
   */
  invalidateAccessToken(): Promise<void>
}

/** How long a process reuses the token it read before reading the store again. */
const MEMO_MS = 60_000

/** Seconds before WeChat's stated expiry at which a cached token is dropped and refetched. */
const TOKEN_EARLY_REFRESH_S = 300

/**
 * `session_key` is deliberately absent: zod drops unknown keys, so the key never exists in any
 * value this module builds. We never decrypt `wx.getUserInfo`/phone-number payloads, and a leaked
 * session_key lets its holder forge or read that user's signed data — so it must not reach a
 * return value, a log line, an error message or the store.
 * https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/login.html
 */
const Code2SessionAnswerSchema = z.object({
  openid: z.string().min(1).optional(),
  unionid: z.string().min(1).optional(),
  errcode: z.number().int().optional(),
  errmsg: z.string().optional(),
})

const AccessTokenAnswerSchema = z.object({
  access_token: z.string().min(1).optional(),
  expires_in: z.number().int().optional(),
  errcode: z.number().int().optional(),
  errmsg: z.string().optional(),
})

const CachedTokenSchema = z.object({ token: z.string().min(1), expiresAt: z.number() })

/** errcodes shared by WeChat's server APIs (global return codes). */
const ERRCODE = {
  systemBusy: -1,
  invalidCredential: 40001,
  invalidAppid: 40013,
  invalidCode: 40029,
  invalidAppsecret: 40125,
  codeBeenUsed: 40163,
  ipNotWhitelisted: 40164,
  dailyQuota: 45009,
  minuteQuota: 45011,
} as const

/**
 * One token fetch in flight per app, shared by every caller in this process: each call to
 * /cgi-bin/token invalidates the previous token after five minutes and counts against a daily
 * quota, so twenty concurrent first requests must not fetch twenty tokens. Module-level (not per
 * client) because handlers may build a client per request.
 */
const tokenFlights = new Map<string, Promise<string>>()

/** The account-index identity for a WeChat user of one mini-program. */
export function identityKey(appid: string, openid: string): string {
  return `wechat:${appid}:${openid}`
}

/**
 * The WeChat configuration from the environment. Throws `AppError('unavailable')` (and logs which
 * variables are missing, never their values) when the deployment has no WeChat app configured.
 */
export function fromEnv(): WechatConfig {
  const config = env()
  if (!config.WECHAT_APPID || !config.WECHAT_SECRET) {
    log('error', 'wechat login is not configured', {
      missing: [!config.WECHAT_APPID && 'WECHAT_APPID', !config.WECHAT_SECRET && 'WECHAT_SECRET'].filter(
        Boolean,
      ),
    })
    throw new AppError('unavailable')
  }
  return {
    appid: config.WECHAT_APPID,
    secret: config.WECHAT_SECRET,
    baseUrl: config.WECHAT_API_BASE,
    timeoutMs: config.PLATFORM_TIMEOUT_MS,
  }
}

/**
 * Names a network failure by its error name and system code (ECONNREFUSED, ETIMEDOUT…) only:
 * messages of an injected fetch could quote the URL, whose query holds the app secret (or, for
 * server APIs such as wxacode, the access token).
 */
export function networkCause(error: unknown): { errorName: string; errorCode?: string } {
  if (!(error instanceof Error)) return { errorName: typeof error }
  const cause: unknown = error.cause
  const code =
    cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string'
      ? cause.code
      : undefined
  return code ? { errorName: error.name, errorCode: code } : { errorName: error.name }
}

/** Retry soon: WeChat said it is busy, or could not be reached or understood. */
export function transient(): AppError {
  return new AppError('unavailable', { headers: { 'Retry-After': '1' } })
}

/** Builds the client; nothing is fetched until a method is called. */
export function createWechatClient(config: WechatConfig): WechatClient {
  const doFetch = config.fetch ?? fetch
  const tokenKey = keys.platformToken(`wechat:${config.appid}`)

  /**
   * GETs one API and returns its parsed JSON. The query holds the app secret, so neither the URL
   * nor anything derived from it is ever logged or put into an error.
   */
  async function call(api: string, path: string, query: Record<string, string>): Promise<unknown> {
    const url = new URL(path, config.baseUrl)
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value)
    let status: number
    let text: string
    try {
      // The signal also bounds reading the body: a server that stalls mid-answer times out too.
      const response = await doFetch(url, { signal: AbortSignal.timeout(config.timeoutMs) })
      status = response.status
      text = await response.text()
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
      log('warn', 'wechat unreachable', {
        api,
        reason: timedOut ? 'timeout' : 'network',
        timeoutMs: config.timeoutMs,
        ...networkCause(error),
      })
      throw transient()
    }
    if (status >= 500) {
      log('warn', 'wechat server error', { api, status })
      throw transient()
    }
    if (status !== 200) {
      log('warn', 'wechat unexpected status', { api, status })
      throw new AppError('unavailable')
    }
    try {
      return JSON.parse(text)
    } catch {
      log('warn', 'wechat answered non-JSON', { api, status, length: text.length })
      throw transient()
    }
  }

  /**
   * Turns a non-zero errcode into the error the API answers. Codes that mean "the user's code is
   * bad" are handled by the caller before this; everything here is WeChat's or our problem.
   */
  function failure(api: string, errcode: number, errmsg: string | undefined): AppError {
    const fields = { api, errcode, errmsg: errmsg?.slice(0, 200) }
    switch (errcode) {
      case ERRCODE.minuteQuota:
        // "api minute-quota reach limit, must slower, retry next minute"
        log('warn', 'wechat rate limit reached', fields)
        return new AppError('rate_limited', { headers: { 'Retry-After': '60' } })
      case ERRCODE.systemBusy:
        log('warn', 'wechat system busy', fields)
        return transient()
      case ERRCODE.invalidCredential:
      case ERRCODE.invalidAppsecret:
      case ERRCODE.invalidAppid:
        // A deployment problem (wrong or rotated WECHAT_SECRET / WECHAT_APPID): the log names the
        // errcode so an operator can act; the secret itself is never written.
        log('error', 'wechat rejected the app credentials', fields)
        return new AppError('unavailable')
      case ERRCODE.ipNotWhitelisted:
        log('error', 'wechat refused this server address (API IP whitelist)', fields)
        return new AppError('unavailable')
      default:
        log('error', 'wechat answered an unexpected errcode', fields)
        return new AppError('unavailable')
    }
  }

  async function code2session(code: string): Promise<WechatIdentity> {
    const api = 'code2session'
    const raw = await call(api, '/sns/jscode2session', {
      appid: config.appid,
      secret: config.secret,
      js_code: code,
      grant_type: 'authorization_code',
    })
    const parsed = Code2SessionAnswerSchema.safeParse(raw)
    if (!parsed.success) {
      log('warn', 'wechat answer has an unexpected shape', {
        api,
        paths: parsed.error.issues.map((i) => i.path),
      })
      throw transient()
    }
    const answer = parsed.data
    // Successful answers carry no errcode today; older ones carried errcode 0.
    if (answer.errcode !== undefined && answer.errcode !== 0) {
      if (answer.errcode === ERRCODE.invalidCode || answer.errcode === ERRCODE.codeBeenUsed) {
        // 40029: unknown or expired code (codes live 5 minutes); 40163: already exchanged. Both are
        // fixed by calling wx.login again, which the app does when it re-enters.
        log('info', 'wechat login code refused', { api, errcode: answer.errcode })
        throw new AppError('invalid_credentials', {
          message: '微信登录凭证无效或已使用，请重新进入小程序',
        })
      }
      throw failure(api, answer.errcode, answer.errmsg)
    }
    if (!answer.openid) {
      log('warn', 'wechat answer has no openid', { api })
      throw transient()
    }
    return answer.unionid ? { openid: answer.openid, unionid: answer.unionid } : { openid: answer.openid }
  }

  async function fetchAccessToken(): Promise<{ token: string; expiresIn: number }> {
    const api = 'getAccessToken'
    const raw = await call(api, '/cgi-bin/token', {
      grant_type: 'client_credential',
      appid: config.appid,
      secret: config.secret,
    })
    const parsed = AccessTokenAnswerSchema.safeParse(raw)
    if (!parsed.success) {
      log('warn', 'wechat answer has an unexpected shape', {
        api,
        paths: parsed.error.issues.map((i) => i.path),
      })
      throw transient()
    }
    const answer = parsed.data
    if (answer.errcode !== undefined && answer.errcode !== 0)
      throw failure(api, answer.errcode, answer.errmsg)
    if (!answer.access_token || answer.expires_in === undefined) {
      log('warn', 'wechat answer has no access token', { api })
      throw transient()
    }
    return { token: answer.access_token, expiresIn: answer.expires_in }
  }

  /**
   * The token as last read, reused in this process for up to a minute: a fan-out sends thousands
   * of messages and must not read the store once per message. Safe because WeChat keeps a previous
   * token valid for five minutes after a refresh; dropped at once by `invalidateAccessToken`.
   */
  let memo: { token: string; until: number } | undefined

  async function loadAccessToken(): Promise<string> {
    if (memo && memo.until > Date.now()) return memo.token
    const token = await readOrFetchAccessToken()
    memo = { token, until: Date.now() + MEMO_MS }
    return token
  }

  async function readOrFetchAccessToken(): Promise<string> {
    // Store errors propagate: the router answers 503. Fetching a fresh token instead would
    // invalidate the one every other instance holds, and burn the daily quota.
    const redis = store().redis
    const cached = CachedTokenSchema.safeParse(await redis.get(tokenKey))
    if (cached.success && cached.data.expiresAt > Date.now()) return cached.data.token
    const { token, expiresIn } = await fetchAccessToken()
    // WeChat keeps the previous token valid for five minutes after a refresh and says expiry
    // may change: refetch five minutes early so no instance uses a token WeChat has dropped.
    const ttl = expiresIn - TOKEN_EARLY_REFRESH_S
    if (ttl > 0) {
      try {
        await redis.set(tokenKey, { token, expiresAt: Date.now() + ttl * 1000 }, { ex: ttl })
      } catch (error) {
        // The token is good; the next caller fetches another one. Only the error's name is logged:
        // a store error may quote the command, and this one's argument is the token.
        log('warn', 'wechat access token not cached', {
          errorName: error instanceof Error ? error.name : typeof error,
        })
      }
    }
    return token
  }

  return {
    appid: config.appid,
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs,
    code2session,
    getAccessToken() {
      let flight = tokenFlights.get(tokenKey)
      if (!flight) {
        flight = loadAccessToken().finally(() => tokenFlights.delete(tokenKey))
        tokenFlights.set(tokenKey, flight)
      }
      return flight
    },
    async invalidateAccessToken() {
      memo = undefined
      await store().redis.del(tokenKey)
    },
  }
}
