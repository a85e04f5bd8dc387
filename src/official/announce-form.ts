/**
 * The 政策推送 pages' plain logic: the compose form as officials type it and the request it stands
 * for, checked by the same `AnnouncementInputSchema` the API parses it with (corrections and
 * withdrawals by `CorrectionSchema` and `WithdrawSchema`); the regions an account may target; how
 * an announcement's status and delivery progress read. Tested beside it.
 */
import type { z } from 'zod'
import { chinaTime } from '../services/pocketbook'
import { isWithin, REGIONS } from '../shared/regions'
import {
  type AnnouncementInput,
  AnnouncementInputSchema,
  type AnnouncementView,
  CorrectionSchema,
  WithdrawSchema,
} from '../shared/schemas/announce'
import type { Me } from '../shared/schemas/auth'
import { words } from './policy-form'

export type FieldErrorMap = Record<string, string[]>

export const ANNOUNCEMENTS_URL = '/official/pages/announcements/index'

/** The compose page; with an id, that announcement's 更正 and 撤回. */
export function announceUrl(id?: string): string {
  const base = '/official/pages/announce/index'
  return id ? `${base}?id=${encodeURIComponent(id)}` : base
}

/** The form as typed. */
export interface AnnouncementFormValues {
  title: string
  /** In the safe markup of `src/shared/markup.ts`. */
  body: string
  category: string
  /** Pocket-book entry ids, separated by spaces or commas. */
  links: string
  regions: string[]
  stations: string[]
  groups: string[]
  /** Beijing time, “2026-12-01 09:00”; empty: now. */
  publishAt: string
}

export const EMPTY_ANNOUNCEMENT_FORM: AnnouncementFormValues = {
  title: '',
  body: '',
  category: '',
  links: '',
  regions: [],
  stations: [],
  groups: [],
  publishAt: '',
}

/** What each field is called on the form. */
const LABELS: Record<string, string> = {
  title: '标题',
  body: '正文',
  category: '类别',
  links: '关联政策',
  target: '推送对象',
  'target.regions': '推送地区',
  'target.stations': '服务点',
  'target.groups': '人群',
  publishAt: '发布时间',
  note: '说明',
  version: '版本',
}

/** `target.stations.1` → `target.stations`: each message belongs to the field, not to one item. */
export function fieldKey(path: readonly PropertyKey[]): string {
  return path.filter((part) => typeof part === 'string').join('.') || '_'
}

/** Chinese for the checks the shared schema leaves without a message of its own. */
const chineseIssue: z.core.$ZodErrorMap = (issue) => {
  const key = fieldKey(issue.path ?? [])
  const label = LABELS[key] ?? key
  if (key === 'links' && issue.code === 'invalid_format')
    return '关联政策请填口袋书条目的编号（小写字母、数字和 -，如 qd-venue-subsidy）'
  if (key === 'publishAt') return '发布时间格式有误'
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'array'
        ? `${label}最多 ${issue.maximum} 项`
        : `${label}最多 ${issue.maximum} 个字`
    case 'too_small':
      return issue.origin === 'array'
        ? `${label}至少 ${issue.minimum} 项`
        : `${label}至少 ${issue.minimum} 个字`
    case 'invalid_type':
      return `请填写${label}`
    default:
      return `${label}填写有误`
  }
}

function addError(errors: FieldErrorMap, key: string, message: string): void {
  const list = errors[key] ?? []
  if (!list.includes(message)) list.push(message)
  errors[key] = list
}

function collect(issues: readonly z.core.$ZodIssue[], errors: FieldErrorMap): FieldErrorMap {
  for (const issue of issues) addError(errors, fieldKey(issue.path), issue.message)
  return errors
}

/**
 * “2026-12-01 09:00” (also with T, /, or seconds) read as Beijing time (UTC+8, no daylight
 * saving), as UTC ISO 8601; null when it is not a real time.
 *
 * @example chinaTimeToIso('2026-12-01 09:00') // '2026-12-01T01:00:00.000Z'
 */
export function chinaTimeToIso(text: string): string | null {
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim())
  if (!match) return null
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const utc = Date.UTC(year, month - 1, day, hour - 8, minute, second)
  // Date.UTC rolls 2026-02-30 over into March: a date that changed was not a real one.
  const back = new Date(utc + 8 * 3600_000)
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return null
  return new Date(utc).toISOString()
}

export type Checked<T> = { ok: true; input: T } | { ok: false; errors: FieldErrorMap }

/**
 * The request the form stands for, checked with the API's own schema. Errors are keyed by field
 * (`title`, `target.regions`, `links`, `publishAt`). A publication time must lie ahead: left
 * empty, the announcement goes out at once.
 */
