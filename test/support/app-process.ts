import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { freePort } from '../../scripts/embedded-redis'
import { dumpForSweep, logsForSweep } from './sweep'

const ROOT = resolve(__dirname, '..', '..')

export interface RunningApp {
  url: string
  output: () => string
  logins: Record<string, string>
  stop(): Promise<void>
}

/**
 * Runs `npm start` exactly as a person would (same script, fresh data directory, free port) and
 * waits for its banner; the demo logins are read from what it prints.
 */
export async function startApp(extraEnv: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort()
  const dataDir = extraEnv.DOORSTEP_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'doorstep-data-'))
  const child: ChildProcess = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DOORSTEP_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`npm start did not come up in 5 min:\n${output}`)), 300_000)
    child.stdout?.on('data', () => {
      if (output.includes('demo logins')) {
        clearTimeout(timer)
        setTimeout(ready, 50)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`npm start exited with ${code}:\n${output}`))
    })
  })
  const logins: Record<string, string> = {}
  for (const match of output.matchAll(/^\s+\w+\s+(demo-[a-z]+)\s+(\S+)$/gm)) {
    if (match[1] && match[2]) logins[match[1]] = match[2]
  }
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    logins,
    async stop() {
      // The personal-data sweep reads the embedded store and the output too.
      const embedded = /redis-server on 127\.0\.0\.1:(\d+)/.exec(output)
      if (embedded?.[1] && child.exitCode === null) await dumpForSweep(Number(embedded[1]))
      await new Promise<void>((done) => {
        if (child.exitCode !== null) return done()
        child.once('exit', () => done())
        child.kill('SIGTERM')
      })
      logsForSweep(output)
    },
  }
}
