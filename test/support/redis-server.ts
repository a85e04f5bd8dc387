import { type ChildProcess, spawn } from 'node:child_process'
import { accessSync, constants, mkdtempSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { freePort } from '../../scripts/embedded-redis'
import { dumpForSweep } from './sweep'

export interface RunningRedisServer {
  port: number
  url: string
  /** SIGTERM and wait for the exit (SIGKILL after 5 s). */
  stop(): Promise<void>
  /** Simulates a crash: SIGKILL, no waiting. */
  kill9(): void
  /** Starts it again on the same port (and data directory); waits for the old process to be gone first. */
  restart(): Promise<void>
}

const START_TIMEOUT_MS = 10_000
const running = new Set<ChildProcess>()
let cleanupRegistered = false

function registerCleanup(): void {
  if (cleanupRegistered) return
  cleanupRegistered = true
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL')
  })
}

function findRedisServer(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, 'redis-server')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // Not in this PATH entry.
    }
  }
  throw new Error(
    'redis-server not found on PATH: install it (Debian: apt-get install -y redis-server); the tests need a real Redis',
  )
}
function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    let answer = ''
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString()
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'))
    })
  })
}

/**
 * Guards against a test process that dies without running exit handlers (SIGKILL, a killed
 * worker): a detached shell kills redis-server once this process is gone.
 */
function watchdog(redisPid: number): void {
  const script =
    'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -9 "$2" 2>/dev/null'
  const guard = spawn('sh', ['-c', script, 'redis-watchdog', String(process.pid), String(redisPid)], {
    stdio: 'ignore',
    detached: true,
  })
  guard.unref()
}

/**
 * Starts a private redis-server on a free 127.0.0.1 port (no RDB snapshots; AOF only when asked)
 * and waits until it answers PING. Throws — so tests fail rather than skip — when redis-server is
 * not installed.
 */
export async function startRedisServer(
  options: { appendonly?: boolean; dir?: string } = {},
): Promise<RunningRedisServer> {
  const binary = findRedisServer()
  registerCleanup()
  const dir = options.appendonly ? (options.dir ?? mkdtempSync(join(tmpdir(), 'redis-test-'))) : options.dir
  let port = 0
  let child: ChildProcess | undefined

  async function launch(): Promise<void> {
    const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--daemonize', 'no']
    args.push('--appendonly', options.appendonly ? 'yes' : 'no')
    if (dir) args.push('--dir', dir)
    const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    child = proc
    running.add(proc)
    let output = ''
    const collect = (chunk: Buffer) => {
      // Only the tail matters for a failure message.
      output = (output + chunk.toString()).slice(-4000)
    }
    proc.stdout?.on('data', collect)
    proc.stderr?.on('data', collect)
    proc.once('exit', () => running.delete(proc))
    if (proc.pid !== undefined) watchdog(proc.pid)
    const deadline = Date.now() + START_TIMEOUT_MS
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`redis-server exited during start-up (port ${port}):\n${output}`)
      }
      if (await pingOnce(port)) return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    proc.kill('SIGKILL')
    throw new Error(
      `redis-server did not answer PING within ${START_TIMEOUT_MS} ms (port ${port}):\n${output}`,
    )
  }

  function exited(proc: ChildProcess): Promise<void> {
    if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve()
    return new Promise((resolve) => proc.once('exit', () => resolve()))
  }

  async function stop(): Promise<void> {
    const proc = child
    if (!proc) return
    if (proc.exitCode === null && proc.signalCode === null) await dumpForSweep(port)
    const gone = exited(proc)
    proc.kill('SIGTERM')
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000)
    await gone
    clearTimeout(timer)
  }

  // Another process can take the port between freePort() and redis-server binding it: retry.
  for (let attempt = 1; ; attempt++) {
    port = await freePort()
    try {
      await launch()
      break
    } catch (error) {
      if (attempt >= 3) throw error
    }
  }

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    kill9() {
      child?.kill('SIGKILL')
    },
    async restart() {
      const proc = child
      if (proc && proc.exitCode === null && proc.signalCode === null) await stop()
      else if (proc) await exited(proc)
      await launch()
    },
  }
}

export { freePort }
