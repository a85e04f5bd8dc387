import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { parseMarkup, plainTextOf } from '../../src/shared/markup'
import { ancestorsOf, isWithin } from '../../src/shared/regions'
import type { AnnouncementInput, AnnouncementView } from '../../src/shared/schemas/announce'
import { prepareAudit } from './audit'
import { env } from './env'
import { AppError } from './errors'
import { log } from './log'
import { wechatClient } from './platforms/logins'
import { type SendOutcome, sendSubscribeMessage } from './platforms/subscribe'
import type { AccessScope } from './policy'
import type { Caller } from './route'
import { store } from './store'
import { keys } from './store/keys'
import { compareAndSet, readVersioned } from './store/versioned'

/**
 * Announcements (政策推送) and their fan-out to subscribers.
 *
 * Fan-out runs as a chain of queue jobs, one batch of recipients each (QStash in production, an
 * in-process queue otherwise; both deliver at least once, possibly late and out of order). A batch
 * costs three storage calls however many recipients it has: the recipient page (SSCAN), one script
 * that *claims* each recipient in the announcement's delivery hash (HSETNX, so a redelivered job
 * skips everyone already claimed) and checks their subscription, and one script that records the
 * outcomes and spends one-time subscriptions. WeChat is called between them with the shared
 * access token; 5xx and timeouts are retried with backoff, 43101 (subscription used up) is final.
 */
const RecordSchema = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  category: z.string(),
  links: z.array(z.string()),
  target: z.object({
    regions: z.array(z.string()),
    stations: z.array(z.string()),
    groups: z.array(z.string()),
  }),
  status: z.enum(['published', 'withdrawn']),
  publishAt: z.string(),
  createdAt: z.string(),
  author: z.string(),
  scope: z.string().nullable(),
  corrections: z.array(z.object({ at: z.string(), note: z.string() })),
})
type Announcement = z.infer<typeof RecordSchema>
const parse = (doc: unknown) => {
  const parsed = RecordSchema.safeParse(doc)
  return parsed.success ? parsed.data : null
}

export interface FanoutJob {
  announcement: string
  /** Which recipient set (0-based, over target regions then stations) and where in it. */
  set: number
  cursor: string
}

export interface JobQueue {
  /** Sends a job; `id` deduplicates (QStash: Upstash-Deduplication-Id). */
  enqueue(job: FanoutJob, options: { id: string; delayMs?: number }): Promise<void>
}

let queue: JobQueue | undefined
let makeQueue: (() => JobQueue) | undefined
/** Tests install their own queue (one that redelivers, say). */
export function installQueue(next: JobQueue): void {
  queue = next
}
/** The default queue, built on first use (after the environment is final). */
export function registerQueueFactory(factory: () => JobQueue): void {
  makeQueue = factory
}
function jobQueue(): JobQueue {
  queue ??= makeQueue?.()
  if (!queue) throw new Error('no job queue installed')
  return queue
}

const BATCH = 500
/** Sends in flight per batch, and how long one may take: WeChat answers a send in ~100–200 ms. */
const SEND_CONCURRENCY = 32
const SEND_TIMEOUT_MS = 10_000
const CLAIM_STALE_MS = 5 * 60_000

function view(record: Announcement, version: number, read?: boolean): AnnouncementView {
  return {
    id: record.id,
    title: record.title,
    body: record.body,
    category: record.category as AnnouncementView['category'],
    links: record.links,
    target: record.target,
    status:
      record.status === 'withdrawn'
        ? 'withdrawn'
        : Date.parse(record.publishAt) > Date.now()
          ? 'scheduled'
          : 'published',
    version,
    publishAt: record.publishAt,
    corrections: record.corrections,
    ...(read === undefined ? {} : { read }),
  }
}

/** The recipient sets of a target: its regions, then its stations. */
function recipientSets(record: Announcement): string[] {
  return [
    ...record.target.regions.map((region) => keys.subscribersOfRegion(region)),
    ...record.target.stations.map((station) => keys.subscribersOfStation(station)),
  ]
}

/** Officials compose within their region; administrators anywhere. */
function mayTarget(access: AccessScope, input: AnnouncementInput, stationRegions: string[]): boolean {
  if (access.rule === 'all') return true
  if (access.rule !== 'region') return false
  return [...input.target.regions, ...stationRegions].every((code) => isWithin(code, access.region))
}

