import { describe, expect, it } from 'vitest'
import { POCKETBOOK_ENTRIES } from '../../api/_lib/pocketbook-data'
import { type MatchableEntry, matchPolicies } from '../../src/shared/matcher'
import { LOAN_PARAMETERS } from '../../src/shared/rules/loan'
import type { MatcherAnswers } from '../../src/shared/schemas/policy'

/** The policy matcher on the shipped pocket-book: personas and the entries they must (not) get. */
interface Persona {
  name: string
  answers: MatcherAnswers
  met: string[]
  notMet?: string[]
  /** Id prefixes of other provinces' entries that must not appear at all. */
  absent: string[]
}

const PERSONAS: Persona[] = [
  {
    name: '重庆应届大学生开个体店',
    answers: {
      region: '500103',
      groups: ['graduate'],
      businessStatus: 'individual',
      yearsSinceGraduation: 1,
    },
    met: ['cq-graduate-qihang', 'cq-one-off-subsidy'],
    absent: ['qd-', 'hlj-', 'ln-'],
  },
  {
    name: '重庆大学生不需要贷款',
    answers: { region: '500103', groups: ['graduate'], businessStatus: 'individual', wantsLoan: false },
    met: ['cq-graduate-qihang'],
    notMet: ['cq-guaranteed-loan', 'national-guaranteed-loan'],
    absent: ['qd-'],
  },
  {
    name: '重庆退役军人要贷款',
    answers: { region: '500105', groups: ['veteran'], businessStatus: 'individual', wantsLoan: true },
    met: ['cq-guaranteed-loan', 'national-guaranteed-loan', 'cq-help-points'],
    notMet: ['cq-graduate-qihang'],
    absent: ['hlj-'],
  },
  {
    name: '重庆小微企业要贷款',
    answers: { region: '500103', businessStatus: 'micro', employees: 20, newHires: 5, wantsLoan: true },
    met: ['cq-guaranteed-loan', 'national-stable-jobs-loan', 'cq-hiring-subsidy'],
    absent: ['ln-'],
  },
  {
    name: '重庆小微企业今年没招人',
    answers: { region: '500103', businessStatus: 'micro', employees: 20, newHires: 0, wantsLoan: true },
    met: ['cq-guaranteed-loan'],
    notMet: ['cq-hiring-subsidy'],
    absent: ['qd-'],
  },
  {
    name: '青岛返乡农民工还没登记',
    answers: { region: '370202', groups: ['migrant_returnee'], businessStatus: 'not_registered' },
    met: ['national-rural-returnee', 'qd-jiuxiangjia', 'qd-peipao'],
    absent: ['cq-', 'hlj-', 'ln-'],
  },
  {
    name: '青岛大学生小微企业要场地',
    answers: {
      region: '370202',
      groups: ['graduate'],
      businessStatus: 'micro',
      employees: 5,
      newHires: 2,
      hasVenueNeed: true,
    },
    met: ['qd-park-direct', 'national-social-insurance-subsidy'],
    absent: ['cq-'],
  },
  {
    name: '青岛创业失败过',
    answers: { region: '370202', failedBefore: true, businessStatus: 'individual' },
    met: ['national-restart', 'qd-second-incubation'],
    absent: ['cq-', 'hlj-'],
  },
  {
    name: '青岛不属于重点群体',
    answers: { region: '370202', groups: ['other'], businessStatus: 'individual' },
    met: ['qd-jiuxiangjia'],
    notMet: ['national-guaranteed-loan'],
    absent: ['cq-'],
  },
  {
    name: '哈尔滨创业失败过',
    answers: { region: '230102', failedBefore: true },
    met: ['hlj-failure-tolerance', 'national-restart'],
    absent: ['cq-', 'qd-', 'ln-'],
  },
  {
    name: '哈尔滨脱贫人口要贷款',
    answers: {
      region: '230102',
      groups: ['poverty_alleviated'],
      businessStatus: 'individual',
      wantsLoan: true,
    },
    met: ['hlj-guaranteed-loan', 'national-guaranteed-loan'],
    notMet: ['hlj-returnee'],
    absent: ['ln-'],
  },
  {
    name: '哈尔滨失业人员新开张',
    answers: {
      region: '230102',
      groups: ['registered_unemployed'],
      businessStatus: 'individual',
      businessAgeMonths: 6,
    },
    met: ['hlj-one-off-subsidy'],
    absent: ['cq-'],
  },
  {
    name: '沈阳就业困难人员要场地',
    answers: { region: '210102', groups: ['hardship'], businessStatus: 'individual', hasVenueNeed: true },
    met: ['ln-venue-subsidy', 'ln-hardship-projects', 'ln-free-venue'],
    absent: ['cq-', 'qd-', 'hlj-'],
  },
  {
    name: '沈阳残疾人要场地',
    answers: { region: '210102', groups: ['disabled'], businessStatus: 'not_registered', hasVenueNeed: true },
    met: ['ln-venue-subsidy'],
    notMet: ['ln-migrant-returnee'],
    absent: ['hlj-'],
  },
  {
    name: '只说了住在青岛崂山区',
    answers: { region: '370212' },
    met: ['qd-jiuxiangjia', 'national-mentor-pool'],
    absent: ['cq-', 'hlj-', 'ln-'],
  },
]

