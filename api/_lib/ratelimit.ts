import { createHash } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { isIP } from 'node:net'
import { type Duration, Ratelimit } from '@upstash/ratelimit'
import type { Redis } from '@upstash/redis'
import { env } from './env'
import { AppError } from './errors'
import { describeError, log } from './log'
import { isStoreUnavailable, store } from './store'
import { keys } from './store/keys'

/**
 * Rate limits in front of the endpoints an attacker would hammer: password login, invitation
 * redemption, record creation and the platform code exchange. Every decision is taken in Redis
 * (sliding window, `@upstash/ratelimit`), so all serverless instances share one count.
 *
 * Fails closed: a limiter that cannot reach Redis within its budget answers 503 `unavailable`,
 * never "allowed". The library's own timeout would let the request through, so it is switched off
 * and the budget is enforced here.
 */

/** One sliding window: at most `tokens` requests per `window`. */
export interface WindowSpec {
  tokens: number
  window: Duration
}

/** The limits of one named action: per client IP, and optionally per identity (account, username). */
export interface LimitSpec {
  ip: WindowSpec
  identity?: WindowSpec
}

const DEFAULT_LIMITS = {
  login: { ip: { tokens: 20, window: '10 m' }, identity: { tokens: 5, window: '10 m' } },
  redeem: { ip: { tokens: 10, window: '10 m' }, identity: { tokens: 5, window: '1 h' } },
  create: { ip: { tokens: 60, window: '1 m' }, identity: { tokens: 20, window: '1 m' } },
  /** Receipt + last-4 lookups: 10 000 combinations per receipt, so a receipt gets 10 tries an hour. */
  lookup: { ip: { tokens: 30, window: '10 m' }, identity: { tokens: 10, window: '1 h' } },
  /** 帮办 confirmation codes: six digits, five tries per receipt. */
  confirm: { ip: { tokens: 30, window: '10 m' }, identity: { tokens: 5, window: '30 m' } },
  /** Questions and follow-ups; bookings. */
  ask: { ip: { tokens: 60, window: '10 m' }, identity: { tokens: 10, window: '10 m' } },
  book: { ip: { tokens: 120, window: '10 m' }, identity: { tokens: 20, window: '10 m' } },
  /** Full personal data and exports by staff. */
  reveal: { ip: { tokens: 120, window: '10 m' }, identity: { tokens: 60, window: '10 m' } },
  // The code exchange has no identity yet (it is what produces one), so only the IP is limited.
  platformLogin: { ip: { tokens: 60, window: '1 m' } },
} as const satisfies Record<string, LimitSpec>

export type LimitName = keyof typeof DEFAULT_LIMITS

type Subject = 'ip' | 'identity'

interface Limiters {
  /** The client the limiters were built on; a different installed store means they are stale. */
  redis: Redis
  byName: Map<string, Ratelimit>
}

let limits: Record<LimitName, LimitSpec> = DEFAULT_LIMITS
let built: Limiters | undefined
let proxyTrusted = true

function limiterFor(name: LimitName, subject: Subject, spec: WindowSpec): Ratelimit {
  const redis = store().redis
  if (!built || built.redis !== redis) built = { redis, byName: new Map() }
  const id = `${name}:${subject}`
  let limiter = built.byName.get(id)
  if (!limiter) {
    limiter = new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(spec.tokens, spec.window),
      prefix: `${keys.rateLimitPrefix()}:${name}`,
      // The in-memory cache answers "blocked" without asking Redis: per-instance state that
      // disagrees with the shared count, and a refusal nobody can lift early.
      ephemeralCache: false,
      // 0 disables the library's timeout, which resolves `success: true` (fail open); the budget
      // is raced in `check` instead, failing closed.
      timeout: 0,
      analytics: false,
      // Protection downloads a public IP deny list from GitHub at run time: no network for that here.
      enableProtection: false,
      enableTelemetry: false,
    })
    built.byName.set(id, limiter)
  }
  return limiter
}

function unavailable(cause?: unknown): AppError {
  return new AppError('unavailable', { headers: { 'Retry-After': '1' }, cause })
}

/** Hashes an identity so no username, phone number or account id appears in a key name. */
function identityKey(identity: string): string {
  // Normalised first: `Admin` and `admin ` must share one budget, or case games bypass the limit.
  const normalised = identity.normalize('NFKC').trim().toLowerCase()
  // The fixed tag keeps generic phone-number → SHA-256 tables from reversing the key.
  return createHash('sha256').update('doorstep:ratelimit:').update(normalised).digest('hex').slice(0, 32)
}

