import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnnouncementView } from '../../src/shared/schemas/announce'
import type { PolicyEntry } from '../../src/shared/schemas/policy'
import { type RunningApp, startApp } from '../support/app-process'
import { launchBrowser } from '../support/browser'

const SHOTS = 'test-results/e2e'
const USERNAME = 'cq-announcer'
const PASSWORD = 'Tangerine-Kite-47'
const TITLE = '重庆市创业担保贷款额度提高'
/** Every construct of the safe markup, and HTML that must come out as the characters typed. */
const BODY = [
  '# 个人最高可贷 50 万元',
  '',
  '自 2025 年 6 月起执行。<b>x</b> 不是加粗。',
  '',
  '- 高校毕业生',
  '- 退役军人',
  '',
  '详见[政策原文](https://rlsbj.cq.gov.cn/)。',
].join('\n')
const NOTE = '补充办理地点'

/** The page in front: Taro H5 keeps the pages behind it in the DOM, hidden. */
const front = (page: Page) => page.locator('.page:visible')
const tab = (page: Page, label: string) =>
  page.locator('.taro-tabbar__tabbar').getByText(label, { exact: true }).click()
/** Opens an app page afresh: a hash change alone would stack it on the pages already open. */
async function openFresh(page: Page, url: string) {
  await page.goto(url)
  await page.reload()
}

