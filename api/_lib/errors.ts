import type { z } from 'zod'
import {
  type ErrorBody,
  type ErrorCode,
  type FieldErrors,
  messageOf,
  statusOf,
} from '../../src/shared/errors'

/**
 * The server's one error family. Handlers and repositories throw `AppError` with a code from the
 * shared table; the router turns it into `{ error: { code, message, fields? } }` and the status
 * the table names. Anything else that escapes is a bug: logged with its cause, answered as 500
 * with nothing from inside.
 */
export class AppError extends Error {
  override readonly name = 'AppError'
  readonly code: ErrorCode
  readonly fields: FieldErrors | undefined
  /** Extra response headers, e.g. Retry-After on 503 and 429. */
  readonly headers: Record<string, string>

  constructor(
    code: ErrorCode,
    options: {
      message?: string
      fields?: FieldErrors
      cause?: unknown
      headers?: Record<string, string>
    } = {},
  ) {
    super(options.message ?? messageOf(code), { cause: options.cause })
    this.code = code
    this.fields = options.fields
    this.headers = options.headers ?? {}
  }

  get status(): number {
    return statusOf(this.code)
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { error: { code: this.code, message: this.message } }
    if (this.fields) body.error.fields = this.fields
    return body
  }
}

/** Turns zod issues into field → messages, with dotted paths (`contact.mobile`), under `prefix`. */
export function fieldErrorsFrom(error: z.ZodError, prefix?: string): FieldErrors {
  // A Map, not an object literal: a field may be literally named `__proto__`.
  const fields = new Map<string, string[]>()
  const add = (path: string, message: string) => fields.set(path, [...(fields.get(path) ?? []), message])
  for (const issue of error.issues) {
    const segments = issue.path.map(String)
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        add([prefix, ...segments, key].filter(Boolean).join('.'), '不支持的字段')
      }
      continue
    }
    const path = [prefix, ...segments].filter(Boolean).join('.') || prefix || '_'
    const message = /[\u4e00-\u9fff]/.test(issue.message) ? issue.message : chineseFor(issue)
    add(path, message)
  }
  return Object.fromEntries(fields)
}

/** zod's own messages are English; the few generic cases get plain Chinese. */
function chineseFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '此项必填' : '格式不正确'
    case 'too_small':
      return '内容太短或数值太小'
    case 'too_big':
      return '内容太长或数值太大'
    case 'invalid_format':
      return '格式不正确'
    case 'invalid_value':
      return '不是允许的取值'
    default:
      return '填写有误'
  }
}

export function validationError(error: z.ZodError, prefix?: string): AppError {
  return new AppError('validation_failed', { fields: fieldErrorsFrom(error, prefix) })
}
