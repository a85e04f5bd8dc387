import { randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listAudit } from '../../api/_lib/audit'
import { createRedisStore, installStore, type Store } from '../../api/_lib/store'
import {
  CONSENT_VERSION,
  type IntakeDetail,
  type IntakeSubmitInput,
  type QueuePage,
  type Receipt,
} from '../../src/shared/schemas/intake'
import { type RunningApp, startApp } from '../support/app-process'
import { launchBrowser } from '../support/browser'

const SHOTS = 'test-results/e2e'
/** A valid 身份证号 (GB 11643 check digit X) and mobile; what staff see is their masks. */
const ID_NUMBER = '11010519491231002X'
const ID_MASKED = '110***********002X'
const MOBILE = '13800138000'
const MOBILE_MASKED = '138****8000'

const SUBMISSION: IntakeSubmitInput = {
  station: 'CQ0001',
  applicant: { groups: ['graduate'] },
  business: { status: 'not_registered', industry: 'catering', startDate: '2026-03', employees: 1 },
  loan: { amount: 150_000, purpose: '开一家小面馆，购置厨房设备', termMonths: 36, otherLoans: false },
  contact: { name: '张晓明', idNumber: ID_NUMBER, mobile: MOBILE },
  consent: { sensitive: true, version: CONSENT_VERSION },
}

