import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PolicyEntry } from '../../src/shared/schemas/policy'
import { type RunningApp, startApp } from '../support/app-process'
import { launchBrowser } from '../support/browser'

const SHOTS = 'test-results/e2e'
const QUERY = '返乡 创业 补贴'
const COPY_KEY = 'doorstep.pocketbook.v1'

/** The page in front: Taro H5 keeps the pages behind it in the DOM, hidden. */
const front = (page: Page) => page.locator('.page:visible')

describe('a resident reads the pocket-book (口袋书) in the H5 app, online and offline', () => {
  let app: RunningApp
  let browser: Browser
  let context: BrowserContext
  let page: Page
  /**
   * The app's own files (HTML, JS, CSS, icons) as the browser loaded them online. A mini-program's
   * code package lives on the phone, so offline only the network to the API is gone; a browser
   * has no such package (this app has no service worker), so the offline test serves the app's
   * files from here and nothing else — every API call still meets a dead network.
   */
  const appFiles = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>()

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    app = await startApp()
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
    page = await context.newPage()
    page.on('response', async (response) => {
      const url = new URL(response.url())
      if (url.origin !== app.url || url.pathname.startsWith('/api/') || response.status() !== 200) return
      try {
        appFiles.set(url.pathname, { status: 200, headers: response.headers(), body: await response.body() })
      } catch {
        // A response without a body (a redirect) is not an app file.
      }
    })
  })
  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  it('lists every published entry with its summary and source, and keeps a copy on the device', async () => {
    const published = (await fetch(`${app.url}/api/v1/pocketbook`).then((r) => r.json())) as {
      etag: string
      entries: PolicyEntry[]
    }
    expect(published.entries.length).toBeGreaterThanOrEqual(30)

    await page.goto(`${app.url}/#/pages/policies/index`)
    const list = front(page).locator('#policy-list')
    await expect.poll(() => list.locator('[data-policy]').count()).toBe(published.entries.length)
    const first = published.entries[0] as PolicyEntry
    const card = list.locator(`[data-policy="${first.id}"]`)
    expect(await card.textContent()).toContain(first.summary)
    expect(await card.textContent()).toContain(`出处：《${first.source.title}》`)
    // Categories, the matcher entry and the search box are there.
    expect(await front(page).locator('#category-subsidy').textContent()).toBe('补贴')
    expect(await front(page).locator('#open-matcher').count()).toBe(1)

    await expect
      .poll(() => page.evaluate((key) => localStorage.getItem(key), COPY_KEY))
      .toContain(`"etag":"${published.etag}"`)
    await page.screenshot({ path: `${SHOTS}/pocketbook-tab.png`, fullPage: true })
  })

  it('filters by category and target group', async () => {
    const list = front(page).locator('#policy-list')
    const all = await list.locator('[data-policy]').count()
    await front(page).locator('#category-loan').click()
    await expect.poll(() => list.locator('[data-policy]').count()).toBeLessThan(all)
    const loans = await list.locator('[data-policy]').count()
    expect(loans).toBeGreaterThan(0)
    await front(page).locator('#group-veteran').click()
    await expect.poll(() => list.locator('[data-policy]').count()).toBeLessThanOrEqual(loans)
    await front(page).locator('#category-all').click()
    await front(page).locator('#group-all').click()
    await expect.poll(() => list.locator('[data-policy]').count()).toBe(all)
  })

  it(`searches “${QUERY}” and opens the best result, its source spelled out`, async () => {
    const api = (await fetch(
      `${app.url}/api/v1/pocketbook/search?q=${encodeURIComponent(QUERY)}&limit=20`,
    ).then((r) => r.json())) as { items: { id: string; title: string }[] }
    expect(api.items.length).toBeGreaterThan(0)

    await front(page).locator('#policy-search input').fill(QUERY)
    await front(page).locator('#policy-search input').press('Enter')
    const results = front(page).locator('#search-results')
    await results.waitFor()
    await expect.poll(() => results.locator('[data-policy]').count()).toBe(api.items.length)
    const ids = await results
      .locator('[data-policy]')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-policy')))
    expect(ids).toEqual(api.items.map((item) => item.id))
    expect(await front(page).locator('#search-offline').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/pocketbook-search.png`, fullPage: true })

    const best = api.items[0] as { id: string; title: string }
    await results.locator(`[data-policy="${best.id}"]`).click()
    const source = front(page).locator('#policy-source')
    await source.waitFor()
    expect(await front(page).locator('#policy-title').textContent()).toBe(best.title)
    const entry = (await fetch(`${app.url}/api/v1/policies/${best.id}`).then((r) => r.json())) as PolicyEntry
    const text = (await source.textContent()) ?? ''
    expect(text).toContain('文件名称')
    expect(text).toContain('条款')
    expect(await source.locator('#policy-source-title').textContent()).toBe(`《${entry.source.title}》`)
    expect(await source.locator('#policy-source-clause').textContent()).toBe(entry.source.clause)
    expect((await source.locator('#policy-source-clause').textContent())?.trim()).not.toBe('')
    expect(await source.locator('#policy-source-issuer').textContent()).toBe(entry.source.issuer)
    expect(page.url()).toContain(`/book/pages/entry/index?id=${best.id}`)

    // 一图看: the server's picture, shown, with a link to open or save it.
    await front(page).locator('#policy-card').scrollIntoViewIfNeeded()
    await expect
      .poll(() =>
        front(page)
          .locator('#policy-card img')
          .evaluate((img) => (img as HTMLImageElement).naturalWidth),
      )
      .toBeGreaterThan(0)
    expect(await front(page).locator('#policy-card-link').getAttribute('href')).toBe(
      `/api/v1/policies/${best.id}/card.svg`,
    )
    await page.screenshot({ path: `${SHOTS}/pocketbook-entry.png`, fullPage: true })
  })

  it('still shows the entries with no network after a reload, with the offline note', async () => {
    await page.goto(`${app.url}/#/pages/policies/index`)
    const count = await front(page).locator('#policy-list [data-policy]').count()
    expect(count).toBeGreaterThanOrEqual(30)

    const apiCalls: string[] = []
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url())
      const file = appFiles.get(url.pathname)
      if (url.pathname.startsWith('/api/')) apiCalls.push(url.pathname)
      return file && !url.pathname.startsWith('/api/') ? route.fulfill(file) : route.continue()
    })
    await context.setOffline(true)
    try {
      await page.reload()
      const list = front(page).locator('#policy-list')
      await expect.poll(() => list.locator('[data-policy]').count(), { timeout: 15_000 }).toBe(count)
      await expect
        .poll(() => front(page).locator('#pocketbook-offline').textContent(), { timeout: 15_000 })
        .toMatch(/^离线内容（更新于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}）$/)
      // It did ask (and found no network): the copy is shown because the answer never came.
      expect(apiCalls).toContain('/api/v1/pocketbook')
      await page.screenshot({ path: `${SHOTS}/pocketbook-offline.png`, fullPage: true })

      // Search and an entry work from the copy on the device too.
      await front(page).locator('#policy-search input').fill(QUERY)
      await front(page).locator('#policy-search-submit').click()
      const results = front(page).locator('#search-results')
      await results.waitFor({ timeout: 15_000 })
      expect(await front(page).locator('#search-offline').textContent()).toContain('离线内容')
      await expect.poll(() => results.locator('[data-policy]').count()).toBeGreaterThan(0)
      await results.locator('[data-policy]').first().click()
      await front(page).locator('#policy-source #policy-source-title').waitFor({ timeout: 15_000 })
      expect(await front(page).locator('#policy-offline').textContent()).toContain('手机上保存的内容')
    } finally {
      await context.setOffline(false)
      await context.unrouteAll()
    }
  })

  it('works out, as a Chongqing 高校毕业生 with a 个体工商户, which policies fit, condition by condition', async () => {
    await page.goto(`${app.url}/#/pages/policies/index`)
    await front(page).locator('#open-matcher').click()
    const progress = () => front(page).locator('#matcher-progress').textContent()
    await expect.poll(progress).toBe('第 1 题，共 11 题')

    // Nothing chosen: 下一步 asks for an answer, 跳过 is the way on.
    await front(page).locator('#matcher-next').click()
    await front(page).locator('#matcher-answer-error').waitFor()
    await front(page).locator('#matcher-region-500000').click()
    await front(page).locator('#matcher-next').click()
    await expect.poll(progress).toBe('第 2 题，共 11 题')
    await front(page).locator('#matcher-group-graduate').click()
    await front(page).locator('#matcher-next').click()
    await expect.poll(progress).toBe('第 3 题，共 11 题')
    await front(page).locator('#matcher-prev').click()
    await expect.poll(progress).toBe('第 2 题，共 11 题')
    expect(await front(page).locator('#matcher-group-graduate').getAttribute('aria-checked')).toBe('true')
    await front(page).locator('#matcher-next').click()
    await front(page).locator('#matcher-choice-individual').click()
    await front(page).locator('#matcher-next').click()
    await expect.poll(progress).toBe('第 4 题，共 11 题')
    expect(await front(page).locator('#matcher-question').getAttribute('data-question')).toBe(
      'yearsSinceGraduation',
    )
    await front(page).locator('#matcher-count input').fill('1')
    await front(page).locator('#matcher-next').click()
    // The rest stays unknown.
    for (let question = 5; question <= 11; question++) {
      await expect.poll(progress).toBe(`第 ${question} 题，共 11 题`)
      await front(page).locator('#matcher-skip').click()
    }

    const results = front(page).locator('#matcher-results')
    await results.waitFor()
    const met = results.locator('[data-match][data-verdict="met"]')
    await expect.poll(() => met.count()).toBeGreaterThan(0)
    const firstMet = met.first()
    expect(await firstMet.textContent()).toContain('符合')
    expect(await firstMet.locator('[id^="match-open-"]').count()).toBe(1)
    // Every entry is listed with its verdict; an unknown one says which condition is open, and why.
    const unknown = results.locator('[data-match][data-verdict="unknown"]').first()
    expect(await unknown.textContent()).toContain('可能符合')
    expect(await unknown.locator('[data-condition][data-verdict="unknown"]').count()).toBeGreaterThan(0)
    expect(await results.locator('[data-amounts]').first().textContent()).toMatch(/万元|元/)
    // Nothing from another city.
    expect(await results.locator('[data-match^="qd-"]').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/pocketbook-matcher.png`, fullPage: true })

    const id = await firstMet.getAttribute('data-match')
    await firstMet.locator('[id^="match-open-"]').click()
    await expect.poll(() => page.url()).toContain(`/book/pages/entry/index?id=${id}`)
    await front(page).locator('#policy-source').waitFor()
  })

  it('shows a resident whose station is in Qingdao the national and Qingdao entries, or all on request', async () => {
    const book = (await fetch(`${app.url}/api/v1/pocketbook`).then((r) => r.json())) as {
      entries: PolicyEntry[]
    }
    const local = book.entries.filter((item) =>
      item.regions.some((code) => code === '000000' || code.startsWith('37')),
    )
    expect(local.length).toBeLessThan(book.entries.length)

    await page.goto(`${app.url}/`)
    await page.locator('[data-choose="QD0001"]').click()
    await page.locator('#chosen-station').waitFor()
    await page.locator('.taro-tabbar__tabbar').getByText('口袋书', { exact: true }).click()
    const list = front(page).locator('#policy-list')
    await expect.poll(() => front(page).locator('#region-local').getAttribute('aria-checked')).toBe('true')
    expect(await front(page).locator('#region-local').textContent()).toContain('市南区')
    await expect.poll(() => list.locator('[data-policy]').count()).toBe(local.length)
    expect(await list.locator('[data-policy^="cq-"]').count()).toBe(0)
    await front(page).locator('#region-all').click()
    await expect.poll(() => list.locator('[data-policy]').count()).toBe(book.entries.length)
  })
})

describe('an official edits a Qingdao entry in the H5 app (管理台 → 管理政策口袋书)', () => {
  let app: RunningApp
  let browser: Browser
  let page: Page
  let token = ''

  async function managed(): Promise<PolicyEntry[]> {
    const response = await fetch(`${app.url}/api/v1/manage/policies`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(response.status).toBe(200)
    return ((await response.json()) as { items: PolicyEntry[] }).items
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    app = await startApp()
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
    const login = await fetch(`${app.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'demo-official', password: app.logins['demo-official'] ?? '' }),
    })
    expect(login.status).toBe(200)
    token = ((await login.json()) as { accessToken: string }).accessToken
  })
  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  it('edits the summary, saves a draft residents do not see yet, publishes, and the public API has it', async () => {
    await page.goto(`${app.url}/#/pages/me/index`)
    await page.locator('#login-username input').fill('demo-official')
    await page.locator('#login-password input').fill(app.logins['demo-official'] ?? '')
    await page.locator('#login-submit').click()
    await page.getByText('进入管理台').click()
    await front(page).locator('#manage-policies').click()

    // Only Qingdao's entries: the official's region.
    const mine = await managed()
    expect(mine.length).toBeGreaterThan(0)
    expect(mine.every((item) => item.regions.every((code) => code.startsWith('37')))).toBe(true)
    const target = mine.find((item) => item.status === 'published' && item.regions.includes('370200'))
    expect(target).toBeDefined()
    const entry = target as PolicyEntry
    await expect.poll(() => front(page).locator('.managed-policy').count()).toBe(mine.length)
    expect(await front(page).locator(`#managed-policy-${entry.id}`).textContent()).toContain('已发布')
    expect(await front(page).getByText('渝中').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/official-policies.png`, fullPage: true })

    await front(page).locator(`#edit-policy-${entry.id}`).click()
    const summary = front(page).locator('#edit-summary input')
    await expect.poll(() => summary.inputValue()).toBe(entry.summary)
    const updated = `家门口就能办：就享家服务站提供政策咨询和帮办（${Date.now() % 100_000}）`
    await summary.fill(updated)

    await front(page).locator('#policy-save').click()
    await expect.poll(() => front(page).locator('#policy-message').textContent()).toContain('已保存为草稿')
    expect(await front(page).locator('#policy-status').getAttribute('data-status')).toBe('draft')
    // A draft is not public: residents still read the published version.
    const before = (await fetch(`${app.url}/api/v1/policies/${entry.id}`).then((r) =>
      r.json(),
    )) as PolicyEntry
    expect(before.summary).toBe(entry.summary)

    await front(page).locator('#policy-preview').click()
    await expect
      .poll(() => front(page).locator('#policy-preview-view #policy-summary').textContent())
      .toBe(updated)

    await front(page).locator('#policy-publish').click()
    await expect.poll(() => front(page).locator('#policy-message').textContent()).toContain('已发布')
    expect(await front(page).locator('#policy-status').getAttribute('data-status')).toBe('published')
    const after = (await fetch(`${app.url}/api/v1/policies/${entry.id}`).then((r) => r.json())) as PolicyEntry
    expect(after.summary).toBe(updated)
    const book = (await fetch(`${app.url}/api/v1/pocketbook`).then((r) => r.json())) as {
      entries: PolicyEntry[]
    }
    expect(book.entries.find((item) => item.id === entry.id)?.summary).toBe(updated)

    // 版本记录 names the change, before → after.
    const change = front(page).locator('#policy-versions [data-field="summary"]').first()
    await change.waitFor()
    expect(await change.textContent()).toBe(`一句话摘要：${entry.summary} → ${updated}`)
    await page.screenshot({ path: `${SHOTS}/official-policy-edit.png`, fullPage: true })
  })

  it('refreshes the form with a plain message when someone else saved meanwhile (409)', async () => {
    // The entry the form shows, as stored; a colleague saves it first.
    const shown = await front(page).locator('#policy-status').textContent()
    const id = /编号 ([a-z0-9-]+)/.exec(shown ?? '')?.[1] ?? ''
    const stored = (await managed()).find((item) => item.id === id)
    expect(stored).toBeDefined()
    const entry = stored as PolicyEntry
    const { id: _id, version, status: _s, updatedAt: _u, editor: _e, ...content } = entry
    const theirs = `${entry.title}（同事改过）`.slice(0, 60)
    const put = await fetch(`${app.url}/api/v1/manage/policies/${id}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ version, content: { ...content, title: theirs } }),
    })
    expect(put.status).toBe(200)

    await front(page).locator('#edit-title input').fill('我这边也改了标题')
    await front(page).locator('#policy-save').click()
    await expect
      .poll(() => front(page).locator('#policy-message').textContent())
      .toBe('内容已被他人修改，已为您刷新')
    await expect.poll(() => front(page).locator('#edit-title input').inputValue()).toBe(theirs)
  })
})
