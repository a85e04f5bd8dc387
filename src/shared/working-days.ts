/**
 * Working days in China, for service-level clocks ("first contact within 2 working days").
 * Saturdays and Sundays are rest days unless listed as make-up working days (调休上班); public
 * holidays are listed explicitly. The State Council publishes each year's holidays and make-up days
 * (国务院办公厅关于部分节假日安排的通知) late in the year before: deployments enter them through
 * configuration (`HOLIDAYS`, `MAKEUP_WORKDAYS`) rather than through a code change.
 */
export interface Calendar {
  /** Public holidays, `YYYY-MM-DD` (China dates). */
  holidays: ReadonlySet<string>
  /** Weekend days that are working days (调休), `YYYY-MM-DD`. */
  workdays: ReadonlySet<string>
}

const DAY_MS = 86_400_000
const CHINA_OFFSET_MS = 8 * 3_600_000

/** The China (UTC+8) calendar date of an instant. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10)
}

export function isWorkingDay(date: string, calendar: Calendar): boolean {
  if (calendar.workdays.has(date)) return true
  if (calendar.holidays.has(date)) return false
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
  return weekday !== 0 && weekday !== 6
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10)
}

/**
 * When a clock of `days` working days started at `start` runs out: the end (24:00 China time) of
 * the `days`-th working day after the start's own day. Filed on a Friday with 2 days → due at the
 * end of Tuesday; filed on a holiday → counted from the next working day.
 */
export function workingDeadline(start: Date, days: number, calendar: Calendar): Date {
  let date = chinaDate(start)
  let counted = 0
  while (counted < days) {
    date = nextDate(date)
    if (isWorkingDay(date, calendar)) counted++
  }
  // 24:00 China time of `date` is 16:00 UTC of that date.
  return new Date(Date.parse(`${date}T16:00:00Z`))
}

/** A calendar from comma-separated `YYYY-MM-DD` lists (configuration). */
export function calendarFrom(holidays = '', workdays = ''): Calendar {
  const parse = (text: string) =>
    new Set(
      text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => /^\d{4}-\d{2}-\d{2}$/.test(item)),
    )
  return { holidays: parse(holidays), workdays: parse(workdays) }
}
