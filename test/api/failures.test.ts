import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { parseEnv } from '../../api/_lib/env'
import { setLogSink } from '../../api/_lib/log'
import { defineRoute } from '../../api/_lib/route'
import { createRouter } from '../../api/_lib/router'
import { startTestApi, type TestApi } from '../support/api-server'

describe('a bug inside a handler', () => {
  it('answers a 500 that leaks nothing, and logs the real cause with the request id', async () => {
    const logs: string[] = []
    setLogSink((line) => logs.push(line))
    const router = createRouter(
      [
        defineRoute({
          method: 'GET',
          path: '/api/v1/boom',
          operationId: 'boom',
          summary: 'fails',
          tag: 'test',
          response: z.object({}),
          async handler() {
            throw new Error('connect ECONNABORTED redis-primary.internal.example:6379 password=hunter2')
          },
        }),
      ],
      { boom: { anonymous: 'public' } },
    )
    const server = createServer((req, res) => void router.handle(req, res))
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/boom`, {
      headers: { 'X-Request-Id': 'req-12345678' },
    })
    const text = await response.text()
    server.close()
    expect(response.status).toBe(500)
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: '服务出了点问题，请稍后再试' } })
    expect(text).not.toMatch(/redis|internal\.example|6379|hunter2|ECONN/)
    const logged = logs.map((line) => JSON.parse(line) as Record<string, unknown>)
    const failure = logged.find((entry) => entry.message === 'unhandled error')
    expect(failure).toMatchObject({ requestId: 'req-12345678', operation: 'boom' })
    expect(String(failure?.errorMessage)).toContain('redis-primary.internal.example')
  })
})

describe('when Redis goes away (TCP)', () => {
  let api: TestApi
  beforeAll(async () => {
    api = await startTestApi('tcp', { timeoutMs: 300 })
  })
  afterAll(async () => {
    await api?.close()
  })

  it('answers 503 with Retry-After within 1.5 s, and health says degraded', async () => {
    expect((await api.call('/api/v1/stations')).status).toBe(200)
    await api.redis.stop()
    const started = performance.now()
    const answer = await api.call('/api/v1/stations')
    expect(performance.now() - started).toBeLessThan(1500)
    expect(answer.status).toBe(503)
    expect(answer.headers.get('retry-after')).toBe('1')
    expect((answer.body as { error: { code: string } }).error.code).toBe('unavailable')
    const health = await api.call('/api/health')
    expect(health.status).toBe(503)
    expect(health.body).toMatchObject({ status: 'degraded', store: { reachable: false } })
    const login = await api.call('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'demo-admin', password: 'Admin-pass-1' }),
    })
    expect(login.status).toBe(503)
  })
})

describe('the server environment', () => {
  it('refuses a production start without a signing secret or a store, naming both', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET[\s\S]*REDIS_URL/)
  })

  it('refuses half an Upstash configuration and a malformed REDIS_URL', () => {
    expect(() => parseEnv({ UPSTASH_REDIS_REST_URL: 'https://example.upstash.io' })).toThrow(
      /UPSTASH_REDIS_REST_TOKEN/,
    )
    expect(() => parseEnv({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/)
  })

  it('accepts a complete production configuration', () => {
    const env = parseEnv({
      NODE_ENV: 'production',
      REDIS_URL: 'redis://127.0.0.1:6379',
      AUTH_JWT_SECRET: 'x'.repeat(40),
      PII_KEYS: `1:${Buffer.alloc(32, 1).toString('base64')}`,
      PII_INDEX_KEY: Buffer.alloc(32, 2).toString('base64'),
      STORE_TIMEOUT_MS: '800',
    })
    expect(env.STORE_TIMEOUT_MS).toBe(800)
    expect(env.LOG_LEVEL).toBe('info')
  })
})
