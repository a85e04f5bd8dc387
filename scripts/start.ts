/**
 * `npm start`: builds the H5 app if it is missing, picks the store, seeds demo data once,
 * serves app + API on one port and prints where, with which store, and the demo logins.
 *
 * Store choice (DESIGN.md): UPSTASH_REDIS_REST_URL/TOKEN → Upstash; REDIS_URL → that Redis;
 * neither → a private redis-server under .data/ when one is on the PATH, else the in-process
 * engine with a loud warning.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Redis } from '@upstash/redis'
import { CRON_JOBS } from '../api/_lib/cron'
import { env, isProduction } from '../api/_lib/env'
import { type DemoLogin, ensureDemoAccounts, seedDemoStations, seedPocketbook } from '../api/_lib/seed'
import { createRedisStore, installStore, type Store, store } from '../api/_lib/store'
import { createMemoryRequester, MEMORY_ENGINE_LIMITATIONS } from '../api/_lib/store/memory-requester'
import { type EmbeddedRedis, hasRedisServer, startEmbeddedRedis } from './embedded-redis'
import { startLocalServer } from './local-server'

const ROOT = resolve(__dirname, '..')
const DATA_DIR = resolve(process.env.DOORSTEP_DATA_DIR ?? join(ROOT, '.data'))
const PORT = Number(process.env.PORT ?? 3000)
const HOST = process.env.HOST ?? '127.0.0.1'
const H5_DIR = join(ROOT, 'dist', 'h5')

function buildH5IfMissing(): void {
  if (existsSync(join(H5_DIR, 'index.html'))) return
  console.log('H5 build not found — building it once (about a minute)…')
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'taro'), ['build', '--type', 'h5'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', TARO_ENV: 'h5' },
  })
  if (result.status !== 0) throw new Error('H5 build failed; see the output above')
}

async function chooseStore(): Promise<{ store: Store; embedded: EmbeddedRedis | null }> {
  if (process.env.UPSTASH_REDIS_REST_URL || process.env.REDIS_URL) return { store: store(), embedded: null }
  if (hasRedisServer()) {
    const embedded = await startEmbeddedRedis(join(DATA_DIR, 'redis'))
    const chosen = createRedisStore(embedded.url, env().STORE_TIMEOUT_MS, 'embedded-redis')
    installStore(chosen)
    return { store: chosen, embedded }
  }
  const memory = createMemoryRequester()
  const chosen: Store = { redis: new Redis(memory.requester), kind: 'memory', close: memory.close }
  installStore(chosen)
  console.warn(
    [
      '',
      '⚠️  redis-server was not found on the PATH: using the IN-PROCESS engine. It lacks:',
      ...MEMORY_ENGINE_LIMITATIONS.map((line) => `   - ${line}`),
      '   Install redis-server (Debian: apt-get install -y redis-server) for the real thing.',
      '',
    ].join('\n'),
  )
  return { store: chosen, embedded: null }
}

function demoPasswords(): Record<string, string> {
  const file = join(DATA_DIR, 'demo-logins.json')
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (parsed && typeof parsed === 'object') return parsed as Record<string, string>
  } catch {
    // First run, or the file was removed: new passwords are generated.
  }
  return {}
}

function rememberDemoPasswords(logins: DemoLogin[]): void {
  mkdirSync(DATA_DIR, { recursive: true })
  const map = Object.fromEntries(logins.map((login) => [login.username, login.password]))
  writeFileSync(join(DATA_DIR, 'demo-logins.json'), `${JSON.stringify(map, null, 2)}\n`, { mode: 0o600 })
}

/**
 * Outside production, the personal-data keys of this machine's embedded store live next to it in
 * .data/pii-keys.json (created once), so what was stored stays readable after a restart.
 */
function ensureLocalPiiKeys(): void {
  if (process.env.PII_KEYS || process.env.NODE_ENV === 'production') return
  const file = join(DATA_DIR, 'pii-keys.json')
  let saved: { PII_KEYS?: string; PII_INDEX_KEY?: string } = {}
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as typeof saved
  } catch {
    const key = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')
    saved = { PII_KEYS: `1:${key()}`, PII_INDEX_KEY: key() }
    mkdirSync(DATA_DIR, { recursive: true })
    writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 })
  }
  process.env.PII_KEYS = saved.PII_KEYS
  process.env.PII_INDEX_KEY ??= saved.PII_INDEX_KEY
}

/** The scheduled jobs Vercel Cron runs in production, on an hourly timer here. */
function startJobTimer(): NodeJS.Timeout {
  const run = () => {
    for (const [name, job] of Object.entries(CRON_JOBS)) {
      job().catch((error: unknown) =>
        console.warn(`job ${name} failed:`, error instanceof Error ? error.message : error),
      )
    }
  }
  const timer = setInterval(run, 3_600_000)
  timer.unref()
  setTimeout(run, 5_000).unref()
  return timer
}

async function main(): Promise<void> {
  ensureLocalPiiKeys()
  buildH5IfMissing()
  const { store: chosen, embedded } = await chooseStore()
  // Demo stations are for trying the product; a production deployment starts empty.
  const { seeded } = isProduction(env()) ? { seeded: false } : await seedDemoStations()
  const pocketbook = await seedPocketbook()

  const embeddedStore = chosen.kind === 'embedded-redis' || chosen.kind === 'memory'
  const demoAllowed = embeddedStore && !isProduction(env())
  let logins: DemoLogin[] = []
  if (demoAllowed) {
    logins = await ensureDemoAccounts(demoPasswords())
    if (chosen.kind === 'embedded-redis') rememberDemoPasswords(logins)
  }

  const server = await startLocalServer({ port: PORT, host: HOST, staticRoot: H5_DIR })
  const jobs = startJobTimer()
  const lines = [
    '',
    '家门口创业服务 is running',
    `  app:     ${server.url}/`,
    `  health:  ${server.url}/api/health`,
    `  openapi: ${server.url}/api/openapi.json`,
    `  store:   ${chosen.kind}${embedded ? ` (redis-server on 127.0.0.1:${embedded.port}, data in ${DATA_DIR})` : ''}`,
    `  demo data: ${isProduction(env()) ? 'off in production' : seeded ? 'seeded now' : 'already present'}`,
    `  pocket-book: ${pocketbook.added > 0 ? `${pocketbook.added} entries loaded` : 'up to date'}`,
  ]
  if (logins.length > 0) {
    lines.push('  demo logins (我的 → 工作人员登录):')
    for (const login of logins)
      lines.push(`    ${login.role.padEnd(14)} ${login.username.padEnd(14)} ${login.password}`)
  } else {
    lines.push('  demo logins: off (only with the embedded store outside production)')
  }
  console.log(`${lines.join('\n')}\n`)

  let stopping = false
  const shutdown = async () => {
    if (stopping) return
    stopping = true
    clearInterval(jobs)
    await server.close()
    await chosen.close()
    await embedded?.stop()
    process.exit(0)
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