describe('政策推送: a Chongqing official publishes in the H5 app; Chongqing residents read it, Qingdao’s do not', () => {
  let app: RunningApp
  let browser: Browser
  const contexts: BrowserContext[] = []
  let official: Page
  let residentCQ: Page
  let residentQD: Page
  let officialToken = ''
  let linked: PolicyEntry
  let announcement: AnnouncementView

  async function post(path: string, body: unknown, token?: string) {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  /** What the official's own account lists, beside what the page shows. */
  async function managed(): Promise<AnnouncementView[]> {
    const response = await fetch(`${app.url}/api/v1/manage/announcements`, {
      headers: { Authorization: `Bearer ${officialToken}` },
    })
    expect(response.status).toBe(200)
    return ((await response.json()) as { items: AnnouncementView[] }).items
  }

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
    contexts.push(context)
    return context.newPage()
  }

  /** A resident scans the station's poster and follows it into the app, then opens 消息. */
  async function arriveAt(page: Page, station: string) {
    await page.goto(`${app.url}/s/${station}`)
    await page.getByText('看创业政策口袋书').click()
    await expect.poll(() => page.evaluate(() => localStorage.getItem('doorstep.station'))).toContain(station)
    await tab(page, '消息')
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    app = await startApp()
    browser = await launchBrowser()
    // A Chongqing official, invited by the administrator (the demo official is Qingdao's).
    const admin = await post('/api/v1/auth/login', {
      username: 'demo-admin',
      password: app.logins['demo-admin'] ?? '',
    })
    expect(admin.status).toBe(200)
    const invitation = await post(
      '/api/v1/invitations',
      { role: 'official', scope: { type: 'region', code: '500000' } },
      admin.body.accessToken as string,
    )
    expect(invitation.status, JSON.stringify(invitation.body)).toBe(201)
    const redeemed = await post('/api/v1/invitations/redeem', {
      code: invitation.body.code,
      displayName: '重庆市人社局（演示）',
      username: USERNAME,
      password: PASSWORD,
    })
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200)
    officialToken = redeemed.body.accessToken as string

    const book = (await fetch(`${app.url}/api/v1/pocketbook`).then((r) => r.json())) as {
      entries: PolicyEntry[]
    }
    const chongqing = book.entries.find((entry) => entry.regions.includes('500000'))
    linked = chongqing ?? (book.entries[0] as PolicyEntry)
    expect(linked).toBeDefined()

    official = await newPage()
    residentCQ = await newPage()
    residentQD = await newPage()
  })
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await app?.stop()
  })

  it('opens 管理台 → 政策推送 → 发布新推送, offering only Chongqing as a target', async () => {
    await official.goto(`${app.url}/#/pages/me/index`)
    await official.locator('#login-username input').fill(USERNAME)
    await official.locator('#login-password input').fill(PASSWORD)
    await official.locator('#login-submit').click()
    await official.getByText('进入管理台').click()
    await front(official).locator('#manage-announcements').click()
    await front(official).getByText('还没有发布过推送。').waitFor()
    await front(official).locator('#new-announcement').click()
    const form = front(official).locator('#announce-form')
    await form.waitFor()
    await form.locator('#announce-region-500000').waitFor()
    expect(await form.locator('#announce-region-500103').textContent()).toBe('渝中区')
    expect(await form.locator('#announce-region-370200').count()).toBe(0)
    await expect.poll(() => form.locator('#announce-station-CQ0001').count()).toBe(1)
    expect(await form.locator('#announce-station-QD0001').count()).toBe(0)
  })

  it('refuses an incomplete form with Chinese messages beside each field, and sends nothing', async () => {
    const form = front(official).locator('#announce-form')
    await form.locator('#announce-title input').fill('补')
    let sent = 0
    const count = (request: { method(): string; url(): string }) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/announcements')) sent++
    }
    official.on('request', count)
    await form.locator('#announce-submit').click()
    await expect.poll(() => form.locator('#announce-title-error').textContent()).toBe('标题至少 2 个字')
    expect(await form.locator('#announce-body-error').textContent()).toBe('正文至少 2 个字')
    expect(await form.locator('#announce-category-error').textContent()).toBe('请选择类别')
    expect(await form.locator('#announce-regions-error').textContent()).toBe('请至少选择一个地区或服务点')
    expect(await form.locator('#announce-form-error').textContent()).toBe('请按红字提示修改后再发布')
    official.off('request', count)
    expect(sent).toBe(0)
    expect(await managed()).toEqual([])
    await official.screenshot({ path: `${SHOTS}/announce-errors.png`, fullPage: true })
  })

  it('previews the body as residents will see it, HTML shown as text, and publishes to 重庆市', async () => {
    const form = front(official).locator('#announce-form')
    await form.locator('#announce-title input').fill(TITLE)
    await form.locator('#announce-body textarea').fill(BODY)
    const preview = form.locator('#announce-preview')
    await expect.poll(() => preview.locator('.markup__h1').textContent()).toBe('个人最高可贷 50 万元')
    // Drawn with the residents' styles: the heading is a heading, not body text.
    expect(await preview.locator('.markup__h1').evaluate((node) => getComputedStyle(node).fontWeight)).toBe(
      '700',
    )
    expect(await preview.locator('.markup__item').allTextContents()).toEqual(['• 高校毕业生', '• 退役军人'])
    expect(await preview.textContent()).toContain('<b>x</b> 不是加粗。')
    expect(await preview.locator('b').count()).toBe(0)
    expect(await preview.locator('.markup__link').getAttribute('data-href')).toBe('https://rlsbj.cq.gov.cn/')

    await form.locator('#announce-category-loan').click()
    await form.locator('#announce-region-500000').click()
    await form.locator('#announce-links input').fill(linked.id)
    await form.locator('#announce-submit').click()

    const message = front(official).locator('#announce-message')
    await expect.poll(() => message.textContent()).toBe('已发布：目标地区的居民打开“消息”就能看到')
    expect(await front(official).locator('#announce-status').getAttribute('data-status')).toBe('published')
    await official.screenshot({ path: `${SHOTS}/announce-published.png`, fullPage: true })

    const items = await managed()
    expect(items).toHaveLength(1)
    announcement = items[0] as AnnouncementView
    expect(announcement).toMatchObject({
      title: TITLE,
      body: BODY,
      category: 'loan',
      links: [linked.id],
      target: { regions: ['500000'], stations: [], groups: [] },
      status: 'published',
    })
  })

  it('lists it as 已发布 with its delivery progress', async () => {
    await front(official).locator('#announce-back').click()
    const card = front(official).locator(`#announcement-${announcement.id}`)
    await card.waitFor()
    expect(await card.getAttribute('data-status')).toBe('published')
    expect(await card.textContent()).toContain('已发布 · ')
    expect(await card.textContent()).toContain('发往 重庆市')
    // Nobody in this fresh store subscribed on WeChat: the fan-out finds no one.
    await expect.poll(() => card.locator('[data-deliveries]').textContent()).toBe('微信通知：暂无订阅的居民')
  })

  it('asks for progress again every few seconds while notices are still being sent, then stops', async () => {
    const answers = [
      { sent: 2, failed: 0, skipped: 0, pending: 3, total: 5 },
      { sent: 4, failed: 1, skipped: 0, pending: 0, total: 5 },
    ]
    let asked = 0
    await official.route('**/api/v1/announcements/*/deliveries', (route) => {
      const answer = answers[Math.min(asked, answers.length - 1)]
      asked++
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) })
    })
    try {
      await openFresh(official, `${app.url}/#/official/pages/announcements/index`)
      const line = front(official).locator(`#announcement-${announcement.id} [data-deliveries]`)
      await expect.poll(() => line.textContent()).toBe('微信通知：已发送 2 · 失败 0 · 待发送 3')
      await expect
        .poll(() => line.textContent(), { timeout: 10_000 })
        .toBe('微信通知：已发送 4 · 失败 1 · 待发送 0')
      const settled = asked
      await official.waitForTimeout(4000)
      expect(asked).toBe(settled)
    } finally {
      await official.unroute('**/api/v1/announcements/*/deliveries')
    }
  })

  it('shows it in 消息 of a resident whose station is CQ0001, unread, and opens it rendered safely', async () => {
    await arriveAt(residentCQ, 'CQ0001')
    const item = front(residentCQ).locator(`#feed-${announcement.id}`)
    await item.waitFor()
    expect(await item.getAttribute('data-read')).toBe('no')
    expect(await item.locator('.feed-dot').count()).toBe(1)
    expect(await item.textContent()).toContain(TITLE)
    expect(await item.textContent()).toContain('贷款 · ')
    expect(await front(residentCQ).locator('#feed-unread').textContent()).toBe('1 条未读')
    await residentCQ.screenshot({ path: `${SHOTS}/feed-cq.png`, fullPage: true })

    await item.click()
    await expect.poll(() => front(residentCQ).locator('#news-title').textContent()).toBe(TITLE)
    expect(residentCQ.url()).toContain(`/news/pages/detail/index?id=${announcement.id}`)
    const body = front(residentCQ).locator('#news-body')
    expect(await body.locator('.markup__h1').textContent()).toBe('个人最高可贷 50 万元')
    expect(await body.locator('.markup__item').count()).toBe(2)
    expect(await body.locator('.markup__link').textContent()).toBe('政策原文')
    // Typed HTML stays text: no <b> element, the characters are all there.
    expect(await body.textContent()).toContain('<b>x</b> 不是加粗。')
    expect(await body.locator('b').count()).toBe(0)
    expect(await body.innerHTML()).not.toContain('<b>x</b>')
    await expect
      .poll(() => front(residentCQ).locator(`#news-policy-${linked.id}`).textContent())
      .toBe(`查看政策：${linked.title}`)
    expect(await front(residentCQ).locator('#news-corrections').count()).toBe(0)
    await residentCQ.screenshot({ path: `${SHOTS}/news-detail.png`, fullPage: true })

    // Read on open: back in 消息 the dot is gone.
    await residentCQ.goBack()
    await expect.poll(() => item.getAttribute('data-read')).toBe('yes')
    expect(await item.locator('.feed-dot').count()).toBe(0)
    await residentCQ.reload()
    await expect.poll(() => front(residentCQ).locator('#feed-unread').textContent()).toBe('全部已读')
  })

  it('does not show it to a resident whose station is QD0001 in Qingdao', async () => {
    await arriveAt(residentQD, 'QD0001')
    await front(residentQD).locator('#feed-empty').waitFor()
    expect(await front(residentQD).locator(`#feed-${announcement.id}`).count()).toBe(0)
    await residentQD.screenshot({ path: `${SHOTS}/feed-qd-empty.png`, fullPage: true })
  })

  it('corrects it only with a note, and residents see 已更正 with the note and time', async () => {
    await front(official).locator(`#manage-announcement-${announcement.id}`).click()
    const manage = front(official).locator('#announce-manage')
    await manage.waitFor()
    await expect.poll(() => manage.locator('#correct-title input').inputValue()).toBe(TITLE)
    await manage.locator('#correct-body textarea').fill(`${BODY}\n\n办理地点：各助创驿站。`)
    await manage.locator('#correct-submit').click()
    await expect
      .poll(() => manage.locator('#correct-note-error').textContent())
      .toBe('请填写更正说明：居民会看到改了什么')
    expect((await managed())[0]?.corrections).toEqual([])

    await manage.locator('#correct-note input').fill(NOTE)
    await manage.locator('#correct-submit').click()
    await expect
      .poll(() => front(official).locator('#announce-message').textContent())
      .toBe('已更正：居民会看到更正说明和时间')
    const stored = (await managed())[0] as AnnouncementView
    expect(stored.corrections.map((correction) => correction.note)).toEqual([NOTE])
    expect(stored.body).toContain('办理地点：各助创驿站。')

    await residentCQ.reload()
    const item = front(residentCQ).locator(`#feed-${announcement.id}`)
    await expect
      .poll(() => item.locator('.feed-corrected').textContent())
      .toMatch(/^已更正 · \d{4}-\d\d-\d\d \d\d:\d\d$/)
    await item.click()
    const corrections = front(residentCQ).locator('#news-corrections')
    await expect.poll(() => corrections.textContent()).toContain(NOTE)
    expect(await front(residentCQ).locator('#news-body').textContent()).toContain('办理地点：各助创驿站。')
  })

  it('withdraws it: 已撤回 for the official, gone from the resident’s 消息 and detail', async () => {
    const manage = front(official).locator('#announce-manage')
    await manage.locator('#withdraw-submit').click()
    await expect.poll(() => manage.locator('#withdraw-note-error').textContent()).toBe('请填写撤回说明')
    await manage.locator('#withdraw-note input').fill('额度政策调整，另行通知')
    await manage.locator('#withdraw-submit').click()
    await expect.poll(() => manage.locator('#announce-status').getAttribute('data-status')).toBe('withdrawn')
    expect((await managed())[0]?.status).toBe('withdrawn')

    await openFresh(residentCQ, `${app.url}/#/pages/feed/index`)
    await front(residentCQ).locator('#feed-empty').waitFor()
    expect(await front(residentCQ).locator(`#feed-${announcement.id}`).count()).toBe(0)
    await openFresh(residentCQ, `${app.url}/#/news/pages/detail/index?id=${announcement.id}`)
    await expect
      .poll(() => front(residentCQ).locator('#news-error').textContent())
      .toBe('这条消息已撤回或不存在。')
  })
})
