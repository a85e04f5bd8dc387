import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningApp, startApp } from '../support/app-process'
import { launchBrowser } from '../support/browser'

const SHOTS = 'test-results/e2e'

async function bodyFontSize(page: Page): Promise<number> {
  return page
    .locator('.page')
    .first()
    .evaluate((node) => Number.parseFloat(getComputedStyle(node).fontSize))
}

describe('the H5 app served by npm start, in headless Chromium', () => {
  let app: RunningApp
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    app = await startApp()
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
  })
  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  it('prints the URL, the store and one demo login per role', () => {
    expect(app.output()).toContain(app.url)
    expect(app.output()).toMatch(/store:\s+embedded-redis/)
    expect(Object.keys(app.logins).sort()).toEqual([
      'demo-admin',
      'demo-bank',
      'demo-official',
      'demo-resident',
      'demo-station',
    ])
  })

  it('answers /api/health with ok', async () => {
    const health = await fetch(`${app.url}/api/health`).then((r) => r.json())
    expect(health).toMatchObject({ status: 'ok', store: { kind: 'embedded-redis', reachable: true } })
  })

  it('shows the tab bar and the seeded stations on the home page', async () => {
    await page.goto(`${app.url}/`)
    const tabBar = page.locator('.taro-tabbar__tabbar')
    for (const label of ['首页', '口袋书', '消息', '我的']) {
      await expect.poll(() => tabBar.getByText(label, { exact: true }).count()).toBe(1)
    }
    await page.getByText('市南区香港中路街道就享家服务站').waitFor()
    await page.getByText('渝中助创驿站').waitFor()
    expect(await page.locator('[data-station]').count()).toBe(8)
    await page.screenshot({ path: `${SHOTS}/home.png`, fullPage: true })
  })

  it('opens a QR landing fast and follows "loan intake" into the app with the station chosen', async () => {
    const landing = await page.goto(`${app.url}/s/CQ0001`)
    expect(landing?.status()).toBe(200)
    expect(await page.locator('script').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/landing-CQ0001.png`, fullPage: true })
    await page.getByText('办理创业担保贷款受理').click()
    // The station is bound, then the loan intake form of that point opens (intake-journey.test.ts).
    await page.locator('.page:visible #intake-station').getByText('渝中助创驿站').waitFor()
    // The choice is kept: back on the home page later, the station is still there.
    await page.goto(`${app.url}/`)
    await page.locator('#chosen-station').getByText('渝中助创驿站').waitFor()
    await page.screenshot({ path: `${SHOTS}/station-chosen.png`, fullPage: true })
  })

  it('switches to large-font mode on 我的, and every page follows, after a reload too', async () => {
    await page.locator('.taro-tabbar__tabbar').getByText('我的', { exact: true }).click()
    await page.locator('#large-font-switch').waitFor()
    const before = await bodyFontSize(page.locator('.page:visible').page())
    await page.locator('#large-font-switch').click()
    await expect.poll(() => page.locator('.page[data-large-font="on"]:visible').count()).toBeGreaterThan(0)
    await page.screenshot({ path: `${SHOTS}/me-large-font.png`, fullPage: true })

    await page.locator('.taro-tabbar__tabbar').getByText('首页', { exact: true }).click()
    const home = page.locator('.page:visible')
    await expect.poll(() => home.first().getAttribute('data-large-font')).toBe('on')
    const after = await home.first().evaluate((node) => Number.parseFloat(getComputedStyle(node).fontSize))
    expect(after).toBeGreaterThan(before * 1.2)

    await page.reload()
    await page.getByText('市南区香港中路街道就享家服务站').waitFor()
    await expect.poll(() => page.locator('.page:visible').first().getAttribute('data-large-font')).toBe('on')
  })

  it('lets station staff sign in with a printed demo login and open the staff subpackage', async () => {
    await page.locator('.taro-tabbar__tabbar').getByText('我的', { exact: true }).click()
    await page.locator('#login-username input').fill('demo-station')
    await page.locator('#login-password input').fill(app.logins['demo-station'] ?? '')
    await page.locator('#login-submit').click()
    await page.getByText('演示就享家工作人员').waitFor()
    await page.getByText('进入工作台').click()
    await page.getByText('我的服务点').waitFor()
    await page.getByText('QD0001', { exact: false }).first().waitFor()
    await page.screenshot({ path: `${SHOTS}/staff-home.png`, fullPage: true })
  })

  it('shows an official the stations of their region with today’s scans', async () => {
    await fetch(`${app.url}/s/QD0002`)
    const official = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    await official.goto(`${app.url}/#/pages/me/index`)
    await official.locator('#login-username input').fill('demo-official')
    await official.locator('#login-password input').fill(app.logins['demo-official'] ?? '')
    await official.locator('#login-submit').click()
    await official.getByText('进入管理台').click()
    await official.getByText('市北区台东街道就享家服务站').waitFor()
    await expect.poll(() => official.getByText(/扫码：今天 [1-9]\d* 次/).count()).toBeGreaterThan(0)
    expect(await official.getByText('渝中助创驿站').count()).toBe(0)
    await official.screenshot({ path: `${SHOTS}/official-home.png`, fullPage: true })
    await official.close()
  })
})
