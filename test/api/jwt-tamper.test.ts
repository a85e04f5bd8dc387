import { randomUUID } from 'node:crypto'
import { base64url, SignJWT, UnsecuredJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AccountRecord, accounts } from '../../api/_lib/repos/accounts'
import { startSession } from '../../api/_lib/sessions'
import { startTestApi, type TestApi } from '../support/api-server'
import { setEnv } from '../support/env'

const SECRET = 'tamper-test-secret-0123456789-abcdefghij'
const restoreEnv = setEnv({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_KID: 'k1' })

const key = new TextEncoder().encode(SECRET)
const now = () => Math.floor(Date.now() / 1000)

interface Claims {
  sub?: string
  jti?: string
  iat?: number
  exp?: number
  nbf?: number
  iss?: string
  aud?: string
  role?: string
  sid?: string
}

function forge(
  claims: Claims,
  header: Record<string, unknown> = {},
  secret: Uint8Array = key,
): Promise<string> {
  const { iat, exp, nbf, ...rest } = claims
  const jwt = new SignJWT({
    ...rest,
    ...(iat !== undefined ? { iat } : {}),
    ...(exp !== undefined ? { exp } : {}),
    ...(nbf !== undefined ? { nbf } : {}),
  })
  return jwt
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'k1', ...header } as { alg: string })
    .sign(secret)
}

describe('forged and tampered access tokens', () => {
  let api: TestApi
  let staff: AccountRecord
  let resident: AccountRecord
  let good: { accessToken: string; refreshToken: string }
  let base: Required<Pick<Claims, 'sub' | 'jti' | 'iat' | 'exp' | 'iss' | 'aud' | 'role' | 'sid'>>

  beforeAll(async () => {
    api = await startTestApi('tcp')
    const created = await accounts.create({
      username: 'tamper-staff',
      displayName: '测试',
      role: 'station_staff',
      scope: { type: 'station', code: 'QD0001' },
    })
    const res = await accounts.create({
      displayName: '居民',
      role: 'resident',
      scope: { type: 'none' },
      identities: ['device:tamper'],
    })
    if (!created || !res) throw new Error('fixtures')
    staff = created
    resident = res
    good = await startSession(staff)
    const payload = JSON.parse(
      new TextDecoder().decode(base64url.decode(good.accessToken.split('.')[1] ?? '')),
    ) as typeof base
    base = payload
  })
  afterAll(async () => {
    await api?.close()
    restoreEnv()
  })

  async function meWith(token: string) {
    return api.call('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })
  }

  it('accepts the genuine token (the control case)', async () => {
    expect((await meWith(good.accessToken)).status).toBe(200)
    expect((await meWith(await forge(base))).status).toBe(200)
  })

  const cases: [string, () => Promise<string> | string][] = [
    ['alg: none', () => new UnsecuredJWT({ ...base }).encode()],
    [
      'alg: none with a valid-looking header',
      () => {
        const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: 'k1' }))
        const body = base64url.encode(JSON.stringify(base))
        return `${header}.${body}.`
      },
    ],
    ['HS512 with the right secret', () => forge(base, { alg: 'HS512' })],
    [
      'RS256 header over an HMAC signature',
      async () => {
        const [, payload, signature] = (await forge(base)).split('.')
        return `${base64url.encode(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid: 'k1' }))}.${payload}.${signature}`
      },
    ],
    [
      'payload altered (sub swapped)',
      () => {
        const [header, , signature] = good.accessToken.split('.')
        return `${header}.${base64url.encode(JSON.stringify({ ...base, sub: resident.id }))}.${signature}`
      },
    ],
    [
      'payload altered (role raised to admin)',
      () => {
        const [header, , signature] = good.accessToken.split('.')
        return `${header}.${base64url.encode(JSON.stringify({ ...base, role: 'admin' }))}.${signature}`
      },
    ],
    ['signature altered', () => `${good.accessToken.slice(0, -6)}AAAAAA`],
    [
      'signed with another secret',
      () => forge(base, {}, new TextEncoder().encode('another-secret-0123456789-abcdefghijklmn')),
    ],
    ['missing exp', () => forge({ ...base, exp: undefined })],
    ['missing iat', () => forge({ ...base, iat: undefined })],
    ['missing sub', () => forge({ ...base, sub: undefined })],
    ['missing jti', () => forge({ ...base, jti: undefined })],
    ['wrong issuer', () => forge({ ...base, iss: 'someone-else' })],
    ['wrong audience', () => forge({ ...base, aud: 'doorstep-refresh' })],
    ['wrong typ', () => forge(base, { typ: 'JWT' })],
    ['expired', () => forge({ ...base, iat: now() - 3600, exp: now() - 1800 })],
    ['not yet valid (nbf in the future)', () => forge({ ...base, nbf: now() + 3600 })],
    ['issued in the future', () => forge({ ...base, iat: now() + 3600, exp: now() + 7200 })],
    ['unknown kid', () => forge(base, { kid: 'k9' })],
    ['no kid', () => forge(base, { kid: undefined })],
    ['a refresh token used as an access token', () => good.refreshToken],
    ['a session id that was never issued', () => forge({ ...base, sid: randomUUID(), jti: randomUUID() })],
    ['an account that does not exist', () => forge({ ...base, sub: randomUUID() })],
    ['garbage', () => 'not.a.jwt'],
  ]

  it.each(cases)('refuses %s with 401 and writes nothing', async (_label, make) => {
    const before = (await api.store.redis.keys('ds:*'))
      .map(String)
      .filter((k) => !k.startsWith('ds:audit:') && !k.startsWith('ds:rl'))
      .sort()
    const token = await make()
    for (const path of ['/api/v1/me', '/api/v1/accounts', '/api/v1/invitations']) {
      const answer = await api.call(path, { headers: { Authorization: `Bearer ${token}` } })
      expect(answer.status, `${path}: ${answer.text}`).toBe(401)
      expect((answer.body as { error: { code: string } }).error.code).toBe('unauthenticated')
    }
    const written = await api.call('/api/v1/invitations', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'station_staff', scope: { type: 'station', code: 'QD0001' } }),
    })
    expect(written.status).toBe(401)
    const after = (await api.store.redis.keys('ds:*'))
      .map(String)
      .filter((k) => !k.startsWith('ds:audit:') && !k.startsWith('ds:rl'))
      .sort()
    expect(after).toEqual(before)
  })

  it('has at least 15 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15)
  })

  it('refuses a genuine resident token on a staff route with 403, and a logged-out token with 401', async () => {
    const residentSession = await startSession(resident)
    const staffOnly = await api.call('/api/v1/accounts', {
      headers: { Authorization: `Bearer ${residentSession.accessToken}` },
    })
    expect(staffOnly.status).toBe(403)
    const session = await startSession(staff)
    const auth = { Authorization: `Bearer ${session.accessToken}` }
    expect((await api.call('/api/v1/auth/logout', { method: 'POST', headers: auth })).status).toBe(200)
    expect((await api.call('/api/v1/me', { headers: auth })).status).toBe(401)
    const refreshed = await api.call('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    })
    expect(refreshed.status).toBe(401)
  })
})
