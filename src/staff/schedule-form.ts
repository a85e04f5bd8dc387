/**
 * The appointment schedule editor (预约管理): weekly slots (weekday × start, end, capacity) and
 * dated exceptions (closed, or another capacity that day), as typed, and the `SlotSchedule` the
 * API takes — checked with the shared `SlotScheduleSchema`. Pure functions, no Taro.
 *
 * The API publishes a schedule only as the slots it yields (`GET …/slots`, up to 31 days), so
 * the editor opens on the schedule read back from four weeks of slots (`formFromSlots`).
 */
import { addDays, isoWeekday } from '../shared/appointments'
import { type SlotSchedule, SlotScheduleSchema } from '../shared/schemas/consult'

export interface WeeklyRow {
  weekday: number
  start: string
  end: string
  /** As typed; a whole number 1–50. */
  capacity: string
}

export interface ExceptionRow {
  date: string
  closed: boolean
  /** As typed; empty keeps each slot's own capacity. */
  capacity: string
  note: string
}

export interface ScheduleForm {
  weekly: WeeklyRow[]
  exceptions: ExceptionRow[]
}

/** Field errors keyed by path: `weekly.0.end`, `exceptions.1.date`, … */
export type ScheduleErrors = Record<string, string[]>

export const EMPTY_FORM: ScheduleForm = { weekly: [], exceptions: [] }

/** A common start: Monday to Friday, a morning and an afternoon slot of 5 each. */
export function workdayPreset(): WeeklyRow[] {
  const rows: WeeklyRow[] = []
  for (let weekday = 1; weekday <= 5; weekday++) {
    rows.push({ weekday, start: '09:00', end: '12:00', capacity: '5' })
    rows.push({ weekday, start: '14:00', end: '17:00', capacity: '5' })
  }
  return rows
}

export function newWeeklyRow(after?: WeeklyRow): WeeklyRow {
  return after
    ? { ...after, weekday: after.weekday >= 7 ? 1 : after.weekday + 1 }
    : { weekday: 1, start: '09:00', end: '12:00', capacity: '5' }
}

export function newExceptionRow(date: string): ExceptionRow {
  return { date, closed: true, capacity: '', note: '' }
}

/** Rows in the order people read a week: by weekday, then start. */
export function sortWeekly(rows: readonly WeeklyRow[]): WeeklyRow[] {
  return [...rows].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start))
}

function add(errors: ScheduleErrors, path: string, message: string): void {
  const list = errors[path] ?? []
  if (!list.includes(message)) list.push(message)
  errors[path] = list
}

const WHOLE = /^\d+$/
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/
const ORDER_MESSAGE = '结束时间应晚于开始时间'

/**
 * The schedule to send, or what is wrong, row by row. Beyond the schema: capacities must be
 * whole numbers, and one weekday may not list the same start twice (a booking names its slot by
 * date and start).
 */
export function buildSchedule(
  form: ScheduleForm,
): { ok: true; schedule: SlotSchedule } | { ok: false; errors: ScheduleErrors } {
  const errors: ScheduleErrors = {}
  const seen = new Set<string>()
  const weekly = form.weekly.map((row, i) => {
    const capacity = row.capacity.trim()
    if (!WHOLE.test(capacity)) add(errors, `weekly.${i}.capacity`, '名额请填写整数，如 5')
    const key = `${row.weekday}-${row.start.trim()}`
    if (seen.has(key)) add(errors, `weekly.${i}.start`, '同一天已有这个开始时间的时段')
    seen.add(key)
    // A capacity that is not a number is named above; a stand-in lets the schema check the rest.
    return {
      weekday: row.weekday,
      start: row.start.trim(),
      end: row.end.trim(),
      capacity: WHOLE.test(capacity) ? Number(capacity) : 1,
    }
  })
  const dates = new Set<string>()
  const exceptions = form.exceptions.map((row, i) => {
    const capacity = row.capacity.trim()
    if (!row.closed && !capacity) add(errors, `exceptions.${i}.capacity`, '不闭馆时请填写当天每个时段的名额')
    if (capacity && !WHOLE.test(capacity)) add(errors, `exceptions.${i}.capacity`, '名额请填写整数，如 3')
    if (dates.has(row.date.trim())) add(errors, `exceptions.${i}.date`, '这一天已经设置过')
    dates.add(row.date.trim())
    return {
      date: row.date.trim(),
      ...(row.closed ? { closed: true } : { capacity: WHOLE.test(capacity) ? Number(capacity) : 0 }),
      ...(row.note.trim() ? { note: row.note.trim() } : {}),
    }
  })
  const parsed = SlotScheduleSchema.safeParse({ weekly, exceptions })
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.')
      // “End after start” only means something once both are times (their format is named).
      const times = issue.path[0] === 'weekly' ? weekly[Number(issue.path[1])] : undefined
      if (issue.message === ORDER_MESSAGE && times && !(TIME.test(times.start) && TIME.test(times.end)))
        continue
      add(errors, path || '_', issue.message)
    }
  }
  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors }
  return { ok: true, schedule: parsed.data }
}

interface SlotLike {
  date: string
  start: string
  end: string
  capacity: number
}

/**
 * The most frequent value; on a tie the larger, since a day's exception usually lowers the
 * capacity (fewer staff) rather than raises it.
 */
function usualCapacity(values: readonly number[]): number {
  const counts = new Map<number, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  let best = 0
  let bestCount = 0
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && value > best)) {
      best = value
      bestCount = count
    }
  }
  return best
}

/**
 * A schedule read back from the slots it yields over `days` days from `from` (today): weekly
 * rows from the slots of each weekday (their usual capacity), exceptions from the dates that
 * differ — no slots at all (closed), or one other capacity for every slot. Today itself is left
 * out of the exceptions: its past slots are no longer listed. Notes are not published and cannot
 * be read back.
 */
export function formFromSlots(items: readonly SlotLike[], from: string, days: number): ScheduleForm {
  const templates = new Map<string, { weekday: number; start: string; end: string; capacities: number[] }>()
  for (const slot of items) {
    const weekday = isoWeekday(slot.date)
    const key = `${weekday}-${slot.start}`
    const row = templates.get(key) ?? { weekday, start: slot.start, end: slot.end, capacities: [] }
    row.capacities.push(slot.capacity)
    templates.set(key, row)
  }
  const weekly = sortWeekly(
    [...templates.values()].map((row) => ({
      weekday: row.weekday,
      start: row.start,
      end: row.end,
      capacity: String(usualCapacity(row.capacities)),
    })),
  )
  const exceptions: ExceptionRow[] = []
  for (let i = 1; i < days; i++) {
    const date = addDays(from, i)
    const expected = weekly.filter((row) => row.weekday === isoWeekday(date))
    if (expected.length === 0) continue
    const listed = items.filter((slot) => slot.date === date)
    if (listed.length === 0) {
      exceptions.push({ date, closed: true, capacity: '', note: '' })
      continue
    }
    const capacities = new Set(listed.map((slot) => slot.capacity))
    const [only] = [...capacities]
    if (
      capacities.size === 1 &&
      only !== undefined &&
      listed.length === expected.length &&
      expected.some((row) => Number(row.capacity) !== only)
    ) {
      exceptions.push({ date, closed: false, capacity: String(only), note: '' })
    }
  }
  return { weekly, exceptions }
}
