import { z } from 'zod'
import { AppError } from './errors'
import { log } from './log'
import { isStoreUnavailable, store } from './store'
import { keys } from './store/keys'

/**
 * The audit trail: who did what security-relevant thing, one JSON line per event in a list per
 * UTC day (`ds:audit:{YYYY-MM-DD}`, newest first), kept `AUDIT_RETENTION_DAYS` and mirrored to
 * the log stream.
 *
 * Failure policy — auditing fails closed, for every action: a store error propagates (as a 503),
 * it is never swallowed. Every audited action is a security decision (a login, a refusal, a role
 * or scope change, a read of personal data) whose own data lives in the same store, so when the
 * audit line cannot be written the request is answered 503 rather than completing unrecorded;
 * callers audit a `pii_read` before returning the data for the same reason. The log line is
 * written before the store write, so an outage still leaves a trace of the event.
 */

export const AUDIT_ACTIONS = [
  'login',
  'login_refused',
  'access_refused',
  'invitation_created',
  'invitation_redeemed',
  'role_changed',
  'account_disabled',
  'account_enabled',
  'scope_changed',
  'session_revoked',
  'pii_read',
  'station_created',
  'station_updated',
  'poster_code_reissued',
  'intake_submitted',
  'intake_assisted',
  'intake_confirmed',
  'intake_status_changed',
  'intake_exported',
  'intake_purged',
  'target_group_added',
  'policy_saved',
  'policy_published',
  'policy_archived',
  'consult_answered',
  'consult_transferred',
  'slots_updated',
  'booking_attendance',
  'announcement_published',
  'announcement_corrected',
  'announcement_withdrawn',
] as const

export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export interface AuditEvent {
  action: AuditAction
  /** Account id of whoever acted; null when nobody is authenticated (e.g. a refused login). */
  actor: string | null
  /** Id of the record acted on — never personal data. */
  target?: string
  requestId: string
  detail?: Record<string, string | number | boolean>
}

/**
 * How long a day's audit list is kept: 180 days, long enough to investigate an incident reported
 * months later; the TTL is renewed on each write, so it runs from the day's last event.
 */
export const AUDIT_RETENTION_DAYS = 180
const AUDIT_RETENTION_SECONDS = AUDIT_RETENTION_DAYS * 24 * 60 * 60

/** Longest detail string kept: details are labels (a method, a role), not free text. */
const MAX_DETAIL_LENGTH = 200

const AuditRecordSchema = z.object({
  at: z.iso.datetime(),
  action: z.enum(AUDIT_ACTIONS),
  actor: z.string().nullable(),
  target: z.string().optional(),
  requestId: z.string(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
})

/** One stored event: the event plus when it happened (ISO 8601, UTC). */
export type AuditRecord = z.infer<typeof AuditRecordSchema>

/** 18-character resident ID number, 11-digit mainland mobile, e-mail address — anywhere in the value. */
const PERSONAL_DATA_PATTERNS = [
  /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/,
  /(?<!\d)1[3-9]\d{9}(?!\d)/,
  /[^\s@]+@[^\s@]+\.[^\s@]+/,
]
const REDACTED = '[redacted]'

function looksPersonal(value: string): boolean {
  return PERSONAL_DATA_PATTERNS.some((pattern) => pattern.test(value))
}

/**
 * Defence in depth: callers pass ids and labels only, but a value that looks like personal data
 * is replaced so a slip never reaches a list kept for half a year. The key (not the value) is
 * logged so the slip can be found and fixed.
 */
function guard(event: AuditEvent): AuditEvent {
  const clean: AuditEvent = { ...event }
  if (event.target !== undefined && looksPersonal(event.target)) {
    clean.target = REDACTED
    log('warn', 'audit value redacted', { action: event.action, field: 'target' })
  }
  if (event.detail) {
    const detail: Record<string, string | number | boolean> = {}
    for (const [key, value] of Object.entries(event.detail)) {
      if (typeof value === 'boolean') {
        detail[key] = value
      } else if (looksPersonal(String(value))) {
        detail[key] = REDACTED
        log('warn', 'audit value redacted', { action: event.action, field: `detail.${key}` })
      } else {
        detail[key] = typeof value === 'string' ? value.slice(0, MAX_DETAIL_LENGTH) : value
      }
    }
    clean.detail = detail
  }
  return clean
}

function unavailable(cause: unknown): AppError {
  return new AppError('unavailable', { headers: { 'Retry-After': '1' }, cause })
}

/**
 * An audit line ready to be written inside another atomic write (a Lua script that changes a record
 * and records who did it in one step): logs the event and answers the day's key, the JSON line and
 * the TTL to renew. The caller LPUSHes `line` to `key` and sets `EXPIRE key ttl`.
 */
export function prepareAudit(
  event: AuditEvent,
  now = new Date(),
): { key: string; line: string; ttl: number } {
  const at = now.toISOString()
  const record: AuditRecord = { at, ...guard(event) }
  log('info', 'audit', record)
  return { key: keys.auditDay(at.slice(0, 10)), line: JSON.stringify(record), ttl: AUDIT_RETENTION_SECONDS }
}

/**
 * Records one audit event: logs it, then LPUSHes `{ at, ...event }` to the UTC day's list and
 * renews the list's retention TTL in the same MULTI.
 *
 * @throws AppError('unavailable') when the store cannot take the line (see the failure policy above);
 *   other store errors propagate as they are.
 */
export async function audit(event: AuditEvent): Promise<void> {
  const { key, line, ttl } = prepareAudit(event)
  try {
    await store().redis.multi().lpush(key, line).expire(key, ttl).exec()
  } catch (error) {
    if (isStoreUnavailable(error)) throw unavailable(error)
    throw error
  }
}

/**
 * The audit events of one UTC day (`YYYY-MM-DD`), newest first, at most `limit` (1–1000). Lines
 * that fail validation are skipped with a warning: one damaged line must not hide the rest of the day.
 */
export async function listAudit(day: string, limit = 100): Promise<AuditRecord[]> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`listAudit: day must be YYYY-MM-DD, got ${day}`)
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new Error(`listAudit: limit must be an integer from 1 to 1000, got ${limit}`)
  }
  // The client parses JSON replies itself by default, so entries arrive as objects or strings.
  const entries = await store().redis.lrange<unknown>(keys.auditDay(day), 0, limit - 1)
  const records: AuditRecord[] = []
  let skipped = 0
  for (const entry of entries) {
    let value: unknown = entry
    if (typeof entry === 'string') {
      try {
        value = JSON.parse(entry)
      } catch {
        value = undefined
      }
    }
    const parsed = AuditRecordSchema.safeParse(value)
    if (parsed.success) records.push(parsed.data)
    else skipped++
  }
  if (skipped > 0) log('warn', 'audit lines skipped', { day, skipped })
  return records
}
