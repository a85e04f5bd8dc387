import { describe, expect, it } from 'vitest'
import { addDays, isoWeekday } from '../shared/appointments'
import { buildSchedule, formFromSlots, type ScheduleForm, workdayPreset } from './schedule-form'

const row = (weekday: number, start: string, end: string, capacity: string) => ({
  weekday,
  start,
  end,
  capacity,
})

describe('the appointment schedule editor', () => {
  it('sends the weekly slots and exceptions the API takes, numbers as numbers', () => {
    const form: ScheduleForm = {
      weekly: [row(1, ' 09:00', '12:00 ', '5')],
      exceptions: [
        { date: '2026-12-01', closed: true, capacity: '', note: ' 停电 ' },
        { date: '2026-12-02', closed: false, capacity: '2', note: '' },
      ],
    }
    expect(buildSchedule(form)).toEqual({
      ok: true,
      schedule: {
        weekly: [{ weekday: 1, start: '09:00', end: '12:00', capacity: 5 }],
        exceptions: [
          { date: '2026-12-01', closed: true, note: '停电' },
          { date: '2026-12-02', capacity: 2 },
        ],
      },
    })
  })

  it('says what is wrong, row by row, in Chinese', () => {
    const checked = buildSchedule({
      weekly: [row(1, '9点', '12:00', '5'), row(2, '14:00', '13:00', 'abc'), row(2, '14:00', '15:00', '60')],
      exceptions: [
        { date: '2026-12-01', closed: false, capacity: '', note: '' },
        { date: '2026-12-01', closed: true, capacity: '', note: '' },
      ],
    })
    expect(checked.ok).toBe(false)
    if (checked.ok) return
    expect(checked.errors).toEqual({
      'weekly.0.start': ['时间格式应为 09:00'],
      'weekly.1.capacity': ['名额请填写整数，如 5'],
      'weekly.1.end': ['结束时间应晚于开始时间'],
      'weekly.2.start': ['同一天已有这个开始时间的时段'],
      'weekly.2.capacity': ['名额最多 50 个'],
      'exceptions.0.capacity': ['不闭馆时请填写当天每个时段的名额'],
      'exceptions.1.date': ['这一天已经设置过'],
    })
  })

  it('offers a Monday-to-Friday preset that passes as is', () => {
    const checked = buildSchedule({ weekly: workdayPreset(), exceptions: [] })
    expect(checked.ok && checked.schedule.weekly).toHaveLength(10)
  })

  it('reads a schedule back from the slots it published, exceptions included', () => {
    const from = '2026-11-23' // a Monday
    const items: { date: string; start: string; end: string; capacity: number }[] = []
    for (let i = 0; i < 14; i++) {
      const date = addDays(from, i)
      const weekday = isoWeekday(date)
      if (weekday > 5) continue
      if (date === '2026-11-25') continue // closed that Wednesday
      const capacity = date === '2026-11-26' ? 1 : 4 // one Thursday with fewer seats
      items.push({ date, start: '09:00', end: '11:00', capacity })
      items.push({ date, start: '14:00', end: '16:00', capacity })
    }
    const form = formFromSlots(items, from, 14)
    expect(form.weekly).toHaveLength(10)
    expect(form.weekly[0]).toEqual({ weekday: 1, start: '09:00', end: '11:00', capacity: '4' })
    expect(form.exceptions).toEqual([
      { date: '2026-11-25', closed: true, capacity: '', note: '' },
      { date: '2026-11-26', closed: false, capacity: '1', note: '' },
    ])
    // What it read back is what it would send.
    expect(buildSchedule(form).ok).toBe(true)
  })

  it('reads nothing back from a station without slots', () => {
    expect(formFromSlots([], '2026-11-23', 28)).toEqual({ weekly: [], exceptions: [] })
  })
})
