import type { IncomingMessage } from 'node:http'
import { AppError } from './errors'

/** Bodies above this are refused before any parsing (DESIGN: hostile input never costs much). */
export const MAX_BODY_BYTES = 64 * 1024

/**
 * Reads a JSON request body with hard limits: 413 past 64 KB (checked on Content-Length first,
 * then while streaming), 415 for anything but application/json, 400 for invalid UTF-8 or JSON.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  const declared = Number(req.headers['content-length'] ?? Number.NaN)
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw new AppError('payload_too_large')
  if (type !== 'application/json') {
    req.resume()
    throw new AppError('unsupported_media_type')
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    size += buffer.length
    if (size > MAX_BODY_BYTES) {
      req.resume()
      throw new AppError('payload_too_large')
    }
    chunks.push(buffer)
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))
  } catch (cause) {
    throw new AppError('invalid_json', { message: '请求内容不是有效的 UTF-8 文本', cause })
  }
  if (text.trim() === '') throw new AppError('invalid_json', { message: '请求内容为空' })
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new AppError('invalid_json', { cause })
  }
}

/**
 * Query string → plain object. A repeated key becomes an array, which a schema expecting one
 * value rejects with a field error. `__proto__` and friends end up as ordinary own keys of a
 * null-prototype object, so they can only be rejected as unknown fields.
 */
export function parseQuery(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null)
  for (const [key, value] of search) {
    const existing = out[key]
    if (existing === undefined) out[key] = value
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value]
  }
  return { ...out }
}

/** A request id we can trust to put in logs: the caller's if it is tame, else a new one. */
export function requestIdFrom(header: string | string[] | undefined, fallback: () => string): string {
  const value = Array.isArray(header) ? header[0] : header
  return value && /^[A-Za-z0-9._-]{8,64}$/.test(value) ? value : fallback()
}