export const announcements = {
  async publish(
    input: AnnouncementInput,
    access: AccessScope,
    caller: Caller,
    requestId: string,
    stationRegions: string[],
    now = new Date(),
  ) {
    if (!mayTarget(access, input, stationRegions)) {
      throw new AppError('forbidden', {
        message: '只能向本地区推送',
        fields: { 'target.regions': ['超出本地区'] },
      })
    }
    const publishAt =
      input.publishAt && Date.parse(input.publishAt) > now.getTime() ? input.publishAt : now.toISOString()
    const record: Announcement = {
      id: randomUUID(),
      title: input.title,
      body: input.body,
      category: input.category,
      links: input.links,
      target: input.target,
      status: 'published',
      publishAt,
      createdAt: now.toISOString(),
      author: caller.account.id,
      scope: access.rule === 'region' ? access.region : null,
      corrections: [],
    }
    const score = Date.parse(publishAt)
    const audit = prepareAudit(
      { action: 'announcement_published', actor: caller.account.id, target: record.id, requestId },
      now,
    )
    const result = await compareAndSet(keys.announcement(record.id), null, record, [
      ...record.target.regions.map((region) => ({
        op: 'zadd' as const,
        key: keys.announcementsOfRegion(region),
        score,
        member: record.id,
      })),
      ...record.target.stations.map((station) => ({
        op: 'zadd' as const,
        key: keys.announcementsOfStation(station),
        score,
        member: record.id,
      })),
      // Listed for the composer's region and every region above it (administrators read '000000').
      ...[...(record.scope ? ancestorsOf(record.scope) : []), '000000'].map((code) => ({
        op: 'zadd' as const,
        key: keys.announcementsInScope(code),
        score,
        member: record.id,
      })),
      { op: 'lpush', key: audit.key, member: audit.line },
      { op: 'expire', key: audit.key, seconds: audit.ttl },
    ])
    if (result !== 'ok') throw new AppError('conflict')
    await jobQueue().enqueue(
      { announcement: record.id, set: 0, cursor: '0' },
      { id: `${record.id}-0-0`, delayMs: Math.max(0, score - now.getTime()) },
    )
    return view(record, 1)
  },

  async get(id: string) {
    return readVersioned(keys.announcement(id), parse)
  },

  async editable(access: AccessScope, id: string) {
    const found = await announcements.get(id)
    const inScope =
      found &&
      (access.rule === 'all' ||
        (access.rule === 'region' &&
          found.record.scope !== null &&
          isWithin(found.record.scope, access.region)))
    if (!found || !inScope) throw new AppError('not_found', { message: '没有找到这条公告' })
    return found
  },

  async correct(
    found: { record: Announcement; version: number },
    input: { version: number; title?: string | undefined; body?: string | undefined; note: string },
    caller: Caller,
    requestId: string,
    now = new Date(),
  ) {
    if (input.version !== found.version)
      throw new AppError('conflict', { message: '公告已被修改，请刷新后再试' })
    if (found.record.status === 'withdrawn') throw new AppError('conflict', { message: '公告已撤回' })
    const next: Announcement = {
      ...found.record,
      ...(input.title ? { title: input.title } : {}),
      ...(input.body ? { body: input.body } : {}),
      corrections: [...found.record.corrections, { at: now.toISOString(), note: input.note }],
    }
    const audit = prepareAudit(
      { action: 'announcement_corrected', actor: caller.account.id, target: next.id, requestId },
      now,
    )
    const result = await compareAndSet(keys.announcement(next.id), found.version, next, [
      { op: 'lpush', key: audit.key, member: audit.line },
      { op: 'expire', key: audit.key, seconds: audit.ttl },
    ])
    if (result !== 'ok') throw new AppError('conflict', { message: '公告已被修改，请刷新后再试' })
    return view(next, found.version + 1)
  },

  async withdraw(
    found: { record: Announcement; version: number },
    input: { version: number; note: string },
    caller: Caller,
    requestId: string,
    now = new Date(),
  ) {
    if (input.version !== found.version)
      throw new AppError('conflict', { message: '公告已被修改，请刷新后再试' })
    const next: Announcement = {
      ...found.record,
      status: 'withdrawn',
      corrections: [...found.record.corrections, { at: now.toISOString(), note: `已撤回：${input.note}` }],
    }
    const audit = prepareAudit(
      { action: 'announcement_withdrawn', actor: caller.account.id, target: next.id, requestId },
      now,
    )
    const result = await compareAndSet(keys.announcement(next.id), found.version, next, [
      { op: 'lpush', key: audit.key, member: audit.line },
      { op: 'expire', key: audit.key, seconds: audit.ttl },
    ])
    if (result !== 'ok') throw new AppError('conflict', { message: '公告已被修改，请刷新后再试' })
    return view(next, found.version + 1)
  },

  /** A resident's feed: published announcements for their region (and its parents), station and groups. */
  async feed(
    input: { account: string; region?: string | undefined; station?: string | undefined; groups: string[] },
    now = new Date(),
  ) {
    const redis = store().redis
    const sets = [
      ...(input.region ? ancestorsOf(input.region).map((code) => keys.announcementsOfRegion(code)) : []),
      ...(input.station ? [keys.announcementsOfStation(input.station)] : []),
    ]
    const ids = new Set<string>()
    for (const set of sets) {
      for (const id of await redis.zrange<string[]>(set, now.getTime(), 0, {
        byScore: true,
        rev: true,
        offset: 0,
        count: 50,
      }))
        ids.add(String(id))
    }
    const read = new Set((await redis.smembers(keys.announcementsRead(input.account))).map(String))
    const found = await Promise.all([...ids].map((id) => announcements.get(id)))
    const items = found
      .filter((item): item is NonNullable<typeof item> => item !== null && item.record.status === 'published')
      .filter(
        ({ record }) =>
          record.target.groups.length === 0 ||
          record.target.groups.some((group) => input.groups.includes(group)),
      )
      .sort((a, b) => b.record.publishAt.localeCompare(a.record.publishAt))
      .map(({ record, version }) => view(record, version, read.has(record.id)))
    return { items, unread: items.filter((item) => !item.read).length }
  },

  /** What a composer may manage: their region's announcements, or all for administrators. */
  async managed(access: AccessScope) {
    const scope = access.rule === 'region' ? access.region : '000000'
    const ids = (
      await store().redis.zrange<string[]>(keys.announcementsInScope(scope), 0, 99, { rev: true })
    ).map(String)
    const found = await Promise.all(ids.map((id) => announcements.get(id)))
    return found
      .filter((item): item is NonNullable<typeof item> => item !== null)
      .map(({ record, version }) => view(record, version))
  },

  async markRead(account: string, id: string) {
    await store().redis.sadd(keys.announcementsRead(account), id)
  },

  async view(id: string) {
    const found = await announcements.get(id)
    if (found?.record.status !== 'published' || Date.parse(found.record.publishAt) > Date.now()) {
      throw new AppError('not_found', { message: '没有找到这条公告，可能已撤回' })
    }
    return view(found.record, found.version)
  },

  async stats(id: string) {
    const raw = await store().redis.hgetall<Record<string, unknown>>(keys.deliveryStats(id))
    const number = (key: string) => Number(raw?.[key] ?? 0)
    const total = number('total')
    const sent = number('sent')
    const failed = number('failed')
    const skipped = number('skipped')
    return {
      sent,
      failed,
      skipped,
      total,
      pending: Math.max(0, total - sent - failed - skipped),
      done: raw?.done === 1 || raw?.done === '1',
    }
  },

  /** A resident's opt-in: where they live, their groups, and the template's sends left. */
  async subscribe(input: {
    account: string
    openid: string
    templateId: string
    kind: 'one_time' | 'long_term'
    count: number
    region: string
    station?: string | undefined
    groups: string[]
  }) {
    const longTerm = input.kind === 'long_term'
    if (longTerm && !env().WECHAT_LONG_TERM_SUBSCRIPTIONS) {
      throw new AppError('validation_failed', { fields: { kind: ['本小程序的类目不支持长期订阅'] } })
    }
    const tx = store().redis.multi()
    tx.hset(keys.subscriber(input.account), { openid: input.openid, groups: input.groups.join(',') })
    if (longTerm) tx.hset(keys.subscriber(input.account), { [`${input.templateId}:lt`]: 1 })
    else tx.hincrby(keys.subscriber(input.account), `${input.templateId}:n`, input.count)
    for (const code of ancestorsOf(input.region)) tx.sadd(keys.subscribersOfRegion(code), input.account)
    if (input.station) tx.sadd(keys.subscribersOfStation(input.station), input.account)
    await tx.exec()
  },
}

