import { createPrivateKey, createPublicKey, createVerify, type KeyObject } from 'node:crypto'
import { AlipaySdk } from 'alipay-sdk'
import { z } from 'zod'
import { env } from '../env'
import { AppError } from '../errors'
import { log } from '../log'

/**
 * The Alipay mini-program login: `my.getAuthCode` hands the app a one-time auth code, the server
 * exchanges it with `alipay.system.oauth.token` for the user's id.
 * https://opendocs.alipay.com/open/05nai1
 *
 * Calls go through the official `alipay-sdk` (v4, OpenAPI v2 gateway via `exec`), which signs the
 * request with the app's RSA2 key and — only when asked with `validateSign: true` — verifies the
 * answer with Alipay's public key. Two of its habits shape this module:
 * - its response verification mis-locates the signed text of an `error_response`, so every
 *   genuine, signed error answer fails verification; error answers are verified here instead;
 * - its errors carry the raw answer (`responseDataRaw`) and, on a signature failure, the signed
 *   text in the message — access and refresh tokens included. So neither an SDK error's message
 *   nor the error itself is ever logged or attached as a cause.
 */
export interface AlipayConfig {
  appId: string
  /** The app's RSA private key: PEM (PKCS#1 or PKCS#8) or bare base64 as Alipay's key tool prints it. */
  privateKey: string
  /** Alipay's public key for this app (not the app's own public key): PEM or bare base64. */
  alipayPublicKey: string
  /** `https://openapi.alipay.com/gateway.do` in production. */
  gateway: string
  /** Budget for one call. */
  timeoutMs: number
}

/** Apps created since Alipay's open_id upgrade see `openId`; older apps see `userId`. */
export interface AlipayIdentity {
  openId?: string
  userId?: string
}

export interface AlipayClient {
  readonly appId: string
  /** Exchanges a `my.getAuthCode` auth code for the user's id. Throws `AppError`. */
  oauthToken(authCode: string): Promise<AlipayIdentity>
}

const METHOD = 'alipay.system.oauth.token'
const RESPONSE_KEY = 'alipay_system_oauth_token_response'

/**
 * Only the ids are read; `access_token`/`refresh_token` are not in the schema, so zod drops them
 * and they never reach a return value. Login needs no further Alipay calls on the user's behalf.
 */
const TokenAnswerSchema = z.object({
  open_id: z.string().min(1).optional(),
  user_id: z.string().min(1).optional(),
  code: z.string().optional(),
  sub_code: z.string().optional(),
})

const ErrorAnswerSchema = z.object({
  code: z.string().optional(),
  msg: z.string().optional(),
  sub_code: z.string().optional(),
})

/**
 * sub_codes that mean "this auth code cannot be exchanged": unknown, already used (codes are
 * single-use) or expired (they live 3 minutes to 24 hours). The app fixes it by asking for a new
 * code. https://opendocs.alipay.com/support/01rg6z
 * Any other sub_code lands in `unavailable` and the log names it.
 */
const INVALID_CODE_SUB_CODES = new Set(['isv.code-invalid', 'isv.invalid-auth-code', 'isv.auth-code-invalid'])

/** The account-index identity for an Alipay user of one mini-program (open_id or user_id). */
export function identityKey(appid: string, id: string): string {
  return `alipay:${appid}:${id}`
}

/**
 * The Alipay configuration from the environment. Throws `AppError('unavailable')` (and logs which
 * variables are missing, never their values) when the deployment has no Alipay app configured.
 */
export function fromEnv(): AlipayConfig {
  const config = env()
  if (!config.ALIPAY_APPID || !config.ALIPAY_PRIVATE_KEY || !config.ALIPAY_PUBLIC_KEY) {
    log('error', 'alipay login is not configured', {
      missing: [
        !config.ALIPAY_APPID && 'ALIPAY_APPID',
        !config.ALIPAY_PRIVATE_KEY && 'ALIPAY_PRIVATE_KEY',
        !config.ALIPAY_PUBLIC_KEY && 'ALIPAY_PUBLIC_KEY',
      ].filter(Boolean),
    })
    throw new AppError('unavailable')
  }
  return {
    appId: config.ALIPAY_APPID,
    privateKey: config.ALIPAY_PRIVATE_KEY,
    alipayPublicKey: config.ALIPAY_PUBLIC_KEY,
    gateway: config.ALIPAY_GATEWAY,
    timeoutMs: config.PLATFORM_TIMEOUT_MS,
  }
}

