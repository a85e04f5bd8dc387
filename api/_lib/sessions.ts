import { randomBytes, randomUUID } from 'node:crypto'
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose'
import { z } from 'zod'
import { env, isProduction } from './env'
import { AppError } from './errors'
import { type AccountRecord, parseAccount } from './repos/accounts'
import { store } from './store'
import { keys } from './store/keys'

/**
 * Sessions made with jose (HS256):
 * - access tokens (`typ: at+jwt`, audience `doorstep-api`) live 15 minutes;
 * - refresh tokens (`typ: rt+jwt`, audience `doorstep-refresh`) rotate on every use. Each login
 *   starts a *family*; the family remembers the one refresh token currently valid, so presenting
 *   an older one is reuse — a stolen token racing its owner — and revokes the whole family;
 * - staff families end 12 hours after login, or after 30 minutes without a refresh (an active
 *   client refreshes at least every 15 minutes, when its access token expires);
 * - every verification pins the algorithm, issuer, audience and `typ`, and requires exp, iat,
 *   sub and jti; tokens name their key with `kid`, and the previous keys of a rotation are still
 *   accepted (AUTH_JWT_PREVIOUS_KEYS) but never used to sign;
 * - an access token can be revoked by its jti (logout), a family by its id (reuse, logout), and
 *   all of an account's tokens by its `validAfter` time.
 */
const ALGORITHM = 'HS256'
const ACCESS_AUDIENCE = 'doorstep-api'
const REFRESH_AUDIENCE = 'doorstep-refresh'
const ACCESS_TYPE = 'at+jwt'
const REFRESH_TYPE = 'rt+jwt'

export const ACCESS_TOKEN_SECONDS = 15 * 60
export const RESIDENT_SESSION_SECONDS = 30 * 24 * 3600
export const STAFF_SESSION_SECONDS = 12 * 3600
export const STAFF_IDLE_SECONDS = 30 * 60

export type SessionKind = 'staff' | 'resident'

const FamilySchema = z.object({
  accountId: z.string(),
  kind: z.enum(['staff', 'resident']),
  startedAt: z.number(),
  lastUsedAt: z.number(),
  refreshJti: z.string(),
  revoked: z.boolean(),
})
type Family = z.infer<typeof FamilySchema>

let devSecret: Uint8Array | undefined

interface KeyRing {
  signing: { kid: string; key: Uint8Array }
  verify: Map<string, Uint8Array>
}

let ring: KeyRing | undefined

function keyRing(): KeyRing {
  if (ring) return ring
  const config = env()
  let secret: Uint8Array
  if (config.AUTH_JWT_SECRET) secret = new TextEncoder().encode(config.AUTH_JWT_SECRET)
  else if (isProduction(config)) throw new Error('AUTH_JWT_SECRET is required in production')
  else {
    // Outside production a process-local random key is enough: tokens die with the process.
    devSecret ??= randomBytes(32)
    secret = devSecret
  }
  const verify = new Map<string, Uint8Array>([[config.AUTH_JWT_KID, secret]])
  for (const entry of (config.AUTH_JWT_PREVIOUS_KEYS ?? '').split(',')) {
    const at = entry.indexOf(':')
    if (at <= 0) continue
    const kid = entry.slice(0, at).trim()
    const value = entry.slice(at + 1).trim()
    if (kid && value.length >= 32 && !verify.has(kid)) verify.set(kid, new TextEncoder().encode(value))
  }
  ring = { signing: { kid: config.AUTH_JWT_KID, key: secret }, verify }
  return ring
}

/** Tests that change the key environment call this to rebuild the key ring. */
export function resetKeyRingForTests(): void {
  ring = undefined
}

interface SignOptions {
  subject: string
  type: string
  audience: string
  seconds: number
  now: number
  jti?: string
}

function sign(claims: JWTPayload, options: SignOptions): Promise<string> {
  const { kid, key } = keyRing().signing
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, typ: options.type, kid })
    .setSubject(options.subject)
    .setIssuer(env().AUTH_ISSUER)
    .setAudience(options.audience)
    .setIssuedAt(options.now)
    .setExpirationTime(options.now + options.seconds)
    .setJti(options.jti ?? randomUUID())
    .sign(key)
}

async function verify(token: string, type: string, audience: string, now: Date): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        const key = header.kid ? keyRing().verify.get(header.kid) : undefined
        if (!key) throw new errors.JWKSNoMatchingKey()
        return key
      },
      {
        algorithms: [ALGORITHM],
        issuer: env().AUTH_ISSUER,
        audience,
        typ: type,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        currentDate: now,
      },
    )
    if (typeof payload.iat === 'number' && payload.iat > Math.floor(now.getTime() / 1000) + 60) {
      throw new errors.JWTClaimValidationFailed('issued in the future', payload, 'iat', 'check_failed')
    }
    return payload
  } catch (cause) {
    throw new AppError('unauthenticated', { cause })
  }
}