/**
 * Claims a batch: for each account not yet claimed (or claimed long ago by a job that died),
 * whose groups match and who has a subscription left, HSETNX the claim and answer its openid.
 * KEYS 1 delivery hash, 2 stats; ARGV 1 template, 2 now (ms), 3 stale before (ms), 4 groups
 * ("" = all), 5 subscriber key prefix, 6… accounts. Answers account, openid, account, openid, …
 */
const CLAIM_SCRIPT = `
local out = {}
local groups = {}
for g in string.gmatch(ARGV[4], '[^,]+') do groups[g] = true end
local skipped = 0
local claimed = 0
for i = 6, #ARGV do
  local account = ARGV[i]
  local state = redis.call('HGET', KEYS[1], account)
  local stale = state and string.sub(state, 1, 8) == 'claimed:' and tonumber(string.sub(state, 9)) < tonumber(ARGV[3])
  if not state or stale then
    local sub = redis.call('HMGET', ARGV[5] .. account, 'openid', 'groups', ARGV[1] .. ':n', ARGV[1] .. ':lt')
    local wanted = ARGV[4] == ''
    if not wanted and sub[2] then
      for g in string.gmatch(sub[2], '[^,]+') do if groups[g] then wanted = true end end
    end
    local left = tonumber(sub[3] or '0') > 0 or sub[4] == '1'
    if not sub[1] then
      redis.call('HSET', KEYS[1], account, 'skipped:no_openid')
      skipped = skipped + 1
    elseif not wanted then
      redis.call('HSET', KEYS[1], account, 'skipped:not_targeted')
      skipped = skipped + 1
    elseif not left then
      redis.call('HSET', KEYS[1], account, 'skipped:no_subscription')
      skipped = skipped + 1
    else
      redis.call('HSET', KEYS[1], account, 'claimed:' .. ARGV[2])
      if not stale then claimed = claimed + 1 end
      table.insert(out, account)
      table.insert(out, sub[1])
    end
  end
end
if skipped + claimed > 0 then
  redis.call('HINCRBY', KEYS[2], 'total', skipped + claimed)
  redis.call('HINCRBY', KEYS[2], 'skipped', skipped)
end
return out`

