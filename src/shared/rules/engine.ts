import { ancestorsOf } from '../regions'

/**
 * Rules as data. A condition tree is evaluated against a resident's facts and answers, for every
 * leaf, met / not met / unknown with a plain-Chinese reason — it advises, it never decides.
 * Limits that differ by place and time (a loan cap of 30万元 nationally, 50万元 in Chongqing from
 * a given date) are *parameters*, looked up by region and date, each carrying its source.
 *
 * The same code runs on the device (the form's pre-check, the matcher) and on the server (stored
 * with an intake), so the two can never disagree. No Taro, no Node, no I/O.
 */

/** What a resident has told us. A missing fact makes the conditions that need it "unknown". */
export type FactValue = string | number | boolean | readonly string[]
export type Facts = Readonly<Record<string, FactValue | undefined>>

/** A value in a condition: a literal, or a parameter resolved by region and date. */
export type Operand = number | string | boolean | readonly string[] | { param: string }

export type Comparison = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'includesAny' | 'exists'

export interface Leaf {
  /** Stable id, e.g. `loan.amount_within_cap`: tests and answers refer to it. */
  id: string
  fact: string
  op: Comparison
  value?: Operand
  /** What the condition asks, in plain Chinese ("贷款金额不超过额度上限"). */
  label: string
  /** Shown when met / not met; `{value}` and `{fact}` are filled in (amounts in 万元 when `unit: 'yuan'`). */
  met?: string
  notMet?: string
  unit?: 'yuan' | 'month' | 'person'
}

export type Condition =
  | Leaf
  | { all: readonly Condition[]; label?: string }
  | { any: readonly Condition[]; label?: string }
  /** Only asked when `when` holds: "for a 小微企业, new hires ≥ 15 %". Otherwise it does not apply. */
  | { when: Condition; check: Condition }

export type Verdict = 'met' | 'not_met' | 'unknown'

export interface LeafResult {
  id: string
  label: string
  verdict: Verdict
  reason: string
  /** The source of the parameter the verdict rests on, when there is one. */
  source?: ParameterSource
}

export interface Evaluation {
  verdict: Verdict
  /** Every leaf that applied, in order; leaves under a `when` that does not hold are left out. */
  conditions: LeafResult[]
}

export interface ParameterSource {
  /** 文件名称 */
  title: string
  /** 文号, null when a figure is known by announcement only. */
  documentNumber: string | null
  issuer: string
  /** ISO date of issue. */
  date: string
  clause?: string
}

/** One dated, regional value of a parameter. `region` '000000' is national. */
export interface ParameterValue {
  key: string
  region: string
  /** ISO date from which it applies (inclusive). */
  from: string
  /** ISO date until which it applies (exclusive); open-ended when absent. */
  until?: string
  value: number | string
  source: ParameterSource
  /** Shown with the figure, e.g. "以当地经办机构公布为准". */
  note?: string
}

export const NATIONAL = '000000'

/**
 * The value of `key` for a place and a day: the most specific region among the place and its
 * ancestors (district → city → province → national) with a value in force on that day.
 */
export function resolveParameter(
  table: readonly ParameterValue[],
  key: string,
  region: string | undefined,
  day: string,
): ParameterValue | undefined {
  const chain = [...(region ? ancestorsOf(region) : []), NATIONAL]
  for (const place of chain) {
    const found = table.find(
      (entry) =>
        entry.key === key &&
        entry.region === place &&
        entry.from <= day &&
        (entry.until === undefined || day < entry.until),
    )
    if (found) return found
  }
  return undefined
}

export interface EvaluationContext {
  parameters: readonly ParameterValue[]
  /** ISO date the rules are evaluated for (the filing day). */
  day: string
  /** Labels for enumerated fact values (`graduate` → 高校毕业生), used in reasons. */
  labels?: Readonly<Record<string, string>>
}

function isLeaf(condition: Condition): condition is Leaf {
  return 'fact' in condition
}

function display(
  value: FactValue | number | string | undefined,
  unit: Leaf['unit'],
  labels?: Readonly<Record<string, string>>,
): string {
  if (value === undefined) return '未填写'
  if (Array.isArray(value)) return value.map((item) => labels?.[item] ?? item).join('、') || '无'
  if (typeof value === 'boolean') return value ? '是' : '否'
  if (typeof value === 'number') {
    if (unit === 'yuan') return value >= 10_000 ? `${Number((value / 10_000).toFixed(2))}万元` : `${value}元`
    if (unit === 'month') return `${value}个月`
    if (unit === 'person') return `${value}人`
    return String(value)
  }
  return labels?.[value as string] ?? String(value)
}

