import { describe, expect, it } from 'vitest'
import { benefitAmount, byVerdict, citation, dateText, quantityText, yuanText } from './format'

describe('amounts as residents read them', () => {
  it('writes money in 万 from 10,000 up, with separators below', () => {
    expect(yuanText(5000)).toBe('5,000 元')
    expect(yuanText(800)).toBe('800 元')
    expect(yuanText(500_000)).toBe('50 万元')
    expect(yuanText(15_000)).toBe('1.5 万元')
    expect(yuanText(4_000_000)).toBe('400 万元')
    expect(yuanText(12_345)).toBe('12,345 元')
    expect(yuanText(1234.5)).toBe('1,234.5 元')
  })

  it('says what kind of amount it is', () => {
    expect(benefitAmount({ label: '一次性创业补贴', kind: 'fixed', amount: 5000, unit: '元' })).toBe(
      '一次性 5,000 元',
    )
    expect(benefitAmount({ label: '个人贷款额度', kind: 'up_to', amount: 500_000, unit: '元' })).toBe(
      '最高 50 万元',
    )
    expect(benefitAmount({ label: '贴息', kind: 'percentage', amount: 50, unit: '%' })).toBe('50%')
    expect(benefitAmount({ label: '贴息', kind: 'percentage', amount: 50 })).toBe('50%')
    expect(benefitAmount({ label: '社保补贴', kind: 'per_person_month', amount: 500 })).toBe(
      '每人每月 500 元',
    )
    expect(benefitAmount({ label: '免费培训', kind: 'up_to', amount: 3, unit: '人次' })).toBe('最高 3 人次')
    expect(benefitAmount({ label: '场地免租', kind: 'up_to', amount: 6, unit: '月' })).toBe('最高 6 个月')
  })

  it('shows a text benefit as its note, or its label when it has none', () => {
    expect(benefitAmount({ label: '导师辅导', kind: 'text', note: '免费一对一陪跑' })).toBe('免费一对一陪跑')
    expect(benefitAmount({ label: '免费开业指导', kind: 'text' })).toBe('免费开业指导')
    expect(benefitAmount({ label: '按实际核定', kind: 'up_to' })).toBe('按实际核定')
    expect(quantityText(2, '人次')).toBe('2 人次')
  })
})

describe('dates, sources and verdicts', () => {
  it('writes a source date at the precision it has', () => {
    expect(dateText('2025-02-26')).toBe('2025年2月26日')
    expect(dateText('2025-06')).toBe('2025年6月')
    expect(dateText('2025')).toBe('2025年')
  })

  it('cites a source in one line, leaving out a missing 文号', () => {
    const source = {
      title: '青岛市“创业陪跑”行动',
      documentNumber: null,
      issuer: '青岛市人力资源和社会保障局等5部门',
      date: '2025-06-04',
      clause: '三、（二）',
      seedFile: null,
    }
    expect(citation(source)).toBe(
      '《青岛市“创业陪跑”行动》 青岛市人力资源和社会保障局等5部门 2025年6月4日 三、（二）',
    )
  })

  it('lists 符合 first, then 可能符合, then 不符合, keeping the server’s order within each', () => {
    const items = [
      { id: 'a', verdict: 'not_met' as const },
      { id: 'b', verdict: 'unknown' as const },
      { id: 'c', verdict: 'met' as const },
      { id: 'd', verdict: 'unknown' as const },
      { id: 'e', verdict: 'met' as const },
    ]
    expect(byVerdict(items).map((item) => item.id)).toEqual(['c', 'e', 'b', 'd', 'a'])
  })
})
