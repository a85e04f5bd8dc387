import { BUSINESS_STATUSES, TARGET_GROUPS } from './catalog'
import { ancestorsOf } from './regions'
import {
  type Condition,
  evaluate,
  type LeafResult,
  NATIONAL,
  type ParameterValue,
  type Verdict,
} from './rules/engine'
import type { Benefit, MatcherAnswers, MatchResult, PolicyContent } from './schemas/policy'

/**
 * The policy matcher (政策计算器): every published entry that applies where the resident lives,
 * its rules evaluated against their answers by the same engine as the loan pre-check. Unanswered
 * questions leave conditions unknown ("可能符合"), never "not met".
 */
export type MatchableEntry = { id: string } & Pick<
  PolicyContent,
  | 'title'
  | 'category'
  | 'regions'
  | 'groups'
  | 'benefits'
  | 'conditions'
  | 'source'
  | 'effectiveFrom'
  | 'effectiveUntil'
>

/** Whether an entry covers a place: national, or the place or one of its parents. */
export function coversRegion(entry: Pick<PolicyContent, 'regions'>, region: string): boolean {
  if (entry.regions.includes(NATIONAL)) return true
  const chain = ancestorsOf(region)
  return entry.regions.some((code) => chain.includes(code))
}

function inForce(entry: MatchableEntry, day: string): boolean {
  return (
    (!entry.effectiveFrom || entry.effectiveFrom <= day) &&
    (!entry.effectiveUntil || day <= entry.effectiveUntil)
  )
}

const money = (yuan: number) =>
  yuan >= 10_000 ? `${Number((yuan / 10_000).toFixed(2))} 万元` : `${yuan.toLocaleString('zh-CN')} 元`

/** A benefit's amount in words, when it has one: "一次性 5000 元", "最高 50 万元", "50%". */
export function amountText(benefit: Benefit): string | null {
  if (benefit.amount === undefined) return null
  const value =
    benefit.unit === '%'
      ? `${benefit.amount}%`
      : benefit.unit === '元' || !benefit.unit
        ? money(benefit.amount)
        : `${benefit.amount} ${benefit.unit}`
  switch (benefit.kind) {
    case 'fixed':
      return `${benefit.label}：${value}`
    case 'up_to':
      return `${benefit.label}：最高 ${value}`
    case 'percentage':
      return `${benefit.label}：${value}`
    case 'per_person_month':
      return `${benefit.label}：每人每月 ${value}`
    default:
      return null
  }
}

/** Reasons name groups and business statuses in words (高校毕业生), not by id. */
const LABELS: Readonly<Record<string, string>> = { ...TARGET_GROUPS, ...BUSINESS_STATUSES }

const ORDER: Record<Verdict, number> = { met: 0, unknown: 1, not_met: 2 }

export function matchPolicies(
  entries: readonly MatchableEntry[],
  answers: MatcherAnswers,
  day: string,
  parameters: readonly ParameterValue[] = [],
): MatchResult {
  const facts = { ...answers }
  const items = entries
    .filter((entry) => coversRegion(entry, answers.region) && inForce(entry, day))
    .map((entry) => {
      const rules = entry.conditions.rules as Condition | null
      const evaluation = rules
        ? evaluate(rules, facts, { parameters, day, labels: LABELS })
        : { verdict: 'met' as Verdict, conditions: [] as LeafResult[] }
      return {
        id: entry.id,
        title: entry.title,
        category: entry.category,
        verdict: evaluation.verdict,
        conditions: evaluation.conditions.map(({ id, label, verdict, reason }) => ({
          id,
          label,
          verdict,
          reason,
        })),
        amounts: entry.benefits.map(amountText).filter((text): text is string => text !== null),
        source: {
          title: entry.source.title,
          documentNumber: entry.source.documentNumber,
          clause: entry.source.clause,
        },
      }
    })
  items.sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict] || a.id.localeCompare(b.id))
  return { items }
}