describe('bank staff work the intake queue of their point in the H5 app (受理队列)', () => {
  let app: RunningApp
  let browser: Browser
  let page: Page
  /** The app's own redis-server, for the audit trail (there is no audit API). */
  let store: Store
  let bankToken = ''
  let receipt: Receipt

  /** The page in front: Taro H5 keeps the pages behind it in the DOM, hidden. */
  const front = () => page.locator('.page:visible')

  async function json<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const response = await fetch(`${app.url}${path}`, init)
    return { status: response.status, body: (await response.json()) as T }
  }

  async function asBank<T>(path: string, init: RequestInit = {}) {
    return json<T>(path, {
      ...init,
      headers: { Authorization: `Bearer ${bankToken}`, 'Content-Type': 'application/json', ...init.headers },
    })
  }

  async function piiReads(): Promise<string[]> {
    const today = new Date().toISOString().slice(0, 10)
    return (await listAudit(today, 1000))
      .filter((event) => event.action === 'pii_read')
      .map((event) => event.target ?? '')
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    app = await startApp()
    const redisPort = /redis-server on 127\.0\.0\.1:(\d+)/.exec(app.output())?.[1]
    if (!redisPort) throw new Error(`no embedded redis-server in the banner:\n${app.output()}`)
    store = createRedisStore(`redis://127.0.0.1:${redisPort}`, 2_000)
    installStore(store)
    browser = await launchBrowser()
    page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      acceptDownloads: true,
    })

    // A resident on H5 (device session) files an intake for 渝中助创驿站.
    const device = await json<{ accessToken: string }>('/api/v1/auth/device', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    })
    expect(device.status).toBe(200)
    const filed = await json<Receipt>('/api/v1/intakes', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${device.body.accessToken}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': randomUUID(),
      },
      body: JSON.stringify(SUBMISSION),
    })
    expect(filed.status).toBe(201)
    receipt = filed.body
    expect(receipt).toMatchObject({ status: 'submitted', station: { code: 'CQ0001' } })

    const login = await json<{ accessToken: string }>('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'demo-bank', password: app.logins['demo-bank'] ?? '' }),
    })
    expect(login.status).toBe(200)
    bankToken = login.body.accessToken
  })
  afterAll(async () => {
    await browser?.close()
    await store?.close()
    await app?.stop()
  })

  it('opens 受理队列 from 工作台 and shows the intake masked, with its SLA clock', async () => {
    await page.goto(`${app.url}/#/pages/me/index`)
    await page.locator('#login-username input').fill('demo-bank')
    await page.locator('#login-password input').fill(app.logins['demo-bank'] ?? '')
    await page.locator('#login-submit').click()
    await page.getByText('进入工作台').click()
    await front().locator('#open-queue').click()

    const row = front().locator(`#queue-${receipt.id}`)
    await row.waitFor()
    const text = (await row.textContent()) ?? ''
    expect(text).toContain(receipt.receipt)
    expect(text).toContain(ID_MASKED)
    expect(text).toContain(MOBILE_MASKED)
    expect(text).toContain('张**')
    expect(text).toContain('高校毕业生')
    expect(text).toContain('15 万元')
    expect(text).toContain('已提交')
    expect(text).not.toContain(ID_NUMBER)
    expect(text).not.toContain(MOBILE)
    expect(text).not.toContain('张晓明')
    await expect.poll(() => row.locator('[data-sla]').textContent()).toMatch(/^\d+ 小时内联系$/)
    await page.screenshot({ path: `${SHOTS}/staff-queue.png`, fullPage: true })
  })

  it('filters by status and age, and the CSV export follows the filter and stays masked', async () => {
    const row = front().locator(`#queue-${receipt.id}`)
    await front().locator('#toggle-filters').click()
    await front().locator('#filter-status-contacted').click()
    await front().getByText('没有符合条件的申请。').waitFor()
    expect(await row.count()).toBe(0)
    await front().locator('#filter-status-submitted').click()
    await row.waitFor()
    await front().locator('#filter-age-2').click()
    await front().getByText('没有符合条件的申请。').waitFor()
    expect(await front().locator('#filter-summary').textContent()).toBe('已提交 · 全部群体 · 超过 2 天')
    await front().locator('#filter-age-all').click()
    await row.waitFor()

    const download = page.waitForEvent('download')
    await front().locator('#export-csv').click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^CQ0001-queue-\d{4}-\d{2}-\d{2}\.csv$/)
    const csv = readFileSync((await file.path()) ?? '', 'utf8')
    expect(csv).toContain(receipt.receipt)
    expect(csv).toContain(ID_MASKED)
    expect(csv).not.toContain(ID_NUMBER)
    await front().getByText('已导出。导出的个人信息已脱敏。').waitFor()
    await front().locator('#filter-status-all').click()
    await expect.poll(() => front().locator('#filter-status-all').getAttribute('aria-pressed')).toBe('true')
  })

  it('opens the intake and marks it 已联系: the history says who, when, from → to and the note', async () => {
    await front().locator(`#open-${receipt.id}`).click()
    const detail = front().locator('#intake-detail')
    await expect.poll(() => detail.getAttribute('data-status')).toBe('submitted')
    expect(await front().locator('#applicant-id').textContent()).toBe(ID_MASKED)
    // Only what the workflow allows from 已提交.
    expect(
      await front()
        .locator('#actions [id^="action-"]')
        .evaluateAll((nodes) => nodes.map((n) => n.id)),
    ).toEqual(['action-contacted', 'action-referred', 'action-withdrawn'])

    await front().locator('#action-contacted').click()
    await front().locator('#transition-summary').getByText('确认将状态从“已提交”改为“已联系”？').waitFor()
    await front().locator('#transition-note input').fill('已电话联系，约周三来网点面谈')
    await front().locator('#transition-confirm').click()

    await expect.poll(() => detail.getAttribute('data-status')).toBe('contacted')
    await front().locator('#intake-flash').getByText('已改为“已联系”').waitFor()
    const latest = front().locator('#history .timeline__entry').first()
    expect(await latest.getAttribute('data-to')).toBe('contacted')
    const entry = (await latest.textContent()) ?? ''
    expect(entry).toContain('已提交 → 已联系')
    expect(entry).toContain('演示助创驿站工作人员')
    expect(entry).toContain('已电话联系，约周三来网点面谈')
    expect(entry).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
    // Contacted: the first-contact clock stops.
    expect(await front().locator('#intake-sla').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/staff-intake-contacted.png`, fullPage: true })

    const stored = await asBank<IntakeDetail>(`/api/v1/intakes/${receipt.id}`)
    expect(stored.body.status).toBe('contacted')
    expect(stored.body.history.at(-1)).toMatchObject({
      from: 'submitted',
      to: 'contacted',
      note: '已电话联系，约周三来网点面谈',
    })
  })

  it('refuses a change made on a stale copy, says so, and shows the fresh one', async () => {
    const current = await asBank<IntakeDetail>(`/api/v1/intakes/${receipt.id}`)
    // A colleague asks for more documents meanwhile.
    const elsewhere = await asBank<IntakeDetail>(`/api/v1/intakes/${receipt.id}/transitions`, {
      method: 'POST',
      body: JSON.stringify({ to: 'needs_info', version: current.body.version }),
    })
    expect(elsewhere.status).toBe(200)

    await front().locator('#action-accepted').click()
    await front().locator('#transition-confirm').click()
    await front().locator('#intake-flash').getByText('该申请已被他人更新，已为您刷新').waitFor()
    await expect.poll(() => front().locator('#intake-detail').getAttribute('data-status')).toBe('needs_info')
    const after = await asBank<IntakeDetail>(`/api/v1/intakes/${receipt.id}`)
    expect(after.body.status).toBe('needs_info')
  })

  it('shows the full data only after a confirmation that says it is audited, and records pii_read', async () => {
    // Cancelled: nothing read, nothing recorded.
    await front().locator('#reveal').click()
    const modal = page.locator('.taro__modal')
    await modal.getByText('查看记录将被审计', { exact: false }).waitFor()
    await modal.locator('.taro-model__cancel').click()
    expect(await front().locator('#applicant-id').textContent()).toBe(ID_MASKED)
    expect(await piiReads()).not.toContain(receipt.id)

    await front().locator('#reveal').click()
    await modal.getByText('查看记录将被审计', { exact: false }).waitFor()
    await modal.locator('.taro-model__confirm').click()
    await expect.poll(() => front().locator('#applicant-id').textContent()).toBe(ID_NUMBER)
    expect(await front().locator('#applicant-mobile').textContent()).toBe(MOBILE)
    expect(await front().locator('#applicant-name').textContent()).toBe('张晓明')
    expect(await piiReads()).toContain(receipt.id)

    // Leaving the page hides it again.
    await page.goBack()
    await front().locator(`#open-${receipt.id}`).click()
    await expect.poll(() => front().locator('#intake-detail').getAttribute('data-status')).toBe('needs_info')
    expect(await front().locator('#applicant-id').textContent()).toBe(ID_MASKED)
    expect(await front().locator('#reveal').count()).toBe(1)
  })

  it('lets station staff file a 帮办 intake and shows the receipt and confirmation codes large', async () => {
    const staff = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
    const here = () => staff.locator('.page:visible')
    await staff.goto(`${app.url}/#/pages/me/index`)
    await staff.locator('#login-username input').fill('demo-station')
    await staff.locator('#login-password input').fill(app.logins['demo-station'] ?? '')
    await staff.locator('#login-submit').click()
    await staff.getByText('进入工作台').click()
    await here().locator('#open-assist').click()

    const form = here().locator('#assist-form')
    await form.waitFor()
    // Submitting empty names what is missing, beside each field.
    await form.locator('#assist-submit').click()
    await form.locator('#assist-id-number-error').waitFor()
    await form.locator('#assist-group-veteran').click()
    await form.locator('#assist-business-status-not_registered').click()
    await form.locator('#assist-industry-services').click()
    await form.locator('#assist-start-date input').fill('2026-05')
    await form.locator('#assist-employees input').fill('2')
    await form.locator('#assist-amount input').fill('20')
    await form.locator('#assist-term input').fill('24')
    await form.locator('#assist-purpose input').fill('开家电维修店，购买工具')
    await form.locator('#assist-other-loans-no').click()
    await form.locator('#assist-name input').fill('李建国')
    await form.locator('#assist-id-number input').fill('440304199003071248')
    await form.locator('#assist-mobile input').fill('13900139000')
    const sent = staff.waitForRequest((request) => request.url().endsWith('/api/v1/intakes/assisted'))
    await form.locator('#assist-submit').click()

    const request = await sent
    expect(request.headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/)
    const body = request.postDataJSON() as Record<string, unknown>
    expect(body).not.toHaveProperty('consent')
    expect(body).toMatchObject({
      station: 'QD0001',
      loan: { amount: 200_000, termMonths: 24, otherLoans: false },
      contact: { name: '李建国', idNumber: '440304199003071248', mobile: '13900139000' },
    })

    const code = here().locator('#assist-receipt')
    await expect.poll(() => code.textContent()).toMatch(/^CD[A-Z0-9]{8}$/)
    await expect.poll(() => here().locator('#assist-code').textContent()).toMatch(/^\d{6}$/)
    expect(await here().locator('#assist-instruction').textContent()).toBe(
      '请申请人在自己的手机上打开 我的 → 确认帮办申请，输入回执码和确认码（30分钟内有效）',
    )
    await staff.screenshot({ path: `${SHOTS}/staff-assist-receipt.png`, fullPage: true })

    // It waits in the station's queue for the resident's confirmation.
    const token = await staff.evaluate(() => {
      const raw = localStorage.getItem('doorstep.token') ?? ''
      try {
        const parsed = JSON.parse(raw) as { data?: unknown }
        return typeof parsed.data === 'string' ? parsed.data : raw
      } catch {
        return raw
      }
    })
    const queue = await json<QueuePage>('/api/v1/queue?status=awaiting_confirmation', {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(queue.status).toBe(200)
    expect(queue.body.items.map((item) => item.receipt)).toContain(await code.textContent())
    await staff.close()
  })
})