/**
 * Records outcomes: KEYS 1 delivery hash, 2 stats; ARGV 1 template, 2 subscriber key prefix,
 * then triples account, outcome ('sent' | 'failed:<code>'), spend ('1' spends a one-time send,
 * '0' not, 'all' ends the subscription — 43101).
 */
const RECORD_SCRIPT = `
local sent = 0
local failed = 0
for i = 3, #ARGV, 3 do
  local account = ARGV[i]
  redis.call('HSET', KEYS[1], account, ARGV[i + 1])
  if ARGV[i + 1] == 'sent' then sent = sent + 1 else failed = failed + 1 end
  local key = ARGV[2] .. account
  if ARGV[i + 2] == '1' then
    if tonumber(redis.call('HGET', key, ARGV[1] .. ':n') or '0') > 0 then redis.call('HINCRBY', key, ARGV[1] .. ':n', -1) end
  elseif ARGV[i + 2] == 'all' then
    redis.call('HDEL', key, ARGV[1] .. ':n', ARGV[1] .. ':lt')
  end
end
redis.call('HINCRBY', KEYS[2], 'sent', sent)
redis.call('HINCRBY', KEYS[2], 'failed', failed)
return sent`

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function sendWithRetry(send: () => Promise<SendOutcome>, attempts = 4): Promise<SendOutcome> {
  let outcome: SendOutcome = { kind: 'transient' }
  for (let attempt = 0; attempt < attempts; attempt++) {
    outcome = await send()
    if (outcome.kind !== 'transient') return outcome
    await sleep(100 * 2 ** attempt + Math.random() * 50)
  }
  return outcome
}

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++] as T
        await task(item)
      }
    }),
  )
}

