import { createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

/**
 * A local stand-in for Alipay's OpenAPI v2 gateway (`https://openapi.alipay.com/gateway.do`) that
 * implements `alipay.system.oauth.token` the way the platform documents it:
 * https://opendocs.alipay.com/open/05nai1
 *
 * Requests: common parameters (app_id, method, charset, sign_type, sign, timestamp, version)
 * in the query string or form body, business parameters (grant_type, code) in the form body.
 * The gateway checks the RSA2 request signature with the app's public key — the string signed is
 * every parameter except `sign`, empty values dropped, sorted by name, joined as `k=v` with `&`
 * (https://opendocs.alipay.com/common/02kf5q).
 *
 * Answers: `{"<method_with_underscores>_response": {...}, "sign": "..."}` on success and
 * `{"error_response": {...}, "sign": "..."}` on failure, where `sign` is Alipay's RSA2 signature
 * over the exact JSON text of the response object as it appears in the body
 * (https://docs.open.alipay.com/200/106120, 同步验签).
 */
export type AlipayTamper =
  /** Signed with a key that is not the fake's: the client must reject it. */
  | 'wrong-key'
  /** Signed genuinely, then the user id in the body is swapped for another. */
  | 'altered-body'
  /** No `sign` at all. */
  | 'missing-sign'

export type AlipayFailure =
  /** `20000 Service Currently Unavailable` under the method's response key, signed. */
  | 'service-unavailable'
  /** `20000` with sub_code `aop.ACQ.SYSTEM_ERROR` as a signed `error_response`. */
  | 'system-error'
  /** HTTP 502 from the gateway's load balancer. */
  | 'http-502'

export interface FakeAlipay {
  /** Gateway URL — pass it as the client's `gateway`. */
  gateway: string
  /** The app's key pair, generated for this fake: the client signs with the private key. */
  appPrivateKey: string
  appPublicKey: string
  /** The fake's own public key (PEM): the client verifies answers with it. */
  alipayPublicKey: string
  /**
   * A one-time auth code, as `my.getAuthCode` hands the app. A string is the user's open_id
   * (apps created since the open_id upgrade); `{ userId }` mimics an older app that sees user_id.
   */
  issueAuthCode(who: string | { openId?: string; userId?: string }): string
  /** Every request, in order. */
  calls: { method: string | undefined; params: Record<string, string> }[]
  /** Every access_token and refresh_token handed out, so tests can prove none of them leaks. */
  issued: { accessTokens: string[]; refreshTokens: string[] }
  /** Answers the next `count` requests with the given failure (the auth code stays unused). */
  failNext(failure: AlipayFailure, count?: number): void
  /** Spoils the signature of the next `count` answers. */
  tamperNext(tamper: AlipayTamper, count?: number): void
  /** Delays every answer by this much from now on. */
  setLatency(ms: number): void
  close(): Promise<void>
}

interface IssuedCode {
  openId: string | undefined
  userId: string | undefined
  used: boolean
}

const METHOD = 'alipay.system.oauth.token'
const RESPONSE_KEY = 'alipay_system_oauth_token_response'

function rsaKeyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
}

