import { createHash } from 'node:crypto'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  announcements,
  type FanoutJob,
  installQueue,
  type JobQueue,
  runFanoutJob,
} from '../../api/_lib/announcements'
import { accounts } from '../../api/_lib/repos/accounts'
import { startSession } from '../../api/_lib/sessions'
import { startTestApi, type TestApi } from '../support/api-server'
import { setEnv } from '../support/env'
import { type FakeWechat, startFakeWechat } from '../support/fake-wechat'

/**
 * A queue as unkind as QStash may be: every job is delivered 1–3 times, at random moments, in no
 * particular order. Exactly one send per subscriber must come out of it.
 */
function chaoticQueue(): JobQueue & { idle(): Promise<void> } {
  // Deduplicated by job id as QStash does (Upstash-Deduplication-Id), then delivered 1–3 times.
  const enqueued = new Set<string>()
  let inFlight = 0
  let waiters: (() => void)[] = []
  const done = () => {
    inFlight--
    if (inFlight === 0) {
      for (const resolve of waiters) resolve()
      waiters = []
    }
  }
  return {
    async enqueue(job: FanoutJob, { id }) {
      if (enqueued.has(id)) return
      enqueued.add(id)
      const copies = 1 + Math.floor(Math.random() * 3)
      for (let i = 0; i < copies; i++) {
        inFlight++
        setTimeout(() => {
          runFanoutJob(job)
            .catch(() => undefined)
            .finally(done)
        }, Math.random() * 80)
      }
    },
    idle() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))
    },
  }
}

