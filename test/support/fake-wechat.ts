import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import QRCode from 'qrcode'

/**
 * A local stand-in for api.weixin.qq.com that answers the server APIs the login and the posters
 * use the way the platform documents them (and the way it is observed to behave where the docs are
 * silent):
 * - GET /sns/jscode2session — https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
 *   a code works once (a second use answers 40163 "code been used"), unknown or expired codes
 *   answer 40029, a wrong appid 40013, a wrong secret 40125; success is
 *   `{ session_key, openid, unionid? }` with no errcode (WeChat stopped sending `errcode: 0`);
 * - GET /cgi-bin/token — https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getAccessToken.html
 *   `{ access_token, expires_in: 7200 }`, or the same appid/secret errors;
 * - POST /wxa/getwxacodeunlimit — https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/qr-code/getUnlimitedQRCode.html
 *   the access_token must be one this fake issued (else 40001; one expired by 'token-expired' answers
 *   42001), the body JSON (else 47001), `scene` 1–32 characters (else 40169) of the allowed set (else
 *   40129), `page` one of the published pages, without a leading `/` or a query (else 41030). Success
 *   is a PNG with Content-Type image/png: a plain QR code of the scene text, so tests can decode it
 *   (the real 小程序码 is a round code only WeChat reads). Errors are JSON labelled application/json.
 * - POST /wxa/generate_urllink — https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/url-link/generateUrlLink.html
 *   the same access_token checks; `path` a published page without a leading `/` or query (else
 *   40165), `query` at most 1024 characters of the allowed set (else 40212), `expire_type` 1 with
 *   `expire_interval` 1–30 days (else 85401); success `{ errcode: 0, errmsg: 'ok', url_link }`.
 * - POST /cgi-bin/message/subscribe/send — https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
 *   the same access_token checks; `touser` and `template_id` required (else 47003 "argument
 *   invalid"); each send spends one subscription granted with `grantSubscription` (the user's
 *   opt-in in the app), else 43101 "user refuse to accept the msg"; success `{ errcode: 0, errmsg: 'ok', msgid }`.
 * Every error message ends in a `rid` like WeChat's, so clients cannot match on exact text.
 */
export type WechatFailure =
  /** `{ errcode: 45011, errmsg: 'api minute-quota reach limit, must slower, retry next minute…' }` */
  | 'rate-limited'
  /** `{ errcode: -1, errmsg: 'system error…' }` */
  | 'system-busy'
  /** HTTP 500 with an HTML body, as a failing gateway answers. */
  | 'http-500'
  /** HTTP 200 with a body that is not JSON. */
  | 'not-json'
  /** getwxacodeunlimit only: `{ errcode: 45009, errmsg: 'reach max api daily quota limit…' }`. */
  | 'wxacode-limit'
  /**
   * getwxacodeunlimit only: 42001 "access_token expired" — and the token presented stays expired, so
   * only a client that fetches a fresh token succeeds afterwards.
   */
  | 'token-expired'
  /** getwxacodeunlimit only: `{ errcode: -1 }` labelled image/jpeg, as a confused gateway might. */
  | 'mislabelled-error'

export interface FakeWechat {
  /** Base URL, e.g. http://127.0.0.1:41234 — pass it as the client's `baseUrl`. */
  url: string
  /** A fresh one-time code for the user, as `wx.login` would hand the app. */
  issueCode(openid: string, opts?: { unionid?: string; ttlMs?: number }): string
  /**
   * Every request, in order (the query includes the secret: this is a test double). An access_token
   * is not kept in the query: `tokenIndex` says which of `issued.accessTokens` it was (-1: unknown).
   */
  calls: FakeWechatCall[]
  /** Every session_key and access_token handed out, so tests can prove none of them leaks. */
  issued: { sessionKeys: string[]; accessTokens: string[] }
  /**
   * Answers the next `count` requests (any API) with the given failure instead. The getwxacodeunlimit
   * failures wait in the queue, letting other requests (a token fetch) pass, until that API is called.
   */
  failNext(failure: WechatFailure, count?: number): void
  /** What each URL Link handed out opens: its page and query. */
  urlLinks: Map<string, { path: string; query: string }>
  /** Records a user's one-time opt-in to a template (`wx.requestSubscribeMessage` accepted). */
  grantSubscription(openid: string, templateId: string, count?: number): void
  /** Subscribe messages delivered, in order. */
  messages: { openid: string; templateId: string; page?: string; data: unknown }[]
  /** Delays every answer by this much from now on. */
  setLatency(ms: number): void
  /** Answers this share of subscribe sends (0–1) with an HTTP 500, at random. */
  setSubscribeFailureRate(rate: number): void
  close(): Promise<void>
}

