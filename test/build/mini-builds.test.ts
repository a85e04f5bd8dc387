import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAIN_PACKAGE_BUDGET, miniPackageSizes } from '../../scripts/bench/size'

const ROOT = resolve(__dirname, '..', '..')

function build(type: 'weapp' | 'alipay', env: Record<string, string> = {}) {
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'taro'), ['build', '--type', type], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (result.status !== 0)
    throw new Error(`taro build --type ${type} failed:\n${result.stdout}\n${result.stderr}`)
  return join(ROOT, 'dist', type)
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
}

const TAB_LABELS = ['首页', '口袋书', '消息', '我的']
const SUBPACKAGES = [
  {
    root: 'staff',
    name: 'staff',
    pages: [
      'pages/home/index',
      'pages/queue/index',
      'pages/intake/index',
      'pages/assist/index',
      'pages/inbox/index',
      'pages/consult/index',
      'pages/schedule/index',
    ],
  },
  {
    root: 'official',
    name: 'official',
    pages: [
      'pages/home/index',
      'pages/stations/index',
      'pages/station-edit/index',
      'pages/policies/index',
      'pages/policy-edit/index',
      'pages/announcements/index',
      'pages/announce/index',
    ],
  },
  {
    root: 'intake',
    name: 'intake',
    pages: [
      'pages/form/index',
      'pages/receipt/index',
      'pages/mine/index',
      'pages/lookup/index',
      'pages/confirm/index',
    ],
  },
  { root: 'book', name: 'book', pages: ['pages/entry/index', 'pages/search/index', 'pages/matcher/index'] },
  { root: 'news', name: 'news', pages: ['pages/detail/index'] },
  {
    root: 'consult',
    name: 'consult',
    pages: [
      'pages/ask/index',
      'pages/mine/index',
      'pages/thread/index',
      'pages/book/index',
      'pages/bookings/index',
    ],
  },
]

describe('mini-program builds', () => {
  it('builds for WeChat with the declared subpackages, tab bar and appid from the environment', () => {
    const out = build('weapp', { TARO_APP_WECHAT_APPID: 'wx00000000000000a1' })
    const app = readJson(join(out, 'app.json'))
    expect(app.subPackages).toEqual(SUBPACKAGES)
    expect(app.pages).toEqual([
      'pages/index/index',
      'pages/policies/index',
      'pages/feed/index',
      'pages/me/index',
    ])
    const tabBar = app.tabBar as { list: { text: string }[] }
    expect(tabBar.list.map((item) => item.text)).toEqual(TAB_LABELS)
    expect(app.lazyCodeLoading).toBe('requiredComponents')
    for (const page of [
      'staff/pages/home/index.js',
      'official/pages/home/index.js',
      'intake/pages/form/index.js',
      'consult/pages/ask/index.js',
      'staff/pages/inbox/index.js',
      'news/pages/detail/index.js',
      'official/pages/announce/index.js',
      'pages/index/index.wxml',
    ]) {
      expect(existsSync(join(out, page)), page).toBe(true)
    }
    // The announcement template id is a build-time constant: a `process.env` left in the bundle
    // would throw in a mini-program, where there is no `process`.
    for (const file of ['app.js', 'common.js', 'pages/feed/index.js']) {
      expect(readFileSync(join(out, file), 'utf8'), file).not.toContain('TARO_APP_ANNOUNCEMENT_TEMPLATE_ID')
    }
    const project = readJson(join(out, 'project.config.json'))
    expect(project.appid).toBe('wx00000000000000a1')
    expect(project.setting).toMatchObject({ minified: true, minifyWXML: true, minifyWXSS: true })
    // The resident's first download: Taro's own floor is about 300 KB; the budget is 400 KB.
    const main = miniPackageSizes('weapp').find((size) => size.root === '(main)')
    expect(main?.bytes).toBeGreaterThan(100 * 1024)
    expect(main?.bytes).toBeLessThanOrEqual(MAIN_PACKAGE_BUDGET)
  }, 300_000)

  it("passes WeChat's own code-quality scan (miniprogram-ci, offline)", () => {
    const out = join(ROOT, 'dist', 'weapp')
    if (!existsSync(join(out, 'app.json'))) build('weapp')
    const result = spawnSync(
      process.execPath,
      [join(__dirname, '..', 'support', 'wechat-quality.cjs'), out],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    )
    const line = result.stdout.split('\n').find((text) => text.startsWith('@@RESULT@@'))
    expect(line, result.stderr).toBeDefined()
    const checks = JSON.parse(line?.slice('@@RESULT@@'.length) ?? '[]') as {
      name: string
      success: boolean
    }[]
    expect(checks.length).toBeGreaterThanOrEqual(8)
    expect(checks.filter((check) => !check.success).map((check) => check.name)).toEqual([])
    for (const name of [
      'PACKAGE_SIZE_LIMIT',
      'JS_COMPRESS_OPEN',
      'WXML_COMPRESS_OPEN',
      'LAZYCODE_LOADING_OPEN',
    ]) {
      expect(checks.map((check) => check.name)).toContain(name)
    }
  }, 180_000)

  it('builds for Alipay with the same subpackages and tab bar', () => {
    const out = build('alipay')
    const app = readJson(join(out, 'app.json'))
    expect(app.subPackages).toEqual(SUBPACKAGES)
    const tabBar = app.tabBar as { items: { name: string }[] }
    expect(tabBar.items.map((item) => item.name)).toEqual(TAB_LABELS)
    expect(existsSync(join(out, 'mini.project.json'))).toBe(true)
    expect(existsSync(join(out, 'staff/pages/home/index.axml'))).toBe(true)
    expect(existsSync(join(out, 'intake/pages/form/index.axml'))).toBe(true)
  }, 300_000)
})
