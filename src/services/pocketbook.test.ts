import { describe, expect, it } from 'vitest'
import type { PolicyEntry } from '../shared/schemas/policy'
import {
  chinaTime,
  concernsRegion,
  filterEntries,
  type KeyValueStorage,
  offlineNote,
  POCKETBOOK_KEY,
  type PocketbookAnswer,
  readCopy,
  refreshCopy,
  regionChain,
  reviveCopy,
  revivePlace,
  sourceLine,
  writeCopy,
} from './pocketbook'
import { sampleEntry as entry } from './pocketbook.fixture'

/** Device storage as Taro's sync API behaves: values are copied in and out (JSON). */
function memoryStorage() {
  const data = new Map<string, string>()
  const storage: KeyValueStorage = {
    get: (key) => (data.has(key) ? JSON.parse(data.get(key) ?? 'null') : ''),
    set: (key, value) => data.set(key, JSON.stringify(value)),
  }
  return { storage, data }
}

const NOW = new Date('2026-05-01T01:30:00.000Z')

describe('the pocket-book copy on the device', () => {
  it('comes back as written, under a versioned key', () => {
    const { storage, data } = memoryStorage()
    const copy = { etag: 'e1', entries: [entry('a-one'), entry('b-two')], checkedAt: NOW.toISOString() }
    expect(writeCopy(storage, copy)).toBe(true)
    expect([...data.keys()]).toEqual([POCKETBOOK_KEY])
    expect(POCKETBOOK_KEY).toMatch(/\.v\d+$/)
    expect(readCopy(storage)).toEqual(copy)
  })

  it('reads nothing from an empty, foreign or broken store, and drops damaged entries', () => {
    expect(readCopy(memoryStorage().storage)).toBeNull()
    expect(reviveCopy({ v: 2, etag: 'e', entries: [] })).toBeNull()
    expect(reviveCopy({ v: 1, etag: 'e' })).toBeNull()
    expect(reviveCopy({ v: 1, etag: 'e', entries: [entry('good'), { id: 'bad' }, null] })?.entries).toEqual([
      entry('good'),
    ])
    const broken: KeyValueStorage = {
      get: () => {
        throw new Error('unavailable')
      },
      set: () => {
        throw new Error('quota exceeded')
      },
    }
    expect(readCopy(broken)).toBeNull()
    expect(writeCopy(broken, { etag: 'e', entries: [], checkedAt: '' })).toBe(false)
  })

  it('downloads the whole book the first time, asking without an etag', async () => {
    const { storage } = memoryStorage()
    const asked: (string | undefined)[] = []
    const result = await refreshCopy(
      storage,
      null,
      async (have) => {
        asked.push(have)
        return { etag: 'e1', entries: [entry('a-one')] }
      },
      NOW,
    )
    expect(asked).toEqual([undefined])
    expect(result.status).toBe('updated')
    expect(readCopy(storage)).toEqual({ etag: 'e1', entries: [entry('a-one')], checkedAt: NOW.toISOString() })
  })

  it('keeps the copy when the server says it is current, and notes when that was', async () => {
    const { storage } = memoryStorage()
    const copy = { etag: 'e1', entries: [entry('a-one')], checkedAt: '2026-04-01T00:00:00.000Z' }
    writeCopy(storage, copy)
    const asked: (string | undefined)[] = []
    const result = await refreshCopy(
      storage,
      copy,
      async (have) => {
        asked.push(have)
        return { etag: 'e1', entries: null }
      },
      NOW,
    )
    expect(asked).toEqual(['e1'])
    expect(result).toEqual({ status: 'current', copy: { ...copy, checkedAt: NOW.toISOString() } })
    expect(readCopy(storage)?.checkedAt).toBe(NOW.toISOString())
  })

  it('replaces the copy only when entries come back', async () => {
    const { storage } = memoryStorage()
    const old = { etag: 'e1', entries: [entry('a-one')], checkedAt: '' }
    writeCopy(storage, old)
    const result = await refreshCopy(
      storage,
      old,
      async () => ({ etag: 'e2', entries: [entry('c-three')] }),
      NOW,
    )
    expect(result.status).toBe('updated')
    expect(readCopy(storage)?.etag).toBe('e2')
    expect(readCopy(storage)?.entries.map((item) => item.id)).toEqual(['c-three'])
  })

  it('asks for the whole book when told “nothing new” for an etag it does not hold', async () => {
    const { storage } = memoryStorage()
    const answers: PocketbookAnswer[] = [
      { etag: 'e9', entries: null },
      { etag: 'e9', entries: [entry('a-one')] },
    ]
    const asked: (string | undefined)[] = []
    const old = { etag: 'e1', entries: [], checkedAt: '' }
    const result = await refreshCopy(
      storage,
      old,
      async (have) => {
        asked.push(have)
        return answers.shift() as PocketbookAnswer
      },
      NOW,
    )
    expect(asked).toEqual(['e1', undefined])
    expect(result.status).toBe('updated')
    expect(readCopy(storage)?.etag).toBe('e9')
  })

  it('keeps the stored copy untouched with no network, and says so', async () => {
    const { storage, data } = memoryStorage()
    const copy = { etag: 'e1', entries: [entry('a-one')], checkedAt: '2026-04-30T12:05:00.000Z' }
    writeCopy(storage, copy)
    const before = data.get(POCKETBOOK_KEY)
    const offline = new Error('网络连接不稳定')
    const result = await refreshCopy(
      storage,
      copy,
      async () => {
        throw offline
      },
      NOW,
    )
    expect(result).toEqual({ status: 'offline', copy, error: offline })
    expect(data.get(POCKETBOOK_KEY)).toBe(before)
    expect(offlineNote(copy)).toBe('离线内容（更新于 2026-04-30 20:05）')
  })

  it('answers offline with no copy at all when there is neither network nor a stored book', async () => {
    const { storage, data } = memoryStorage()
    const result = await refreshCopy(storage, null, () => Promise.reject(new Error('offline')), NOW)
    expect(result.status).toBe('offline')
    expect(result.copy).toBeNull()
    expect(data.size).toBe(0)
  })

  it('writes times in China time whatever the device zone is', () => {
    expect(chinaTime('2026-12-31T16:30:00.000Z')).toBe('2027-01-01 00:30')
    expect(chinaTime('not a date')).toBe('')
    expect(offlineNote({ etag: 'e', entries: [], checkedAt: '' })).toBe('离线内容')
  })
})

