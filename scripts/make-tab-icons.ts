/**
 * Draws the tab-bar icons (WeChat and Alipay need PNG files; SVG is not accepted there) from
 * the SVG shapes below, in headless Chromium. Run it after changing a shape:
 *   npx tsx scripts/make-tab-icons.ts
 */
import { join, resolve } from 'node:path'
import { launchBrowser } from '../test/support/browser'

const SHAPES: Record<string, string> = {
  home: '<path d="M10 38 L40 12 L70 38 M18 32 V68 H34 V50 H46 V68 H62 V32" />',
  book: '<path d="M40 20 C30 14 18 14 10 16 V64 C18 62 30 62 40 68 C50 62 62 62 70 64 V16 C62 14 50 14 40 20 Z M40 20 V68" />',
  feed: '<path d="M20 56 V36 C20 24 29 16 40 16 C51 16 60 24 60 36 V56 L66 62 H14 Z M33 68 C35 72 45 72 47 68" />',
  me: '<circle cx="40" cy="28" r="13" /><path d="M14 68 C16 52 28 46 40 46 C52 46 64 52 66 68" />',
}
const COLORS = { normal: '#555555', active: '#b3261e' }
const OUT = resolve(__dirname, '..', 'src', 'assets', 'tab')

async function main() {
  const browser = await launchBrowser()
  const page = await browser.newPage({ viewport: { width: 81, height: 81 } })
  for (const [name, shape] of Object.entries(SHAPES)) {
    for (const [state, color] of Object.entries(COLORS)) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="81" height="81" viewBox="0 0 80 80" fill="none" stroke="${color}" stroke-width="6" stroke-linecap="round" stroke-linejoin="round">${shape}</svg>`
      await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`)
      const file = join(OUT, `${name}${state === 'active' ? '-active' : ''}.png`)
      await page.screenshot({ path: file, omitBackground: true, clip: { x: 0, y: 0, width: 81, height: 81 } })
    }
  }
  await browser.close()
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
