import { describe, expect, it } from 'vitest'
import {
  type AskDraft,
  askDraftKey,
  buildAsk,
  counterLabel,
  type DraftStorage,
  emptyAskDraft,
  loadAskDraft,
  reviveAskDraft,
  saveAskDraft,
  suggestionQuery,
  TEXT_MAX,
} from './ask-form'

function memory(): DraftStorage & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>()
  return {
    data,
    get: (key) => data.get(key),
    set: (key, value) => data.set(key, value),
    remove: (key) => data.delete(key),
  }
}

const filled = (change: Partial<AskDraft> = {}): AskDraft => ({
  ...emptyAskDraft('QD0001'),
  topic: 'loan',
  text: '我是应届毕业生，想开奶茶店，能申请创业担保贷款吗？',
  ...change,
})

describe('the question form', () => {
  it('sends what the API takes: station, topic, trimmed text, in-app contact, no mobile', () => {
    const checked = buildAsk(filled({ text: '  创业补贴怎么领？  ', mobile: '13800138000' }), false)
    expect(checked).toEqual({
      ok: true,
      body: { station: 'QD0001', topic: 'loan', text: '创业补贴怎么领？', contact: 'in_app', notify: false },
    })
  })

  it('names every missing answer in Chinese, under its own field', () => {
    const checked = buildAsk(emptyAskDraft('QD0001'), false)
    expect(checked.ok).toBe(false)
    if (checked.ok) return
    expect(checked.errors.topic).toEqual(['请选择咨询的主题'])
    expect(checked.errors.text).toEqual(['问题至少 2 个字'])
  })

  it('asks for a mobile number only when the resident wants a call, and checks it', () => {
    const missing = buildAsk(filled({ contact: 'phone' }), false)
    expect(missing.ok ? null : missing.errors.mobile).toEqual(['选择电话回复时请填写手机号'])
    const wrong = buildAsk(filled({ contact: 'phone', mobile: '12345' }), false)
    expect(wrong.ok ? null : wrong.errors.mobile).toEqual(['请输入正确的11位手机号'])
    const right = buildAsk(filled({ contact: 'phone', mobile: '+86 138-0013-8000' }), true)
    expect(right.ok && right.body).toMatchObject({ contact: 'phone', mobile: '13800138000', notify: true })
  })

  it('refuses a question over 500 characters with the limit in the message', () => {
    const checked = buildAsk(filled({ text: '问'.repeat(TEXT_MAX + 1) }), false)
    expect(checked.ok ? null : checked.errors.text).toEqual(['问题最多 500 个字'])
    expect(counterLabel('问'.repeat(12))).toBe('12/500')
  })

  it('searches the pocket-book from two characters on, whitespace collapsed, within 50 characters', () => {
    expect(suggestionQuery('')).toBeNull()
    expect(suggestionQuery(' 贷 ')).toBeNull()
    expect(suggestionQuery('  创业\n 贷款 ')).toBe('创业 贷款')
    expect(suggestionQuery('补'.repeat(80))).toHaveLength(50)
  })

  it('keeps the draft per station on the device, but never the mobile number', () => {
    const storage = memory()
    saveAskDraft(storage, filled({ contact: 'phone', mobile: '13800138000' }))
    const stored = JSON.stringify(storage.data.get(askDraftKey('QD0001')))
    expect(stored).not.toContain('13800138000')
    expect(loadAskDraft(storage, 'qd0001')).toMatchObject({ topic: 'loan', contact: 'phone', mobile: '' })
    expect(loadAskDraft(storage, 'QD0002')).toBeNull()
    saveAskDraft(storage, emptyAskDraft('QD0001'))
    expect(storage.data.size).toBe(0)
  })

  it('revives only what it recognises from storage', () => {
    expect(reviveAskDraft('garbage', 'QD0001')).toBeNull()
    expect(
      reviveAskDraft(
        { v: 1, station: 'QD0001', topic: 'nonsense', text: '问一下', contact: 'fax' },
        'QD0001',
      ),
    ).toEqual({ v: 1, station: 'QD0001', topic: '', text: '问一下', contact: 'in_app', mobile: '' })
    const throwing: DraftStorage = {
      get: () => {
        throw new Error('denied')
      },
      set: () => {},
      remove: () => {},
    }
    expect(loadAskDraft(throwing, 'QD0001')).toBeNull()
  })
})