describe('filtering the list', () => {
  const national = entry('national', { regions: ['000000'] })
  const qingdao = entry('qingdao', { regions: ['370200'], groups: ['graduate'], category: 'loan' })
  const laoshan = entry('laoshan', { regions: ['370212'] })
  const chongqing = entry('chongqing', { regions: ['500000'], groups: ['veteran'] })
  const all = [national, qingdao, laoshan, chongqing]
  const ids = (list: PolicyEntry[]) => list.map((item) => item.id)

  it('reads the region chain from the code’s own digits', () => {
    expect(regionChain('370212')).toEqual(['370212', '370200', '370000'])
    expect(regionChain('370200')).toEqual(['370200', '370000'])
    expect(regionChain('500103')).toEqual(['500103', '500100', '500000'])
    expect(regionChain('000000')).toEqual(['000000'])
  })

  it('shows a resident of a district the national, city and district entries, not other cities’', () => {
    expect(ids(filterEntries(all, { region: '370212' }))).toEqual(['national', 'qingdao', 'laoshan'])
    expect(ids(filterEntries(all, { region: '370203' }))).toEqual(['national', 'qingdao'])
    expect(ids(filterEntries(all, { region: '500103' }))).toEqual(['national', 'chongqing'])
    // A city-wide choice includes its districts' entries.
    expect(concernsRegion(['370212'], '370200')).toBe(true)
  })

  it('treats an entry naming no group as open to everyone, and combines filters', () => {
    expect(ids(filterEntries(all, { group: 'graduate' }))).toEqual(['national', 'qingdao', 'laoshan'])
    expect(ids(filterEntries(all, { group: 'veteran', region: '500000' }))).toEqual(['national', 'chongqing'])
    expect(ids(filterEntries(all, { category: 'loan' }))).toEqual(['qingdao'])
    expect(ids(filterEntries(all, {}))).toEqual(ids(all))
  })

  it('writes the source line with the title in book-title marks, the number and the clause', () => {
    expect(sourceLine(national.source)).toBe(
      '《关于健全创业支持体系提升创业质量的意见》 人社部发〔2025〕5号 第三条',
    )
    expect(sourceLine({ title: '创业陪跑', documentNumber: null, clause: '二' })).toBe('《创业陪跑》 二')
  })

  it('keeps the chosen station’s place only when it has a six-digit region', () => {
    expect(revivePlace({ code: 'QD0003', regionCode: '370212', districtName: '崂山区' })).toEqual({
      code: 'QD0003',
      regionCode: '370212',
      districtName: '崂山区',
    })
    expect(revivePlace({ code: 'QD0003', regionCode: '3702' })).toBeNull()
    expect(revivePlace('QD0003')).toBeNull()
  })
})
