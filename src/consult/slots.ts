/**
 * The appointment picker's view of `GET /api/v1/stations/{code}/slots`: slots grouped by date in
 * the order the API lists them, each date saying whether anything is left. Pure, unit-tested.
 */
import { dayLabel, timeRange } from '../shared/appointments'

export interface Slot {
  date: string
  start: string
  end: string
  capacity: number
  booked: number
  available: number
}

export interface SlotDay {
  date: string
  label: string
  slots: Slot[]
  /** Seats left over the whole day. */
  available: number
}

export function slotDays(items: readonly Slot[]): SlotDay[] {
  const days = new Map<string, SlotDay>()
  for (const slot of items) {
    const day = days.get(slot.date) ?? {
      date: slot.date,
      label: dayLabel(slot.date),
      slots: [],
      available: 0,
    }
    day.slots.push(slot)
    day.available += Math.max(0, slot.available)
    days.set(slot.date, day)
  }
  for (const day of days.values()) day.slots.sort((a, b) => a.start.localeCompare(b.start))
  return [...days.values()]
}

/** The stable id of a slot's button: `slot-2026-11-24-0900`. */
export function slotId(date: string, start: string): string {
  return `slot-${date}-${start.replace(':', '')}`
}

/** “09:00–10:00 · 余 3 个”, or “已约满”. */
export function slotLabel(slot: Slot): string {
  const time = timeRange(slot.start, slot.end)
  return slot.available > 0 ? `${time} · 余 ${slot.available} 个` : `${time} · 已约满`
}

/** The first date with a seat left (what the picker opens on), else the first date. */
export function firstOpenDate(days: readonly SlotDay[]): string | null {
  return (days.find((day) => day.available > 0) ?? days[0])?.date ?? null
}
