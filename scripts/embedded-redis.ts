import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

/** The redis-server binary: `REDIS_SERVER_BIN` when set (tests point it at a missing one). */
function redisServerBin(): string {
  return process.env.REDIS_SERVER_BIN || 'redis-server'
}

/** Whether a `redis-server` binary is on the PATH. */
export function hasRedisServer(): boolean {
  const probe = spawnSync(redisServerBin(), ['--version'], { stdio: 'ignore' })
  return probe.status === 0
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, fail) => {
    const probe = createServer()
    probe.once('error', fail)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolvePort(port))
    })
  })
}

export interface EmbeddedRedis {
  url: string
  port: number
  child: ChildProcess
  stop(): Promise<void>
}

/**
 * Starts a private redis-server bound to 127.0.0.1 that keeps its data (append-only file) in
 * `dir`, and resolves once it accepts connections.
 */
export async function startEmbeddedRedis(dir: string): Promise<EmbeddedRedis> {
  mkdirSync(dir, { recursive: true })
  const pidFile = join(dir, 'redis.pid')
  await stopStaleServer(pidFile)
  const port = await freePort()
  const child = spawn(
    redisServerBin(),
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--protected-mode',
      'yes',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000)
    const check = () => {
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer)
        ready()
      }
    }
    child.stdout?.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`redis-server exited with code ${code}:\n${output}`))
    })
  })
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done()
      child.once('exit', () => done())
      child.kill('SIGTERM')
    })
  process.once('exit', () => child.kill('SIGKILL'))
  return { url: `redis://127.0.0.1:${port}`, port, child, stop }
}

/**
 * A previous `npm start` that was killed hard (SIGKILL) leaves its redis-server running on the
 * same data directory; two servers must never share one append-only file, so that one is ended
 * first. Only a process that is our own redis-server (its pid file, its command line) is touched.
 */
async function stopStaleServer(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, 'utf8').trim())
  if (!Number.isInteger(pid) || pid <= 1) return
  let commandLine = ''
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return // not running any more
  }
  if (!commandLine.includes('redis-server')) return
  process.kill(pid, 'SIGTERM')
  for (let waited = 0; waited < 5_000; waited += 100) {
    if (!existsSync(`/proc/${pid}`)) return
    await new Promise((resolveWait) => setTimeout(resolveWait, 100))
  }
}
