import { describe, expect, it } from 'vitest'
import { CANNED_ANSWERS } from '../shared/schemas/consult'
import {
  buildReply,
  dueOf,
  filterLabel,
  MAX_LINKS,
  questionExcerpt,
  staffSpeaker,
  toggleLink,
  transferTargets,
} from './consult-view'

const NOW = Date.parse('2026-11-23T02:00:00Z')

describe('the staff view of a consultation', () => {
  it('counts the hours left to answer, and says 已超时 once they are gone', () => {
    const waiting = { status: 'open' as const, dueAt: '2026-11-24T01:30:00Z', overdue: false }
    expect(dueOf(waiting, NOW)).toEqual({ tone: 'due', text: '24 小时内答复' })
    expect(dueOf({ ...waiting, dueAt: '2026-11-23T01:59:00Z' }, NOW)).toEqual({
      tone: 'overdue',
      text: '已超时',
    })
    expect(dueOf({ ...waiting, overdue: true }, NOW)).toEqual({ tone: 'overdue', text: '已超时' })
    expect(dueOf({ ...waiting, status: 'reopened' }, NOW)?.tone).toBe('due')
    expect(dueOf({ status: 'answered', dueAt: null, overdue: false }, NOW)).toBeNull()
  })

  it('names the resident 居民 and colleagues by name', () => {
    const at = '2026-11-23T02:00:00Z'
    expect(staffSpeaker({ at, from: 'resident', author: null, text: '', links: [] })).toBe('居民')
    expect(staffSpeaker({ at, from: 'staff', author: '王芳', text: '', links: [] })).toBe('王芳')
    expect(filterLabel('all')).toBe('全部')
    expect(filterLabel('open')).toBe('待答复')
  })

  it('shows the question, not a later follow-up, in the inbox row', () => {
    const messages = [
      { at: '', from: 'resident' as const, author: null, text: '  我想问\n社保补贴 ', links: [] },
      { at: '', from: 'resident' as const, author: null, text: '追问', links: [] },
    ]
    expect(questionExcerpt({ messages })).toBe('我想问 社保补贴')
  })

  it('attaches at most five entries, each once, and takes one off again', () => {
    let links: string[] = []
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']) links = toggleLink(links, id)
    expect(links).toHaveLength(MAX_LINKS)
    expect(links).not.toContain('a6')
    expect(toggleLink(links, 'a3')).toEqual(['a1', 'a2', 'a4', 'a5'])
  })

  it('hands a case only to another active station that takes questions', () => {
    const stations = [
      { code: 'QD0001', services: ['consult'], status: 'active' },
      { code: 'QD0002', services: ['consult', 'intake'], status: 'active' },
      { code: 'QD0003', services: ['intake'], status: 'active' },
      { code: 'QD0004', services: ['consult'], status: 'suspended' },
    ]
    expect(transferTargets(stations, 'QD0001').map((station) => station.code)).toEqual(['QD0002'])
  })

  it('checks a reply with the shared schema: a canned answer goes out as is, an empty one does not', () => {
    const canned = CANNED_ANSWERS[0]?.text ?? ''
    expect(buildReply({ version: 3 }, canned, ['loan-guarantee'], true)).toEqual({
      ok: true,
      body: { version: 3, text: canned, links: ['loan-guarantee'], close: true },
    })
    expect(buildReply({ version: 3 }, ' ', [], false)).toEqual({
      ok: false,
      errors: { text: ['答复至少 2 个字'] },
    })
  })
})