describe('announcements (政策推送)', () => {
  const APPID = 'wx00000000000000f8'
  const TEMPLATE = 'tmpl-announcement-0001'
  let api: TestApi
  let wechat: FakeWechat
  let restoreEnv = () => {}
  let officialCQ: string
  let officialQD: string
  const queue = chaoticQueue()

  beforeAll(async () => {
    wechat = await startFakeWechat({ appid: APPID, secret: 'announce-secret', latencyMs: 150 })
    restoreEnv = setEnv({
      WECHAT_APPID: APPID,
      WECHAT_SECRET: 'announce-secret',
      WECHAT_API_BASE: wechat.url,
      WECHAT_ANNOUNCEMENT_TEMPLATE_ID: TEMPLATE,
      PUBLIC_ORIGIN: 'https://doorstep.example.cn',
      QSTASH_CURRENT_SIGNING_KEY: 'sig_current_0123456789abcdef',
      QSTASH_NEXT_SIGNING_KEY: 'sig_next_0123456789abcdef',
    })
    api = await startTestApi('tcp')
    installQueue(queue)
    officialQD = await api.login('demo-official')
    const cq = await accounts.create({
      displayName: '重庆人社',
      role: 'official',
      scope: { type: 'region', code: '500000' },
      username: 'announce-cq',
    })
    if (!cq) throw new Error('no account')
    officialCQ = (await startSession(cq)).accessToken
  })
  afterAll(async () => {
    await api?.close()
    await wechat?.close()
    restoreEnv()
  })

  const json = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' })
  const body = {
    title: '重庆创业担保贷款额度提高',
    body: '# 好消息\n个人最高 50 万元。\n- 小微企业最高 600 万元\n详见[口袋书](https://doorstep.example.cn/)',
    category: 'loan',
    links: ['cq-guaranteed-loan'],
    target: { regions: ['500000'], stations: [], groups: [] },
  }

  it('shows a Chongqing announcement in a Chongqing resident’s feed and not in a Qingdao one’s', async () => {
    const published = await api.call('/api/v1/announcements', {
      method: 'POST',
      headers: json(officialCQ),
      body: JSON.stringify(body),
    })
    expect(published.status).toBe(201)
    const { id } = published.body as { id: string }
    const resident = await api.resident()
    const cq = (await api.call('/api/v1/feed?station=CQ0001', { headers: json(resident.token) })).body as {
      items: { id: string; read: boolean }[]
      unread: number
    }
    expect(cq.items.map((item) => item.id)).toContain(id)
    expect(cq.unread).toBeGreaterThanOrEqual(1)
    const qd = (await api.call('/api/v1/feed?station=QD0001', { headers: json(resident.token) })).body as {
      items: { id: string }[]
    }
    expect(qd.items.map((item) => item.id)).not.toContain(id)
    await api.call(`/api/v1/announcements/${id}/read`, { method: 'POST', headers: json(resident.token) })
    const after = (await api.call('/api/v1/feed?station=CQ0001', { headers: json(resident.token) })).body as {
      items: { id: string; read: boolean }[]
    }
    expect(after.items.find((item) => item.id === id)?.read).toBe(true)
    // A Qingdao official cannot target Chongqing.
    const refused = await api.call('/api/v1/announcements', {
      method: 'POST',
      headers: json(officialQD),
      body: JSON.stringify(body),
    })
    expect(refused.status).toBe(403)
  })

  it('corrects and withdraws: residents see the correction and its time; a withdrawn one leaves the feed', async () => {
    const { id } = (
      await api.call('/api/v1/announcements', {
        method: 'POST',
        headers: json(officialCQ),
        body: JSON.stringify(body),
      })
    ).body as {
      id: string
    }
    const corrected = await api.call(`/api/v1/announcements/${id}/correct`, {
      method: 'POST',
      headers: json(officialCQ),
      body: JSON.stringify({
        version: 1,
        body: '个人最高 50 万元（渝人社规〔2025〕11号）。',
        note: '补充文号',
      }),
    })
    expect(corrected.body).toMatchObject({ version: 2, corrections: [{ note: '补充文号' }] })
    const pub = await api.call(`/api/v1/announcements/${id}`)
    expect((pub.body as { corrections: unknown[] }).corrections).toHaveLength(1)
    expect(
      (
        await api.call(`/api/v1/announcements/${id}/withdraw`, {
          method: 'POST',
          headers: json(officialCQ),
          body: JSON.stringify({ version: 1, note: '过期版本' }),
        })
      ).status,
    ).toBe(409)
    await api.call(`/api/v1/announcements/${id}/withdraw`, {
      method: 'POST',
      headers: json(officialCQ),
      body: JSON.stringify({ version: 2, note: '信息有误' }),
    })
    expect((await api.call(`/api/v1/announcements/${id}`)).status).toBe(404)
  })

  it('sends exactly once per subscriber under redelivery, 150 ms latency and 0.5 % server errors', async () => {
    wechat.setSubscribeFailureRate(0.005)
    const subscribers = 300
    for (let i = 0; i < subscribers; i++) {
      const openid = `openid-fan-${i}`
      await announcements.subscribe({
        account: `fan-account-${i}`,
        openid,
        templateId: TEMPLATE,
        kind: 'one_time',
        count: 1,
        region: i % 10 === 0 ? '370202' : '500103',
        groups: [],
      })
      wechat.grantSubscription(openid, TEMPLATE, 5)
    }
    const before = wechat.messages.length
    const { id } = (
      await api.call('/api/v1/announcements', {
        method: 'POST',
        headers: json(officialCQ),
        body: JSON.stringify(body),
      })
    ).body as {
      id: string
    }
    await queue.idle()
    const delivered = wechat.messages
      .slice(before)
      .filter((message) => message.openid.startsWith('openid-fan-'))
    const perOpenid = new Map<string, number>()
    for (const message of delivered) perOpenid.set(message.openid, (perOpenid.get(message.openid) ?? 0) + 1)
    const chongqing = Array.from({ length: subscribers }, (_, i) => i).filter((i) => i % 10 !== 0)
    expect([...perOpenid.values()].filter((count) => count !== 1)).toEqual([])
    expect(perOpenid.size).toBe(chongqing.length)
    const stats = (await api.call(`/api/v1/announcements/${id}/deliveries`, { headers: json(officialCQ) }))
      .body as {
      sent: number
      pending: number
    }
    expect(stats).toMatchObject({ sent: chongqing.length, pending: 0 })
    wechat.setSubscribeFailureRate(0)
  }, 120_000)

  it('treats 43101 as final: the subscription is spent and never retried', async () => {
    await announcements.subscribe({
      account: 'fan-refuser',
      openid: 'openid-refuser',
      templateId: TEMPLATE,
      kind: 'one_time',
      count: 1,
      region: '500105',
      groups: [],
    })
    const calls = () =>
      wechat.calls.filter(
        (call) => (call.body as { touser?: string } | undefined)?.touser === 'openid-refuser',
      ).length
    const { id } = (
      await api.call('/api/v1/announcements', {
        method: 'POST',
        headers: json(officialCQ),
        body: JSON.stringify({ ...body, target: { regions: ['500105'], stations: [], groups: [] } }),
      })
    ).body as { id: string }
    await queue.idle()
    expect(calls()).toBe(1)
    const stats = (await api.call(`/api/v1/announcements/${id}/deliveries`, { headers: json(officialCQ) }))
      .body as { failed: number }
    expect(stats.failed).toBeGreaterThanOrEqual(1)
    // A second announcement skips them: no subscription left.
    await api.call('/api/v1/announcements', {
      method: 'POST',
      headers: json(officialCQ),
      body: JSON.stringify({ ...body, target: { regions: ['500105'], stations: [], groups: [] } }),
    })
    await queue.idle()
    expect(calls()).toBe(1)
  })

  it('verifies QStash callbacks on the raw body and refuses forged ones', async () => {
    const job = JSON.stringify({ announcement: '00000000-0000-4000-8000-000000000000', set: 0, cursor: '0' })
    const url = 'https://doorstep.example.cn/api/jobs/fanout'
    const sign = (key: string, text: string) =>
      new SignJWT({ body: createHash('sha256').update(text).digest('base64url') })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer('Upstash')
        .setSubject(url)
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime('5m')
        .setJti(`jwt_${Date.now()}`)
        .sign(new TextEncoder().encode(key))
    const post = async (signature: string | null, text: string) =>
      fetch(`${api.url}/api/jobs/fanout`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(signature ? { 'Upstash-Signature': signature } : {}),
        },
        body: text,
      })
    expect((await post(await sign('sig_current_0123456789abcdef', job), job)).status).toBe(200)
    expect((await post(await sign('sig_next_0123456789abcdef', job), job)).status).toBe(200)
    expect((await post(await sign('sig_wrong_key_000000000000', job), job)).status).toBe(401)
    expect(
      (await post(await sign('sig_current_0123456789abcdef', job), job.replace('"0"', '"1"'))).status,
    ).toBe(401)
    expect((await post(null, job)).status).toBe(401)
  })
})
