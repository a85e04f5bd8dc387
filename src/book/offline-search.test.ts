import { describe, expect, it } from 'vitest'
import { SAMPLE_BOOK } from '../services/pocketbook.fixture'
import { indexBuildCount, searchCopy } from './offline-search'

const copy = { etag: 'e1', entries: SAMPLE_BOOK, checkedAt: '' }
const ids = (hits: ReturnType<typeof searchCopy>) => hits.map((hit) => hit.entry.id)

describe('searching the pocket-book on the device', () => {
  it('finds what residents ask for in their own words', () => {
    expect(ids(searchCopy(copy, '返乡 创业 补贴'))[0]).toBe('cq-returnee-subsidy')
    expect(ids(searchCopy(copy, '我想借钱'))[0]).toBe('national-guarantee-loan')
    expect(ids(searchCopy(copy, '房租'))[0]).toBe('qd-venue-subsidy')
    expect(ids(searchCopy(copy, '社保怎么领'))[0]).toBe('national-social-insurance')
    expect(searchCopy(copy, '怎么')).toEqual([])
  })

  it('builds the index once per copy, and again only for a new copy', () => {
    const session = { etag: 'session-1', entries: SAMPLE_BOOK, checkedAt: '' }
    const before = indexBuildCount()
    searchCopy(session, '补贴')
    searchCopy(session, '贷款')
    searchCopy({ ...session }, '场地')
    const afterSame = indexBuildCount()
    expect(afterSame - before).toBe(1)
    const changed = { etag: 'e2', entries: SAMPLE_BOOK.slice(0, 2), checkedAt: '' }
    expect(ids(searchCopy(changed, '场地'))).not.toContain('qd-venue-subsidy')
    expect(indexBuildCount()).toBe(afterSame + 1)
  })

  it('applies the filters after ranking, as the API does', () => {
    expect(ids(searchCopy(copy, '补贴', { region: '370212' }))).not.toContain('cq-returnee-subsidy')
    expect(ids(searchCopy(copy, '补贴', { region: '500103' }))).toContain('cq-returnee-subsidy')
    expect(ids(searchCopy(copy, '贷款', { category: 'subsidy' }))).not.toContain('national-guarantee-loan')
    expect(searchCopy(copy, '补贴', {}, 1)).toHaveLength(1)
  })
})
