import { describe, expect, it } from 'vitest'
import { evaluate, resolveParameter } from './engine'
import { LOAN_PARAMETERS, precheckLoan } from './loan'

const verdictOf = (result: ReturnType<typeof precheckLoan>, id: string) =>
  result.conditions.find((condition) => condition.id === id)?.verdict

describe('the 创业担保贷款 pre-check', () => {
  const individual = {
    groups: ['graduate'],
    businessStatus: 'individual' as const,
    termMonths: 36,
    otherLoans: false,
  }

  it('uses Chongqing’s 50万元 cap from 渝人社规〔2025〕11号, and 30万元 elsewhere', () => {
    const chongqing = precheckLoan({ ...individual, region: '500103', amount: 450_000 }, '2026-11-23')
    expect(verdictOf(chongqing, 'loan.amount_within_cap')).toBe('met')
    expect(chongqing.verdict).toBe('met')
    const qingdao = precheckLoan({ ...individual, region: '370202', amount: 450_000 }, '2026-11-23')
    expect(verdictOf(qingdao, 'loan.amount_within_cap')).toBe('not_met')
    expect(qingdao.conditions.find((c) => c.id === 'loan.amount_within_cap')?.reason).toContain('30万元')
  })

  it('applies the parameters in force on the filing day', () => {
    // Before June 2025 Chongqing had no cap of its own in this table: the national 30万元 applied.
    const before = precheckLoan({ ...individual, region: '500103', amount: 450_000 }, '2025-05-31')
    expect(verdictOf(before, 'loan.amount_within_cap')).toBe('not_met')
    expect(resolveParameter(LOAN_PARAMETERS, 'loan.individual_cap', '370202', '2023-06-01')?.value).toBe(
      200_000,
    )
    expect(resolveParameter(LOAN_PARAMETERS, 'loan.micro_cap', '500106', '2026-01-01')?.value).toBe(6_000_000)
  })

  it('marks what it does not know as unknown, and never as not met', () => {
    const partial = precheckLoan(
      { region: '500103', businessStatus: 'individual', amount: 100_000 },
      '2026-11-23',
    )
    expect(verdictOf(partial, 'loan.target_group')).toBe('unknown')
    expect(verdictOf(partial, 'loan.no_other_loans')).toBe('unknown')
    expect(partial.verdict).toBe('unknown')
  })

  it('explains a group outside the target groups and a term beyond 3 years', () => {
    const result = precheckLoan(
      { ...individual, groups: ['other'], termMonths: 48, region: '370202', amount: 100_000 },
      '2026-11-23',
    )
    expect(verdictOf(result, 'loan.target_group')).toBe('not_met')
    expect(verdictOf(result, 'loan.term_within_limit')).toBe('not_met')
    expect(result.conditions.find((c) => c.id === 'loan.term_within_limit')?.reason).toContain('36个月')
  })

  it('asks a 小微企业 for new hires of 15 % (8 % above 100 staff) and its own cap and term', () => {
    const micro = { businessStatus: 'micro' as const, region: '370202', amount: 3_000_000, termMonths: 24 }
    const small = precheckLoan({ ...micro, employees: 20, newHires: 3 }, '2026-11-23')
    expect(verdictOf(small, 'loan.micro_hires')).toBe('met')
    expect(small.conditions.map((c) => c.id)).not.toContain('loan.target_group')
    const few = precheckLoan({ ...micro, employees: 20, newHires: 2 }, '2026-11-23')
    expect(verdictOf(few, 'loan.micro_hires')).toBe('not_met')
    const large = precheckLoan({ ...micro, employees: 200, newHires: 16 }, '2026-11-23')
    expect(verdictOf(large, 'loan.micro_hires_large')).toBe('met')
    expect(large.conditions.map((c) => c.id)).not.toContain('loan.micro_hires')
    const tooMuch = precheckLoan(
      { ...micro, employees: 20, newHires: 5, amount: 5_000_000, termMonths: 36 },
      '2026-11-23',
    )
    expect(verdictOf(tooMuch, 'loan.micro_amount_within_cap')).toBe('not_met')
    expect(verdictOf(tooMuch, 'loan.micro_term_within_limit')).toBe('not_met')
  })

  it('follows edited parameters without a code change', () => {
    const edited = [
      ...LOAN_PARAMETERS,
      {
        key: 'loan.individual_cap',
        region: '370200',
        from: '2026-01-01',
        value: 600_000,
        source: { title: '测试用参数', documentNumber: null, issuer: '测试', date: '2026-01-01' },
      },
    ]
    const result = precheckLoan({ ...individual, region: '370202', amount: 450_000 }, '2026-11-23', edited)
    expect(verdictOf(result, 'loan.amount_within_cap')).toBe('met')
  })

  it('combines any / all / when with three-valued logic', () => {
    const context = { parameters: [], day: '2026-11-23' }
    const any = {
      any: [
        { id: 'a', fact: 'x', op: 'eq' as const, value: 1, label: 'x 为 1' },
        { id: 'b', fact: 'y', op: 'eq' as const, value: 2, label: 'y 为 2' },
      ],
    }
    expect(evaluate(any, { x: 0 }, context).verdict).toBe('unknown')
    expect(evaluate(any, { x: 0, y: 2 }, context).verdict).toBe('met')
    expect(evaluate(any, { x: 0, y: 0 }, context).verdict).toBe('not_met')
    const missing = { id: 'p', fact: 'x', op: 'lte' as const, value: { param: 'nowhere' }, label: '有上限' }
    expect(evaluate(missing, { x: 1 }, context).conditions[0]?.verdict).toBe('unknown')
  })
})
