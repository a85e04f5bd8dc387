/**
 * `npm run bench:fanout` — 10,000 subscribers notified through the fan-out, against the local
 * WeChat fake answering with 150 ms latency and 0.5 % server errors, every queue job delivered
 * 1–3 times out of order, on a real redis-server. Prints the wall time, sends per subscriber
 * (must be exactly 1) and the storage commands per recipient, counted at the storage client.
 */

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Requester, UpstashRequest } from '@upstash/redis'
import { Redis } from '@upstash/redis'
import { announcements, type FanoutJob, installQueue, runFanoutJob } from '../../api/_lib/announcements'
import { seedDemoStations } from '../../api/_lib/seed'
import { installStore } from '../../api/_lib/store'
import { createTcpRequester } from '../../api/_lib/store/tcp-requester'
import { startFakeWechat } from '../../test/support/fake-wechat'
import { startEmbeddedRedis } from '../embedded-redis'

export const FANOUT_SECONDS_TARGET = 60
export const FANOUT_COMMANDS_TARGET = 2

export interface FanoutFigures {
  subscribers: number
  seconds: number
  sends: number
  duplicates: number
  missing: number
  commandsPerRecipient: number
  roundTripsPerRecipient: number
}

export async function measureFanout(subscribers = 10_000): Promise<FanoutFigures> {
  process.env.LOG_LEVEL ??= 'silent'
  const APPID = 'wx00000000000000b9'
  const TEMPLATE = 'tmpl-bench-announcement'
  const wechat = await startFakeWechat({ appid: APPID, secret: 'bench-secret', latencyMs: 150 })
  Object.assign(process.env, {
    WECHAT_APPID: APPID,
    WECHAT_SECRET: 'bench-secret',
    WECHAT_API_BASE: wechat.url,
    WECHAT_ANNOUNCEMENT_TEMPLATE_ID: TEMPLATE,
  })
  const redisServer = await startEmbeddedRedis(mkdtempSync(join(tmpdir(), 'doorstep-bench-fanout-')))
  const tcp = createTcpRequester({ url: redisServer.url, commandTimeoutMs: 5000, connectTimeoutMs: 2000 })
  const counter = { roundTrips: 0, commands: 0, counting: false }
  const requester: Requester = {
    request<T>(req: UpstashRequest) {
      if (counter.counting) {
        counter.roundTrips++
        const body = req.body as unknown[] | undefined
        counter.commands += Array.isArray(body) && Array.isArray(body[0]) ? body.length : 1
      }
      return tcp.requester.request<T>(req)
    },
  }
  installStore({ redis: new Redis(requester), kind: 'embedded-redis', close: () => tcp.close() })
  await seedDemoStations()
  // The chaotic queue: every job 1–3 times, at random moments.
  let inFlight = 0
  let finished: () => void = () => {}
  const done = new Promise<void>((resolve) => {
    finished = resolve
  })
  // Deduplicated by job id as QStash does (Upstash-Deduplication-Id), then delivered 1–3 times.
  const enqueued = new Set<string>()
  installQueue({
    async enqueue(job: FanoutJob, { id }) {
      if (enqueued.has(id)) return
      enqueued.add(id)
      const copies = 1 + Math.floor(Math.random() * 3)
      for (let i = 0; i < copies; i++) {
        inFlight++
        setTimeout(() => {
          runFanoutJob(job)
            .catch(() => undefined)
            .finally(() => {
              inFlight--
              if (inFlight === 0) finished()
            })
        }, Math.random() * 100)
      }
    },
  })
  try {
    for (let i = 0; i < subscribers; i++) {
      await announcements.subscribe({
        account: `bench-${i}`,
        openid: `openid-bench-${i}`,
        templateId: TEMPLATE,
        kind: 'one_time',
        count: 1,
        region: '500103',
        groups: [],
      })
      wechat.grantSubscription(`openid-bench-${i}`, TEMPLATE, 3)
    }
    wechat.setSubscribeFailureRate(0.005)
    const caller = {
      account: {
        id: 'bench-official',
        role: 'official' as const,
        scope: { type: 'region' as const, code: '500000' },
        displayName: '压测',
        identities: [],
        disabled: false,
        createdAt: '',
        updatedAt: '',
      },
      claims: { sub: 'bench-official', role: 'official' as const, sid: 's', jti: 'j', iat: 0, exp: 0 },
    }
    const started = performance.now()
    counter.counting = true
    await announcements.publish(
      {
        title: '压测推送',
        body: '压测正文',
        category: 'service',
        links: [],
        target: { regions: ['500000'], stations: [], groups: [] },
      },
      { rule: 'region', accountId: 'bench-official', region: '500000' },
      caller,
      'bench',
      [],
    )
    await done
    counter.counting = false
    const seconds = (performance.now() - started) / 1000
    const per = new Map<string, number>()
    for (const message of wechat.messages) per.set(message.openid, (per.get(message.openid) ?? 0) + 1)
    return {
      subscribers,
      seconds,
      sends: wechat.messages.length,
      duplicates: [...per.values()].filter((count) => count > 1).length,
      missing: subscribers - per.size,
      commandsPerRecipient: counter.commands / subscribers,
      roundTripsPerRecipient: counter.roundTrips / subscribers,
    }
  } finally {
    await tcp.close()
    await redisServer.stop()
    await wechat.close()
  }
}

async function main() {
  const figures = await measureFanout()
  console.log(
    `Fan-out to ${figures.subscribers} subscribers (WeChat fake: 150 ms latency, 0.5 % 5xx; every job delivered 1–3 times):`,
  )
  console.log(`  wall time          ${figures.seconds.toFixed(1)} s (target ≤ ${FANOUT_SECONDS_TARGET} s)`)
  console.log(
    `  sends              ${figures.sends} — duplicates ${figures.duplicates}, missing ${figures.missing}`,
  )
  console.log(
    `  storage per recipient  ${figures.commandsPerRecipient.toFixed(3)} commands, ${figures.roundTripsPerRecipient.toFixed(3)} round trips (target ≤ ${FANOUT_COMMANDS_TARGET} commands)`,
  )
}

if (require.main === module) {
  main()
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      console.error(error)
      process.exit(1)
    })
}
