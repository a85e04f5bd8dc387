import { env } from './env'

/**
 * Structured logs: one JSON object per line with a request id. Only what the code passes in is
 * written — never request bodies, tokens or personal data. Values under keys that look
 * personal are replaced as a second line of defence.
 */
type Level = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }
const REDACTED_KEYS =
  /(password|token|secret|authorization|session_?key|id_?number|idcard|mobile|phone|cookie)/i

export type LogFields = Record<string, unknown>

function redact(fields: LogFields): LogFields {
  const out: LogFields = {}
  for (const [key, value] of Object.entries(fields)) {
    out[key] = REDACTED_KEYS.test(key) ? '[redacted]' : value
  }
  return out
}

let sink: (line: string) => void = (line) => process.stdout.write(`${line}\n`)

/** Redirects log lines (tests capture them to prove nothing personal is written). */
export function setLogSink(next: (line: string) => void): void {
  sink = next
}

export function log(level: Level, message: string, fields: LogFields = {}): void {
  if (ORDER[level] < ORDER[env().LOG_LEVEL]) return
  sink(JSON.stringify({ time: new Date().toISOString(), level, message, ...redact(fields) }))
}

/** Describes an error for the log without its data: name, message, code and the cause chain. */
export function describeError(error: unknown, depth = 0): LogFields {
  if (!(error instanceof Error)) return { error: String(error) }
  // The HTTP Redis client appends the whole command (arguments included) to its messages.
  const message = error.message.split(', command was:')[0] ?? ''
  const out: LogFields = { errorName: error.name, errorMessage: message }
  if (error.stack) out.stack = error.stack.split('\n').slice(1, 6).join('\n')
  if (error.cause && depth < 3) out.cause = describeError(error.cause, depth + 1)
  return out
}
