import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

/**
 * A local stand-in for api.weixin.qq.com that answers the two server APIs the login uses the way
 * the platform documents them (and the way it is observed to behave where the docs are silent):
 * - GET /sns/jscode2session — https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
 *   a code works once (a second use answers 40163 "code been used"), unknown or expired codes
 *   answer 40029, a wrong appid 40013, a wrong secret 40125; success is
 *   `{ session_key, openid, unionid? }` with no errcode (WeChat stopped sending `errcode: 0`);
 * - GET /cgi-bin/token — https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getAccessToken.html
 *   `{ access_token, expires_in: 7200 }`, or the same appid/secret errors.
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

export interface FakeWechat {
  /** Base URL, e.g. http://127.0.0.1:41234 — pass it as the client's `baseUrl`. */
  url: string
  /** A fresh one-time code for the user, as `wx.login` would hand the app. */
  issueCode(openid: string, opts?: { unionid?: string; ttlMs?: number }): string
  /** Every request, in order (the query includes the secret: this is a test double). */
  calls: { path: string; query: Record<string, string> }[]
  /** Every session_key and access_token handed out, so tests can prove none of them leaks. */
  issued: { sessionKeys: string[]; accessTokens: string[] }
  /** Answers the next `count` requests (either API) with the given failure instead. */
  failNext(failure: WechatFailure, count?: number): void
  /** Delays every answer by this much from now on. */
  setLatency(ms: number): void
  close(): Promise<void>
}

interface IssuedCode {
  openid: string
  unionid: string | undefined
  expiresAt: number
  used: boolean
}

/** WeChat's `wx.login` codes are valid for five minutes. */
const CODE_TTL_MS = 5 * 60_000

function rid(): string {
  return [4, 4, 4].map((n) => randomBytes(n).toString('hex')).join('-')
}

/** Starts the fake on a free 127.0.0.1 port. */
export async function startFakeWechat(options: {
  appid: string
  secret: string
  latencyMs?: number
}): Promise<FakeWechat> {
  const codes = new Map<string, IssuedCode>()
  const calls: FakeWechat['calls'] = []
  const issued: FakeWechat['issued'] = { sessionKeys: [], accessTokens: [] }
  const failures: WechatFailure[] = []
  let latencyMs = options.latencyMs ?? 0
  const pending = new Set<NodeJS.Timeout>()

  function json(res: ServerResponse, body: unknown, status = 200): void {
    // WeChat answers JSON with a text/plain content type; clients must not rely on the header.
    res.writeHead(status, { 'Content-Type': 'text/plain' })
    res.end(JSON.stringify(body))
  }

  function error(res: ServerResponse, errcode: number, errmsg: string): void {
    json(res, { errcode, errmsg: `${errmsg}, rid: ${rid()}` })
  }

  /** Answers a scripted failure; true when one was due. */
  function failed(res: ServerResponse): boolean {
    const failure = failures.shift()
    if (!failure) return false
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

  function answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake-wechat')
    const query = Object.fromEntries(url.searchParams)
    calls.push({ path: url.pathname, query })
    if (failed(res)) return
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

  const server = createServer((req, res) => {
    if (latencyMs <= 0) return answer(req, res)
    const timer = setTimeout(() => {
      pending.delete(timer)
      if (!res.destroyed) answer(req, res)
    }, latencyMs)
    pending.add(timer)
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
    failNext(failure, count = 1) {
      for (let i = 0; i < count; i++) failures.push(failure)
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
