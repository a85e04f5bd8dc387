import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningApp, startApp } from '../support/app-process'
import { startRedisServer } from '../support/redis-server'

describe('npm start without a redis-server on the machine', () => {
  let app: RunningApp
  beforeAll(async () => {
    app = await startApp({ REDIS_SERVER_BIN: 'redis-server-that-does-not-exist' })
  })
  afterAll(async () => {
    await app?.stop()
  })

  it('falls back to the in-process engine and says loudly what it lacks', () => {
    expect(app.output()).toContain('using the IN-PROCESS engine')
    expect(app.output()).toMatch(/store:\s+memory/)
    expect(Object.keys(app.logins)).toHaveLength(5)
  })

  it('still serves the API with the demo data and lets a demo account sign in', async () => {
    const health = await fetch(`${app.url}/api/health`).then((r) => r.json())
    expect(health).toMatchObject({ status: 'ok', store: { kind: 'memory', reachable: true } })
    const stations = (await fetch(`${app.url}/api/v1/stations?region=370200`).then((r) => r.json())) as {
      items: { code: string }[]
    }
    expect(stations.items.map((s) => s.code)).toEqual(['QD0001', 'QD0002', 'QD0003', 'QD0004'])
    const login = await fetch(`${app.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'demo-admin', password: app.logins['demo-admin'] }),
    })
    expect(login.status).toBe(200)
  })
})

describe('npm start twice on the same data directory', () => {
  it('keeps the data in .data/, seeds only once and prints the same logins', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'doorstep-restart-'))
    const first = await startApp({ DOORSTEP_DATA_DIR: dataDir })
    expect(first.output()).toContain('demo data: seeded now')
    await first.stop()
    const second = await startApp({ DOORSTEP_DATA_DIR: dataDir })
    try {
      expect(second.output()).toContain('demo data: already present')
      expect(second.logins).toEqual(first.logins)
      const health = await fetch(`${second.url}/api/health`).then((r) => r.json())
      expect(health).toMatchObject({ store: { kind: 'embedded-redis', reachable: true } })
    } finally {
      await second.stop()
    }
  })
})

describe('npm start in production', () => {
  it('never creates demo logins or demo data, even on a fresh Redis', async () => {
    const redis = await startRedisServer()
    const app = await startApp({
      NODE_ENV: 'production',
      REDIS_URL: redis.url,
      AUTH_JWT_SECRET: 'production-like-secret-0123456789-abcdef',
      PII_KEYS: `1:${Buffer.alloc(32, 3).toString('base64')}`,
      PII_INDEX_KEY: Buffer.alloc(32, 4).toString('base64'),
    })
    try {
      expect(app.output()).toContain('demo logins: off')
      expect(app.output()).toContain('demo data: off in production')
      expect(app.logins).toEqual({})
      const login = await fetch(`${app.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'demo-admin', password: 'anything-at-all-1A' }),
      })
      expect(login.status).toBe(401)
      const keys = await fetch(`${app.url}/api/v1/stations`).then((r) => r.json())
      expect(keys).toEqual({ items: [] })
    } finally {
      await app.stop()
      await redis.stop()
    }
  })
})