export interface TokenPair {
  accessToken: string
  refreshToken: string
  tokenType: 'Bearer'
  expiresIn: number
  refreshExpiresIn: number
}

async function pairFor(
  account: AccountRecord,
  familyId: string,
  family: Family,
  now: number,
): Promise<TokenPair> {
  const lifetime = family.kind === 'staff' ? STAFF_SESSION_SECONDS : RESIDENT_SESSION_SECONDS
  const refreshSeconds = Math.max(1, family.startedAt + lifetime - now)
  const accessToken = await sign(
    { role: account.role, sid: familyId },
    { subject: account.id, type: ACCESS_TYPE, audience: ACCESS_AUDIENCE, seconds: ACCESS_TOKEN_SECONDS, now },
  )
  const refreshToken = await sign(
    { sid: familyId },
    {
      subject: account.id,
      type: REFRESH_TYPE,
      audience: REFRESH_AUDIENCE,
      seconds: refreshSeconds,
      now,
      jti: family.refreshJti,
    },
  )
  return {
    accessToken,
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: ACCESS_TOKEN_SECONDS,
    refreshExpiresIn: refreshSeconds,
  }
}

export function sessionKindOf(account: AccountRecord): SessionKind {
  return account.role === 'resident' ? 'resident' : 'staff'
}

/** Starts a new session family for an account and returns its first token pair. */
export async function startSession(account: AccountRecord, now = new Date()): Promise<TokenPair> {
  const seconds = Math.floor(now.getTime() / 1000)
  const familyId = randomUUID()
  const family: Family = {
    accountId: account.id,
    kind: sessionKindOf(account),
    startedAt: seconds,
    lastUsedAt: seconds,
    refreshJti: randomUUID(),
    revoked: false,
  }
  const lifetime = family.kind === 'staff' ? STAFF_SESSION_SECONDS : RESIDENT_SESSION_SECONDS
  await store().redis.set(keys.sessionFamily(familyId), JSON.stringify(family), { ex: lifetime })
  return pairFor(account, familyId, family, seconds)
}

/**
 * Rotates a refresh token: KEYS[1] = the family; ARGV = presented jti, new jti, now, ttl.
 * Answers 1 rotated, 0 unknown or revoked, -1 reuse (the family is revoked on the spot).
 */
const ROTATE_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local family = cjson.decode(raw)
if family.revoked then return 0 end
if family.refreshJti ~= ARGV[1] then
  family.revoked = true
  redis.call('SET', KEYS[1], cjson.encode(family), 'KEEPTTL')
  return -1
