import { describe, expect, it } from 'vitest'
import {
  categoryName,
  correctionMark,
  type Feed,
  type FeedItem,
  feedQuery,
  markedRead,
  newestFirst,
  newsUrl,
} from './feed'

function item(id: string, overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    id,
    title: `推送 ${id}`,
    body: '正文',
    category: 'subsidy',
    links: [],
    target: { regions: ['500000'], stations: [], groups: [] },
    status: 'published',
    version: 1,
    publishAt: '2026-05-01T01:30:00.000Z',
    corrections: [],
    read: false,
    ...overrides,
  }
}

describe('the 消息 feed', () => {
  it('names categories in Chinese and leaves an unknown one as it came', () => {
    expect(categoryName('loan')).toBe('贷款')
    expect(categoryName('incubation')).toBe('场地孵化')
    expect(categoryName('lottery')).toBe('lottery')
  })

  it('marks a corrected announcement with the time of its latest correction, in Beijing time', () => {
    expect(correctionMark([])).toBeNull()
    expect(
      correctionMark([
        { at: '2026-05-02T01:00:00.000Z', note: '更正截止日期' },
        { at: '2026-05-03T14:05:00.000Z', note: '更正电话' },
        { at: '2026-05-02T09:00:00.000Z', note: '补充材料' },
      ]),
    ).toBe('已更正 · 2026-05-03 22:05')
    expect(correctionMark([{ at: 'not a time', note: '更正' }])).toBe('已更正')
  })

  it('asks for the chosen station, and asks nothing without one', () => {
    expect(feedQuery('CQ0001')).toEqual({ station: 'CQ0001' })
    expect(feedQuery(null)).toBeNull()
  })

  it('puts the newest first', () => {
    const items = [
      item('a', { publishAt: '2026-05-01T00:00:00.000Z' }),
      item('b', { publishAt: '2026-05-03T00:00:00.000Z' }),
      item('c', { publishAt: '2026-05-02T00:00:00.000Z' }),
    ]
    expect(newestFirst(items).map((entry) => entry.id)).toEqual(['b', 'c', 'a'])
  })

  it('counts an opened item as read once, without touching the others', () => {
    const feed: Feed = { items: [item('a'), item('b'), item('c', { read: true })], unread: 2 }
    const once = markedRead(feed, 'b')
    expect(once.unread).toBe(1)
    expect(once.items.map((entry) => entry.read)).toEqual([false, true, true])
    // Opening it again, or opening one already read, changes nothing.
    expect(markedRead(once, 'b')).toBe(once)
    expect(markedRead(once, 'c')).toBe(once)
    expect(markedRead(once, 'missing')).toBe(once)
  })

  it('links to the detail page in the news subpackage', () => {
    expect(newsUrl('0b6a0c9e-1c1d-4e8b-9b57-2f6f5c7d8e90')).toBe(
      '/news/pages/detail/index?id=0b6a0c9e-1c1d-4e8b-9b57-2f6f5c7d8e90',
    )
    expect(newsUrl('a&b')).toBe('/news/pages/detail/index?id=a%26b')
  })
})