export interface FakeWechatCall {
  path: string
  query: Record<string, string>
  /** The parsed JSON body of a POST (the raw text when it is not JSON). */
  body?: unknown
  /** Index into `issued.accessTokens` of the access_token presented, -1 when unknown. */
  tokenIndex?: number
}

interface IssuedCode {
  openid: string
  unionid: string | undefined
  expiresAt: number
  used: boolean
}

/** WeChat's `wx.login` codes are valid for five minutes. */
const CODE_TTL_MS = 5 * 60_000

const WXACODE_PATH = '/wxa/getwxacodeunlimit'
const URLLINK_PATH = '/wxa/generate_urllink'
const SUBSCRIBE_PATH = '/cgi-bin/message/subscribe/send'
/** generate_urllink's `query` alphabet. */
const URLLINK_QUERY_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]*$/
const WXACODE_FAILURES: ReadonlySet<WechatFailure> = new Set([
  'wxacode-limit',
  'token-expired',
  'mislabelled-error',
])
/** getUnlimitedQRCode's `scene` alphabet. */
const SCENE_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]*$/

function rid(): string {
  return [4, 4, 4].map((n) => randomBytes(n).toString('hex')).join('-')
}

/** Starts the fake on a free 127.0.0.1 port. */
export async function startFakeWechat(options: {
  appid: string
  secret: string
  latencyMs?: number
  /** Pages of the released version that a 小程序码 may open; `pages/index/index` by default. */
  publishedPages?: string[]
}): Promise<FakeWechat> {
  const codes = new Map<string, IssuedCode>()
  const calls: FakeWechat['calls'] = []
  const issued: FakeWechat['issued'] = { sessionKeys: [], accessTokens: [] }
  const failures: WechatFailure[] = []
  const expiredTokens = new Set<string>()
  const publishedPages = new Set(options.publishedPages ?? ['pages/index/index'])
  let latencyMs = options.latencyMs ?? 0
  let subscribeFailureRate = 0
  const pending = new Set<NodeJS.Timeout>()

  function json(res: ServerResponse, body: unknown, status = 200, contentType = 'text/plain'): void {
    // WeChat answers JSON with a text/plain content type; clients must not rely on the header.
    res.writeHead(status, { 'Content-Type': contentType })
    res.end(JSON.stringify(body))
  }

  function error(res: ServerResponse, errcode: number, errmsg: string): void {
    json(res, { errcode, errmsg: `${errmsg}, rid: ${rid()}` })
  }

  /** getwxacodeunlimit labels its JSON errors application/json (its success is an image). */
  function wxacodeError(res: ServerResponse, errcode: number, errmsg: string): void {
    json(res, { errcode, errmsg: `${errmsg} rid: ${rid()}` }, 200, 'application/json; charset=UTF-8')
  }

  /** The scripted failure due for this request, if any; getwxacodeunlimit's own wait for that API. */
  function dueFailure(path: string): WechatFailure | undefined {
    const next = failures[0]
    if (!next || (WXACODE_FAILURES.has(next) && path !== WXACODE_PATH)) return undefined
    return failures.shift()
  }

  /** Answers a scripted failure common to every API; true when it did. */
  function failed(res: ServerResponse, failure: WechatFailure | undefined): boolean {
    switch (failure) {
      case 'rate-limited':
        error(res, 45011, 'api minute-quota reach limit, must slower, retry next minute')
        break
      case 'system-busy':
        error(res, -1, 'system error')
        break
      case 'http-500':
        res.writeHead(500, { 'Content-Type': 'text/html' })
        res.end('<html><body><h1>500 Internal Server Error</h1></body></html>')
        break
      case 'not-json':
        res.writeHead(200, { 'Content-Type': 'text/html' })
        res.end('<html><body>gateway</body></html>')
        break
      default:
        return false
    }
    return true
  }

  /** appid first, then secret — the order WeChat checks them in. */
  function credentialsRejected(res: ServerResponse, query: Record<string, string>): boolean {
    if (query.appid !== options.appid) {
      error(res, 40013, 'invalid appid')
      return true
    }
    if (query.secret !== options.secret) {
      error(res, 40125, 'invalid appsecret, view more at http://t.cn/RAEkdVq')
      return true
    }
    return false
  }

  function jscode2session(res: ServerResponse, query: Record<string, string>): void {
    if (credentialsRejected(res, query)) return
    if (query.grant_type !== 'authorization_code') {
      error(res, 40002, 'invalid grant_type')
      return
    }
    const code = query.js_code
    if (!code) {
      error(res, 41008, 'missing code')
      return
    }
    const entry = codes.get(code)
    if (!entry || entry.expiresAt < Date.now()) {
      error(res, 40029, 'invalid code')
      return
    }
    if (entry.used) {
      error(res, 40163, 'code been used')
      return
    }
    entry.used = true
    const sessionKey = randomBytes(16).toString('base64')
    issued.sessionKeys.push(sessionKey)
    json(res, {
      session_key: sessionKey,
      openid: entry.openid,
      ...(entry.unionid ? { unionid: entry.unionid } : {}),
    })
  }

  function token(res: ServerResponse, query: Record<string, string>): void {
    if (query.grant_type !== 'client_credential') {
      error(res, 40002, 'invalid grant_type')
      return
    }
    if (credentialsRejected(res, query)) return
    // Real tokens look like `54_JNlXRPvk…`: a number, an underscore and ~130 URL-safe characters.
    const accessToken = `${70 + issued.accessTokens.length}_${randomBytes(96).toString('base64url')}`
    issued.accessTokens.push(accessToken)
    json(res, { access_token: accessToken, expires_in: 7200 })
  }

  /** The body's `{ scene, page, … }` checked the way the platform does; an errcode when it is refused. */
  function wxacodeRefusal(body: unknown): [number, string] | null {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return [47001, 'data format error']
    const fields = body as Record<string, unknown>
    const { scene, page, check_path: checkPath, env_version: envVersion, width } = fields
    if (typeof scene !== 'string' || scene.length === 0 || scene.length > 32) {
      return [40169, 'invalid length for scene, or the data is not json string']
    }
    if (!SCENE_CHARS.test(scene)) return [40129, 'invalid scene']
    // A string "false" is observed to answer 47001, not to be read as false.
    if (checkPath !== undefined && typeof checkPath !== 'boolean') return [47001, 'data format error']
    if (width !== undefined && typeof width !== 'number') return [47001, 'data format error']
    if (envVersion !== undefined && !['release', 'trial', 'develop'].includes(String(envVersion))) {
      return [40097, 'invalid args']
    }
    if (page !== undefined) {
      if (typeof page !== 'string') return [47001, 'data format error']
      // Stricter than the doc for check_path: false (which allows unreleased pages): reports show
      // 41030 for unreleased apps either way, and tests need the path.
      if (page.startsWith('/') || page.includes('?') || !publishedPages.has(page)) {
        return [41030, 'invalid page']
      }
    }
    return null
  }

  async function wxacode(
    res: ServerResponse,
    call: FakeWechatCall,
    token: string | undefined,
    failure: WechatFailure | undefined,
  ): Promise<void> {
    if (!token) {
      wxacodeError(res, 41001, 'access_token missing')
      return
    }
    if (call.tokenIndex === undefined || call.tokenIndex < 0) {
      wxacodeError(res, 40001, 'invalid credential, access_token is invalid or not latest')
      return
    }
    if (expiredTokens.has(token)) {
      wxacodeError(res, 42001, 'access_token expired')
      return
    }
    switch (failure) {
      case 'token-expired':
        expiredTokens.add(token)
        wxacodeError(res, 42001, 'access_token expired')
        return
      case 'wxacode-limit':
        wxacodeError(res, 45009, 'reach max api daily quota limit')
        return
      case 'mislabelled-error':
        res.writeHead(200, { 'Content-Type': 'image/jpeg' })
        res.end(JSON.stringify({ errcode: -1, errmsg: `system error rid: ${rid()}` }))
        return
    }
    const refusal = wxacodeRefusal(call.body)
    if (refusal) {
      wxacodeError(res, ...refusal)
      return
    }
    const body = call.body as { scene: string; width?: number }
    const width = Math.min(1280, Math.max(280, Math.round(body.width ?? 430)))
    const png = await QRCode.toBuffer(body.scene, {
      type: 'png',
      width,
      margin: 4,
      errorCorrectionLevel: 'M',
    })
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length })
    res.end(png)
  }

  /** The URL Links handed out, with the path and query each opens. */
  const urlLinks = new Map<string, { path: string; query: string }>()

  /** generate_urllink's checks; an errcode when the call is refused. */
  function urlLinkRefusal(call: FakeWechatCall, token: string | undefined): [number, string] | null {
    if (!token) return [41001, 'access_token missing']
    if (call.tokenIndex === undefined || call.tokenIndex < 0 || expiredTokens.has(token)) {
      return [40001, 'invalid credential, access_token is invalid or not latest']
    }
    const body = call.body
    if (!body || typeof body !== 'object' || Array.isArray(body)) return [47001, 'data format error']
    const {
      path = '',
      query = '',
      expire_type: type,
      expire_interval: interval,
    } = body as Record<string, unknown>
    if (
      typeof path !== 'string' ||
      (path !== '' && (path.startsWith('/') || path.includes('?') || !publishedPages.has(path)))
    ) {
      return [40165, 'invalid weapp pagepath']
    }
    if (typeof query !== 'string' || query.length > 1024 || !URLLINK_QUERY_CHARS.test(query)) {
      return [40212, 'invalid query']
    }
    if (
      type !== 1 ||
      typeof interval !== 'number' ||
      !Number.isInteger(interval) ||
      interval < 1 ||
      interval > 30
    ) {
      return [85401, 'time limit between 1min and 30 days']
    }
    return null
  }

  const subscriptions = new Map<string, number>()
  const messages: FakeWechat['messages'] = []

  /** subscribeMessage.send's checks and the opt-in it spends; an errcode when refused. */
  function subscribeRefusal(call: FakeWechatCall, token: string | undefined): [number, string] | null {
    if (!token) return [41001, 'access_token missing']
    if (call.tokenIndex === undefined || call.tokenIndex < 0 || expiredTokens.has(token)) {
      return [40001, 'invalid credential, access_token is invalid or not latest']
    }
    const body = (call.body ?? {}) as Record<string, unknown>
    const { touser: openid, template_id: templateId } = body
    if (typeof openid !== 'string' || typeof templateId !== 'string' || !openid || !templateId) {
      return [47003, 'argument invalid! data.touser is empty']
    }
    const key = `${openid} ${templateId}`
    const left = subscriptions.get(key) ?? 0
    if (left <= 0) return [43101, 'user refuse to accept the msg']
    subscriptions.set(key, left - 1)
    messages.push({
      openid,
      templateId,
      page: typeof body.page === 'string' ? body.page : undefined,
      data: body.data,
    })
    return null
  }

  function subscribeSend(res: ServerResponse, call: FakeWechatCall, token: string | undefined): void {
    const refusal = subscribeRefusal(call, token)
    if (refusal) {
      error(res, ...refusal)
      return
    }
    json(res, { errcode: 0, errmsg: 'ok', msgid: Date.now() })
  }

  function urlLink(res: ServerResponse, call: FakeWechatCall, token: string | undefined): void {
    const refusal = urlLinkRefusal(call, token)
    if (refusal) {
      error(res, ...refusal)
      return
    }
    const { path = '', query = '' } = call.body as { path?: string; query?: string }
    const link = `https://wxaurl.cn/${randomBytes(6).toString('base64url')}`
    urlLinks.set(link, { path, query })
    json(res, { errcode: 0, errmsg: 'ok', url_link: link })
  }

  async function answer(req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-wechat')
    const { access_token: accessToken, ...query } = Object.fromEntries(url.searchParams)
    const call: FakeWechatCall = { path: url.pathname, query }
    if (accessToken !== undefined) call.tokenIndex = issued.accessTokens.indexOf(accessToken)
    if (req.method === 'POST') {
      try {
        call.body = JSON.parse(rawBody)
      } catch {
        call.body = rawBody
      }
    }
    calls.push(call)
    const failure = dueFailure(url.pathname)
    if (failed(res, failure)) return
    if (url.pathname === WXACODE_PATH) {
      if (req.method !== 'POST') {
        wxacodeError(res, 43002, 'require POST method')
        return
      }
      await wxacode(res, call, accessToken, failure)
      return
    }
    if (url.pathname === SUBSCRIBE_PATH && req.method === 'POST') {
      if (Math.random() < subscribeFailureRate) {
        res.writeHead(500, { 'Content-Type': 'text/html' })
        res.end('<html><body>502 Bad Gateway</body></html>')
        return
      }
      subscribeSend(res, call, accessToken)
      return
    }
    if (url.pathname === URLLINK_PATH && req.method === 'POST') {
      urlLink(res, call, accessToken)
      return
    }
    if (req.method !== 'GET') {
      json(res, { errcode: 43001, errmsg: `require GET method, rid: ${rid()}` })
      return
    }
    if (url.pathname === '/sns/jscode2session') {
      jscode2session(res, query)
      return
    }
    if (url.pathname === '/cgi-bin/token') {
      token(res, query)
      return
    }
    json(res, { errcode: 40066, errmsg: `invalid url, rid: ${rid()}` }, 404)
  }

  function respond(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    answer(req, res, rawBody).catch((cause: unknown) => {
      if (res.headersSent) return
      res.writeHead(500, { 'Content-Type': 'text/plain' })
      res.end(cause instanceof Error ? cause.message : String(cause))
    })
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8')
      if (latencyMs <= 0) return respond(req, res, rawBody)
      const timer = setTimeout(() => {
        pending.delete(timer)
        if (!res.destroyed) respond(req, res, rawBody)
      }, latencyMs)
      pending.add(timer)
    })
  })
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('fake WeChat is not listening on TCP')
  const { port } = address

  return {
    url: `http://127.0.0.1:${port}`,
    issueCode(openid, opts = {}) {
      // wx.login codes are 32 characters of [0-9A-Za-z].
      const code = randomBytes(24).toString('base64').replace(/[+/]/g, 'x').slice(0, 32)
      codes.set(code, {
        openid,
        unionid: opts.unionid,
        expiresAt: Date.now() + (opts.ttlMs ?? CODE_TTL_MS),
        used: false,
      })
      return code
    },
    calls,
    issued,
    urlLinks,
    messages,
    grantSubscription(openid, templateId, count = 1) {
      const key = `${openid} ${templateId}`
      subscriptions.set(key, (subscriptions.get(key) ?? 0) + count)
    },
    failNext(failure, count = 1) {
      for (let i = 0; i < count; i++) failures.push(failure)
    },
    setSubscribeFailureRate(rate) {
      subscribeFailureRate = rate
    },
    setLatency(ms) {
      latencyMs = ms
    },
    close() {
      for (const timer of pending) clearTimeout(timer)
      pending.clear()
      return new Promise<void>((done) => {
        server.close(() => done())
        // Keep-alive sockets from the client's pool would hold close() open.
        server.closeAllConnections()
      })
    },
  }
}
