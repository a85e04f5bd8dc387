import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listAudit } from '../../api/_lib/audit'
import { bookings } from '../../api/_lib/bookings'
import { chinaDate } from '../../src/shared/working-days'
import { startTestApi, type TestApi } from '../support/api-server'

/** Consultations and appointments through the API on a real redis-server. */
describe('consultations (政策咨询)', () => {
  let api: TestApi
  let staff1: string
  let staff2: string
  let official: string
  beforeAll(async () => {
    api = await startTestApi('tcp')
    staff1 = await api.login('demo-station') // QD0001
    staff2 = await api.staffOf('QD0002', 'station_staff')
    official = await api.login('demo-official') // 青岛
  })
  afterAll(async () => {
    await api?.close()
  })

  const headers = (token: string, ip = '10.20.0.1') => ({
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
    'X-Forwarded-For': ip,
  })
  const post = (token: string, path: string, body?: unknown, ip?: string) =>
    api.call(path, {
      method: 'POST',
      headers: headers(token, ip),
      body: body === undefined ? undefined : JSON.stringify(body),
    })

  it('takes a question as plain text and puts it in the station’s inbox, unanswered first, with a due time', async () => {
    const { token } = await api.resident()
    const asked = await post(token, '/api/v1/consultations', {
      station: 'QD0001',
      topic: 'loan',
      text: '<b>大学生</b>创业贷款怎么申请？',
      contact: 'in_app',
    })
    expect(asked.status).toBe(201)
    const consult = asked.body as { id: string; dueAt: string; messages: { text: string }[] }
    expect(consult.messages[0]?.text).toBe('<b>大学生</b>创业贷款怎么申请？')
    expect(Date.parse(consult.dueAt)).toBeGreaterThan(Date.now())
    const inbox = (await api.call('/api/v1/inbox', { headers: headers(staff1) })).body as {
      items: { id: string; status: string }[]
    }
    expect(inbox.items[0]).toMatchObject({ id: consult.id, status: 'open' })
    const other = (await api.call('/api/v1/inbox', { headers: headers(staff2) })).body as {
      items: { id: string }[]
    }
    expect(other.items.map((item) => item.id)).not.toContain(consult.id)
    expect((await api.call(`/api/v1/consultations/${consult.id}`, { headers: headers(staff2) })).status).toBe(
      404,
    )
    const regional = (await api.call('/api/v1/inbox?station=QD0001', { headers: headers(official) }))
      .body as { items: { id: string }[] }
    expect(regional.items.map((item) => item.id)).toContain(consult.id)
  })

  it('refuses a question that is too long or names no topic, naming the field in Chinese', async () => {
    const { token } = await api.resident()
    const long = await post(token, '/api/v1/consultations', {
      station: 'QD0001',
      topic: 'loan',
      text: '问'.repeat(501),
      contact: 'in_app',
    })
    expect(long.status).toBe(400)
    expect((long.body as { error: { fields: Record<string, string[]> } }).error.fields.text?.[0]).toContain(
      '500',
    )
    const phone = await post(token, '/api/v1/consultations', {
      station: 'QD0001',
      topic: 'loan',
      text: '请回电',
      contact: 'phone',
    })
    expect(Object.keys((phone.body as { error: { fields: object } }).error.fields)).toContain('mobile')
  })

  it('tells the resident: the answer is unread in 我的咨询 until opened; a 差评 reopens it for the supervisor', async () => {
    const { token } = await api.resident()
    const { id } = (
      await post(token, '/api/v1/consultations', {
        station: 'QD0001',
        topic: 'subsidy',
        text: '一次性创业补贴怎么领？',
        contact: 'in_app',
      })
    ).body as { id: string }
    const early = await post(token, `/api/v1/consultations/${id}/rating`, { score: 5 })
    expect(early.status).toBe(409)
    const replied = await post(staff1, `/api/v1/consultations/${id}/reply`, {
      version: 1,
      text: '您好，请看口袋书里的一次性创业补贴条目。',
      links: ['national-one-off-subsidy'],
    })
    expect(replied.status).toBe(200)
    expect(
      (await post(staff1, `/api/v1/consultations/${id}/reply`, { version: 1, text: '重复的答复' })).status,
    ).toBe(409)
    const mine = (await api.call('/api/v1/consultations/mine', { headers: headers(token) })).body as {
      unread: number
      items: { id: string; messages: { from: string; links: string[] }[] }[]
    }
    expect(mine.unread).toBe(1)
    expect(mine.items[0]?.messages.at(-1)).toMatchObject({
      from: 'staff',
      links: ['national-one-off-subsidy'],
    })
    await post(token, `/api/v1/consultations/${id}/read`)
    expect(
      ((await api.call('/api/v1/consultations/mine', { headers: headers(token) })).body as { unread: number })
        .unread,
    ).toBe(0)
    const rated = await post(token, `/api/v1/consultations/${id}/rating`, {
      score: 1,
      comment: '没有说清楚怎么领',
    })
    expect(rated.body).toMatchObject({ status: 'reopened', rating: { score: 1, label: '非常不满意' } })
    const inbox = (
      await api.call('/api/v1/inbox?station=QD0001&status=reopened', { headers: headers(official) })
    ).body as {
      items: { id: string; version: number }[]
    }
    const reopened = inbox.items.find((item) => item.id === id)
    expect(reopened).toBeTruthy()
    const supervisor = await post(official, `/api/v1/consultations/${id}/reply`, {
      version: reopened?.version,
      text: '已请服务点电话联系您，一并说明领取流程。',
      close: true,
    })
    expect(supervisor.body).toMatchObject({ status: 'closed' })
    expect((await post(token, `/api/v1/consultations/${id}/rating`, { score: 5 })).status).toBe(409)
  })

  it('transfers a question to another station, which then answers it', async () => {
    const { token } = await api.resident()
    const { id } = (
      await post(token, '/api/v1/consultations', {
        station: 'QD0001',
        topic: 'incubation',
        text: '市北区有孵化基地吗？',
        contact: 'in_app',
      })
    ).body as { id: string }
    const moved = await post(staff1, `/api/v1/consultations/${id}/transfer`, {
      version: 1,
      to: 'QD0002',
      note: '请市北区回复',
    })
    expect(moved.body).toMatchObject({ station: { code: 'QD0002' } })
    expect((await api.call(`/api/v1/consultations/${id}`, { headers: headers(staff1) })).status).toBe(404)
    expect(
      (await post(staff2, `/api/v1/consultations/${id}/reply`, { version: 2, text: '有的，欢迎来咨询。' }))
        .status,
    ).toBe(200)
    const day = new Date().toISOString().slice(0, 10)
    const trail = (await listAudit(day, 1000))
      .filter((event) => event.target === id)
      .map((event) => event.action)
    expect(trail.sort()).toEqual(['consult_answered', 'consult_transferred'])
  })

  it('limits how fast one resident can ask', async () => {
    const { token } = await api.resident()
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (
          await post(
            token,
            '/api/v1/consultations',
            { station: 'QD0003', topic: 'service', text: `第${i}个问题`, contact: 'in_app' },
            `10.21.0.${i}`,
          )
        ).status,
      )
    }
    expect(statuses.filter((status) => status === 201)).toHaveLength(10)
    expect(statuses.at(-1)).toBe(429)
  })
})

