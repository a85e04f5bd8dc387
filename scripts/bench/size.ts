/**
 * `npm run bench:size` — what a resident downloads.
 * - WeChat and Alipay: bytes per package root (main package and each subpackage), source maps
 *   excluded, against WeChat's 2 MB per-package limit and our 400 KB main-package budget.
 * - H5: the JavaScript the browser actually fetches to show the home page (recorded in headless
 *   Chromium), raw, gzip and brotli.
 * Builds whatever is missing first.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { launchBrowser } from '../../test/support/browser'
import { startLocalServer } from '../local-server'

const ROOT = resolve(__dirname, '..', '..')
export const MAIN_PACKAGE_BUDGET = 400 * 1024

export function ensureBuilt(type: 'weapp' | 'alipay' | 'h5'): string {
  const out = join(ROOT, 'dist', type)
  const marker = join(out, type === 'h5' ? 'index.html' : 'app.json')
  if (!existsSync(marker)) {
    const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'taro'), ['build', '--type', type], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    })
    if (result.status !== 0) throw new Error(`build ${type} failed`)
  }
  return out
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? files(path) : [path]
  })
}

export interface PackageSize {
  target: string
  root: string
  bytes: number
}

/** Bytes per package root of a mini-program build, as the platform counts a package. */
export function miniPackageSizes(target: 'weapp' | 'alipay'): PackageSize[] {
  const out = ensureBuilt(target)
  const app = JSON.parse(readFileSync(join(out, 'app.json'), 'utf8')) as { subPackages?: { root: string }[] }
  const roots = (app.subPackages ?? []).map((sub) => sub.root.replace(/\/$/, ''))
  const sizes = new Map<string, number>([
    ['(main)', 0],
    ...roots.map((root) => [root, 0] as [string, number]),
  ])
  for (const file of files(out)) {
    if (file.endsWith('.map')) continue
    const rel = relative(out, file)
    const root = roots.find((candidate) => rel === candidate || rel.startsWith(`${candidate}/`)) ?? '(main)'
    sizes.set(root, (sizes.get(root) ?? 0) + statSync(file).size)
  }
  return [...sizes].map(([root, bytes]) => ({ target, root, bytes }))
}

export interface H5FirstLoad {
  files: string[]
  raw: number
  gzip: number
  brotli: number
}

/** The scripts Chromium fetches to render the H5 home page. */
export async function h5FirstLoad(): Promise<H5FirstLoad> {
  const out = ensureBuilt('h5')
  const server = await startLocalServer({ port: 0, host: '127.0.0.1', staticRoot: out })
  const browser = await launchBrowser()
  const scripts = new Set<string>()
  try {
    const page = await browser.newPage()
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname
      if (path.endsWith('.js')) scripts.add(path)
    })
    await page.goto(`${server.url}/`, { waitUntil: 'networkidle' })
  } finally {
    await browser.close()
    await server.close()
  }
  let raw = 0
  let gzip = 0
  let brotli = 0
  for (const path of scripts) {
    const content = readFileSync(join(out, path))
    raw += content.length
    gzip += gzipSync(content, { level: 9 }).length
    brotli += brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
  }
  return { files: [...scripts].sort(), raw, gzip, brotli }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

async function main() {
  process.env.LOG_LEVEL ??= 'silent'
  console.log('Mini-program packages (no source maps):')
  for (const target of ['weapp', 'alipay'] as const) {
    for (const size of miniPackageSizes(target)) {
      const budget =
        size.root === '(main)'
          ? ` (budget ${kb(MAIN_PACKAGE_BUDGET)}, limit 2048.0 KB)`
          : ' (limit 2048.0 KB)'
      console.log(`  ${target.padEnd(7)} ${size.root.padEnd(10)} ${kb(size.bytes).padStart(10)}${budget}`)
    }
  }
  const h5 = await h5FirstLoad()
  console.log(`H5 first-load JS (${h5.files.length} files: ${h5.files.join(', ')}):`)
  console.log(`  raw ${kb(h5.raw)}  gzip ${kb(h5.gzip)}  brotli ${kb(h5.brotli)}`)
  const main = miniPackageSizes('weapp').find((size) => size.root === '(main)')
  const met = main !== undefined && main.bytes <= MAIN_PACKAGE_BUDGET
  console.log(
    `WeChat main package ${main ? kb(main.bytes) : '?'} ≤ ${kb(MAIN_PACKAGE_BUDGET)}: ${met ? 'met' : 'NOT met'}`,
  )
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