export function announcementOf(values: AnnouncementFormValues, now = new Date()): Checked<AnnouncementInput> {
  const errors: FieldErrorMap = {}
  let publishAt: string | undefined
  if (values.publishAt.trim()) {
    const iso = chinaTimeToIso(values.publishAt)
    if (!iso) addError(errors, 'publishAt', '请按“2026-12-01 09:00”的格式填写北京时间')
    else if (Date.parse(iso) <= now.getTime())
      addError(errors, 'publishAt', '这个时间已经过了；立即发布请留空')
    else publishAt = iso
  }
  const candidate = {
    title: values.title,
    body: values.body,
    category: values.category,
    links: words(values.links).map((id) => id.toLowerCase()),
    target: { regions: values.regions, stations: values.stations, groups: values.groups },
    ...(publishAt ? { publishAt } : {}),
  }
  const result = AnnouncementInputSchema.safeParse(candidate, { error: chineseIssue })
  if (!result.success) collect(result.error.issues, errors)
  if (!result.success || Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, input: result.data }
}

/** What a correction may change, as typed: the text (prefilled with the current one) and why. */
export interface CorrectionValues {
  title: string
  body: string
  note: string
}

export function correctionValuesOf(item: Pick<AnnouncementView, 'title' | 'body'>): CorrectionValues {
  return { title: item.title, body: item.body, note: '' }
}

export type CorrectionInput = z.infer<typeof CorrectionSchema>

/**
 * The correction request: the version read, only the fields that changed, and the note residents
 * will see (required: a correction says why).
 */
export function correctionOf(
  item: Pick<AnnouncementView, 'version' | 'title' | 'body'>,
  values: CorrectionValues,
): Checked<CorrectionInput> {
  const title = values.title.trim()
  const body = values.body.trim()
  const candidate = {
    version: item.version,
    ...(title !== item.title.trim() ? { title } : {}),
    ...(body !== item.body.trim() ? { body } : {}),
    note: values.note,
  }
  if (!values.note.trim()) return { ok: false, errors: { note: ['请填写更正说明：居民会看到改了什么'] } }
  const result = CorrectionSchema.safeParse(candidate, { error: chineseIssue })
  return result.success
    ? { ok: true, input: result.data }
    : { ok: false, errors: collect(result.error.issues, {}) }
}

/** The withdrawal request: the version read and why (required). */
export function withdrawalOf(
  item: Pick<AnnouncementView, 'version'>,
  note: string,
): Checked<z.infer<typeof WithdrawSchema>> {
  if (!note.trim()) return { ok: false, errors: { note: ['请填写撤回说明'] } }
  const result = WithdrawSchema.safeParse({ version: item.version, note }, { error: chineseIssue })
  return result.success
    ? { ok: true, input: result.data }
    : { ok: false, errors: collect(result.error.issues, {}) }
}

/**
 * The regions an account may send to, as the API allows: an official their region and the
 * districts in it; an administrator every province and city (the districts are a tap away on a
 * regional account, and a province-wide list of them would not fit a phone).
 */
export function targetRegionOptions(me: Pick<Me, 'scope'>): { code: string; name: string }[] {
  const scope = me.scope
  if (scope.type === 'all')
    return REGIONS.filter((region) => region.level !== 'district').map(({ code, name }) => ({ code, name }))
  if (scope.type !== 'region') return []
  return REGIONS.filter((region) => isWithin(region.code, scope.code)).map(({ code, name }) => ({
    code,
    name,
  }))
}

export const STATUS_LABELS: Record<AnnouncementView['status'], string> = {
  published: '已发布',
  scheduled: '定时',
  withdrawn: '已撤回',
}

/** “已发布 · 2026-05-01 09:30”, “定时 · 2026-12-01 09:00”, “已撤回”. */
export function statusLine(item: Pick<AnnouncementView, 'status' | 'publishAt'>): string {
  if (item.status === 'withdrawn') return STATUS_LABELS.withdrawn
  const when = chinaTime(item.publishAt)
  return when ? `${STATUS_LABELS[item.status]} · ${when}` : STATUS_LABELS[item.status]
}

/** What `GET /api/v1/announcements/{id}/deliveries` answers. */
export interface DeliveryStats {
  sent: number
  failed: number
  skipped: number
  pending: number
  total: number
}

/** “微信通知：已发送 12 · 失败 1 · 待发送 30” (and the skipped ones, when there are any). */
export function deliveryLine(stats: DeliveryStats): string {
  if (stats.total === 0) return '微信通知：暂无订阅的居民'
  const parts = [`已发送 ${stats.sent}`, `失败 ${stats.failed}`, `待发送 ${stats.pending}`]
  if (stats.skipped > 0) parts.push(`跳过 ${stats.skipped}`)
  return `微信通知：${parts.join(' · ')}`
}

/** Which announcements to ask about again: those never asked, and those still sending. */
export function toPoll(ids: readonly string[], known: Readonly<Record<string, DeliveryStats>>): string[] {
  return ids.filter((id) => {
    const stats = known[id]
    return !stats || stats.pending > 0
  })
}