describe('appointments (预约)', () => {
  let api: TestApi
  let staff: string
  const day = chinaDate(new Date(Date.now() + 3 * 86_400_000))
  beforeAll(async () => {
    api = await startTestApi('tcp')
    staff = await api.login('demo-station') // QD0001
    const put = await api.call('/api/v1/stations/QD0001/slots', {
      method: 'PUT',
      headers: { Authorization: `Bearer ${staff}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
          weekday,
          start: '09:00',
          end: '10:00',
          capacity: 3,
        })),
        exceptions: [{ date: chinaDate(new Date(Date.now() + 4 * 86_400_000)), closed: true, note: '闭馆' }],
      }),
    })
    expect(put.status).toBe(200)
  })
  afterAll(async () => {
    await api?.close()
  })

  const book = (token: string, body: object, ip: string) =>
    api.call('/api/v1/bookings', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'X-Forwarded-For': ip,
      },
      body: JSON.stringify(body),
    })

  it('gives 50 concurrent requests for a slot with 3 seats exactly 3 bookings and 47 clear refusals', async () => {
    const residents = await Promise.all(
      Array.from({ length: 50 }, (_, i) => api.resident(`10.30.0.${i + 1}`)),
    )
    const answers = await Promise.all(
      residents.map((resident, i) =>
        book(resident.token, { station: 'QD0001', date: day, start: '09:00' }, `10.31.0.${i + 1}`),
      ),
    )
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(3)
    const refused = answers.filter((answer) => answer.status === 409)
    expect(refused).toHaveLength(47)
    for (const answer of refused) expect(JSON.stringify(answer.body)).toContain('已约满')
    const slots = (await api.call(`/api/v1/stations/QD0001/slots?from=${day}&days=1`)).body as {
      items: { booked: number; available: number }[]
    }
    expect(slots.items[0]).toMatchObject({ booked: 3, available: 0 })
  })

  it('lets nobody hold two bookings of one slot, frees the seat on cancel, and lists the day for staff', async () => {
    const other = chinaDate(new Date(Date.now() + 5 * 86_400_000))
    const resident = await api.resident('10.32.0.1')
    const first = await book(resident.token, { station: 'QD0001', date: other, start: '09:00' }, '10.32.0.1')
    expect(first.status).toBe(201)
    const twice = await book(resident.token, { station: 'QD0001', date: other, start: '09:00' }, '10.32.0.1')
    expect(twice.status).toBe(409)
    expect(JSON.stringify(twice.body)).toContain('已预约')
    const { id } = first.body as { id: string }
    const list = (
      await api.call(`/api/v1/stations/QD0001/bookings?date=${other}`, {
        headers: { Authorization: `Bearer ${staff}` },
      })
    ).body as {
      items: { id: string }[]
    }
    expect(list.items.map((item) => item.id)).toContain(id)
    const attended = await api.call(`/api/v1/bookings/${id}/attendance`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${staff}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ attended: true }),
    })
    expect(attended.body).toMatchObject({ status: 'attended' })
    const another = await api.resident('10.32.0.2')
    const booked = (
      await book(another.token, { station: 'QD0001', date: other, start: '09:00' }, '10.32.0.2')
    ).body as { id: string }
    const cancelled = await api.call(`/api/v1/bookings/${booked.id}/cancel`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${another.token}` },
    })
    expect(cancelled.body).toMatchObject({ status: 'cancelled' })
    const slots = (await api.call(`/api/v1/stations/QD0001/slots?from=${other}&days=1`)).body as {
      items: { booked: number }[]
    }
    expect(slots.items[0]?.booked).toBe(1)
    const mine = (
      await api.call('/api/v1/bookings/mine', { headers: { Authorization: `Bearer ${another.token}` } })
    ).body as {
      items: { status: string }[]
    }
    expect(mine.items[0]?.status).toBe('cancelled')
  })

  it('honours closures and refuses slots that do not exist', async () => {
    const closed = chinaDate(new Date(Date.now() + 4 * 86_400_000))
    const slots = (await api.call(`/api/v1/stations/QD0001/slots?from=${closed}&days=1`)).body as {
      items: unknown[]
    }
    expect(slots.items).toEqual([])
    const resident = await api.resident('10.33.0.1')
    const refused = await book(
      resident.token,
      { station: 'QD0001', date: closed, start: '09:00' },
      '10.33.0.1',
    )
    expect(refused.status).toBe(400)
    expect(Object.keys((refused.body as { error: { fields: object } }).error.fields)).toContain('start')
    const odd = await book(resident.token, { station: 'QD0001', date: day, start: '15:00' }, '10.33.0.1')
    expect(odd.status).toBe(400)
    expect(bookings.slotOn({ weekly: [], exceptions: [] }, day, '09:00')).toBeNull()
  })
})
