import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dayLabel } from '../../src/shared/appointments'
import { CANNED_ANSWERS, type ConsultationView } from '../../src/shared/schemas/consult'
import { type RunningApp, startApp } from '../support/app-process'
import { launchBrowser } from '../support/browser'

const SHOTS = 'test-results/e2e'
const STATION_NAME = '市南区香港中路街道就享家服务站'
const STAFF_NAME = '演示就享家工作人员'
const QUESTION = '我是今年毕业的大学生，想开一家小餐馆，创业担保贷款怎么申请？'
const CANNED = CANNED_ANSWERS.find((answer) => answer.id === 'see-entry')
const VIEWPORT = { width: 390, height: 844 }

type Json = Record<string, unknown>

describe('a resident asks a station from its QR poster and books a visit (H5); only that station answers', () => {
  let app: RunningApp
  let browser: Browser
  /** The resident's browser: one context, one device session, from the poster to the rating. */
  let resident: Page
  /** Station staff of QD0001, in a browser context of their own. */
  let staff: Page
  let consultId = ''
  let entryId = ''
  /** GET /api/v1/pocketbook/search requests the question form sent. */
  const searches: string[] = []

  /** The page in front: Taro H5 keeps the pages behind it in the DOM, hidden. */
  const front = () => resident.locator('.page:visible')
  const desk = () => staff.locator('.page:visible')

  async function call(method: string, path: string, body?: unknown, token?: string) {
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as Json }
  }

  async function login(username: string): Promise<string> {
    const answer = await call('POST', '/api/v1/auth/login', {
      username,
      password: app.logins[username] ?? '',
    })
    expect(answer.status).toBe(200)
    return answer.body.accessToken as string
  }

  async function device(): Promise<string> {
    const answer = await call('POST', '/api/v1/auth/device', {})
    expect(answer.status).toBe(200)
    return answer.body.accessToken as string
  }

  /** The session a page keeps (Taro H5 wraps stored values as `{ data }`). */
  async function tokenOf(page: Page): Promise<string> {
    return page.evaluate(() => {
      const raw = localStorage.getItem('doorstep.token') ?? ''
      try {
        const parsed = JSON.parse(raw) as { data?: unknown }
        return typeof parsed.data === 'string' ? parsed.data : raw
      } catch {
        return raw
      }
    })
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    app = await startApp()
    browser = await launchBrowser()
    resident = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' })
    // A step that cannot happen fails with its own locator, well inside the test's time.
    resident.setDefaultTimeout(10_000)
    resident.on('request', (request) => {
      const url = new URL(request.url())
      if (url.pathname === '/api/v1/pocketbook/search') searches.push(url.searchParams.get('q') ?? '')
    })
  })
  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  it('follows 咨询创业政策 from /s/QD0001 straight into the question form for that station', async () => {
    await resident.goto(`${app.url}/s/QD0001`)
    await resident.getByText('咨询创业政策').click()
    await front().locator('#consult-form').waitFor()
    await expect.poll(() => front().locator('#consult-station').textContent()).toContain(STATION_NAME)
    expect(resident.url()).toContain('/consult/pages/ask/index?s=QD0001')
  })

  it('names what is missing under each field, in Chinese', async () => {
    await front().locator('#consult-submit').click()
    await expect.poll(() => front().locator('#consult-topic-error').textContent()).toBe('请选择咨询的主题')
    expect(await front().locator('#consult-text-error').textContent()).toBe('问题至少 2 个字')
    expect(await front().locator('#consult-error').textContent()).toBe('请按红字提示修改后再提交')
    await front().locator('#consult-topic-loan').click()
    await expect.poll(() => front().locator('#consult-topic-error').count()).toBe(0)
    expect(await front().locator('#consult-topic-loan').getAttribute('aria-checked')).toBe('true')
  })

  it('suggests up to three pocket-book entries once typing pauses, each opening its entry page', async () => {
    await front().locator('#consult-text textarea').pressSequentially(QUESTION, { delay: 20 })
    await expect.poll(() => front().locator('#consult-count').textContent()).toBe(`${QUESTION.length}/500`)
    const box = front().locator('#consult-suggestions')
    await box.waitFor({ timeout: 10_000 })
    expect(await box.textContent()).toContain('这些政策可能已经回答了您的问题')
    const items = box.locator('[id^="suggestion-"]')
    const count = await items.count()
    expect(count).toBeGreaterThanOrEqual(1)
    expect(count).toBeLessThanOrEqual(3)
    // Debounced: typing the whole question at 20 ms a key searched once, with all of it.
    expect(searches).toEqual([QUESTION])
    await resident.screenshot({ path: `${SHOTS}/consult-ask.png`, fullPage: true })

    const first = (await items.first().getAttribute('id'))?.replace('suggestion-', '') ?? ''
    await items.first().click()
    await expect.poll(() => resident.url()).toContain(`/book/pages/entry/index?id=${first}`)
    // Back only once the entry page has settled: Taro H5 animates a page in.
    await resident
      .locator('.taro_page.taro_page_stationed:last-child')
      .filter({ hasNot: resident.locator('#consult-form') })
      .waitFor()
    await resident.goBack()
    await front().locator('#consult-form').waitFor()
    await expect.poll(() => resident.locator('.page:visible').count()).toBe(1)
    expect(await front().locator('#consult-text textarea').inputValue()).toBe(QUESTION)
  })

  it('submits once and opens the thread, the question first and the answer time stated', async () => {
    const sent = resident.waitForRequest(
      (request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/consultations',
    )
    await front().locator('#consult-submit').dblclick()
    expect((await sent).postDataJSON()).toEqual({
      station: 'QD0001',
      topic: 'loan',
      text: QUESTION,
      contact: 'in_app',
      notify: false,
    })
    await front().locator('#thread').waitFor()
    consultId = /[?&]id=([0-9a-f-]{36})/.exec(resident.url())?.[1] ?? ''
    expect(consultId).not.toBe('')
    expect(await front().locator('#thread-status').textContent()).toBe('待答复')
    expect(await front().locator('#message-0').textContent()).toContain(QUESTION)
    expect(await front().locator('#thread-waiting').textContent()).toMatch(
      /^服务点会在\d{4}-\d{2}-\d{2} \d{2}:\d{2} 前答复/,
    )
    expect(await front().locator('#rate-submit').count()).toBe(0)
    expect(await resident.evaluate(() => localStorage.getItem('doorstep.consult.draft.QD0001'))).toBeNull()
    const mine = await call('GET', '/api/v1/consultations/mine', undefined, await tokenOf(resident))
    expect((mine.body.items as ConsultationView[]).map((item) => item.id)).toEqual([consultId])
  })

  it('shows it first in QD0001’s 咨询收件箱 with its due time; staff answer from a canned answer and an entry', async () => {
    staff = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' })
    staff.setDefaultTimeout(10_000)
    await staff.goto(`${app.url}/#/pages/me/index`)
    await staff.locator('#login-username input').fill('demo-station')
    await staff.locator('#login-password input').fill(app.logins['demo-station'] ?? '')
    await staff.locator('#login-submit').click()
    await staff.getByText('进入工作台').click()
    await desk().locator('#open-inbox').click()

    const row = desk().locator(`#inbox-${consultId}`)
    await row.waitFor()
    expect(await desk().locator('#inbox-list .queue-item').first().getAttribute('id')).toBe(
      `inbox-${consultId}`,
    )
    expect(await row.textContent()).toContain(QUESTION.slice(0, 20))
    expect(await row.getAttribute('data-status')).toBe('open')
    expect(await row.locator('[data-due]').textContent()).toMatch(/^\d+ 小时内答复$|^已超时$/)
    await staff.screenshot({ path: `${SHOTS}/consult-inbox.png`, fullPage: true })

    await desk().locator(`#open-consult-${consultId}`).click()
    const detail = desk().locator('#consult-detail')
    await expect.poll(() => detail.getAttribute('data-status')).toBe('open')
    expect(await desk().locator('#message-0').textContent()).toContain(QUESTION)
    await desk().locator('#canned-see-entry').click()
    await expect.poll(() => desk().locator('#reply-text textarea').inputValue()).toBe(CANNED?.text)

    await desk().locator('#reply-search input').fill('创业担保贷款')
    await desk().locator('#reply-search-go').click()
    const hit = desk().locator('[id^="reply-result-"]').first()
    await hit.waitFor()
    entryId = (await hit.getAttribute('id'))?.replace('reply-result-', '') ?? ''
    await desk().locator(`#attach-${entryId}`).click()
    await desk().locator(`#attached-${entryId}`).waitFor()
    expect(await desk().locator(`#attach-${entryId}`).textContent()).toBe('已附上')
    await staff.screenshot({ path: `${SHOTS}/consult-reply.png`, fullPage: true })

    await desk().locator('#reply-send').click()
    await expect.poll(() => detail.getAttribute('data-status')).toBe('answered')
    expect(await desk().locator('#consult-flash').textContent()).toContain('已答复')
    const answer = desk().locator('#message-1')
    expect(await answer.getAttribute('data-from')).toBe('staff')
    expect(await answer.textContent()).toContain(STAFF_NAME)
    expect(await answer.textContent()).toContain(CANNED?.text ?? '?')
    await answer.locator(`#message-1-link-${entryId}`).waitFor()
    await staff.screenshot({ path: `${SHOTS}/consult-answered.png`, fullPage: true })
  })

  it('refreshes instead of answering over a colleague (409), and hands a case to another station', async () => {
    // Another resident asks meanwhile; a colleague answers it from another device.
    const other = await call(
      'POST',
      '/api/v1/consultations',
      { station: 'QD0001', topic: 'subsidy', text: '一次性创业补贴要准备哪些材料？', contact: 'in_app' },
      await device(),
    )
    expect(other.status).toBe(201)
    const otherId = other.body.id as string
    await staff.goBack()
    const row = desk().locator(`#inbox-${otherId}`)
    await row.waitFor()
    // Answered ones go below what still waits.
    expect(await desk().locator('#inbox-list .queue-item').first().getAttribute('id')).toBe(
      `inbox-${otherId}`,
    )
    await desk().locator(`#open-consult-${otherId}`).click()
    const detail = desk().locator('#consult-detail')
    await expect.poll(() => detail.getAttribute('data-version')).toBe('1')

    const colleague = await login('demo-station')
    const first = await call(
      'POST',
      `/api/v1/consultations/${otherId}/reply`,
      { version: 1, text: '您好，已电话联系您说明材料。' },
      colleague,
    )
    expect(first.status).toBe(200)
    await desk().locator('#canned-visit').click()
    await desk().locator('#reply-close').click()
    await expect
      .poll(() => desk().locator('#consult-flash').textContent())
      .toContain('已被他人处理，已为您刷新')
    await expect.poll(() => detail.getAttribute('data-version')).toBe('2')
    expect(await desk().locator('#message-1').textContent()).toContain('已电话联系您说明材料')

    await desk().locator('#transfer-open').click()
    await desk().locator('#transfer-QD0002').click()
    expect(await desk().locator('#transfer-QD0003').count()).toBe(1)
    expect(await desk().locator('#transfer-QD0001').count()).toBe(0)
    await desk().locator('#transfer-note input').fill('您住在市北区，由台东街道服务站为您详细解答')
    await desk().locator('#transfer-confirm').click()
    await expect
      .poll(() => desk().locator('#consult-flash').textContent())
      .toContain('已转交给市北区台东街道就享家服务站')
    const inbox = await call('GET', '/api/v1/inbox', undefined, colleague)
    expect((inbox.body.items as ConsultationView[]).map((item) => item.id)).not.toContain(otherId)
  })

  it('marks the answer on the 我的 tab and in 我的咨询; opening it reads it, and 满意 is recorded', async () => {
    await resident.goto(`${app.url}/#/pages/me/index`)
    const badge = resident.locator('.taro-tabbar__tabbar .taro-tabbar-badge')
    await expect.poll(() => badge.textContent()).toBe('1')
    await expect.poll(() => front().locator('#my-consults-unread').textContent()).toContain('1 条新答复')
    await front().locator('#go-my-consults').click()
    const row = front().locator(`#consult-${consultId}`)
    await row.waitFor()
    expect(await row.getAttribute('data-unread')).toBe('yes')
    expect(await row.locator(`#consult-${consultId}-unread`).textContent()).toBe('有新答复')
    expect(await row.textContent()).toContain('已答复')
    await resident.screenshot({ path: `${SHOTS}/consult-mine-unread.png`, fullPage: true })

    await row.click()
    const thread = front().locator('#thread')
    await expect.poll(() => thread.getAttribute('data-status')).toBe('answered')
    const answer = front().locator('#message-1')
    expect(await answer.textContent()).toContain(`工作人员 ${STAFF_NAME}`)
    expect(await answer.textContent()).toContain(CANNED?.text ?? '?')
    await expect
      .poll(() => answer.locator(`#message-1-link-${entryId}`).textContent())
      .toMatch(/^查看政策：.+/)
    const token = await tokenOf(resident)
    await expect
      .poll(async () => (await call('GET', '/api/v1/consultations/mine', undefined, token)).body.unread)
      .toBe(0)

    const labels = await front()
      .locator('#rate [id^="rate-"]')
      .evaluateAll((nodes) => nodes.map((node) => `${node.id}:${node.textContent}`))
    expect(labels).toEqual([
      'rate-5:非常满意',
      'rate-4:满意',
      'rate-3:基本满意',
      'rate-2:不满意',
      'rate-1:非常不满意',
    ])
    await front().locator('#rate-4').click()
    await front().locator('#rate-submit').click()
    await expect.poll(() => front().locator('#thread-rating').textContent()).toBe('您的评价：满意')
    expect(await front().locator('#rate-submit').count()).toBe(0)
    await resident.screenshot({ path: `${SHOTS}/consult-rated.png`, fullPage: true })
    const stored = await call('GET', `/api/v1/consultations/${consultId}`, undefined, token)
    expect(stored.body).toMatchObject({
      status: 'answered',
      unread: false,
      rating: { score: 4, label: '满意' },
    })

    await resident.goto(`${app.url}/#/pages/me/index`)
    await front().locator('#go-my-consults').waitFor()
    await expect.poll(() => badge.count()).toBe(0)
    await expect.poll(() => front().locator('#my-consults-unread').count()).toBe(0)
  })

  it('never shows the question to the staff of QD0002', async () => {
    const admin = await login('demo-admin')
    const invitation = await call(
      'POST',
      '/api/v1/invitations',
      { role: 'station_staff', scope: { type: 'station', code: 'QD0002' } },
      admin,
    )
    expect(invitation.status).toBe(201)
    const redeemed = await call('POST', '/api/v1/invitations/redeem', {
      code: invitation.body.code,
      displayName: '台东街道工作人员',
      username: 'taidong-staff',
      password: 'Tangerine-Kite-47',
    })
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200)
    const other = redeemed.body.accessToken as string
    const inbox = await call('GET', '/api/v1/inbox', undefined, other)
    expect(inbox.status).toBe(200)
    const ids = (inbox.body.items as ConsultationView[]).map((item) => item.id)
    expect(ids).not.toContain(consultId)
    // The case handed over above is theirs now; the resident's question never was.
    expect(ids).toHaveLength(1)
    expect((await call('GET', `/api/v1/consultations/${consultId}`, undefined, other)).status).toBe(404)
  })

  it('books a slot the station opened; a seat taken meanwhile is said plainly; 取消 frees it; staff mark 到场', async () => {
    const station = await login('demo-station')
    const weekly = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
      { weekday, start: '09:00', end: '10:00', capacity: 1 },
      { weekday, start: '10:00', end: '11:00', capacity: 3 },
    ])
    const saved = await call('PUT', '/api/v1/stations/QD0001/slots', { weekly, exceptions: [] }, station)
    expect(saved.status).toBe(200)
    const slots = await call('GET', '/api/v1/stations/QD0001/slots?days=7')
    const nine = (slots.body.items as { date: string; start: string }[]).find(
      (slot) => slot.start === '09:00',
    )
    const date = nine?.date ?? ''
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/)

    await resident.goto(`${app.url}/#/pages/index/index`)
    await front().locator('#chosen-station').getByText(STATION_NAME).waitFor()
    await front().locator('#start-booking').click()
    await front().locator(`#book-date-${date}`).click()
    const early = front().locator(`#slot-${date}-0900`)
    await expect.poll(() => early.textContent()).toBe('09:00–10:00 · 余 1 个')
    await early.click()
    expect(await front().locator('#book-chosen').textContent()).toBe(`您选的是 ${dayLabel(date)} 09:00–10:00`)

    // Someone else takes the last seat before the resident confirms.
    const taken = await call(
      'POST',
      '/api/v1/bookings',
      { station: 'QD0001', date, start: '09:00' },
      await device(),
    )
    expect(taken.status).toBe(201)
    await front().locator('#book-submit').click()
    await expect
      .poll(() => front().locator('#book-error').textContent())
      .toBe('这个时段已约满，请选择其他时段')
    await expect.poll(() => early.textContent()).toBe('09:00–10:00 · 已约满')
    expect(await early.getAttribute('class')).toContain('slot--full')
    expect(await early.getAttribute('disabled')).not.toBeNull()
    // An open slot carries no disabled attribute at all (Taro H5 greys out even disabled="false").
    expect(await front().locator(`#slot-${date}-1000`).getAttribute('disabled')).toBeNull()
    await resident.screenshot({ path: `${SHOTS}/book-full.png`, fullPage: true })

    await front().locator(`#slot-${date}-1000`).click()
    await front().locator('#book-submit').click()
    const done = front().locator('#book-done')
    await done.waitFor()
    expect(await done.textContent()).toContain(`${dayLabel(date)} 10:00–11:00`)
    expect(await done.textContent()).toContain(STATION_NAME)
    const firstBooking = (await done.getAttribute('data-booking')) ?? ''

    // 我的预约 → 取消 (confirmed in a dialog) gives the seat back.
    await front().locator('#book-go-mine').click()
    const booked = front().locator(`#booking-${firstBooking}`)
    await expect.poll(() => booked.getAttribute('data-status')).toBe('booked')
    await front().locator(`#cancel-${firstBooking}`).click()
    const modal = resident.locator('.taro__modal')
    await modal.getByText('确定取消', { exact: false }).waitFor()
    await modal.locator('.taro-model__confirm').click()
    await expect.poll(() => booked.getAttribute('data-status')).toBe('cancelled')
    expect(await front().locator('#bookings-message').textContent()).toBe('已取消，名额已让给其他人。')
    const after = await call('GET', `/api/v1/stations/QD0001/slots?from=${date}&days=1`)
    expect(
      (after.body.items as { start: string; available: number }[]).find((s) => s.start === '10:00'),
    ).toMatchObject({ available: 3 })

    // Booked again from 我的预约; the station's day list shows it and takes 到场.
    await front().locator('#bookings-new').click()
    await front().locator(`#book-date-${date}`).click()
    await front().locator(`#slot-${date}-1000`).click()
    await front().locator('#book-submit').click()
    await front().locator('#book-done').waitFor()
    const bookingId = (await front().locator('#book-done').getAttribute('data-booking')) ?? ''

    await staff.goto(`${app.url}/#/staff/pages/schedule/index?date=${date}`)
    const entry = desk().locator(`#day-booking-${bookingId}`)
    await entry.waitFor()
    expect(await entry.textContent()).toContain('10:00–11:00')
    expect(await desk().locator(`#day-booking-${firstBooking}`).getAttribute('data-status')).toBe('cancelled')
    await desk().locator(`#attend-${bookingId}`).click()
    await expect.poll(() => entry.getAttribute('data-status')).toBe('attended')
    expect(await desk().locator(`#day-booking-${bookingId}-status`).textContent()).toBe('已到场')
    // The editor reads the schedule back from the published slots.
    await desk().locator('#schedule-read-back').waitFor()
    expect(await desk().locator('#weekly .schedule-row').count()).toBe(14)
    expect(await desk().locator('#week-0-capacity input').inputValue()).toBe('1')
    await staff.screenshot({ path: `${SHOTS}/staff-schedule.png`, fullPage: true })
  })
})
