import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routes } from '../../api/_lib/routes'
import { startTestApi, type TestApi } from '../support/api-server'

/**
 * Every operation the OpenAPI document lists gets generated input — valid-looking, almost
 * valid and hostile — and must never answer 5xx; rejected writes must leave the store as it was.
 */
type Operation = { method: string; path: string }

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '%',
    '%E0%A4%A',
    '..%2F..',
    '\u0000',
    '370200',
    'QD0001',
    'qd0001',
  ),
  fc.string({ minLength: 2000, maxLength: 5000 }),
)

const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
  fc.record({ username: hostileString, password: hostileString }),
  fc.record(
    { username: fc.constantFrom('demo-admin', 'demo-station'), password: fc.string() },
    { requiredKeys: [] },
  ),
)

const rawBody = fc.oneof(
  hostileJson.map((value) => JSON.stringify(value) ?? 'null'),
  fc.string(),
  fc.integer({ min: 1, max: 5000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 1, max: 5000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.constantFrom('{"__proto__":{"admin":true}}', '{"a":1,"a":2}', '{', '\uFEFF{}', '[', 'null', '"x"'),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
)

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
)

describe('generated input against every documented operation', () => {
  let api: TestApi
  let operations: Operation[]
  let snapshot: string[]

  beforeAll(async () => {
    api = await startTestApi('tcp')
    const document = (await api.call('/api/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>
    }
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => ({ method: method.toUpperCase(), path })),
    )
    snapshot = await dataKeys()
  })
  /** Business data: rate-limit counters and the audit trail are meant to grow with traffic. */
  async function dataKeys(): Promise<string[]> {
    return (await api.store.redis.keys('*'))
      .map(String)
      .filter((key) => !key.startsWith('ds:rl') && !key.startsWith('ds:audit:'))
      .sort()
  }

  afterAll(async () => {
    await api?.close()
  })

  // One case per route; the OpenAPI test in foundation.test.ts proves routes and document agree.
  it.each(routes.map((route) => ({ method: route.method, path: route.path })))(
    '$method $path never answers 5xx and stores nothing when it refuses',
    async (operation) => {
      expect(operations).toContainEqual(operation)
      const statuses = new Map<number, number>()
      const runs = Number(process.env.FUZZ_RUNS ?? (operation.path.includes('login') ? 150 : 300))
      await fc.assert(
        fc.asyncProperty(
          fc.array(hostileString, { maxLength: 2 }),
          fc.dictionary(hostileString, hostileString, { maxKeys: 4 }),
          rawBody,
          contentType,
          fc.boolean(),
          fc.ipV4(),
          async (segments, query, body, type, encode, ip) => {
            const path = operation.path.replace(/\{\w+\}/g, () => {
              const value = segments[0] ?? 'QD0001'
              return encode ? encodeURIComponent(value) : value.replace(/[/?#\s]/g, '')
            })
            const search = new URLSearchParams(query).toString()
            // A different client address each time, so rate limits do not hide the handlers.
            const init: RequestInit = { method: operation.method, headers: { 'X-Forwarded-For': ip } }
            if (operation.method !== 'GET') {
              init.body = body
              if (type) init.headers = { 'X-Forwarded-For': ip, 'Content-Type': type }
            }
            let answer: Awaited<ReturnType<TestApi['call']>>
            try {
              answer = await api.call(`${path}${search ? `?${search}` : ''}`, init)
            } catch {
              return // the HTTP client refused to build the request (an invalid URL): nothing was sent
            }
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
            expect(answer.status, `${operation.method} ${path} → ${answer.text.slice(0, 200)}`).toBeLessThan(
              500,
            )
            // 431: Node's own refusal of an oversized request line, before our handler runs.
            if (answer.status >= 400 && answer.status !== 431) {
              expect(answer.body).toMatchObject({
                error: { code: expect.any(String), message: expect.any(String) },
              })
            }
          },
        ),
        { numRuns: runs, endOnFailure: true },
      )
      expect([...statuses.keys()].some((status) => status >= 400)).toBe(true)
      const after = await dataKeys()
      if ([...statuses.keys()].some((status) => status < 300)) {
        // Some generated requests were valid (a device login, say): they may add, never remove.
        expect(after).toEqual(expect.arrayContaining(snapshot))
      } else {
        expect(after).toEqual(snapshot)
      }
      snapshot = after
    },
    180_000,
  )
})
