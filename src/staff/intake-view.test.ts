import { describe, expect, it } from 'vitest'
import {
  ageLabel,
  chinaToday,
  formatTime,
  formatWan,
  groupOrder,
  groupsLabel,
  slaOf,
  staffActionsFrom,
  wanToYuan,
} from './intake-view'

const NOW = Date.parse('2026-11-23T02:00:00.000Z') // 10:00 in China

describe('how the staff pages word an intake', () => {
  it('shows amounts in 万元 and reads 万元 back as whole 元', () => {
    expect(formatWan(150_000)).toBe('15 万元')
    expect(formatWan(125_000)).toBe('12.5 万元')
    expect(formatWan(10_000_000)).toBe('1000 万元')
    expect(wanToYuan('12.5')).toBe(125_000)
    expect(wanToYuan(' 30 ')).toBe(300_000)
    expect(wanToYuan('0.0001')).toBe(1)
    expect(wanToYuan('0')).toBeNull()
    expect(wanToYuan('十万')).toBeNull()
    expect(wanToYuan('-3')).toBeNull()
  })

  it('writes times and today in China time whatever the device zone', () => {
    expect(formatTime('2026-11-23T16:30:00.000Z')).toBe('2026-11-24 00:30')
    expect(chinaToday(Date.parse('2026-11-23T16:30:00.000Z'))).toBe('2026-11-24')
  })

  it('says how long an intake has waited', () => {
    expect(ageLabel('2026-11-23T01:00:00.000Z', NOW)).toBe('今天提交')
    expect(ageLabel('2026-11-20T01:00:00.000Z', NOW)).toBe('已等 3 天')
  })

  it('runs the first-contact clock: hours left rounded up, red once overdue, nothing once contacted', () => {
    expect(slaOf({ contactDueAt: '2026-11-23T07:30:00.000Z', overdue: false }, NOW)).toEqual({
      tone: 'due',
      text: '6 小时内联系',
    })
    expect(slaOf({ contactDueAt: '2026-11-23T01:00:00.000Z', overdue: false }, NOW)?.tone).toBe('overdue')
    expect(slaOf({ contactDueAt: '2026-11-24T00:00:00.000Z', overdue: true }, NOW)).toEqual({
      tone: 'overdue',
      text: '已超时',
    })
    expect(slaOf({ contactDueAt: null, overdue: false }, NOW)).toBeNull()
  })

  it('offers only the staff actions the workflow allows from the current status', () => {
    expect(staffActionsFrom('submitted')).toEqual(['contacted', 'referred', 'withdrawn'])
    expect(staffActionsFrom('accepted')).toEqual(['referred', 'bank_approved', 'bank_declined', 'withdrawn'])
    // Only the resident moves a 帮办 filing to submitted.
    expect(staffActionsFrom('awaiting_confirmation')).toEqual(['withdrawn'])
    expect(staffActionsFrom('disbursed')).toEqual([])
  })

  it('names groups, keeping the id of a group this build does not know', () => {
    expect(groupsLabel(['graduate', 'veteran'])).toBe('高校毕业生、退役军人')
    expect(groupsLabel(['new_local_group'])).toBe('new_local_group')
    expect(groupsLabel(['new_local_group'], { new_local_group: '新就业形态人员' })).toBe('新就业形态人员')
  })

  it('lists groups added by officials after the shipped ones, and “以上都不是” last', () => {
    expect(groupOrder({ graduate: '高校毕业生', other: '以上都不是', gig: '新就业形态人员' })).toEqual([
      'graduate',
      'gig',
      'other',
    ])
  })
})
