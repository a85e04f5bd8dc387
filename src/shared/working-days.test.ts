import { describe, expect, it } from 'vitest'
import { calendarFrom, chinaDate, isWorkingDay, workingDeadline } from './working-days'

describe('working-day clocks', () => {
  const plain = calendarFrom()
  // 2026-11-20 is a Friday.
  it('skips the weekend: filed Friday afternoon with 2 days → due at the end of Tuesday', () => {
    const due = workingDeadline(new Date('2026-11-20T07:00:00Z'), 2, plain)
    expect(due.toISOString()).toBe('2026-11-24T16:00:00.000Z')
    expect(chinaDate(new Date(due.getTime() - 1))).toBe('2026-11-24')
  })

  it('uses the China date: 23:30 in Beijing on Monday is still Monday', () => {
    const due = workingDeadline(new Date('2026-11-23T15:30:00Z'), 1, plain)
    expect(due.toISOString()).toBe('2026-11-24T16:00:00.000Z')
  })

  it('skips configured public holidays and counts make-up working weekends', () => {
    const calendar = calendarFrom('2026-10-01,2026-10-02,2026-10-05,2026-10-06,2026-10-07', '2026-10-10')
    expect(isWorkingDay('2026-10-03', calendar)).toBe(false)
    expect(isWorkingDay('2026-10-10', calendar)).toBe(true)
    // Filed Wednesday 30 September: 1 Oct… 7 Oct are off, 8 Oct (Thu) and 9 Oct (Fri) count.
    expect(workingDeadline(new Date('2026-09-30T02:00:00Z'), 2, calendar).toISOString()).toBe(
      '2026-10-09T16:00:00.000Z',
    )
    // Filed on the holiday itself: counted from the next working day.
    expect(workingDeadline(new Date('2026-10-07T02:00:00Z'), 3, calendar).toISOString()).toBe(
      '2026-10-10T16:00:00.000Z',
    )
  })

  it('ignores malformed calendar entries', () => {
    const calendar = calendarFrom('2026-13,x, 2026-12-25 ')
    expect([...calendar.holidays]).toEqual(['2026-12-25'])
  })
})
