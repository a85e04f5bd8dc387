import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StationList, StationSummary } from '../../src/shared/schemas/station'
import { type RunningApp, startApp } from '../support/app-process'
import { launchBrowser } from '../support/browser'

const SHOTS = 'test-results/e2e'
/** A code no seed uses, without look-alikes. */
const CODE = 'QDNEW7'
const NAME = '市北区测试街道就享家服务站'
const NEW_HOURS = '周一至周六 8:30–18:00'

describe('an official manages stations in the H5 app (管理台 → 管理服务点)', () => {
  let app: RunningApp
  let browser: Browser
  let page: Page
  let token = ''

  /** The official's own view through the API, beside what the page shows. */
  async function managed(): Promise<StationSummary[]> {
    const response = await fetch(`${app.url}/api/v1/manage/stations`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(response.status).toBe(200)
    return ((await response.json()) as StationList).items
  }

  async function publicList(): Promise<string[]> {
    const list = (await fetch(`${app.url}/api/v1/stations?region=370200`).then((r) =>
      r.json(),
    )) as StationList
    return list.items.map((station) => station.code)
  }

  /** The page in front: Taro H5 keeps the pages behind it in the DOM, hidden. */
  const front = () => page.locator('.page:visible')

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

  it('opens 管理服务点 from 管理台 and lists the stations of the official’s region only', async () => {
    await page.goto(`${app.url}/#/pages/me/index`)
    await page.locator('#login-username input').fill('demo-official')
    await page.locator('#login-password input').fill(app.logins['demo-official'] ?? '')
    await page.locator('#login-submit').click()
    await page.getByText('进入管理台').click()
    await page.locator('#manage-stations').click()
    await front().locator('#managed-QD0001').waitFor()
    await expect.poll(() => front().locator('.managed-station').count()).toBe(4)
    expect(await front().getByText('渝中助创驿站').count()).toBe(0)
    await expect.poll(() => front().locator('#managed-QD0002').textContent()).toContain('正常服务')
    await page.screenshot({ path: `${SHOTS}/official-stations.png`, fullPage: true })
  })

  it('refuses a bad phone number with a Chinese message beside the field, and creates nothing', async () => {
    await front().locator('#new-station').click()
    const form = front().locator('#station-form')
    await form.waitFor()
    await form.locator('#station-kind-station').click()
    await form.locator('#station-code input').fill(CODE)
    await form.locator('#station-name input').fill(NAME)
    await form.locator('#station-region-370203').click()
    await form.locator('#station-address input').fill('台东一路 1 号（演示地址）')
    await form.locator('#station-hours input').fill('周一至周五 9:00–17:00')
    await form.locator('#station-service-consult').click()
    await form.locator('#station-service-intake').click()
    await form.locator('#station-phone input').fill('打电话 0532')
    await form.locator('#station-submit').click()

    await expect
      .poll(() => form.locator('#station-phone-error').textContent())
      .toBe('电话只能包含数字和短横线')
    // Only the phone is wrong: no other field complains.
    expect(await form.locator('.field__error').count()).toBe(1)
    await page.screenshot({ path: `${SHOTS}/station-form-bad-phone.png`, fullPage: true })
    expect((await fetch(`${app.url}/api/v1/stations/${CODE}`)).status).toBe(404)
    expect((await managed()).map((station) => station.code)).not.toContain(CODE)
  })

  it('shows the server’s answer beside the field when the code is already taken', async () => {
    const form = front().locator('#station-form')
    await form.locator('#station-phone input').fill('0532-80001234')
    await form.locator('#station-code input').fill('QD0001')
    await form.locator('#station-submit').click()
    await expect.poll(() => form.locator('#station-code-error').textContent()).toBe('编码已被使用')
    await form.locator('#station-form-error').getByText('这个编码已被使用').waitFor()
    expect(await form.locator('#station-phone-error').count()).toBe(0)
  })

  it('creates the station once code and phone are right, and shows it in the list', async () => {
    const form = front().locator('#station-form')
    await form.locator('#station-code input').fill(CODE.toLowerCase())
    await form.locator('#station-submit').click()

    await front().locator('#station-saved').getByText(`已新建：${NAME}（${CODE}）`).waitFor()
    const card = front().locator(`#managed-${CODE}`)
    await expect.poll(() => card.textContent()).toContain('就享家服务站')
    expect(await card.textContent()).toContain('青岛市市北区')
    expect(await card.getAttribute('data-status')).toBe('active')

    const created = (await managed()).find((station) => station.code === CODE)
    expect(created).toMatchObject({
      kind: 'station',
      name: NAME,
      regionCode: '370203',
      districtName: '青岛市市北区',
      services: ['consult', 'intake'],
      phone: '0532-80001234',
      status: 'active',
    })
    expect(await publicList()).toContain(CODE)
  })

  it('edits the opening hours, sending only the changed field', async () => {
    await front().locator(`#edit-${CODE}`).click()
    const form = front().locator('#station-form')
    const hours = form.locator('#station-hours input')
    await expect.poll(() => hours.inputValue()).toBe('周一至周五 9:00–17:00')
    await hours.fill(NEW_HOURS)
    const patch = page.waitForRequest(
      (request) => request.method() === 'PATCH' && request.url().endsWith(`/api/v1/stations/${CODE}`),
    )
    await form.locator('#station-submit').click()
    expect((await patch).postDataJSON()).toEqual({ hours: NEW_HOURS })

    await front().locator('#station-saved').getByText(`已保存：${NAME}（${CODE}）`).waitFor()
    expect((await managed()).find((station) => station.code === CODE)?.hours).toBe(NEW_HOURS)
  })

  it('suspends it: the list says 暂停服务 and the public list leaves it out', async () => {
    await front().locator(`#edit-${CODE}`).click()
    const form = front().locator('#station-form')
    await expect.poll(() => form.locator('#station-hours input').inputValue()).toBe(NEW_HOURS)
    await form.locator('#station-suspended').click()
    await form.locator('#station-submit').click()

    await front().locator('#station-saved').getByText('暂停服务').waitFor()
    const card = front().locator(`#managed-${CODE}`)
    await expect.poll(() => card.getAttribute('data-status')).toBe('suspended')
    await card.getByText('暂停服务', { exact: true }).waitFor()
    await page.screenshot({ path: `${SHOTS}/official-stations-suspended.png`, fullPage: true })

    const stored = (await managed()).find((station) => station.code === CODE)
    expect(stored).toMatchObject({ status: 'suspended', hours: NEW_HOURS })
    const codes = await publicList()
    expect(codes).not.toContain(CODE)
    expect(codes).toContain('QD0001')
  })
})
