import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { QueuePage } from '../../src/shared/schemas/intake'
import { checkIdNumber, maskIdNumber } from '../../src/shared/validators'
import { type RunningApp, startApp } from '../support/app-process'
import { launchBrowser } from '../support/browser'
import { idempotencyKey, intakeBody } from '../support/people'

const SHOTS = 'test-results/e2e'
/** GB 11643 body (北京市西城区, born 1949-12-31); the check character is computed, not assumed. */
const ID_BODY = '11010519491231002'
const VALID_ID = [...'0123456789X'].map((check) => ID_BODY + check).find((id) => checkIdNumber(id).ok) ?? ''
/** The same number with a wrong check character. */
const WRONG_ID = `${ID_BODY}1`
const MOBILE = '13800138000'

describe('a resident files a loan intake from a QR poster (H5), and only that point’s bank staff see it', () => {
  let app: RunningApp
  let browser: Browser
  let page: Page
  let receipt = ''
  /** Idempotency-Key of every POST /api/v1/intakes the page sent. */
  const sentKeys: string[] = []

  /** The page in front: Taro H5 keeps the pages behind it in the DOM, hidden. */
  const front = () => page.locator('.page:visible')
  const next = () => front().locator('#step-next').click()
  const progress = () => front().locator('#intake-progress').textContent()

  async function post(path: string, body: unknown, token?: string) {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  async function login(username: string, password: string): Promise<string> {
    const answer = await post('/api/v1/auth/login', { username, password })
    expect(answer.status).toBe(200)
    return answer.body.accessToken as string
  }

  async function queue(token: string): Promise<QueuePage> {
    const response = await fetch(`${app.url}/api/v1/queue`, { headers: { Authorization: `Bearer ${token}` } })
    expect(response.status).toBe(200)
    return (await response.json()) as QueuePage
  }

  beforeAll(async () => {
    expect(checkIdNumber(VALID_ID).ok).toBe(true)
    expect(checkIdNumber(WRONG_ID).ok).toBe(false)
    mkdirSync(SHOTS, { recursive: true })
    app = await startApp()
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/intakes') {
        sentKeys.push(request.headers()['idempotency-key'] ?? '')
      }
    })
  })
  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  it('follows 办理创业担保贷款受理 from /s/CQ0001 straight into the form for that point', async () => {
    await page.goto(`${app.url}/s/CQ0001`)
    await page.getByText('办理创业担保贷款受理').click()
    await front().locator('#intake-form').waitFor()
    await expect.poll(() => front().locator('#intake-station').textContent()).toContain('渝中助创驿站')
    expect(await progress()).toBe('第 1 步，共 6 步')
    expect(page.url()).toContain('/intake/pages/form/index?s=CQ0001')
  })

  it('asks one question group per step, checks each before moving on, and goes back with 上一步', async () => {
    await next()
    await expect
      .poll(() => front().locator('#field-groups-error').textContent())
      .toBe('请至少选择一项（都不是请选“以上都不是”）')
    expect(await progress()).toBe('第 1 步，共 6 步')
    await front().locator('#field-groups-graduate').click()
    await next()
    await expect.poll(progress).toBe('第 2 步，共 6 步')

    await front().locator('#field-status-individual').click()
    await front().locator('#field-businessName input').fill('老王修车铺')
    await front().locator('#field-uscc input').fill('91350100M000100Y43')
    await front().locator('#field-industry-services').click()
    await front().locator('#field-startDate input').fill('2026-03')
    await front().locator('#field-employees input').fill('2')
    await front().locator('#field-newHires input').fill('1')
    await next()
    await expect.poll(progress).toBe('第 3 步，共 6 步')

    await front().locator('#step-prev').click()
    await expect.poll(progress).toBe('第 2 步，共 6 步')
    expect(await front().locator('#field-businessName input').inputValue()).toBe('老王修车铺')
    await next()
    await expect.poll(progress).toBe('第 3 步，共 6 步')

    await front().locator('#field-amount input').fill('20')
    await front().locator('#field-purpose input').fill('购买修车设备')
    await front().locator('#field-termMonths input').fill('36')
    await front().locator('#field-otherLoans-no').click()
    await next()
    await expect.poll(progress).toBe('第 4 步，共 6 步')
  })

  it('refuses a 身份证号 with a wrong check digit with a Chinese message under the field', async () => {
    await front().locator('#field-name input').fill('王建国')
    await front().locator('#field-idNumber input').fill(WRONG_ID)
    await front().locator('#field-mobile input').fill(MOBILE)
    await next()
    await expect
      .poll(() => front().locator('#field-idNumber-error').textContent())
      .toBe('身份证号校验位不对，请核对后重新输入')
    expect(await front().locator('.field__error').count()).toBe(1)
    expect(await progress()).toBe('第 4 步，共 6 步')
    await page.screenshot({ path: `${SHOTS}/intake-bad-id.png`, fullPage: true })

    await front().locator('#field-idNumber input').fill(VALID_ID)
    await expect.poll(() => front().locator('#field-idNumber-error').count()).toBe(0)
    await next()
    await expect.poll(progress).toBe('第 5 步，共 6 步')
  })

  it('asks for a separate consent naming the purpose, the bank point and the retention period', async () => {
    const consent = front().locator('#consent-text')
    await expect.poll(() => consent.textContent()).toContain('创业担保贷款预受理')
    await expect.poll(() => front().locator('#consent-recipient').textContent()).toContain('渝中助创驿站')
    expect(await front().locator('#consent-recipient').textContent()).toContain('演示合作银行')
    expect(await front().locator('#consent-recipient').textContent()).toContain('渝中支行')
    await expect.poll(() => front().locator('#consent-retention').textContent()).toMatch(/办结后 \d+ 天删除/)
    await next()
    await expect
      .poll(() => front().locator('#field-consent-error').textContent())
      .toBe('请阅读并单独同意处理您的身份证号和手机号')
    await front().locator('#consent-check').click()
    await next()
    await expect.poll(progress).toBe('第 6 步，共 6 步')
  })

  it('reviews everything with the numbers masked, and a pre-check that only advises', async () => {
    const review = front().locator('#intake-review')
    await expect.poll(() => review.locator('#review-idNumber').textContent()).toBe(maskIdNumber(VALID_ID))
    expect(await review.locator('#review-mobile').textContent()).toBe('138****8000')
    expect(await review.locator('#review-amount').textContent()).toBe('20 万元')
    expect(await review.textContent()).not.toContain(VALID_ID)
    const precheck = front().locator('#precheck')
    await expect.poll(() => precheck.locator('[data-condition]').count()).toBe(5)
    const cap = precheck.locator('[data-condition="loan.amount_within_cap"]')
    expect(await cap.getAttribute('data-verdict')).toBe('met')
    expect(await cap.textContent()).toContain('符合')
    expect(await cap.textContent()).toContain('个人额度上限50万元')
    expect(await front().locator('#precheck-note').textContent()).toContain('仅供参考，不影响提交')
    await page.screenshot({ path: `${SHOTS}/intake-review.png`, fullPage: true })
  })

  it('keeps the draft through a reload: same step, same answers, same idempotency key', async () => {
    const before = await page.evaluate(() => localStorage.getItem('doorstep.intake.draft.CQ0001'))
    expect(before).toContain(VALID_ID)
    await page.reload()
    await front().locator('#intake-form').waitFor()
    await front().locator('#draft-restored').waitFor()
    await expect.poll(progress).toBe('第 6 步，共 6 步')
    await expect.poll(() => front().locator('#review-mobile').textContent()).toBe('138****8000')
    const after = await page.evaluate(() => localStorage.getItem('doorstep.intake.draft.CQ0001'))
    const keyOf = (stored: string | null) => /"key":"([^"]+)"/.exec(stored ?? '')?.[1]
    expect(keyOf(after)).toBeDefined()
    expect(keyOf(after)).toBe(keyOf(before))
  })

  it('keeps the draft when the network fails, and takes the server’s field errors back to their step', async () => {
    const intakes = '**/api/v1/intakes'
    await page.route(intakes, (route) => route.abort('internetdisconnected'))
    await front().locator('#intake-submit').click()
    await expect
      .poll(() => front().locator('#intake-error').textContent(), { timeout: 10_000 })
      .toBe('网络不稳定，已保存草稿，可稍后重试')
    await page.unroute(intakes)
    expect(await progress()).toBe('第 6 步，共 6 步')
    const kept = await page.evaluate(() => localStorage.getItem('doorstep.intake.draft.CQ0001'))
    expect(kept).toContain(VALID_ID)
    expect(kept).toContain('"keySent":true')

    await page.route(intakes, (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'validation_failed',
            message: '填写的内容有误，请按提示修改',
            fields: { 'contact.idNumber': ['这个身份证号暂时无法受理'] },
          },
        }),
      }),
    )
    await front().locator('#intake-submit').click()
    await expect.poll(progress).toBe('第 4 步，共 6 步')
    expect(await front().locator('#field-idNumber-error').textContent()).toBe('这个身份证号暂时无法受理')
    expect(await front().locator('#intake-error').textContent()).toBe('填写的内容有误，请按提示修改')
    await page.unroute(intakes)
    await next()
    await expect.poll(progress).toBe('第 5 步，共 6 步')
    await next()
    await expect.poll(progress).toBe('第 6 步，共 6 步')
  })

  it('submits once on a double tap and shows the receipt code; the draft is gone', async () => {
    await front().locator('#intake-submit').dblclick()
    const code = front().locator('#receipt-code')
    await code.waitFor()
    receipt = (await code.textContent()) ?? ''
    expect(receipt).toMatch(/^CD[A-Z0-9]{8}$/)
    expect(await front().locator('#receipt-station').textContent()).toBe('渝中助创驿站')
    expect(await front().locator('#receipt-status').textContent()).toBe('已提交')
    expect(await front().locator('#precheck [data-condition]').count()).toBe(5)
    expect(await front().locator('#receipt-duplicate').count()).toBe(0)
    // Three tries on the lost connection (the client retries a keyed POST), one refused, one filed:
    // every one of them carried the key the draft was started with.
    expect(sentKeys.length).toBe(5)
    expect(new Set(sentKeys).size).toBe(1)
    expect(sentKeys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(page.url()).not.toContain(MOBILE)
    expect(await page.evaluate(() => localStorage.getItem('doorstep.intake.draft.CQ0001'))).toBeNull()
    await page.screenshot({ path: `${SHOTS}/intake-receipt.png`, fullPage: true })
  })

  it('lists it under 我的申请, and finds it by receipt code and the last four digits of the mobile', async () => {
    await front().locator('#go-mine').click()
    const mine = front().locator(`#intake-${receipt}`)
    await mine.waitFor()
    expect(await mine.textContent()).toContain('渝中助创驿站')
    expect(await mine.getAttribute('data-status')).toBe('submitted')

    await front().locator('#mine-lookup').click()
    await expect.poll(() => front().locator('#lookup-receipt input').inputValue()).toBe(receipt)
    await front().locator('#lookup-mobile4 input').fill('0000')
    await front().locator('#lookup-submit').click()
    await expect
      .poll(() => front().locator('#lookup-error').textContent())
      .toBe('没有找到，请核对回执码和手机号后四位')
    await front().locator('#lookup-mobile4 input').fill('8000')
    await front().locator('#lookup-submit').click()
    await front().locator(`#lookup-result #intake-${receipt}`).waitFor()
    expect(await front().locator('#lookup-error').count()).toBe(0)
  })

  it('shows the intake, masked, in the queue of CQ0001’s bank staff — exactly once', async () => {
    const bank = await login('demo-bank', app.logins['demo-bank'] ?? '')
    const items = (await queue(bank)).items.filter((item) => item.receipt === receipt)
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({
      station: 'CQ0001',
      status: 'submitted',
      idNumber: maskIdNumber(VALID_ID),
      mobile: '138****8000',
      amount: 200_000,
      termMonths: 36,
      groups: ['graduate'],
    })
    expect(items[0]?.idNumber).toMatch(/^110\*{11}\d{3}[\dX]$/)
    expect(JSON.stringify(items)).not.toContain(VALID_ID)
  })

  it('lets a resident confirm a 帮办 filing with the receipt and the code staff show them', async () => {
    const bank = await login('demo-bank', app.logins['demo-bank'] ?? '')
    const { consent: _consent, ...body } = intakeBody('CQ0001', 7)
    const response = await fetch(`${app.url}/api/v1/intakes/assisted`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${bank}`,
        'Idempotency-Key': idempotencyKey(),
      },
      body: JSON.stringify(body),
    })
    expect(response.status).toBe(201)
    const assisted = (await response.json()) as { receipt: string; confirmationCode: string }

    await page.goto(`${app.url}/#/pages/me/index`)
    await front().locator('#go-intake-confirm').click()
    await front().locator('#confirm-receipt input').fill(assisted.receipt.toLowerCase())
    await front().locator('#confirm-code input').fill(assisted.confirmationCode)
    await expect.poll(() => front().locator('#consent-retention').textContent()).toMatch(/办结后 \d+ 天删除/)
    await front().locator('#confirm-submit').click()
    await expect
      .poll(() => front().locator('#field-consent-error').textContent())
      .toBe('请阅读并单独同意处理您的身份证号和手机号')
    await front().locator('#consent-check').click()
    await front().locator('#confirm-submit').click()
    await expect.poll(() => front().locator('#receipt-code').textContent()).toBe(assisted.receipt)
    expect(await front().locator('#receipt-status').textContent()).toBe('已提交')
    const queued = (await queue(bank)).items.find((item) => item.receipt === assisted.receipt)
    expect(queued).toMatchObject({ status: 'submitted', assisted: true })
  })

  it('shows nothing of it to the bank staff of another point (CQ0002)', async () => {
    const admin = await login('demo-admin', app.logins['demo-admin'] ?? '')
    const invitation = await post(
      '/api/v1/invitations',
      { role: 'bank_staff', scope: { type: 'station', code: 'CQ0002' } },
      admin,
    )
    expect(invitation.status).toBe(201)
    const redeemed = await post('/api/v1/invitations/redeem', {
      code: invitation.body.code,
      displayName: '江北经办员',
      username: 'jiangbei-bank',
      password: 'Tangerine-Kite-47',
    })
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200)
    const other = redeemed.body.accessToken as string
    const theirs = await queue(other)
    expect(theirs.items.map((item) => item.receipt)).not.toContain(receipt)
    expect(theirs.items).toHaveLength(0)
  })
})
