/**
 * How the pocket-book writes amounts, dates and verdicts in plain Chinese. Plain code: the entry
 * page, the matcher and the officials' preview share it.
 */
import type { Benefit, PolicySource } from '../shared/schemas/policy'

/**
 * Money as people say it: whole 万 from 10,000 up (“50 万元”, “1.5 万元”), otherwise with a
 * thousands separator (“5,000 元”).
 */
export function yuanText(amount: number): string {
  if (amount >= 10_000 && amount % 1_000 === 0) {
    const wan = amount / 10_000
    return `${Number.isInteger(wan) ? wan : wan.toFixed(1).replace(/\.0$/, '')} 万元`
  }
  const [whole = '0', fraction] = String(amount).split('.')
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction ? `.${fraction}` : ''} 元`
}

/** A quantity in its unit: “5,000 元”, “50%”, “3 人次”, “6 个月”. */
export function quantityText(amount: number, unit: Benefit['unit']): string {
  switch (unit) {
    case '%':
      return `${amount}%`
    case '人次':
      return `${amount} 人次`
    case '月':
      return `${amount} 个月`
    default:
      return yuanText(amount)
  }
}

/**
 * What a benefit gives: “一次性 5,000 元”, “最高 50 万元”, “50%”, “每人每月 500 元”; a `text`
 * benefit (or one without an amount) is its note, or else its label.
 *
 * @example
 * benefitAmount({ label: '一次性创业补贴', kind: 'fixed', amount: 5000, unit: '元' }) // '一次性 5,000 元'
 */
export function benefitAmount(benefit: Benefit): string {
  if (benefit.kind === 'text' || benefit.amount === undefined) return benefit.note ?? benefit.label
  const unit = benefit.unit ?? (benefit.kind === 'percentage' ? '%' : '元')
  const quantity = quantityText(benefit.amount, unit)
  switch (benefit.kind) {
    case 'fixed':
      return `一次性 ${quantity}`
    case 'up_to':
      return `最高 ${quantity}`
    case 'per_person_month':
      return `每人每月 ${quantity}`
    default:
      return quantity
  }
}

/** “2025年2月26日”, “2025年2月”, “2025年” from the source's date. */
export function dateText(date: string): string {
  const [year, month, day] = date.split('-')
  return [year && `${year}年`, month && `${Number(month)}月`, day && `${Number(day)}日`]
    .filter(Boolean)
    .join('')
}

/** The source as one plain line, for sharing and screen readers. */
export function citation(source: PolicySource): string {
  return [
    `《${source.title}》`,
    source.documentNumber ?? '',
    source.issuer,
    dateText(source.date),
    source.clause,
  ]
    .filter(Boolean)
    .join(' ')
}

export type Verdict = 'met' | 'not_met' | 'unknown'

/** The matcher's verdicts as the resident reads them. */
export const VERDICT_LABELS: Record<Verdict, string> = {
  met: '符合',
  unknown: '可能符合',
  not_met: '不符合',
}

const VERDICT_ORDER: Record<Verdict, number> = { met: 0, unknown: 1, not_met: 2 }

/** 符合 first, then 可能符合, then 不符合; the server's order within each. */
export function byVerdict<T extends { verdict: Verdict }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => VERDICT_ORDER[a.item.verdict] - VERDICT_ORDER[b.item.verdict] || a.index - b.index)
    .map(({ item }) => item)
}