/** Runs one limiter check, failing closed when Redis does not answer before `deadline`. */
async function check(limiter: Ratelimit, identifier: string, deadline: number) {
  const remaining = deadline - performance.now()
  if (remaining <= 0) throw unavailable(new Error('rate-limit budget spent before the check'))
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(unavailable(new Error(`rate limiter did not answer within ${Math.round(remaining)} ms`))),
      remaining,
    )
  })
  try {
    // Promise.race also consumes a later rejection of the losing limit() call.
    const result = await Promise.race([limiter.limit(identifier), expired])
    // Cannot happen with `timeout: 0`, but a library default that allows on timeout must never pass.
    if (result.reason === 'timeout') throw unavailable(new Error('rate limiter timed out'))
    return result
  } catch (error) {
    if (error instanceof AppError) throw error
    // A Redis error reply (LOADING, READONLY, a script problem) fails closed like an outage; the
    // unexpected kinds are logged so a bug does not hide behind 503s.
    if (!isStoreUnavailable(error)) log('error', 'rate limiter failed', describeError(error))
    throw unavailable(error)
  } finally {
    clearTimeout(timer)
  }
}

function refuse(reset: number): AppError {
  const seconds = Math.max(1, Math.ceil((reset - Date.now()) / 1000))
  return new AppError('rate_limited', { headers: { 'Retry-After': String(seconds) } })
}

/**
 * Counts one request against the named limit for the client IP and, when given and the limit has
 * one, for the identity. The IP is checked first and the identity only if the IP passed, so a
 * client already refused by IP does not use up the identity's budget (that would let one noisy
 * address lock a user out).
 *
 * @throws AppError('rate_limited') with `Retry-After` (seconds until the window resets, ≥ 1) on refusal;
 *   AppError('unavailable') with `Retry-After: 1` when Redis fails or does not answer within
 *   `timeoutMs` (default: STORE_TIMEOUT_MS) — never lets the request through in that case.
 */
export async function enforce(
  name: LimitName,
  subjects: { ip: string; identity?: string },
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const spec = limits[name]
  const deadline = performance.now() + (options.timeoutMs ?? env().STORE_TIMEOUT_MS)
  const byIp = await check(limiterFor(name, 'ip', spec.ip), `ip:${subjects.ip}`, deadline)
  if (!byIp.success) throw refuse(byIp.reset)
  if (spec.identity && subjects.identity !== undefined) {
    const identifier = `id:${identityKey(subjects.identity)}`
    const byIdentity = await check(limiterFor(name, 'identity', spec.identity), identifier, deadline)
    if (!byIdentity.success) throw refuse(byIdentity.reset)
  }
}

/**
 * Whether `x-forwarded-for` is believed. On by default: Vercel's edge overwrites the header with
 * the real client address. Self-hosting behind nginx keeps it on — nginx must *set* the header
 * (`proxy_set_header X-Forwarded-For $remote_addr`), since `$proxy_add_x_forwarded_for` keeps the
 * client's own value as the first entry. A server exposed directly must turn it off, or any client
 * picks its own address and escapes every per-IP limit.
 */
export function trustProxy(on: boolean): void {
  proxyTrusted = on
}

/** Strips a port (`1.2.3.4:5678`, `[::1]:5678`) and brackets, and unwraps IPv4-mapped IPv6. */
function normaliseIp(raw: string): string | undefined {
  let value = raw.trim()
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value)
  if (bracketed?.[1]) value = bracketed[1]
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'))
  value = value.toLowerCase()
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(value)
  if (mapped?.[1]) value = mapped[1]
  // Only a real address becomes part of a key: a garbage header must not make up new buckets.
  return isIP(value) ? value : undefined
}

/**
 * The client's IP for rate limiting and logs: the first `x-forwarded-for` entry when behind a
 * trusted proxy (see `trustProxy`), else the socket address; IPv4-mapped IPv6 becomes plain IPv4.
 * Falls back to the socket address when the header is missing or not an address, then to 'unknown'
 * (one shared bucket — strict, but only reachable when the platform gives no address at all).
 */
export function clientIp(headers: IncomingHttpHeaders, socketAddress?: string): string {
  if (proxyTrusted) {
    const header = headers['x-forwarded-for']
    const value = Array.isArray(header) ? header[0] : header
    const first = value?.split(',')[0]
    const forwarded = first === undefined ? undefined : normaliseIp(first)
    if (forwarded) return forwarded
  }
  return (socketAddress === undefined ? undefined : normaliseIp(socketAddress)) ?? 'unknown'
}

/**
 * Test hook: drops the built limiters (tests install a fresh store per file) and optionally swaps
 * limits, e.g. 2 requests / 2 s to watch a window reopen without waiting ten minutes. Also restores
 * `trustProxy(true)`.
 */
export function resetLimitersForTests(overrides: Partial<Record<LimitName, LimitSpec>> = {}): void {
  built = undefined
  limits = { ...DEFAULT_LIMITS, ...overrides }
  proxyTrusted = true
}
