import { describe, expect, it } from 'vitest'
import { addDays, chinaToday, dayLabel, isoWeekday, timeRange, weekdayName } from './appointments'

describe('appointment wording', () => {
  it('counts weekdays the ISO way, Monday 1 to Sunday 7', () => {
    expect(isoWeekday('2026-11-23')).toBe(1)
    expect(isoWeekday('2026-11-29')).toBe(7)
    expect(weekdayName(7)).toBe('周日')
  })

  it('says a date with month, day and weekday, without leading zeros', () => {
    expect(dayLabel('2026-11-24')).toBe('11月24日 周二')
    expect(dayLabel('2027-01-03')).toBe('1月3日 周日')
  })

  it('moves across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })

  it('takes today in China: 23:30 UTC is already the next day in Beijing', () => {
    expect(chinaToday(Date.parse('2026-11-23T23:30:00Z'))).toBe('2026-11-24')
    expect(chinaToday(Date.parse('2026-11-23T15:59:00Z'))).toBe('2026-11-23')
  })

  it('writes a time range with an en dash', () => {
    expect(timeRange('09:00', '10:00')).toBe('09:00–10:00')
  })
})
