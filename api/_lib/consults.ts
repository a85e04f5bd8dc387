import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import {
  type ConsultationCreate,
  type ConsultationView,
  isPoorRating,
  RATINGS,
} from '../../src/shared/schemas/consult'
import { maskMobile } from '../../src/shared/validators'
import { workingDeadline } from '../../src/shared/working-days'
import { prepareAudit } from './audit'
import { decryptPii, encryptPii, piiContext } from './crypto'
import { env } from './env'
import { AppError } from './errors'
import { calendar } from './intake-service'
import { notifyOnWechat } from './platforms/notify'
import { type AccessScope, canSee } from './policy'
import { stations } from './repos/stations'
import type { Caller } from './route'
import { store } from './store'
import { keys } from './store/keys'
import { compareAndSet, type IndexOp, readVersioned } from './store/versioned'

/**
 * Consultations (政策咨询): a resident asks a station; its staff answer from an inbox, unanswered
 * first by due time (first answer within CONSULT_SLA_WORKING_DAYS, holidays respected); follow-ups
 * form a thread; the resident rates the answer on the 好差评 scale, and a 差评 reopens the case for
 * a supervisor (the region's officials). Every change is a compare-and-set with its indexes and
 * audit line in one script.
 */
const RecordSchema = z.object({
  id: z.string(),
  station: z.string(),
  region: z.string(),
  owner: z.string(),
  topic: z.string(),
  status: z.enum(['open', 'answered', 'reopened', 'closed']),
  createdAt: z.string(),
  score: z.number(),
  dueAt: z.string().nullable(),
  firstAnsweredAt: z.string().nullable(),
  messages: z.array(
    z.object({
      at: z.string(),
      from: z.enum(['resident', 'staff']),
      author: z.string().nullable(),
      text: z.string(),
      links: z.array(z.string()),
    }),
  ),
  unread: z.boolean(),
  rating: z.object({ score: z.number(), comment: z.string().optional(), at: z.string() }).nullable(),
  contact: z.enum(['in_app', 'phone']),
  /** Encrypted; masked for staff. */
  mobile: z.string().nullable(),
  mobileMasked: z.string().nullable(),
  notify: z.boolean(),
})
type ConsultRecord = z.infer<typeof RecordSchema>

const parse = (doc: unknown) => {
  const parsed = RecordSchema.safeParse(doc)
  return parsed.success ? parsed.data : null
}

function dueFrom(at: Date): string {
  return workingDeadline(at, env().CONSULT_SLA_WORKING_DAYS, calendar()).toISOString()
}

async function stationName(code: string): Promise<string> {
  return (await stations.getRecent(code))?.name ?? code
}

export async function viewOf(
  record: ConsultRecord,
  version: number,
  forStaff: boolean,
  now = new Date(),
): Promise<ConsultationView> {
  let mobile: string | null = null
  if (record.mobile) {
    mobile = forStaff
      ? record.mobileMasked
      : await decryptPii(record.mobile, piiContext(`consult:${record.id}`, 'mobile')).catch(() => null)
  }
  return {
    id: record.id,
    station: { code: record.station, name: await stationName(record.station) },
    topic: record.topic as ConsultationView['topic'],
    status: record.status,
    version,
    createdAt: record.createdAt,
    dueAt: record.dueAt,
    overdue: Boolean(record.dueAt && Date.parse(record.dueAt) < now.getTime()),
    messages: record.messages,
    unread: record.unread,
    rating: record.rating
      ? {
          score: record.rating.score,
          label: RATINGS[record.rating.score as keyof typeof RATINGS],
          ...(record.rating.comment ? { comment: record.rating.comment } : {}),
        }
      : null,
    contact: record.contact,
    mobile,
  }
}

function indexOps(previous: ConsultRecord | null, next: ConsultRecord): IndexOp[] {
  const ops: IndexOp[] = []
  const waiting = (record: ConsultRecord) => record.status === 'open' || record.status === 'reopened'
  if (previous && previous.station !== next.station) {
    ops.push({ op: 'zrem', key: keys.consultInbox(previous.station), member: next.id })
    ops.push({ op: 'zrem', key: keys.consultsOfStation(previous.station), member: next.id })
  }
  ops.push({ op: 'zadd', key: keys.consultsOfStation(next.station), score: next.score, member: next.id })
  if (waiting(next)) {
    ops.push({
      op: 'zadd',
      key: keys.consultInbox(next.station),
      score: Date.parse(next.dueAt ?? next.createdAt),
      member: next.id,
    })
  } else {
    ops.push({ op: 'zrem', key: keys.consultInbox(next.station), member: next.id })
  }
  ops.push({ op: 'zadd', key: keys.consultsOf(next.owner), score: next.score, member: next.id })
  ops.push({ op: next.unread ? 'sadd' : 'srem', key: keys.consultUnread(next.owner), member: next.id })
  return ops
}