function compare(op: Comparison, actual: FactValue, expected: Operand | number | string): boolean {
  switch (op) {
    case 'eq':
      return actual === expected
    case 'ne':
      return actual !== expected
    case 'lt':
      return typeof actual === 'number' && typeof expected === 'number' && actual < expected
    case 'lte':
      return typeof actual === 'number' && typeof expected === 'number' && actual <= expected
    case 'gt':
      return typeof actual === 'number' && typeof expected === 'number' && actual > expected
    case 'gte':
      return typeof actual === 'number' && typeof expected === 'number' && actual >= expected
    case 'in':
      return Array.isArray(expected) && typeof actual === 'string' && expected.includes(actual)
    case 'includesAny':
      return (
        Array.isArray(expected) && Array.isArray(actual) && actual.some((item) => expected.includes(item))
      )
    case 'exists':
      return true
  }
}

function fill(template: string, actual: string, expected: string): string {
  return template.replaceAll('{fact}', actual).replaceAll('{value}', expected)
}

function evaluateLeaf(leaf: Leaf, facts: Facts, context: EvaluationContext): LeafResult {
  const actual = facts[leaf.fact]
  let expected: Operand | number | string | undefined = leaf.value
  let source: ParameterSource | undefined
  if (
    expected !== undefined &&
    typeof expected === 'object' &&
    !Array.isArray(expected) &&
    'param' in expected
  ) {
    const key = expected.param
    const parameter = resolveParameter(
      context.parameters,
      key,
      facts.region as string | undefined,
      context.day,
    )
    if (!parameter) {
      return {
        id: leaf.id,
        label: leaf.label,
        verdict: 'unknown',
        reason: '当地暂无这项标准，请咨询经办机构',
      }
    }
    expected = parameter.value
    source = parameter.source
  }
  const shownExpected = display(expected as FactValue | undefined, leaf.unit, context.labels)
  const base = { id: leaf.id, label: leaf.label, ...(source ? { source } : {}) }
  if (actual === undefined || (Array.isArray(actual) && actual.length === 0 && leaf.op === 'includesAny')) {
    return { ...base, verdict: 'unknown', reason: `还不知道：${leaf.label}` }
  }
  const shownActual = display(actual, leaf.unit, context.labels)
  const ok = compare(leaf.op, actual, expected as Operand)
  return {
    ...base,
    verdict: ok ? 'met' : 'not_met',
    reason: fill(
      ok ? (leaf.met ?? `符合：${leaf.label}`) : (leaf.notMet ?? `不符合：${leaf.label}`),
      shownActual,
      shownExpected,
    ),
  }
}

function combine(verdicts: Verdict[], mode: 'all' | 'any'): Verdict {
  if (mode === 'all') {
    if (verdicts.includes('not_met')) return 'not_met'
    return verdicts.includes('unknown') ? 'unknown' : 'met'
  }
  if (verdicts.includes('met')) return 'met'
  return verdicts.includes('unknown') ? 'unknown' : 'not_met'
}

function walk(condition: Condition, facts: Facts, context: EvaluationContext, out: LeafResult[]): Verdict {
  if (isLeaf(condition)) {
    const result = evaluateLeaf(condition, facts, context)
    out.push(result)
    return result.verdict
  }
  if ('when' in condition) {
    const probe: LeafResult[] = []
    const applies = walk(condition.when, facts, context, probe)
    if (applies === 'not_met') return 'met'
    const verdict = walk(condition.check, facts, context, out)
    // When we do not know whether it applies, a met inner condition still leaves it open.
    return applies === 'unknown' && verdict === 'met' ? 'unknown' : verdict
  }
  const children = 'all' in condition ? condition.all : condition.any
  const verdicts = children.map((child) => walk(child, facts, context, out))
  return combine(verdicts, 'all' in condition ? 'all' : 'any')
}

/**
 * Evaluates a condition tree.
 *
 * @example
 * evaluate({ all: [{ id: 'a', fact: 'amount', op: 'lte', value: { param: 'loan.cap' }, label: '金额不超过上限', unit: 'yuan' }] },
 *   { amount: 200000, region: '500103' }, { parameters, day: '2026-11-23' })
 */
export function evaluate(condition: Condition, facts: Facts, context: EvaluationContext): Evaluation {
  const conditions: LeafResult[] = []
  const verdict = walk(condition, facts, context, conditions)
  return { verdict, conditions }
}
