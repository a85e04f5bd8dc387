/**
 * How appointments (预约) are worded on the resident's and the staff's pages: booking statuses,
 * weekdays, dates and times. Plain constants and functions (no zod, no Taro) so either side can
 * use them without pulling anything else along. Dates are China calendar dates, `YYYY-MM-DD`;
 * weekdays are ISO 1 (Monday) … 7 (Sunday), as `SlotTemplateSchema` counts them.
 */

export const BOOKING_STATUSES = {
  booked: '已预约',
  cancelled: '已取消',
  attended: '已到场',
  absent: '未到',
} as const
export type BookingStatus = keyof typeof BOOKING_STATUSES

/** `WEEKDAY_NAMES[weekday - 1]`: 一 … 日. */
export const WEEKDAY_NAMES = ['一', '二', '三', '四', '五', '六', '日'] as const

const DAY_MS = 86_400_000
const CHINA_OFFSET_MS = 8 * 3_600_000

/** ISO weekday of a date: 1 (Monday) … 7 (Sunday). */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay()
  return day === 0 ? 7 : day
}

/** “周二” */
export function weekdayName(weekday: number): string {
  return `周${WEEKDAY_NAMES[weekday - 1] ?? '?'}`
}

/** The date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

/** Today's date in China, whatever the device's time zone. */
export function chinaToday(now: number = Date.now()): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10)
}

/**
 * A date the way people say it, with the weekday.
 *
 * @example dayLabel('2026-11-24') // '11月24日 周二'
 */
export function dayLabel(date: string): string {
  const [, month, day] = date.split('-')
  return `${Number(month)}月${Number(day)}日 ${weekdayName(isoWeekday(date))}`
}

/** “09:00–10:00” */
export function timeRange(start: string, end: string): string {
  return `${start}–${end}`
}