end
family.refreshJti = ARGV[2]
family.lastUsedAt = tonumber(ARGV[3])
redis.call('SET', KEYS[1], cjson.encode(family), 'KEEPTTL')
return 1`

export interface RefreshOutcome {
  pair: TokenPair
  account: AccountRecord
}

/**
 * Exchanges a refresh token for a new pair. Reuse of an old token revokes the family; staff
 * families end after 12 h or 30 min idle; a disabled account or one whose `validAfter` is later
 * than the family's start gets nothing. Every refusal is the same 401.
 */
export async function refreshSession(
  refreshToken: string,
  loadAccount: (id: string) => Promise<AccountRecord | null>,
  now = new Date(),
): Promise<RefreshOutcome> {
  const payload = await verify(refreshToken, REFRESH_TYPE, REFRESH_AUDIENCE, now)
  const familyId = typeof payload.sid === 'string' ? payload.sid : ''
  const jti = payload.jti ?? ''
  const seconds = Math.floor(now.getTime() / 1000)
  const { redis } = store()
  const family = FamilySchema.safeParse(await redis.get(keys.sessionFamily(familyId)))
  if (!family.success || family.data.revoked || family.data.accountId !== payload.sub) {
    throw new AppError('unauthenticated')
  }
  const idle = seconds - family.data.lastUsedAt
  if (
    family.data.kind === 'staff' &&
    (idle > STAFF_IDLE_SECONDS || seconds - family.data.startedAt > STAFF_SESSION_SECONDS)
  ) {
    await revokeFamily(familyId)
    throw new AppError('unauthenticated', { message: '登录已过期，请重新登录' })
  }
  const account = await loadAccount(family.data.accountId)
  if (!account || account.disabled || (account.validAfter ?? 0) > family.data.startedAt) {
    throw new AppError('unauthenticated')
  }
  const nextJti = randomUUID()
  const rotated = Number(
    await redis.eval(ROTATE_SCRIPT, [keys.sessionFamily(familyId)], [jti, nextJti, String(seconds)]),
  )
  if (rotated === -1)
    throw new AppError('unauthenticated', { message: '登录凭证已在别处使用，请重新登录', cause: 'reuse' })
  if (rotated !== 1) throw new AppError('unauthenticated')
  const pair = await pairFor(
    account,
    familyId,
    { ...family.data, refreshJti: nextJti, lastUsedAt: seconds },
    seconds,
  )
  return { pair, account }
}

export async function revokeFamily(familyId: string): Promise<void> {
  const { redis } = store()
  const family = FamilySchema.safeParse(await redis.get(keys.sessionFamily(familyId)))
  if (!family.success) return
  await redis.set(keys.sessionFamily(familyId), JSON.stringify({ ...family.data, revoked: true }), {
    keepTtl: true,
  })
}

export interface AccessClaims {
  sub: string
  role: string
  sid: string
  jti: string
  iat: number
  exp: number
}

/** Checks an access token's signature and claims (pure CPU; the store checks come separately). */
export async function verifyAccessToken(token: string, now = new Date()): Promise<AccessClaims> {
  const payload = await verify(token, ACCESS_TYPE, ACCESS_AUDIENCE, now)
  if (
    typeof payload.sub !== 'string' ||
    typeof payload.role !== 'string' ||
    typeof payload.sid !== 'string'
  ) {
    throw new AppError('unauthenticated')
  }
  return {
    sub: payload.sub,
    role: payload.role,
    sid: payload.sid,
    jti: payload.jti ?? '',
    iat: payload.iat ?? 0,
    exp: payload.exp ?? 0,
  }
}

/**
 * The store side of an access token, in one round trip (a pipeline): the account, the family and
 * the jti denylist. Answers the account when the token still stands.
 */
export async function checkAccess(claims: AccessClaims) {
  const [account, family, denied] = await store()
    .redis.pipeline()
    .get(keys.account(claims.sub))
    .get(keys.sessionFamily(claims.sid))
    .exists(keys.deniedToken(claims.jti))
    .exec<[unknown, unknown, number]>()
  const record = parseAccount(account)
  const parsed = FamilySchema.safeParse(family)
  if (!record || record.disabled || denied > 0 || !parsed.success || parsed.data.revoked) return null
  if ((record.validAfter ?? 0) > claims.iat) return null
  return record
}

/**
 * `checkAccess` for a write that runs as one Lua script: instead of reading the account, the family
 * and the denylist first (a round trip of its own), the script checks them before it writes. Used
 * by routes marked `sessionInScript` (a resident's intake submit), whose whole request is then one
 * round trip. The guard refuses exactly what `checkAccess` refuses: a missing or disabled account,
 * a changed role, a token issued before the account's valid-after time, a missing or revoked
 * family, a denylisted token.
 */
export interface SessionGuard {
  /** Account, family and denylist keys. */
  keys: [string, string, string]
  /** The token's `iat` and role, compared inside the script. */
  args: [string, string]
}

export function sessionGuard(claims: AccessClaims): SessionGuard {
  return {
    keys: [keys.account(claims.sub), keys.sessionFamily(claims.sid), keys.deniedToken(claims.jti)],
    args: [String(claims.iat), claims.role],
  }
}

/**
 * The guard's Lua, for a script whose guard keys are KEYS[k], KEYS[k+1], KEYS[k+2] and arguments
 * ARGV[a], ARGV[a+1]; it returns `{'session', ''}` from the script when the session does not stand.
 */
export function sessionGuardLua(k: number, a: number): string {
  return `
local guard_account = redis.call('GET', KEYS[${k}])
if not guard_account then return {'session', ''} end
local guard_a = cjson.decode(guard_account)
if guard_a.disabled == true or guard_a.role ~= ARGV[${a + 1}] then return {'session', ''} end
if type(guard_a.validAfter) == 'number' and guard_a.validAfter > tonumber(ARGV[${a}]) then return {'session', ''} end
local guard_family = redis.call('GET', KEYS[${k + 1}])
if not guard_family then return {'session', ''} end
if cjson.decode(guard_family).revoked == true then return {'session', ''} end
if redis.call('EXISTS', KEYS[${k + 2}]) == 1 then return {'session', ''} end
`
}

/** Ends a session: the access token at once (denylist until it would expire) and its family. */
export async function endSession(claims: AccessClaims, now = new Date()): Promise<void> {
  const remaining = Math.max(1, claims.exp - Math.floor(now.getTime() / 1000))
  await store().redis.set(keys.deniedToken(claims.jti), '1', { ex: remaining })
  await revokeFamily(claims.sid)
}
