/**
 * `npm run bench:intake` — loan intake submit and queue-page latency (p50/p99) through the local
 * server on a real redis-server, and the storage round trips and commands each request costs.
 *
 * Round trips and commands are counted at the storage client's requester (what `@upstash/redis`
 * sends: one request = one round trip; a pipeline carries several commands). Requests run one at a
 * time, so every round trip is attributed to the request that caused it. Commands executed inside
 * a Lua script count once, as the script call — also how Upstash bills them — and the script's own
 * Redis calls are listed separately.
 */

import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Requester, UpstashRequest } from '@upstash/redis'
import { Redis } from '@upstash/redis'
import { ensureDemoAccounts, seedDemoStations } from '../../api/_lib/seed'
import { installStore } from '../../api/_lib/store'
import { createTcpRequester } from '../../api/_lib/store/tcp-requester'
import { startEmbeddedRedis } from '../embedded-redis'
import { startLocalServer } from '../local-server'

export const SUBMIT_ROUND_TRIPS_TARGET = 1
export const SUBMIT_COMMANDS_TARGET = 6
export const QUEUE_ROUND_TRIPS_TARGET = 1

interface Counter {
  roundTrips: number
  commands: number
}

function counting(inner: Requester, counter: Counter): Requester {
  return {
    request<T>(req: UpstashRequest) {
      counter.roundTrips++
      const body = req.body as unknown[] | undefined
      counter.commands += Array.isArray(body) && Array.isArray(body[0]) ? body.length : 1
      return inner.request<T>(req)
    },
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

export interface IntakeFigures {
  submit: { p50: number; p99: number; roundTrips: number; commands: number; maxRoundTrips: number }
  queue: { p50: number; p99: number; roundTrips: number; commands: number; maxRoundTrips: number }
  intakes: number
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
function idNumber(seq: number): string {
  const body = `110105${1970 + (seq % 30)}0101${String(seq % 1000).padStart(3, '0')}`
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * (WEIGHTS[i] ?? 0), 0)
  return `${body}${'10X98765432'[sum % 11]}`
}

export async function measureIntake(count = 300): Promise<IntakeFigures> {
  process.env.LOG_LEVEL ??= 'silent'
  const redisServer = await startEmbeddedRedis(mkdtempSync(join(tmpdir(), 'doorstep-bench-intake-')))
  const tcp = createTcpRequester({ url: redisServer.url, commandTimeoutMs: 2000, connectTimeoutMs: 2000 })
  const counter: Counter = { roundTrips: 0, commands: 0 }
  installStore({
    redis: new Redis(counting(tcp.requester, counter)),
    kind: 'embedded-redis',
    close: () => tcp.close(),
  })
  await seedDemoStations()
  const passwords = { 'demo-bank': 'Bench-bank-pass-1' }
  await ensureDemoAccounts(passwords)
  const server = await startLocalServer({ port: 0, host: '127.0.0.1', staticRoot: tmpdir() })
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  try {
    const login = (await (
      await post('/api/v1/auth/login', { username: 'demo-bank', password: passwords['demo-bank'] })
    ).json()) as {
      accessToken: string
    }
    const residents: string[] = []
    for (let i = 0; i < count; i++) {
      const session = await post(
        '/api/v1/auth/device',
        {},
        { 'X-Forwarded-For': `10.60.${Math.floor(i / 250)}.${(i % 250) + 1}` },
      )
      residents.push(((await session.json()) as { accessToken: string }).accessToken)
    }
    const measure = async (run: () => Promise<Response>, expected: number) => {
      const before = { ...counter }
      const started = performance.now()
      const response = await run()
      await response.arrayBuffer()
      const ms = performance.now() - started
      if (response.status !== expected) throw new Error(`unexpected status ${response.status}`)
      return {
        ms,
        roundTrips: counter.roundTrips - before.roundTrips,
        commands: counter.commands - before.commands,
      }
    }
    // Warm-up: the first submit fills the process's 30-second station cache, as on any busy instance.
    await post('/api/v1/intakes', body(0), {
      Authorization: `Bearer ${residents[0]}`,
      'Idempotency-Key': randomUUID(),
      'X-Forwarded-For': '10.61.0.1',
    })
    const submits = []
    for (let i = 1; i < count; i++) {
      submits.push(
        await measure(
          () =>
            post('/api/v1/intakes', body(i), {
              Authorization: `Bearer ${residents[i]}`,
              'Idempotency-Key': randomUUID(),
              'X-Forwarded-For': `10.62.${Math.floor(i / 250)}.${(i % 250) + 1}`,
            }),
          201,
        ),
      )
    }
    const pages = []
    for (let i = 0; i < 200; i++) {
      pages.push(
        await measure(
          () =>
            fetch(`${server.url}/api/v1/queue?limit=20`, {
              headers: { Authorization: `Bearer ${login.accessToken}` },
            }),
          200,
        ),
      )
    }
    const summary = (samples: { ms: number; roundTrips: number; commands: number }[]) => ({
      p50: percentile(
        samples.map((s) => s.ms),
        50,
      ),
      p99: percentile(
        samples.map((s) => s.ms),
        99,
      ),
      roundTrips: samples.reduce((t, s) => t + s.roundTrips, 0) / samples.length,
      commands: samples.reduce((t, s) => t + s.commands, 0) / samples.length,
      maxRoundTrips: Math.max(...samples.map((s) => s.roundTrips)),
    })
    return { submit: summary(submits), queue: summary(pages), intakes: count }
  } finally {
    await server.close()
    await tcp.close()
    await redisServer.stop()
  }
}

function body(seq: number) {
  return {
    station: 'CQ0001',
    applicant: { groups: ['graduate'] },
    business: {
      status: 'individual',
      name: '压测早餐店',
      uscc: '91350100M000100Y43',
      industry: 'catering',
      startDate: '2026-03',
      employees: 3,
    },
    loan: { amount: 200_000, purpose: '购置设备', termMonths: 24, otherLoans: false },
    contact: {
      name: '压测申请人',
      idNumber: idNumber(seq),
      mobile: `1390000${String(seq % 10_000).padStart(4, '0')}`,
    },
    consent: { sensitive: true, version: '2026-11' },
  }
}

async function main() {
  const figures = await measureIntake()
  const ms = (value: number) => `${value.toFixed(2)} ms`
  console.log(`Loan intake on a real redis-server, ${figures.intakes} residents, one request at a time:`)
  console.log(
    `  submit      p50 ${ms(figures.submit.p50)}  p99 ${ms(figures.submit.p99)}  ` +
      `round trips ${figures.submit.roundTrips.toFixed(2)} (max ${figures.submit.maxRoundTrips}, target ≤ ${SUBMIT_ROUND_TRIPS_TARGET})  ` +
      `commands ${figures.submit.commands.toFixed(2)} (target ≤ ${SUBMIT_COMMANDS_TARGET})`,
  )
  console.log(
    `  queue page  p50 ${ms(figures.queue.p50)}  p99 ${ms(figures.queue.p99)}  ` +
      `round trips ${figures.queue.roundTrips.toFixed(2)} (max ${figures.queue.maxRoundTrips}; 1 is the staff session check, target ≤ ${QUEUE_ROUND_TRIPS_TARGET} for the page itself)  ` +
      `commands ${figures.queue.commands.toFixed(2)}`,
  )
  console.log(
    '  (a submit is one EVAL: session guard, idempotency, rate window, duplicate index, record, queue indexes and audit line run inside it)',
  )
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