/** Reads a key given as PEM, or as bare base64 DER in any of the listed encodings. */
function readKey<T extends 'pkcs8' | 'pkcs1' | 'spki'>(
  text: string,
  load: (input: string | { key: Buffer; format: 'der'; type: T }) => KeyObject,
  types: T[],
  what: string,
): KeyObject {
  const trimmed = text.trim()
  if (trimmed.startsWith('-----BEGIN')) {
    try {
      return load(trimmed)
    } catch {
      // Reported below without the key's text.
    }
  } else {
    const der = Buffer.from(trimmed.replace(/\s+/g, ''), 'base64')
    for (const type of types) {
      try {
        return load({ key: der, format: 'der', type })
      } catch {
        // Try the next encoding.
      }
    }
  }
  throw new Error(`${what} is not a readable RSA key (expected PEM or bare base64 DER)`)
}

/**
 * The SDK reads the private key as PKCS#1 unless told `keyType: 'PKCS8'`, and garbles a PEM
 * whose header does not match; Alipay's key tool prints bare PKCS#8 by default. Normalising both
 * keys here accepts whatever the operator pasted.
 */
function normaliseKeys(config: AlipayConfig): {
  privateKey: string
  alipayPublicKey: string
  verifier: KeyObject
} {
  const privateKey = readKey(
    config.privateKey,
    (input) => createPrivateKey(input),
    ['pkcs8', 'pkcs1'],
    'the Alipay app private key',
  )
  const publicKey = readKey(
    config.alipayPublicKey,
    (input) => createPublicKey(input),
    ['spki', 'pkcs1'],
    'the Alipay public key',
  )
  return {
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
    alipayPublicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    verifier: publicKey,
  }
}

/**
 * The gateway's `timestamp` (`yyyy-MM-dd HH:mm:ss`) is read as Beijing time (UTC+8), as in every
 * documented example; the SDK formats the server's local time, which is UTC on Vercel. Sending it
 * explicitly keeps the request independent of the host's TZ. https://opendocs.alipay.com/common/02kf5q
 */
function beijingTimestamp(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}

/** What the SDK throws, read without trusting its class identity (it ships ESM and CJS builds). */
interface SdkFailure {
  name: string
  message: string
  responseDataRaw?: string
  cause?: unknown
}

function isSdkFailure(error: unknown): error is Error & SdkFailure {
  return error instanceof Error && error.name === 'AlipayRequestError'
}

/**
 * The exact text Alipay signed for an `error_response`: the JSON object after the key, up to the
 * `,"sign"` that follows it. https://docs.open.alipay.com/200/106120
 */
function errorAnswerContent(raw: string): { content: string; sign: string | undefined } | undefined {
  const keyAt = raw.indexOf('"error_response"')
  if (keyAt < 0) return undefined
  const start = raw.indexOf('{', keyAt)
  const signAt = raw.lastIndexOf('"sign"')
  const end = raw.lastIndexOf('}', signAt > start ? signAt : raw.length - 2)
  if (start < 0 || end < start) return undefined
  let sign: string | undefined
  try {
    const parsed: unknown = JSON.parse(raw)
    if (parsed && typeof parsed === 'object' && 'sign' in parsed && typeof parsed.sign === 'string') {
      sign = parsed.sign
    }
  } catch {
    return undefined
  }
  return { content: raw.slice(start, end + 1), sign }
}

/** Our own deadline ran out before the SDK answered. */
class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded'
}

/**
 * Bounds a call by `ms`. The SDK's `timeout` goes to undici's coarse timers, which for budgets
 * under a few seconds fire up to about a second late; the resident should not wait for that.
 * The abandoned request still ends at the SDK's own timeout.
 */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`no answer within ${ms} ms`)), ms)
  })
  try {
    // race() subscribes to `work`, so its late rejection is not an unhandled one.
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}

function transient(): AppError {
  return new AppError('unavailable', { headers: { 'Retry-After': '1' } })
}

