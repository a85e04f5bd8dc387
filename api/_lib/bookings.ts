import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { type BookingView, type SlotSchedule, SlotScheduleSchema } from '../../src/shared/schemas/consult'
import { chinaDate } from '../../src/shared/working-days'
import { AppError } from './errors'
import { stations } from './repos/stations'
import type { Caller } from './route'
import { store } from './store'
import { keys } from './store/keys'

/**
 * Appointments (预约): a station publishes weekly slots with a capacity and dated exceptions;
 * residents book, see and cancel; staff see the day's list and mark attendance. A booking is one
 * Lua script over the slot's hash — count and holders together — so concurrent requests for the
 * last seat give exactly one booking, and nobody holds two bookings of one slot.
 */
const BookingSchema = z.object({
  id: z.string(),
  station: z.string(),
  date: z.string(),
  start: z.string(),
  end: z.string(),
  owner: z.string(),
  who: z.string(),
  status: z.enum(['booked', 'cancelled', 'attended', 'absent']),
  createdAt: z.string(),
})
type Booking = z.infer<typeof BookingSchema>

/** KEYS slot hash, booking, mine, day; ARGV capacity, account, id, record, score. */
const BOOK_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then return 'duplicate' end
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if n >= tonumber(ARGV[1]) then return 'full' end
redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('SET', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[3])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[3])
return 'ok'`

/** KEYS slot hash, booking; ARGV account, id, record. Frees the seat if the booking still holds it. */
const CANCEL_SCRIPT = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 'gone' end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HINCRBY', KEYS[1], 'n', -1)
redis.call('SET', KEYS[2], ARGV[3])
return 'ok'`

const parse = (value: unknown): Booking | null => {
  let raw = value
  if (typeof value === 'string') {
    try {
      raw = JSON.parse(value)
    } catch {
      return null
    }
  }
  const parsed = BookingSchema.safeParse(raw)
  return parsed.success ? parsed.data : null
}

/** ISO weekday 1 (Monday) … 7 (Sunday) of a date. */
function weekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay()
  return day === 0 ? 7 : day
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/** The slot start as an instant (China time). */
function startsAt(date: string, start: string): number {
  return Date.parse(`${date}T${start}:00+08:00`)
}

