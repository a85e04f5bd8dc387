import { describe, expect, it } from 'vitest'
import {
  clearDraft,
  type DraftStorage,
  draftKey,
  editDraft,
  emptyDraft,
  goToStep,
  loadDraft,
  markSent,
  progressLabel,
  reviveDraft,
  saveDraft,
} from './draft'

/** Device storage as Taro's sync API behaves: values are copied in and out (JSON). */
function memoryStorage() {
  const data = new Map<string, string>()
  const storage: DraftStorage = {
    get: (key) => (data.has(key) ? JSON.parse(data.get(key) ?? 'null') : ''),
    set: (key, value) => data.set(key, JSON.stringify(value)),
    remove: (key) => data.delete(key),
  }
  return { storage, data }
}

let counter = 0
const nextKey = () => `key-${++counter}`

describe('the intake draft on the device', () => {
  it('comes back exactly as saved, one draft per station', () => {
    const { storage } = memoryStorage()
    const a = editDraft(
      emptyDraft('CQ0001', 'key-a'),
      (d) => ({ ...d, groups: ['graduate'], contact: { ...d.contact, mobile: '13800138000' } }),
      nextKey,
    )
    const b = goToStep(emptyDraft('QD0001', 'key-b'), 3)
    saveDraft(storage, a)
    saveDraft(storage, b)
    expect(loadDraft(storage, 'CQ0001')).toEqual(a)
    expect(loadDraft(storage, 'qd0001')).toEqual(b)
    expect(loadDraft(storage, 'QD0002')).toBeNull()
  })

  it('is cleared for its station only', () => {
    const { storage, data } = memoryStorage()
    saveDraft(storage, emptyDraft('CQ0001', 'k1'))
    saveDraft(storage, emptyDraft('CQ0002', 'k2'))
    clearDraft(storage, 'CQ0001')
    expect(loadDraft(storage, 'CQ0001')).toBeNull()
    expect(loadDraft(storage, 'CQ0002')?.key).toBe('k2')
    expect([...data.keys()]).toEqual([draftKey('CQ0002')])
  })

  it('survives storage that throws: loading answers null, saving answers false', () => {
    const broken: DraftStorage = {
      get: () => {
        throw new Error('storage unavailable')
      },
      set: () => {
        throw new Error('quota exceeded')
      },
      remove: () => {
        throw new Error('storage unavailable')
      },
    }
    expect(loadDraft(broken, 'CQ0001')).toBeNull()
    expect(saveDraft(broken, emptyDraft('CQ0001', 'k'))).toBe(false)
    expect(() => clearDraft(broken, 'CQ0001')).not.toThrow()
  })

  it('ignores what is not a draft of ours, and empties mistyped fields instead of trusting them', () => {
    expect(reviveDraft(null, 'CQ0001')).toBeNull()
    expect(reviveDraft({ v: 2, station: 'CQ0001', key: 'k' }, 'CQ0001')).toBeNull()
    expect(reviveDraft({ v: 1, station: 'CQ0002', key: 'k' }, 'CQ0001')).toBeNull()
    expect(reviveDraft({ v: 1, station: 'CQ0001' }, 'CQ0001')).toBeNull()
    const revived = reviveDraft(
      {
        v: 1,
        station: 'CQ0001',
        key: 'k',
        step: 9,
        groups: ['graduate', 7],
        business: { status: 'individual', employees: 3 },
        loan: { amountWan: '20', otherLoans: 'no' },
        contact: 'x',
        consent: { sensitive: 'yes' },
      },
      'CQ0001',
    )
    expect(revived).toMatchObject({
      step: 0,
      groups: ['graduate'],
      business: { status: 'individual', employees: '' },
      loan: { amountWan: '20', otherLoans: null },
      contact: { name: '', idNumber: '', mobile: '' },
      consent: { sensitive: false },
    })
  })

  it('keeps the idempotency key across moves and edits until a submit goes out', () => {
    let draft = emptyDraft('CQ0001', 'first')
    draft = goToStep(draft, 2)
    draft = editDraft(draft, (d) => ({ ...d, loan: { ...d.loan, amountWan: '20' } }), nextKey)
    expect(draft.key).toBe('first')
    // A double tap marks the same key twice: both sends carry it.
    const sent = markSent(markSent(draft))
    expect(sent.key).toBe('first')
    expect(sent.keySent).toBe(true)
    // Retrying after a lost answer is not an edit: same key, so the server replays its answer.
    expect(goToStep(sent, 5).key).toBe('first')
  })

  it('takes a new key when the answers change after a submit went out', () => {
    const sent = markSent(emptyDraft('CQ0001', 'first'))
    const edited = editDraft(
      sent,
      (d) => ({ ...d, loan: { ...d.loan, amountWan: '30' } }),
      () => 'second',
    )
    expect(edited).toMatchObject({ key: 'second', keySent: false, loan: { amountWan: '30' } })
  })

  it('moves between the six steps without leaving them', () => {
    const draft = emptyDraft('CQ0001', 'k')
    expect(goToStep(draft, -1).step).toBe(0)
    expect(goToStep(draft, 5).step).toBe(5)
    expect(goToStep(draft, 6).step).toBe(5)
    expect(goToStep(draft, 0)).toBe(draft)
    expect(progressLabel(1)).toBe('第 2 步，共 6 步')
    expect(progressLabel(5)).toBe('第 6 步，共 6 步')
  })
})
