import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setLogSink } from '../../api/_lib/log'
import { accounts } from '../../api/_lib/repos/accounts'
import { ensureDemoAccounts, seedDemoStations, seedPocketbook } from '../../api/_lib/seed'
import { startSession } from '../../api/_lib/sessions'
import { createRedisStore, createUpstashStore, installStore, type Store } from '../../api/_lib/store'
import { startLocalServer } from '../../scripts/local-server'
import { startRedisServer } from './redis-server'
import { logsForSweep } from './sweep'
import { startUpstashRestServer } from './upstash-rest-server'

export type Transport = 'tcp' | 'http'

export interface TestApi {
  url: string
  store: Store
  redis: Awaited<ReturnType<typeof startRedisServer>>
  /** Every log line the API wrote during the test run. */
  logs: string[]
  passwords: Record<string, string>
  call(
    path: string,
    init?: RequestInit,
  ): Promise<{ status: number; headers: Headers; body: unknown; text: string }>
  login(username: string): Promise<string>
  /** A fresh H5 device session (a resident), as the app gets on first launch. */
  resident(ip?: string): Promise<{ token: string; accountId: string }>
  /** A new staff account bound to a station, and its access token. */
  staffOf(station: string, role?: 'station_staff' | 'bank_staff'): Promise<string>
  close(): Promise<void>
}

/**
 * The API as the tests see it: a real redis-server on a free port, the real `@upstash/redis`
 * client in front of it — over TCP through our requester, or over HTTP through an Upstash-
 * protocol server — demo data seeded, and the same local server `npm start` runs.
 */
export async function startTestApi(
  transport: Transport,
  options: { timeoutMs?: number } = {},
): Promise<TestApi> {
  const logs: string[] = []
  setLogSink((line) => logs.push(line))
  const redis = await startRedisServer()
  const timeoutMs = options.timeoutMs ?? 600
  let rest: Awaited<ReturnType<typeof startUpstashRestServer>> | undefined
  let store: Store
  if (transport === 'http') {
    rest = await startUpstashRestServer({ redisUrl: redis.url, token: 'test-token-not-a-secret' })
    store = createUpstashStore(rest.url, rest.token, timeoutMs)
  } else {
    store = createRedisStore(redis.url, timeoutMs)
  }
  installStore(store)
  await seedDemoStations()
  await seedPocketbook()
  const passwords = {
    'demo-resident': 'Resident-pass-1',
    'demo-station': 'Station-pass-1',
    'demo-bank': 'Bank-pass-1',
    'demo-official': 'Official-pass-1',
    'demo-admin': 'Admin-pass-1',
  }
  await ensureDemoAccounts(passwords)
  const staticRoot = mkdtempSync(join(tmpdir(), 'doorstep-static-'))
  const server = await startLocalServer({ port: 0, host: '127.0.0.1', staticRoot })

  async function call(path: string, init?: RequestInit) {
    const response = await fetch(`${server.url}${path}`, init)
    const text = await response.text()
    let body: unknown = null
    try {
      body = text ? JSON.parse(text) : null
    } catch {
      body = text
    }
    return { status: response.status, headers: response.headers, body, text }
  }

  return {
    url: server.url,
    store,
    redis,
    logs,
    passwords,
    call,
    async login(username) {
      const password = passwords[username as keyof typeof passwords]
      const answer = await call('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password }),
      })
      if (answer.status !== 200) throw new Error(`login ${username} failed: ${answer.status} ${answer.text}`)
      return (answer.body as { accessToken: string }).accessToken
    },
    async resident(ip = `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`) {
      const answer = await call('/api/v1/auth/device', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
        body: '{}',
      })
      if (answer.status !== 200) throw new Error(`device session failed: ${answer.status} ${answer.text}`)
      const token = (answer.body as { accessToken: string }).accessToken
      const me = await call('/api/v1/auth/me', { headers: { Authorization: `Bearer ${token}` } })
      return { token, accountId: (me.body as { id: string }).id }
    },
    async staffOf(station, role = 'bank_staff') {
      const account = await accounts.create({
        displayName: `${station} 经办`,
        role,
        scope: { type: 'station', code: station },
        username: `t-${station.toLowerCase()}-${randomUUID().slice(0, 8)}`,
      })
      if (!account) throw new Error('could not create a staff account')
      return (await startSession(account)).accessToken
    },
    async close() {
      logsForSweep(logs)
      await server.close()
      await store.close()
      await rest?.close()
      await redis.stop()
    },
  }
}