/** Alipay's timestamp format, `yyyy-MM-dd HH:mm:ss` in Beijing time. */
function beijingNow(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Starts the fake on a free 127.0.0.1 port, with fresh RSA 2048 keys for the app and itself. */
export async function startFakeAlipay(options: { appId: string }): Promise<FakeAlipay> {
  const app = rsaKeyPair()
  const alipay = rsaKeyPair()
  const impostor = rsaKeyPair()
  const codes = new Map<string, IssuedCode>()
  const calls: FakeAlipay['calls'] = []
  const issued: FakeAlipay['issued'] = { accessTokens: [], refreshTokens: [] }
  const tampers: AlipayTamper[] = []
  const failures: AlipayFailure[] = []
  let latencyMs = 0
  const pending = new Set<NodeJS.Timeout>()

  function rsa2(content: string, privateKey: string): string {
    return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64')
  }

  /** Writes `{"<key>": <content>, "sign": "<signature over content>"}`, spoiled when asked. */
  function send(res: ServerResponse, key: string, node: Record<string, unknown>): void {
    const content = JSON.stringify(node)
    const tamper = tampers.shift()
    let body: string
    if (tamper === 'missing-sign') {
      body = `{"${key}":${content}}`
    } else if (tamper === 'wrong-key') {
      body = `{"${key}":${content},"sign":"${rsa2(content, impostor.privateKey)}"}`
    } else if (tamper === 'altered-body') {
      const altered = JSON.stringify({
        ...node,
        ...('open_id' in node ? { open_id: '074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5' } : {}),
        ...('user_id' in node ? { user_id: '2088000000000001' } : {}),
      })
      body = `{"${key}":${altered},"sign":"${rsa2(content, alipay.privateKey)}"}`
    } else {
      body = `{"${key}":${content},"sign":"${rsa2(content, alipay.privateKey)}"}`
    }
    res.writeHead(200, { 'Content-Type': 'text/html;charset=utf-8' })
    res.end(body)
  }

  function fail(res: ServerResponse, code: string, msg: string, subCode: string, subMsg: string): void {
    send(res, 'error_response', { code, msg, sub_code: subCode, sub_msg: subMsg })
  }

  function requestSignatureValid(params: Record<string, string>): boolean {
    const { sign, ...rest } = params
    if (!sign) return false
    const content = Object.keys(rest)
      .filter((name) => rest[name] !== undefined && rest[name] !== '')
      .sort()
      .map((name) => `${name}=${rest[name]}`)
      .join('&')
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(app.publicKey, sign, 'base64')
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-alipay')
    const body = await readBody(req)
    // Query first, then the form body, as the gateway merges them.
    const params: Record<string, string> = {
      ...Object.fromEntries(url.searchParams),
      ...Object.fromEntries(new URLSearchParams(body)),
    }
    calls.push({ method: params.method, params })
    if (req.method !== 'POST' && req.method !== 'GET') {
      res.writeHead(405)
      res.end()
      return
    }
    if (url.pathname !== '/gateway.do') {
      res.writeHead(404)
      res.end()
      return
    }
    const failure = failures.shift()
    if (failure === 'http-502') {
      res.writeHead(502, { 'Content-Type': 'text/html' })
      res.end('<html><body><center><h1>502 Bad Gateway</h1></center></body></html>')
      return
    }
    if (failure === 'service-unavailable') {
      return send(res, RESPONSE_KEY, {
        code: '20000',
        msg: 'Service Currently Unavailable',
        sub_code: 'isp.unknow-error',
        sub_msg: '系统繁忙',
      })
    }
    if (failure === 'system-error') {
      return fail(res, '20000', 'Service Currently Unavailable', 'aop.ACQ.SYSTEM_ERROR', '系统异常')
    }
    if (!params.app_id || !params.method || !params.sign || !params.timestamp) {
      return fail(res, '40001', 'Missing Required Arguments', 'isv.missing-signature', '缺少签名参数')
    }
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(params.timestamp)) {
      return fail(res, '40002', 'Invalid Arguments', 'isv.invalid-timestamp', '非法的时间戳参数')
    }
    if (params.app_id !== options.appId) {
      return fail(res, '40002', 'Invalid Arguments', 'isv.invalid-app-id', '无效的AppID参数')
    }
    if (params.method !== METHOD) {
      return fail(res, '40002', 'Invalid Arguments', 'isv.invalid-method', '不存在的方法名')
    }
    if (params.sign_type !== 'RSA2') {
      return fail(res, '40002', 'Invalid Arguments', 'isv.invalid-signature-type', '无效的签名类型')
    }
    if (!requestSignatureValid(params)) {
      return fail(
        res,
        '40002',
        'Invalid Arguments',
        'isv.invalid-signature',
        '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配',
      )
    }
    if (params.grant_type !== 'authorization_code') {
      return fail(res, '40002', 'Invalid Arguments', 'isv.grant-type-invalid', 'grant_type参数不正确')
    }
    const entry = params.code ? codes.get(params.code) : undefined
    if (!entry || entry.used) {
      // Unknown, expired and already-used codes all answer the same.
      return fail(res, '40002', 'Invalid Arguments', 'isv.code-invalid', '授权码code无效')
    }
    entry.used = true
    const accessToken = `authusrB${randomBytes(16).toString('hex')}`
    const refreshToken = `authusrB${randomBytes(16).toString('hex')}`
    issued.accessTokens.push(accessToken)
    issued.refreshTokens.push(refreshToken)
    send(res, RESPONSE_KEY, {
      ...(entry.userId ? { user_id: entry.userId } : {}),
      ...(entry.openId ? { open_id: entry.openId } : {}),
      access_token: accessToken,
      expires_in: 1296000,
      refresh_token: refreshToken,
      re_expires_in: 2592000,
      auth_start: beijingNow(),
    })
  }

  function respond(req: IncomingMessage, res: ServerResponse): void {
    answer(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  }

  const server = createServer((req, res) => {
    if (latencyMs <= 0) return respond(req, res)
    const timer = setTimeout(() => {
      pending.delete(timer)
      if (!res.destroyed) respond(req, res)
    }, latencyMs)
    pending.add(timer)
  })
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('fake Alipay is not listening on TCP')

  return {
    gateway: `http://127.0.0.1:${address.port}/gateway.do`,
    appPrivateKey: app.privateKey,
    appPublicKey: app.publicKey,
    alipayPublicKey: alipay.publicKey,
    issueAuthCode(who) {
      const code = randomBytes(16).toString('hex')
      const identity = typeof who === 'string' ? { openId: who } : who
      codes.set(code, { openId: identity.openId, userId: identity.userId, used: false })
      return code
    },
    calls,
    issued,
    failNext(failure, count = 1) {
      for (let i = 0; i < count; i++) failures.push(failure)
    },
    tamperNext(tamper, count = 1) {
      for (let i = 0; i < count; i++) tampers.push(tamper)
    },
    setLatency(ms) {
      latencyMs = ms
    },
    close() {
      for (const timer of pending) clearTimeout(timer)
      pending.clear()
      return new Promise<void>((done) => {
        server.close(() => done())
        server.closeAllConnections()
      })
    },
  }
}