describe('the policy matcher (政策计算器)', () => {
  const entries: MatchableEntry[] = POCKETBOOK_ENTRIES.map((entry) => ({ ...entry }))

  it.each(PERSONAS.map((persona) => [persona.name, persona] as const))('%s', (_name, persona) => {
    const { items } = matchPolicies(entries, persona.answers, '2026-11-23', LOAN_PARAMETERS)
    const verdict = new Map(items.map((item) => [item.id, item.verdict]))
    for (const id of persona.met) expect(verdict.get(id), `${id} should be met`).toBe('met')
    for (const id of persona.notMet ?? []) expect(verdict.get(id), `${id} should not be met`).toBe('not_met')
    for (const prefix of persona.absent)
      expect(items.filter((item) => item.id.startsWith(prefix))).toEqual([])
    // Met first, then unknown, then not met; every condition has a reason.
    const order = items.map((item) => ({ met: 0, unknown: 1, not_met: 2 })[item.verdict])
    expect(order).toEqual([...order].sort((a, b) => a - b))
    for (const item of items)
      for (const condition of item.conditions) expect(condition.reason.length).toBeGreaterThan(2)
  })

  it('gives reasons in words, not ids', () => {
    const { items } = matchPolicies(entries, { region: '500103', groups: ['graduate'] }, '2026-11-23')
    const reasons = items.flatMap((item) => item.conditions.map((condition) => condition.reason)).join(' ')
    expect(reasons).not.toMatch(/graduate|migrant_returnee|not_registered/)
  })

  it('has at least 15 personas', () => {
    expect(PERSONAS.length).toBeGreaterThanOrEqual(15)
  })

  it('never says “not met” for a question left unanswered', () => {
    const { items } = matchPolicies(entries, { region: '370212' }, '2026-11-23', LOAN_PARAMETERS)
    expect(items.filter((item) => item.verdict === 'not_met')).toEqual([])
  })

  it('estimates amounts where the entry gives them (Chongqing’s loan caps)', () => {
    const { items } = matchPolicies(
      entries,
      { region: '500103', wantsLoan: true, groups: ['graduate'] },
      '2026-11-23',
    )
    const loan = items.find((item) => item.id === 'cq-guaranteed-loan')
    expect(loan?.amounts.join(' ')).toMatch(/50 万元/)
    expect(loan?.source.clause).toBeTruthy()
  })

  it('leaves out entries not yet or no longer in force', () => {
    const expired = entries.map((entry) =>
      entry.id === 'qd-jiuxiangjia' ? { ...entry, effectiveUntil: '2026-01-01' } : entry,
    )
    const { items } = matchPolicies(expired, { region: '370202' }, '2026-11-23')
    expect(items.map((item) => item.id)).not.toContain('qd-jiuxiangjia')
  })
})
