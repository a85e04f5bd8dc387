import { randomBytes, randomUUID } from 'node:crypto'
import { errors, jwtVerify, SignJWT } from 'jose'
import { env, isProduction } from './env'
import { AppError } from './errors'

/**
 * Access tokens: HS256 JWTs made and checked with jose. Verification pins the algorithm, issuer,
 * audience and `typ`, and requires exp, iat, sub and jti — a token that lacks any of them, or was
 * signed with anything else, is simply not a session.
 */
const ALGORITHM = 'HS256'
const AUDIENCE = 'doorstep-api'
const ACCESS_TYPE = 'at+jwt'
export const ACCESS_TOKEN_SECONDS = 15 * 60

let devSecret: Uint8Array | undefined

function signingKey(): Uint8Array {
  const config = env()
  if (config.AUTH_JWT_SECRET) return new TextEncoder().encode(config.AUTH_JWT_SECRET)
  if (isProduction(config)) throw new Error('AUTH_JWT_SECRET is required in production')
  // Outside production a process-local random key is enough: tokens die with the process.
  devSecret ??= randomBytes(32)
  return devSecret
}

export interface AccessClaims {
  sub: string
  role: string
}

export async function issueAccessToken(claims: AccessClaims, now = new Date()): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000)
  return new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: ALGORITHM, typ: ACCESS_TYPE, kid: env().AUTH_JWT_KID })
    .setSubject(claims.sub)
    .setIssuer(env().AUTH_ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ACCESS_TOKEN_SECONDS)
    .setJti(randomUUID())
    .sign(signingKey())
}

/** Verifies a bearer token; any failure is the same 401, without saying which check failed. */
export async function verifyAccessToken(token: string): Promise<AccessClaims> {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, signingKey(), {
      algorithms: [ALGORITHM],
      issuer: env().AUTH_ISSUER,
      audience: AUDIENCE,
      typ: ACCESS_TYPE,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
    })
    if (protectedHeader.kid !== env().AUTH_JWT_KID) throw new errors.JWSInvalid('unknown kid')
    if (typeof payload.sub !== 'string' || typeof payload.role !== 'string')
      throw new errors.JWTInvalid('claims')
    return { sub: payload.sub, role: payload.role }
  } catch (cause) {
    throw new AppError('unauthenticated', { cause })
  }
}
