import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { AUDIT_RETENTION_DAYS, audit, listAudit } from '../../api/_lib/audit'
import { AppError } from '../../api/_lib/errors'
import { setLogSink } from '../../api/_lib/log'
import { createRedisStore, installStore, type Store } from '../../api/_lib/store'
import { type RunningRedisServer, startRedisServer } from '../support/redis-server'

function today(): string {
  return new Date().toISOString().slice(0, 10)
}

describe('audit trail (real redis-server)', () => {
  let redis: RunningRedisServer
  let store: Store
  let logs: string[]

  beforeAll(async () => {
    redis = await startRedisServer()
    store = createRedisStore(redis.url, 600)
    installStore(store)
  })
  beforeEach(() => {
    logs = []
    setLogSink((line) => logs.push(line))
  })
  afterEach(async () => {
    vi.useRealTimers()
    await store.redis.flushdb()
  })
  afterAll(async () => {
    await store?.close()
    await redis?.stop()
  })

  it('writes one JSON line with a UTC timestamp to the day list, sets the retention TTL and logs it', async () => {
    await audit({ action: 'login', actor: 'acc_1', requestId: 'req-1', detail: { method: 'password' } })
    const day = today()
    const raw = (await store.redis.lrange<unknown>(`ds:audit:${day}`, 0, -1)).map((entry) =>
      typeof entry === 'string' ? entry : JSON.stringify(entry),
    )
    expect(raw).toHaveLength(1)
    const line = JSON.parse(raw[0] ?? '{}') as Record<string, unknown>
    expect(line).toMatchObject({
      action: 'login',
      actor: 'acc_1',
      requestId: 'req-1',
      detail: { method: 'password' },
    })
    expect(String(line.at)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
    const ttl = await store.redis.ttl(`ds:audit:${day}`)
    expect(ttl).toBeGreaterThan(AUDIT_RETENTION_DAYS * 86_400 - 60)
    expect(ttl).toBeLessThanOrEqual(AUDIT_RETENTION_DAYS * 86_400)
    const logged = logs.map((entry) => JSON.parse(entry) as Record<string, unknown>)
    expect(logged.find((entry) => entry.message === 'audit')).toMatchObject({
      level: 'info',
      action: 'login',
      actor: 'acc_1',
      requestId: 'req-1',
    })
  })

  it('lists newest first, honours the limit, and returns validated events', async () => {
    await audit({ action: 'invitation_created', actor: 'acc_admin', target: 'INV1', requestId: 'r1' })
    await audit({ action: 'invitation_redeemed', actor: 'acc_new', target: 'INV1', requestId: 'r2' })
    await audit({
      action: 'role_changed',
      actor: 'acc_new',
      target: 'acc_new',
      requestId: 'r3',
      detail: { role: 'staff' },
    })
    const events = await listAudit(today())
    expect(events.map((event) => event.requestId)).toEqual(['r3', 'r2', 'r1'])
    expect(events[0]).toEqual({
      at: expect.stringMatching(/Z$/),
      action: 'role_changed',
      actor: 'acc_new',
      target: 'acc_new',
      requestId: 'r3',
      detail: { role: 'staff' },
    })
    expect((await listAudit(today(), 2)).map((event) => event.requestId)).toEqual(['r3', 'r2'])
    expect(await listAudit('2001-01-01')).toEqual([])
  })

  it('skips lines that are not valid events instead of failing the whole day', async () => {
    await audit({ action: 'login_refused', actor: null, requestId: 'r-ok' })
    await store.redis.lpush(`ds:audit:${today()}`, 'not json', JSON.stringify({ action: 'made_up' }))
    const events = await listAudit(today())
    expect(events.map((event) => event.requestId)).toEqual(['r-ok'])
    expect(events[0]?.actor).toBeNull()
    expect(logs.some((line) => line.includes('audit lines skipped'))).toBe(true)
  })

  it('rejects a malformed day or limit', async () => {
    await expect(listAudit('2025-1-1')).rejects.toThrow(/YYYY-MM-DD/)
    await expect(listAudit(today(), 0)).rejects.toThrow(/limit/)
    await expect(listAudit(today(), 1001)).rejects.toThrow(/limit/)
  })

  it('redacts detail values and targets that look like personal data, in Redis and in the log', async () => {
    const personal = ['11010519491231002X', '13812345678', 'someone@example.com']
    await audit({
      action: 'pii_read',
      actor: 'acc_staff',
      target: 'call 13812345678',
      requestId: 'r-pii',
      detail: {
        idNo: '11010519491231002X',
        contact: 'call 13812345678 today',
        mail: 'someone@example.com',
        asNumber: 13812345678,
        field: 'contact.mobile',
        count: 3,
        ok: true,
        // A 13-digit millisecond timestamp is not a mobile number.
        since: 1_700_000_000_000,
      },
    })
    const [event] = await listAudit(today())
    expect(event?.target).toBe('[redacted]')
    expect(event?.detail).toEqual({
      idNo: '[redacted]',
      contact: '[redacted]',
      mail: '[redacted]',
      asNumber: '[redacted]',
      field: 'contact.mobile',
      count: 3,
      ok: true,
      since: 1_700_000_000_000,
    })
    const raw = JSON.stringify(await store.redis.lrange<unknown>(`ds:audit:${today()}`, 0, -1))
    const logText = logs.join('\n')
    for (const value of personal) {
      expect(raw).not.toContain(value)
      expect(logText).not.toContain(value)
    }
    expect(logText).toContain('detail.contact')
  })

  it('files events under the UTC day, not the local (UTC+8) one', async () => {
    // Only Date is faked: timers stay real, so the Redis round trip is untouched.
    vi.useFakeTimers({ toFake: ['Date'] })
    // 01:30 on 2 March in Beijing is still 1 March in UTC.
    vi.setSystemTime(new Date('2025-03-02T01:30:00+08:00'))
    await audit({
      action: 'session_revoked',
      actor: 'acc_1',
      requestId: 'r-utc',
      detail: { reason: 'logout' },
    })
    const events = await listAudit('2025-03-01')
    expect(events).toHaveLength(1)
    expect(events[0]?.at).toBe('2025-03-01T17:30:00.000Z')
    expect(await listAudit('2025-03-02')).toEqual([])
  })
})

describe('audit fails closed', () => {
  it('propagates a store outage as unavailable (503) for login and refusal events', async () => {
    const logs: string[] = []
    setLogSink((line) => logs.push(line))
    const redis = await startRedisServer()
    const store = createRedisStore(redis.url, 300)
    installStore(store)
    try {
      await audit({ action: 'login', actor: 'acc_1', requestId: 'r-before' })
      await redis.stop()
      for (const action of ['login', 'login_refused', 'access_refused'] as const) {
        const failure = await audit({ action, actor: null, requestId: `r-${action}` }).then(
          () => undefined,
          (error: unknown) => error,
        )
        expect(failure).toBeInstanceOf(AppError)
        expect(failure).toMatchObject({ code: 'unavailable', headers: { 'Retry-After': '1' } })
      }
      // The log line is written before the store write, so the outage still leaves a trace.
      expect(logs.some((line) => line.includes('"requestId":"r-access_refused"'))).toBe(true)
    } finally {
      await store.close()
      await redis.stop()
    }
  })
})
