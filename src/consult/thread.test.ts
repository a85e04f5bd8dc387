import { describe, expect, it } from 'vitest'
import type { ConsultationView } from '../shared/schemas/consult'
import { firstOpenDate, type Slot, slotDays, slotId, slotLabel } from './slots'
import {
  canFollowUp,
  canRate,
  chinaTime,
  excerpt,
  questionOf,
  RATING_CHOICES,
  speakerOf,
  statusLabel,
  topicLabel,
  waitingNote,
} from './thread'

const message = (from: 'resident' | 'staff', text: string, author: string | null = null) => ({
  at: '2026-11-23T02:05:00.000Z',
  from,
  author,
  text,
  links: [],
})

function view(change: Partial<ConsultationView> = {}): ConsultationView {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    station: { code: 'QD0001', name: '香港中路街道就享家服务站' },
    topic: 'loan',
    status: 'open',
    version: 1,
    createdAt: '2026-11-23T02:05:00.000Z',
    dueAt: '2026-11-24T02:05:00.000Z',
    overdue: false,
    messages: [message('resident', '创业担保贷款怎么申请？')],
    unread: false,
    rating: null,
    contact: 'in_app',
    mobile: null,
    ...change,
  }
}

describe('a consultation as the resident reads it', () => {
  it('offers the five 好差评 levels best first, with the national labels', () => {
    expect(RATING_CHOICES.map((choice) => `${choice.score}${choice.label}`)).toEqual([
      '5非常满意',
      '4满意',
      '3基本满意',
      '2不满意',
      '1非常不满意',
    ])
  })

  it('says who wrote each message: 我, or 工作人员 and their name', () => {
    expect(speakerOf(message('resident', '问'))).toBe('我')
    expect(speakerOf(message('staff', '答', '王芳'))).toBe('工作人员 王芳')
    expect(speakerOf(message('staff', '答'))).toBe('工作人员')
  })

  it('offers a rating once, and only after an answer', () => {
    expect(canRate(view())).toBe(false)
    expect(canRate(view({ status: 'answered' }))).toBe(true)
    expect(canRate(view({ status: 'closed' }))).toBe(true)
    expect(canRate(view({ status: 'answered', rating: { score: 4, label: '满意' } }))).toBe(false)
    expect(canRate(view({ status: 'reopened', rating: { score: 1, label: '非常不满意' } }))).toBe(false)
  })

  it('takes follow-ups until the case is closed', () => {
    expect(canFollowUp(view({ status: 'answered' }))).toBe(true)
    expect(canFollowUp(view({ status: 'closed' }))).toBe(false)
  })

  it('tells a waiting resident when the answer is due, in China time', () => {
    expect(waitingNote(view())).toBe('服务点会在2026-11-24 10:05 前答复，答复会显示在这里。')
    expect(waitingNote(view({ contact: 'phone' }))).toContain('打电话答复您')
    expect(waitingNote(view({ status: 'answered' }))).toBeNull()
  })

  it('labels statuses, topics and times in plain Chinese', () => {
    expect(statusLabel('reopened')).toBe('差评待复核')
    expect(topicLabel('social_insurance')).toBe('社保')
    expect(topicLabel('unknown')).toBe('unknown')
    expect(chinaTime('2026-11-23T16:30:00.000Z')).toBe('2026-11-24 00:30')
    expect(excerpt('一二三四五', 3)).toBe('一二三…')
    expect(questionOf(view())).toBe('创业担保贷款怎么申请？')
  })
})

describe('the appointment picker', () => {
  const slot = (date: string, start: string, available: number): Slot => ({
    date,
    start,
    end: `${String(Number(start.slice(0, 2)) + 1).padStart(2, '0')}:00`,
    capacity: 3,
    booked: 3 - available,
    available,
  })

  it('groups slots by date in order, each date knowing the seats left', () => {
    const days = slotDays([
      slot('2026-11-24', '14:00', 2),
      slot('2026-11-24', '09:00', 0),
      slot('2026-11-25', '09:00', 3),
    ])
    expect(days.map((day) => [day.date, day.label, day.available])).toEqual([
      ['2026-11-24', '11月24日 周二', 2],
      ['2026-11-25', '11月25日 周三', 3],
    ])
    expect(days[0]?.slots.map((item) => item.start)).toEqual(['09:00', '14:00'])
  })

  it('opens on the first date with a seat left', () => {
    const days = slotDays([slot('2026-11-24', '09:00', 0), slot('2026-11-25', '09:00', 1)])
    expect(firstOpenDate(days)).toBe('2026-11-25')
    expect(firstOpenDate(slotDays([slot('2026-11-24', '09:00', 0)]))).toBe('2026-11-24')
    expect(firstOpenDate([])).toBeNull()
  })

  it('says how many seats are left, or that the slot is full', () => {
    expect(slotLabel(slot('2026-11-24', '09:00', 2))).toBe('09:00–10:00 · 余 2 个')
    expect(slotLabel(slot('2026-11-24', '09:00', 0))).toBe('09:00–10:00 · 已约满')
    expect(slotId('2026-11-24', '09:00')).toBe('slot-2026-11-24-0900')
  })
})
