/**
 * `npm run bench:landing` — how fast the QR landing paints on a weak phone connection.
 * Chromium with Lighthouse's "slow 4G" DevTools throttling (562.5 ms request latency,
 * 1,474.56 kbps down, 675 kbps up, 4× CPU slowdown), five cold loads (a fresh browser context
 * each, so nothing is cached) of /s/CQ0001; prints the median LCP and bytes transferred, and the
 * same figures for the H5 app's home page for comparison. Targets: LCP ≤ 1.5 s, ≤ 30 KB.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser } from 'playwright-core'
import { seedDemoStations } from '../../api/_lib/seed'
import { createRedisStore, installStore } from '../../api/_lib/store'
import { launchBrowser } from '../../test/support/browser'
import { startEmbeddedRedis } from '../embedded-redis'
import { startLocalServer } from '../local-server'
import { ensureBuilt } from './size'

export const LANDING_LCP_TARGET_MS = 1500
export const LANDING_BYTES_TARGET = 30 * 1024

const SLOW_4G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1474.56 * 1024) / 8,
  uploadThroughput: (675 * 1024) / 8,
}

interface Load {
  lcpMs: number
  bytes: number
}

async function coldLoad(browser: Browser, url: string, waitFor: string): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
  let bytes = 0
  cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => {
    bytes += event.encodedDataLength
  })
  await page.addInitScript(() => {
    const w = window as unknown as { __lcp: number }
    w.__lcp = 0
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__lcp = entry.startTime
    }).observe({ type: 'largest-contentful-paint', buffered: true })
  })
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 })
  await page.locator(waitFor).first().waitFor({ timeout: 60_000 })
  await page.waitForTimeout(500)
  // LCP is final once the page is interacted with or hidden; read it after the content is there.
  const lcpMs = await page.evaluate(() => (window as unknown as { __lcp: number }).__lcp)
  await context.close()
  return { lcpMs, bytes }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

export interface LandingFigures {
  landing: Load
  app: Load
}

export async function measureLanding(runs = 5): Promise<LandingFigures> {
  process.env.LOG_LEVEL ??= 'silent'
  const staticRoot = ensureBuilt('h5')
  const redis = await startEmbeddedRedis(mkdtempSync(join(tmpdir(), 'doorstep-bench-')))
  const store = createRedisStore(redis.url, 1000, 'embedded-redis')
  installStore(store)
  await seedDemoStations()
  const server = await startLocalServer({ port: 0, host: '127.0.0.1', staticRoot: resolve(staticRoot) })
  const browser = await launchBrowser()
  try {
    const landing: Load[] = []
    const app: Load[] = []
    for (let run = 0; run < runs; run++) {
      landing.push(await coldLoad(browser, `${server.url}/s/CQ0001`, 'h1'))
      app.push(await coldLoad(browser, `${server.url}/`, '[data-station]'))
    }
    return {
      landing: { lcpMs: median(landing.map((l) => l.lcpMs)), bytes: median(landing.map((l) => l.bytes)) },
      app: { lcpMs: median(app.map((l) => l.lcpMs)), bytes: median(app.map((l) => l.bytes)) },
    }
  } finally {
    await browser.close()
    await server.close()
    await store.close()
    await redis.stop()
  }
}

async function main() {
  const figures = await measureLanding()
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
  console.log('Slow 4G (562.5 ms RTT, 1.47 Mbps, 4x CPU), median of 5 cold loads:')
  console.log(
    `  /s/CQ0001   LCP ${Math.round(figures.landing.lcpMs)} ms (target ≤ ${LANDING_LCP_TARGET_MS})  ` +
      `transferred ${kb(figures.landing.bytes)} (target ≤ ${kb(LANDING_BYTES_TARGET)})`,
  )
  console.log(
    `  H5 app /    LCP ${Math.round(figures.app.lcpMs)} ms  transferred ${kb(figures.app.bytes)}  (for comparison)`,
  )
  const met = figures.landing.lcpMs <= LANDING_LCP_TARGET_MS && figures.landing.bytes <= LANDING_BYTES_TARGET
  console.log(`landing targets: ${met ? 'met' : 'NOT met'}`)
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