/** Builds the client; throws (without quoting them) when the keys cannot be read. */
export function createAlipayClient(config: AlipayConfig): AlipayClient {
  const keys = normaliseKeys(config)
  const sdk = new AlipaySdk({
    appId: config.appId,
    privateKey: keys.privateKey,
    keyType: 'PKCS1',
    alipayPublicKey: keys.alipayPublicKey,
    signType: 'RSA2',
    gateway: config.gateway,
    timeout: config.timeoutMs,
    camelcase: false,
  })

  /** Maps an Alipay error code to the error the API answers. */
  function refused(answer: z.infer<typeof ErrorAnswerSchema>): AppError {
    const fields = { api: METHOD, code: answer.code, subCode: answer.sub_code }
    if (answer.sub_code && INVALID_CODE_SUB_CODES.has(answer.sub_code)) {
      log('info', 'alipay auth code refused', fields)
      return new AppError('invalid_credentials', { message: '支付宝登录凭证无效或已使用，请重新进入小程序' })
    }
    // 20000 "Service Currently Unavailable" and isp.* / aop.*SYSTEM_ERROR are Alipay's own trouble.
    // https://opendocs.alipay.com/common/02km9f
    if (
      answer.code === '20000' ||
      /^(isp\.|aop\.)/.test(answer.sub_code ?? '') ||
      /SYSTEM_ERROR/.test(answer.sub_code ?? '')
    ) {
      log('warn', 'alipay service unavailable', fields)
      return transient()
    }
    // isv.* other than a bad code — invalid signature, app id, permissions — is our configuration.
    log('error', 'alipay refused the request', fields)
    return new AppError('unavailable')
  }

  /**
   * An SDK "signature failure" that is really a genuine error answer (the SDK cannot locate the
   * signed text of an `error_response`): verified here, then mapped. Undefined when it is not one.
   */
  function errorAnswer(raw: string): AppError | undefined {
    const located = errorAnswerContent(raw)
    // Alipay signs its error answers too; one without a signature is treated as forged.
    if (!located?.sign) return undefined
    const genuine = createVerify('RSA-SHA256')
      .update(located.content, 'utf8')
      .verify(keys.verifier, located.sign, 'base64')
    if (!genuine) {
      log('error', 'alipay answer failed the signature check', { api: METHOD, answer: 'error_response' })
      return new AppError('unavailable')
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(located.content)
    } catch {
      return undefined
    }
    const answer = ErrorAnswerSchema.safeParse(parsed)
    return answer.success ? refused(answer.data) : undefined
  }

  /** Turns whatever the SDK threw into an AppError, logging only a category. */
  function failed(error: unknown): AppError {
    if (error instanceof DeadlineExceeded) {
      log('warn', 'alipay unreachable', { api: METHOD, reason: 'timeout', timeoutMs: config.timeoutMs })
      return transient()
    }
    if (isSdkFailure(error)) {
      if (error.message.startsWith('验签失败')) {
        const fromErrorAnswer = error.responseDataRaw ? errorAnswer(error.responseDataRaw) : undefined
        if (fromErrorAnswer) return fromErrorAnswer
        log('error', 'alipay answer failed the signature check', { api: METHOD, answer: RESPONSE_KEY })
        return new AppError('unavailable')
      }
      if (error.message.startsWith('HttpClient Request error')) {
        const causeName = error.cause instanceof Error ? error.cause.name : undefined
        const timedOut = /Timeout/i.test(causeName ?? '')
        log('warn', 'alipay unreachable', {
          api: METHOD,
          reason: timedOut ? 'timeout' : 'network',
          timeoutMs: config.timeoutMs,
          errorName: causeName,
        })
        return transient()
      }
      if (error.message.startsWith('HTTP 请求错误')) {
        log('warn', 'alipay server error', { api: METHOD, reason: 'http-status' })
        return transient()
      }
      log('warn', 'alipay answer not understood', { api: METHOD, reason: 'format' })
      return transient()
    }
    // e.g. a TypeError from verifying an answer that carries no `sign` at all.
    log('error', 'alipay answer could not be verified', {
      api: METHOD,
      errorName: error instanceof Error ? error.name : typeof error,
    })
    return new AppError('unavailable')
  }

  async function oauthToken(authCode: string): Promise<AlipayIdentity> {
    let result: unknown
    try {
      result = await withDeadline(
        sdk.exec(
          METHOD,
          // Business parameters of this API are top-level, not in biz_content. Parameters override
          // the SDK's own, which is how the Beijing-time timestamp replaces its local-time one.
          { grantType: 'authorization_code', code: authCode, timestamp: beijingTimestamp() },
          // Without validateSign the SDK accepts any answer — including a forged user id.
          { validateSign: true },
        ),
        config.timeoutMs,
      )
    } catch (error) {
      throw failed(error)
    }
    const parsed = TokenAnswerSchema.safeParse(result)
    if (!parsed.success) {
      log('warn', 'alipay answer has an unexpected shape', {
        api: METHOD,
        paths: parsed.error.issues.map((i) => i.path),
      })
      throw transient()
    }
    const answer = parsed.data
    // A verified answer under the method's key can still be an error (e.g. 20000).
    if (answer.code !== undefined && answer.code !== '10000') throw refused(answer)
    if (!answer.open_id && !answer.user_id) {
      log('warn', 'alipay answer has no user id', { api: METHOD })
      throw transient()
    }
    const identity: AlipayIdentity = {}
    if (answer.open_id) identity.openId = answer.open_id
    if (answer.user_id) identity.userId = answer.user_id
    return identity
  }

  return { appId: config.appId, oauthToken }
}