function auditOps(line: { key: string; line: string; ttl: number }): IndexOp[] {
  return [
    { op: 'lpush', key: line.key, member: line.line },
    { op: 'expire', key: line.key, seconds: line.ttl },
  ]
}

async function write(
  previous: { record: ConsultRecord; version: number } | null,
  next: ConsultRecord,
  audit: { key: string; line: string; ttl: number } | null,
): Promise<number> {
  const result = await compareAndSet(keys.consult(next.id), previous?.version ?? null, next, [
    ...indexOps(previous?.record ?? null, next),
    ...(audit ? auditOps(audit) : []),
  ])
  if (result === 'conflict')
    throw new AppError('conflict', {
      message: '这条咨询已被他人处理，请刷新后再试',
      fields: { version: ['版本已过期'] },
    })
  if (result === 'missing') throw new AppError('not_found', { message: '没有找到这条咨询' })
  return (previous?.version ?? 0) + 1
}

export const consults = {
  async ask(body: ConsultationCreate, caller: Caller, now = new Date()): Promise<ConsultationView> {
    const station = await stations.getRecent(body.station)
    if (station?.status !== 'active' || !station.services.includes('consult')) {
      throw new AppError('validation_failed', {
        fields: { station: ['这个服务点暂不受理咨询，请选择其他服务点'] },
      })
    }
    const id = randomUUID()
    const mobile = body.mobile ? await encryptPii(body.mobile, piiContext(`consult:${id}`, 'mobile')) : null
    const record: ConsultRecord = {
      id,
      station: station.code,
      region: station.regionCode,
      owner: caller.account.id,
      topic: body.topic,
      status: 'open',
      createdAt: now.toISOString(),
      score: now.getTime(),
      dueAt: dueFrom(now),
      firstAnsweredAt: null,
      messages: [{ at: now.toISOString(), from: 'resident', author: null, text: body.text, links: [] }],
      unread: false,
      rating: null,
      contact: body.contact,
      mobile,
      mobileMasked: body.mobile ? maskMobile(body.mobile) : null,
      notify: body.notify === true,
    }
    const version = await write(null, record, null)
    return viewOf(record, version, false, now)
  },

  async get(id: string) {
    return readVersioned(keys.consult(id), parse)
  },

  /** A consultation the caller may see: its resident, the station's staff, the region's officials. */
  async visible(access: AccessScope, id: string) {
    const found = await consults.get(id)
    if (
      !found ||
      !canSee(access, {
        owner: found.record.owner,
        station: found.record.station,
        region: found.record.region,
      })
    ) {
      throw new AppError('not_found', { message: '没有找到这条咨询' })
    }
    return found
  },

  async mine(account: string): Promise<{ items: ConsultationView[]; unread: number }> {
    const ids = (await store().redis.zrange<string[]>(keys.consultsOf(account), 0, 49, { rev: true })).map(
      String,
    )
    const found = await Promise.all(ids.map((id) => consults.get(id)))
    const items = await Promise.all(
      found
        .filter((item): item is NonNullable<typeof item> => item !== null && item.record.owner === account)
        .map((item) => viewOf(item.record, item.version, false)),
    )
    return { items, unread: items.filter((item) => item.unread).length }
  },

  /** A station's inbox: waiting ones first by due time, then the rest newest first. */
  async inbox(station: string, status?: ConsultRecord['status']): Promise<ConsultationView[]> {
    const redis = store().redis
    const [waiting, all] = await Promise.all([
      redis.zrange<string[]>(keys.consultInbox(station), 0, 99),
      redis.zrange<string[]>(keys.consultsOfStation(station), 0, 99, { rev: true }),
    ])
    const ids = [...new Set([...waiting, ...all].map(String))]
    const found = await Promise.all(ids.map((id) => consults.get(id)))
    return Promise.all(
      found
        .filter((item): item is NonNullable<typeof item> => item !== null && item.record.station === station)
        .filter((item) => !status || item.record.status === status)
        .map((item) => viewOf(item.record, item.version, true)),
    )
  },

  async reply(
    found: { record: ConsultRecord; version: number },
    input: { version: number; text: string; links: string[]; close: boolean },
    caller: Caller,
    requestId: string,
    now = new Date(),
  ): Promise<ConsultationView> {
    const { record } = found
    if (input.version !== found.version) {
      throw new AppError('conflict', {
        message: '这条咨询已被他人处理，请刷新后再试',
        fields: { version: ['版本已过期'] },
      })
    }
    if (record.status === 'closed') throw new AppError('conflict', { message: '这条咨询已办结' })
    const at = now.toISOString()
    const next: ConsultRecord = {
      ...record,
      status: input.close ? 'closed' : 'answered',
      dueAt: null,
      firstAnsweredAt: record.firstAnsweredAt ?? at,
      messages: [
        ...record.messages,
        { at, from: 'staff', author: caller.account.displayName, text: input.text, links: input.links },
      ],
      unread: true,
    }
    // A one-time subscription allows one message: this answer spends it.
    const notify = record.notify
    if (notify) next.notify = false
    const version = await write(
      found,
      next,
      prepareAudit(
        {
          action: 'consult_answered',
          actor: caller.account.id,
          target: record.id,
          requestId,
          detail: { station: record.station },
        },
        now,
      ),
    )
    if (notify) {
      await notifyOnWechat(
        record.owner,
        env().WECHAT_CONSULT_TEMPLATE_ID,
        `consult/pages/thread/index?id=${record.id}`,
        {
          thing1: { value: '政策咨询已答复' },
          thing2: { value: input.text.slice(0, 20) },
          time3: { value: at.slice(0, 16).replace('T', ' ') },
        },
        { consult: record.id },
      )
    }
    return viewOf(next, version, true, now)
  },

  async followUp(
    found: { record: ConsultRecord; version: number },
    text: string,
    now = new Date(),
  ): Promise<ConsultationView> {
    const { record } = found
    if (record.status === 'closed')
      throw new AppError('conflict', { message: '这条咨询已办结，请发起新的咨询' })
    const next: ConsultRecord = {
      ...record,
      status: 'open',
      dueAt: record.dueAt ?? dueFrom(now),
      messages: [
        ...record.messages,
        { at: now.toISOString(), from: 'resident', author: null, text, links: [] },
      ],
    }
    const version = await write(found, next, null)
    return viewOf(next, version, false, now)
  },

  async markRead(found: { record: ConsultRecord; version: number }): Promise<ConsultationView> {
    if (!found.record.unread) return viewOf(found.record, found.version, false)
    const next = { ...found.record, unread: false }
    const version = await write(found, next, null)
    return viewOf(next, version, false)
  },

  async transfer(
    found: { record: ConsultRecord; version: number },
    input: { version: number; to: string; note?: string | undefined },
    caller: Caller,
    requestId: string,
    now = new Date(),
  ): Promise<ConsultationView> {
    if (input.version !== found.version) {
      throw new AppError('conflict', {
        message: '这条咨询已被他人处理，请刷新后再试',
        fields: { version: ['版本已过期'] },
      })
    }
    const target = await stations.get(input.to)
    if (
      target?.status !== 'active' ||
      !target.services.includes('consult') ||
      target.code === found.record.station
    ) {
      throw new AppError('validation_failed', { fields: { to: ['请选择另一个受理咨询的服务点'] } })
    }
    const next: ConsultRecord = {
      ...found.record,
      station: target.code,
      region: target.regionCode,
      dueAt: found.record.dueAt ? dueFrom(now) : null,
      messages: input.note
        ? [
            ...found.record.messages,
            {
              at: now.toISOString(),
              from: 'staff',
              author: caller.account.displayName,
              text: `已转交${target.name}：${input.note}`,
              links: [],
            },
          ]
        : found.record.messages,
    }
    const version = await write(
      found,
      next,
      prepareAudit(
        {
          action: 'consult_transferred',
          actor: caller.account.id,
          target: found.record.id,
          requestId,
          detail: { from: found.record.station, to: target.code },
        },
        now,
      ),
    )
    return viewOf(next, version, true, now)
  },

  /** 好差评: a 差评 (不满意, 非常不满意) reopens the case for the region's supervisor. */
  async rate(
    found: { record: ConsultRecord; version: number },
    score: number,
    comment: string | undefined,
    now = new Date(),
  ): Promise<ConsultationView> {
    const { record } = found
    if (record.firstAnsweredAt === null) throw new AppError('conflict', { message: '收到答复后才能评价' })
    if (record.rating) throw new AppError('conflict', { message: '这条咨询已经评价过了' })
    const poor = isPoorRating(score)
    const next: ConsultRecord = {
      ...record,
      rating: { score, at: now.toISOString(), ...(comment ? { comment } : {}) },
      status: poor ? 'reopened' : record.status,
      dueAt: poor ? dueFrom(now) : record.dueAt,
    }
    const version = await write(found, next, null)
    return viewOf(next, version, false, now)
  },
}

export type { ConsultRecord }
