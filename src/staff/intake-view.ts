/**
 * How the staff pages word an intake: amounts in 万元, times in China time, the age of an intake,
 * the first-contact clock, the labels of statuses and groups. Pure functions, no Taro, so the
 * queue and the detail page say the same thing and a unit test can pin it down.
 */
import { TARGET_GROUPS } from '../shared/catalog'
import { canTransition, INTAKE_STATUSES, type IntakeStatus, STAFF_ACTIONS } from '../shared/intake-workflow'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
/** China Standard Time has no daylight saving: UTC+8 all year. */
const CHINA_OFFSET_MS = 8 * HOUR_MS

export const QUEUE_URL = '/staff/pages/queue/index'
export const ASSIST_URL = '/staff/pages/assist/index'

export function intakeUrl(id: string): string {
  return `/staff/pages/intake/index?id=${encodeURIComponent(id)}`
}

/** Fired on `Taro.eventCenter` after a status change, so the queue behind the detail page reloads. */
export const INTAKE_CHANGED_EVENT = 'staff:intake-changed'

export function statusLabel(status: IntakeStatus): string {
  return INTAKE_STATUSES[status]
}

/** Group id → label: the shipped list, extended by what officials added (`/api/v1/intake-config`). */
export type GroupLabels = Readonly<Record<string, string>>

/** A group this build and the config both lack shows its id rather than nothing. */
export function groupLabel(id: string, labels: GroupLabels = TARGET_GROUPS): string {
  return labels[id] ?? id
}

export function groupsLabel(ids: readonly string[], labels: GroupLabels = TARGET_GROUPS): string {
  return ids.map((id) => groupLabel(id, labels)).join('、')
}

/** The groups in the order a form lists them: shipped first, added next, “以上都不是” last. */
export function groupOrder(labels: GroupLabels): string[] {
  const ids = Object.keys(labels).filter((id) => id !== 'other')
  return 'other' in labels ? [...ids, 'other'] : ids
}

/**
 * 元 → “12.5 万元”: at most two decimals, no trailing zeros.
 *
 * @example formatWan(125_000) // '12.5 万元'
 */
export function formatWan(yuan: number): string {
  const wan = Math.round(yuan / 100) / 100
  return `${wan} 万元`
}

/** “12.5” (万元, as typed) → 125000 元; null when it is not a positive number. */
export function wanToYuan(input: string): number | null {
  const text = input.trim()
  if (!/^\d+(\.\d{1,4})?$/.test(text)) return null
  const yuan = Math.round(Number(text) * 10_000)
  return yuan > 0 ? yuan : null
}

function chinaParts(at: string | number) {
  const date = new Date((typeof at === 'number' ? at : Date.parse(at)) + CHINA_OFFSET_MS)
  const pad = (n: number) => String(n).padStart(2, '0')
  return {
    year: date.getUTCFullYear(),
    month: pad(date.getUTCMonth() + 1),
    day: pad(date.getUTCDate()),
    time: `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`,
  }
}

/** “2026-11-23 14:05”, China time whatever the device's zone. */
export function formatTime(at: string): string {
  const p = chinaParts(at)
  return `${p.year}-${p.month}-${p.day} ${p.time}`
}

/** Today's date in China, as the disbursement date field wants it (“2026-11-23”). */
export function chinaToday(now: number = Date.now()): string {
  const p = chinaParts(now)
  return `${p.year}-${p.month}-${p.day}`
}

/** Whole days the intake has waited since it was filed: “今天提交” or “已等 3 天”. */
export function ageLabel(createdAt: string, now: number = Date.now()): string {
  const days = Math.floor((now - Date.parse(createdAt)) / DAY_MS)
  return days < 1 ? '今天提交' : `已等 ${days} 天`
}

export type Sla = { tone: 'overdue'; text: string } | { tone: 'due'; text: string } | null

/**
 * The first-contact clock: nothing once contacted (`contactDueAt` null), “已超时” when the
 * server says so or the due time has passed, else the hours left, rounded up.
 */
export function slaOf(
  item: { contactDueAt: string | null; overdue: boolean },
  now: number = Date.now(),
): Sla {
  if (item.overdue) return { tone: 'overdue', text: '已超时' }
  if (!item.contactDueAt) return null
  const left = Date.parse(item.contactDueAt) - now
  if (left <= 0) return { tone: 'overdue', text: '已超时' }
  return { tone: 'due', text: `${Math.ceil(left / HOUR_MS)} 小时内联系` }
}

/** What staff may do next from this status, in workflow order. */
export function staffActionsFrom(status: IntakeStatus): IntakeStatus[] {
  return STAFF_ACTIONS.filter((to) => canTransition(status, to))
}

/** The button for moving to a status, in the words a counter clerk would use. */
export const ACTION_LABELS: Record<IntakeStatus, string> = {
  awaiting_confirmation: '待申请人确认',
  submitted: '已提交',
  contacted: '已联系申请人',
  needs_info: '需补充材料',
  accepted: '受理',
  referred: '转办到其他服务点',
  bank_approved: '银行已审批',
  bank_declined: '银行未通过',
  disbursed: '已放款',
  withdrawn: '撤回申请',
}

/** The filters of the queue's age chips: all, or older than N days. */
export const AGE_FILTERS = [
  { days: 2, label: '超过 2 天' },
  { days: 5, label: '超过 5 天' },
  { days: 10, label: '超过 10 天' },
] as const
