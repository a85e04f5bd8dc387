import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AccountRecord, accounts } from '../../api/_lib/repos/accounts'
import {
  refreshSession,
  STAFF_IDLE_SECONDS,
  STAFF_SESSION_SECONDS,
  startSession,
  verifyAccessToken,
} from '../../api/_lib/sessions'
import { startTestApi, type TestApi } from '../support/api-server'
import { setEnv } from '../support/env'

// A key rotation in progress: k2 signs, k1 is still accepted.
const OLD_SECRET = 'old-secret-0123456789-abcdefghijklmnopq'
const restoreEnv = setEnv({
  AUTH_JWT_SECRET: 'new-secret-0123456789-abcdefghijklmnopq',
  AUTH_JWT_KID: 'k2',
  AUTH_JWT_PREVIOUS_KEYS: `k1:${OLD_SECRET}`,
})

const minutes = (n: number) => n * 60 * 1000

describe('sessions', () => {
  let api: TestApi
  let staff: AccountRecord
  let resident: AccountRecord

  beforeAll(async () => {
    api = await startTestApi('tcp')
    const s = await accounts.create({
      username: 'session-staff',
      displayName: 'S',
      role: 'station_staff',
      scope: { type: 'station', code: 'QD0001' },
    })
    const r = await accounts.create({
      displayName: 'R',
      role: 'resident',
      scope: { type: 'none' },
      identities: ['device:sessions'],
    })
    if (!s || !r) throw new Error('fixtures')
    staff = s
    resident = r
  })
  afterAll(async () => {
    await api?.close()
    restoreEnv()
  })

  const me = (token: string) => api.call('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })
  const refresh = (token: string) =>
    api.call('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: token }),
    })

  it('issues access tokens of at most 15 minutes, signed with the current kid', async () => {
    const pair = await startSession(staff)
    expect(pair.expiresIn).toBeLessThanOrEqual(900)
    const claims = await verifyAccessToken(pair.accessToken)
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(900)
    expect(
      JSON.parse(Buffer.from(pair.accessToken.split('.')[0] ?? '', 'base64url').toString()),
    ).toMatchObject({ kid: 'k2', alg: 'HS256', typ: 'at+jwt' })
  })

  it('rotates the refresh token on every use, and a reused one revokes the whole family', async () => {
    const first = await startSession(resident)
    const second = await refresh(first.refreshToken)
    expect(second.status).toBe(200)
    const pair2 = second.body as { accessToken: string; refreshToken: string }
    expect(pair2.refreshToken).not.toBe(first.refreshToken)
    expect((await me(pair2.accessToken)).status).toBe(200)

    // The old refresh token shows up again: someone else has a copy.
    expect((await refresh(first.refreshToken)).status).toBe(401)
    // The family is gone: the legitimate newest tokens stop working too.
    expect((await refresh(pair2.refreshToken)).status).toBe(401)
    expect((await me(pair2.accessToken)).status).toBe(401)
  })

  it('ends a staff session after 30 minutes without a refresh', async () => {
    const t0 = new Date()
    const pair = await startSession(staff, t0)
    const okLater = await refreshSession(
      pair.refreshToken,
      accounts.get,
      new Date(t0.getTime() + minutes(14)),
    )
    await expect(
      refreshSession(
        okLater.pair.refreshToken,
        accounts.get,
        new Date(t0.getTime() + minutes(14) + STAFF_IDLE_SECONDS * 1000 + 1000),
      ),
    ).rejects.toMatchObject({ code: 'unauthenticated' })
  })

  it('ends a staff session 12 hours after login, however active', async () => {
    const t0 = new Date()
    let token = (await startSession(staff, t0)).refreshToken
    let at = t0.getTime()
    while (at + minutes(14) < t0.getTime() + STAFF_SESSION_SECONDS * 1000) {
      at += minutes(14)
      token = (await refreshSession(token, accounts.get, new Date(at))).pair.refreshToken
    }
    await expect(
      refreshSession(token, accounts.get, new Date(t0.getTime() + STAFF_SESSION_SECONDS * 1000 + 60_000)),
    ).rejects.toMatchObject({
      code: 'unauthenticated',
    })
  })

  it('keeps a resident session across a long pause', async () => {
    const t0 = new Date()
    const pair = await startSession(resident, t0)
    const later = await refreshSession(
      pair.refreshToken,
      accounts.get,
      new Date(t0.getTime() + minutes(60 * 24 * 3)),
    )
    expect(later.account.id).toBe(resident.id)
  })

  it('stops every token of an account at once when it is disabled or its valid-after moves', async () => {
    const account = await accounts.create({
      username: 'to-disable',
      displayName: 'D',
      role: 'bank_staff',
      scope: { type: 'station', code: 'CQ0001' },
    })
    if (!account) throw new Error('fixture')
    const pair = await startSession(account)
    expect((await me(pair.accessToken)).status).toBe(200)
    await accounts.replace({ ...account, disabled: true })
    expect((await me(pair.accessToken)).status).toBe(401)
    expect((await refresh(pair.refreshToken)).status).toBe(401)

    await accounts.replace({ ...account, disabled: false })
    const fresh = await startSession(account, new Date(Date.now() - 10_000))
    await accounts.replace({ ...account, disabled: false, validAfter: Math.floor(Date.now() / 1000) })
    expect((await me(fresh.accessToken)).status).toBe(401)
  })

  it('accepts tokens signed with the previous key during a rotation, and only with their own kid', async () => {
    const pair = await startSession(staff)
    const claims = JSON.parse(
      Buffer.from(pair.accessToken.split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>
    const sign = (kid: string, secret: string) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
        .sign(new TextEncoder().encode(secret))
    expect((await me(await sign('k1', OLD_SECRET))).status).toBe(200)
    expect((await me(await sign('k2', OLD_SECRET))).status).toBe(401)
    expect((await me(await sign('k1', 'new-secret-0123456789-abcdefghijklmnopq'))).status).toBe(401)
  })
})