export const bookings = {
  async schedule(station: string): Promise<SlotSchedule> {
    const raw = await store().redis.get<unknown>(keys.slots(station))
    const parsed = SlotScheduleSchema.safeParse(typeof raw === 'string' ? JSON.parse(raw) : raw)
    return parsed.success ? parsed.data : { weekly: [], exceptions: [] }
  },

  async setSchedule(station: string, schedule: SlotSchedule): Promise<void> {
    await store().redis.set(keys.slots(station), JSON.stringify(schedule))
  },

  /** The slot of a station at a date and start, with its capacity that day, or null. */
  slotOn(schedule: SlotSchedule, date: string, start: string) {
    const exception = schedule.exceptions.find((item) => item.date === date)
    if (exception?.closed) return null
    const slot = schedule.weekly.find((item) => item.weekday === weekday(date) && item.start === start)
    if (!slot) return null
    return { ...slot, capacity: exception?.capacity ?? slot.capacity }
  },

  async slots(station: string, from: string, days: number, now = new Date()) {
    const schedule = await bookings.schedule(station)
    const wanted: { date: string; start: string; end: string; capacity: number }[] = []
    for (let i = 0; i < days; i++) {
      const date = addDays(from, i)
      for (const slot of schedule.weekly.filter((item) => item.weekday === weekday(date))) {
        const today = bookings.slotOn(schedule, date, slot.start)
        if (today && startsAt(date, slot.start) > now.getTime())
          wanted.push({ date, start: slot.start, end: slot.end, capacity: today.capacity })
      }
    }
    const redis = store().redis
    const counts = wanted.length
      ? await Promise.all(
          wanted.map((slot) => redis.hget<unknown>(keys.slot(station, slot.date, slot.start), 'n')),
        )
      : []
    return wanted.map((slot, i) => {
      const booked = Number(counts[i] ?? 0)
      return { ...slot, booked, available: Math.max(0, slot.capacity - booked) }
    })
  },

  async book(
    input: { station: string; date: string; start: string; caller: Caller },
    now = new Date(),
  ): Promise<BookingView> {
    const station = await stations.getRecent(input.station)
    if (station?.status !== 'active') {
      throw new AppError('validation_failed', { fields: { station: ['这个服务点暂停服务'] } })
    }
    const schedule = await bookings.schedule(station.code)
    const slot = bookings.slotOn(schedule, input.date, input.start)
    if (!slot || slot.capacity === 0) {
      throw new AppError('validation_failed', { fields: { start: ['这个时段不开放预约'] } })
    }
    if (startsAt(input.date, input.start) <= now.getTime()) {
      throw new AppError('validation_failed', { fields: { date: ['不能预约已经过去的时段'] } })
    }
    if (input.date > addDays(chinaDate(now), 30)) {
      throw new AppError('validation_failed', { fields: { date: ['只能预约 30 天内的时段'] } })
    }
    const record: Booking = {
      id: randomUUID(),
      station: station.code,
      date: input.date,
      start: input.start,
      end: slot.end,
      owner: input.caller.account.id,
      who: input.caller.account.displayName || '居民',
      status: 'booked',
      createdAt: now.toISOString(),
    }
    const score = startsAt(input.date, input.start)
    const answer = await store().redis.eval(
      BOOK_SCRIPT,
      [
        keys.slot(station.code, input.date, input.start),
        keys.booking(record.id),
        keys.bookingsOf(record.owner),
        keys.bookingsOfDay(station.code, input.date),
      ],
      [String(slot.capacity), record.owner, record.id, JSON.stringify(record), String(score)],
    )
    if (answer === 'full')
      throw new AppError('conflict', {
        message: '这个时段已约满，请选择其他时段',
        fields: { start: ['已约满'] },
      })
    if (answer === 'duplicate')
      throw new AppError('conflict', { message: '您已预约了这个时段', fields: { start: ['已预约'] } })
    if (answer !== 'ok') throw new Error(`unexpected booking answer: ${String(answer)}`)
    return bookings.view(record, station.name)
  },

  async get(id: string): Promise<Booking | null> {
    return parse(await store().redis.get(keys.booking(id)))
  },

  async cancel(booking: Booking): Promise<BookingView> {
    if (booking.status !== 'booked') throw new AppError('conflict', { message: '这个预约已取消或已办理' })
    const next: Booking = { ...booking, status: 'cancelled' }
    const answer = await store().redis.eval(
      CANCEL_SCRIPT,
      [keys.slot(booking.station, booking.date, booking.start), keys.booking(booking.id)],
      [booking.owner, booking.id, JSON.stringify(next)],
    )
    if (answer !== 'ok') throw new AppError('conflict', { message: '这个预约已取消' })
    return bookings.view(next)
  },

  async attend(booking: Booking, attended: boolean): Promise<BookingView> {
    if (booking.status === 'cancelled') throw new AppError('conflict', { message: '这个预约已取消' })
    const next: Booking = { ...booking, status: attended ? 'attended' : 'absent' }
    await store().redis.set(keys.booking(booking.id), JSON.stringify(next))
    return bookings.view(next)
  },

  async mine(account: string): Promise<BookingView[]> {
    const ids = (await store().redis.zrange<string[]>(keys.bookingsOf(account), 0, 49, { rev: true })).map(
      String,
    )
    const found = (await Promise.all(ids.map((id) => bookings.get(id)))).filter(
      (item): item is Booking => item !== null,
    )
    return Promise.all(found.map((item) => bookings.view(item)))
  },

  async day(station: string, date: string): Promise<BookingView[]> {
    const ids = (await store().redis.zrange<string[]>(keys.bookingsOfDay(station, date), 0, -1)).map(String)
    const found = (await Promise.all(ids.map((id) => bookings.get(id)))).filter(
      (item): item is Booking => item !== null,
    )
    return Promise.all(found.map((item) => bookings.view(item)))
  },

  async view(booking: Booking, name?: string): Promise<BookingView> {
    return {
      id: booking.id,
      station: {
        code: booking.station,
        name: name ?? (await stations.getRecent(booking.station))?.name ?? booking.station,
      },
      date: booking.date,
      start: booking.start,
      end: booking.end,
      status: booking.status,
      who: booking.who,
      createdAt: booking.createdAt,
    }
  },
}

export type { Booking }