/** Handles one fan-out job: one batch of one recipient set, then queues the next batch. */
export async function runFanoutJob(job: FanoutJob, now = new Date()): Promise<{ processed: number }> {
  const found = await announcements.get(job.announcement)
  if (found?.record.status !== 'published') return { processed: 0 }
  const { record } = found
  const sets = recipientSets(record)
  const set = sets[job.set]
  const statsKey = keys.deliveryStats(record.id)
  if (!set) {
    await store().redis.hset(statsKey, { done: 1 })
    return { processed: 0 }
  }
  const redis = store().redis
  const [cursor, members] = await redis.sscan(set, job.cursor, { count: BATCH })
  const nextCursor = String(cursor)
  // Queue the next batch first: a crash below still lets the fan-out continue.
  const next: FanoutJob =
    nextCursor === '0'
      ? { announcement: record.id, set: job.set + 1, cursor: '0' }
      : { ...job, cursor: nextCursor }
  await jobQueue().enqueue(next, { id: `${next.announcement}-${next.set}-${next.cursor}` })
  const templateId = env().WECHAT_ANNOUNCEMENT_TEMPLATE_ID
  const client = wechatClient()
  if (!templateId || !client || members.length === 0) return { processed: 0 }
  const claimed = (await redis.eval(
    CLAIM_SCRIPT,
    [keys.deliveries(record.id), statsKey],
    [
      templateId,
      String(now.getTime()),
      String(now.getTime() - CLAIM_STALE_MS),
      record.target.groups.join(','),
      keys.subscriber(''),
      ...members.map(String),
    ],
  )) as unknown[]
  const pairs: [string, string][] = []
  for (let i = 0; i + 1 < claimed.length; i += 2) pairs.push([String(claimed[i]), String(claimed[i + 1])])
  const results: string[] = []
  const text = plainTextOf(parseMarkup(record.body))
  await pool(pairs, SEND_CONCURRENCY, async ([account, openid]) => {
    const outcome = await sendWithRetry(() =>
      sendSubscribeMessage(
        client,
        {
          openid,
          templateId,
          page: `pages/feed/index?id=${record.id}`,
          data: {
            thing1: { value: record.title.slice(0, 20) },
            thing2: { value: text.slice(0, 20) },
            time3: { value: record.publishAt.slice(0, 16).replace('T', ' ') },
          },
        },
        SEND_TIMEOUT_MS,
      ),
    )
    if (outcome.kind === 'sent') results.push(account, 'sent', '1')
    else if (outcome.kind === 'refused')
      results.push(account, `failed:${outcome.errcode}`, outcome.errcode === 43101 ? 'all' : '0')
    else results.push(account, `failed:${outcome.errcode ?? 'transient'}`, '0')
  })
  if (results.length > 0) {
    await redis.eval(
      RECORD_SCRIPT,
      [keys.deliveries(record.id), statsKey],
      [templateId, keys.subscriber(''), ...results],
    )
  }
  log('info', 'fan-out batch', {
    announcement: record.id,
    set: job.set,
    recipients: members.length,
    sent: results.filter((r) => r === 'sent').length,
  })
  return { processed: members.length }
}

/** The in-process queue of `npm start` and the tests: jobs run on timers, deduplicated per process. */
export function createInProcessQueue(
  options: { onError?: (error: unknown) => void } = {},
): JobQueue & { idle(): Promise<void> } {
  const seen = new Set<string>()
  let running = 0
  let waiters: (() => void)[] = []
  const settle = () => {
    if (running === 0) {
      for (const resolve of waiters) resolve()
      waiters = []
    }
  }
  return {
    async enqueue(job, { id, delayMs = 0 }) {
      if (seen.has(id)) return
      seen.add(id)
      running++
      setTimeout(() => {
        runFanoutJob(job)
          .catch((error: unknown) => options.onError?.(error))
          .finally(() => {
            running--
            settle()
          })
      }, delayMs).unref?.()
    },
    idle() {
      return running === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))
    },
  }
}

export type { Announcement }
