import { describe, expect, it } from 'vitest'
import { sampleEntry } from '../services/pocketbook.fixture'
import type { Me } from '../shared/schemas/auth'
import {
  checkNewId,
  contentOf,
  EMPTY_POLICY_FORM,
  errorsUnder,
  fieldLabel,
  formValuesOf,
  isDirty,
  lines,
  regionOptionsFor,
  words,
} from './policy-form'

const entry = sampleEntry('qd-venue-subsidy', {
  title: '创业场地租金补贴',
  summary: '在孵化基地或创业园区租用场地的初创企业，可申请场租补贴。',
  category: 'incubation',
  regions: ['370200'],
  groups: ['graduate'],
  benefits: [
    { label: '场地租金补贴', kind: 'percentage', amount: 50, unit: '%', note: '最长 2 年' },
    { label: '免费导师辅导', kind: 'text', note: '创业导师一对一陪跑' },
  ],
  conditions: {
    rules: {
      id: 'venue.registered',
      fact: 'businessStatus',
      op: 'in',
      value: ['individual', 'micro'],
      label: '已登记注册',
    },
    text: ['在青岛市登记注册', '入驻市级以上孵化基地'],
  },
  materials: ['营业执照', '租赁合同'],
  steps: ['向孵化基地提出申请', '区人社局审核'],
  applyAt: ['QD0001'],
  applyNote: '也可在区人社局窗口办理',
  localNote: '具体比例以区人社局公布为准',
  effectiveFrom: '2025-06-04',
  keywords: ['房租', '场租'],
})
const { id: _id, version: _v, status: _s, updatedAt: _u, editor: _e, ...content } = entry

describe('the policy form', () => {
  it('turns an entry into form values and back without losing anything', () => {
    const values = formValuesOf(entry)
    expect(values.conditionsText).toBe('在青岛市登记注册\n入驻市级以上孵化基地')
    expect(values.keywords).toBe('房租 场租')
    expect(JSON.parse(values.rules)).toEqual(content.conditions.rules)
    expect(contentOf(values)).toEqual({ ok: true, content })
    expect(isDirty(values, entry)).toBe(false)
    expect(isDirty({ ...values, summary: `${values.summary}（已更新）` }, entry)).toBe(true)
  })

  it('reads lists one item a line and keywords by any usual separator', () => {
    expect(lines(' 营业执照 \n\n租赁合同\r\n')).toEqual(['营业执照', '租赁合同'])
    expect(words('大学生，个体户、 返乡 ,社保')).toEqual(['大学生', '个体户', '返乡', '社保'])
    const values = { ...formValuesOf(entry), applyAt: 'qd0001, qd0002' }
    const checked = contentOf(values)
    expect(checked.ok && checked.content.applyAt).toEqual(['QD0001', 'QD0002'])
  })

  it('refuses rules that are not JSON, or not a condition tree, on the rules box', () => {
    const notJson = contentOf({ ...formValuesOf(entry), rules: '{ fact: ' })
    expect(notJson.ok).toBe(false)
    expect(!notJson.ok && notJson.errors['conditions.rules']?.[0]).toMatch(/^条件规则不是有效的 JSON/)
    const notTree = contentOf({ ...formValuesOf(entry), rules: '{"fact":"region"}' })
    expect(!notTree.ok && Object.keys(notTree.errors)).toEqual(['conditions.rules'])
    const none = contentOf({ ...formValuesOf(entry), rules: '  ' })
    expect(none.ok && none.content.conditions.rules).toBeNull()
  })

  it('names each problem in Chinese on its own field', () => {
    const checked = contentOf({
      ...formValuesOf(entry),
      title: '短',
      sourceTitle: '',
      sourceDate: '2025年',
      benefits: [{ label: '补贴', kind: 'fixed', amount: '五千', unit: '元', note: '' }],
    })
    expect(checked.ok).toBe(false)
    if (checked.ok) return
    expect(checked.errors.title).toEqual(['标题至少 4 个字'])
    expect(checked.errors['source.title']).toEqual(['文件名称至少 2 个字'])
    expect(checked.errors['source.date']).toEqual(['日期格式应为 2025-02-26、2025-02 或 2025'])
    expect(checked.errors['benefits.0.amount']).toEqual(['金额请填数字'])
    expect(errorsUnder(checked.errors, 'benefits.0')).toEqual(['金额请填数字'])
  })

  it('asks for everything on an empty form, and checks a new entry’s number', () => {
    const checked = contentOf(EMPTY_POLICY_FORM)
    expect(checked.ok).toBe(false)
    if (checked.ok) return
    expect(Object.keys(checked.errors)).toEqual(
      expect.arrayContaining(['title', 'summary', 'category', 'regions', 'source.title', 'source.issuer']),
    )
    expect(checkNewId('qd-venue-2')).toEqual([])
    expect(checkNewId('QD 场地')).toEqual(['编号为 3–64 位小写字母、数字或 -'])
  })

  it('labels changed fields for 版本记录', () => {
    expect(fieldLabel('summary')).toBe('一句话摘要')
    expect(fieldLabel('source.clause')).toBe('条款')
    expect(fieldLabel('benefits.1.amount')).toBe('可以享受 第 2 项 金额')
    expect(fieldLabel('conditions.text.0')).toBe('申请条件 第 1 项')
    expect(fieldLabel('status')).toBe('状态')
    expect(fieldLabel('somethingNew')).toBe('somethingNew')
  })
})

describe('where an account may publish', () => {
  const me = (scope: Me['scope']): Me =>
    ({ id: 'a', role: 'official', roleName: '人社部门', displayName: '演示', scope, scopeName: '' }) as Me

  it('offers an official their city and its districts, and an administrator 全国 and every city', () => {
    const qingdao = regionOptionsFor(me({ type: 'region', code: '370200' })).map((option) => option.code)
    expect(qingdao[0]).toBe('370200')
    expect(qingdao).toContain('370212')
    expect(qingdao).not.toContain('500000')
    expect(qingdao).not.toContain('000000')
    const admin = regionOptionsFor(me({ type: 'all' }))
    expect(admin[0]).toEqual({ code: '000000', name: '全国' })
    expect(admin.map((option) => option.name)).toContain('重庆市')
    expect(regionOptionsFor(me({ type: 'none' }))).toEqual([])
  })
})
