/**
 * The pocket-book editor's form: an entry's content as officials type it (lists one item a line,
 * keywords separated by spaces, the condition rules as JSON) and back, checked by the same
 * `PolicyContentSchema` the API parses the request with. Plain code, tested beside it.
 */
import type { z } from 'zod'
import { NATIONAL } from '../services/pocketbook'
import { isWithin, REGIONS, type Region } from '../shared/regions'
import type { Me } from '../shared/schemas/auth'
import {
  type Benefit,
  type PolicyContent,
  PolicyContentSchema,
  PolicyCreateSchema,
  type PolicyEntry,
} from '../shared/schemas/policy'

export type FieldErrorMap = Record<string, string[]>

/** Benefit kinds as officials read them; the resident sees “一次性 5,000 元” and so on. */
export const BENEFIT_KINDS: Record<Benefit['kind'], string> = {
  fixed: '一次性',
  up_to: '最高',
  percentage: '比例',
  per_person_month: '每人每月',
  text: '文字说明',
}

export const BENEFIT_UNITS = ['元', '%', '人次', '月'] as const

export interface BenefitRow {
  label: string
  kind: Benefit['kind']
  /** As typed; a number in the unit (元, %, …), empty for a `text` benefit. */
  amount: string
  unit: '' | (typeof BENEFIT_UNITS)[number]
  note: string
}

export interface PolicyFormValues {
  id: string
  title: string
  summary: string
  category: string
  regions: string[]
  groups: string[]
  benefits: BenefitRow[]
  /** One condition a line. */
  conditionsText: string
  /** The rules engine's condition tree as JSON; empty for none. */
  rules: string
  materials: string
  steps: string
  /** Station codes, separated by spaces or commas. */
  applyAt: string
  applyNote: string
  sourceTitle: string
  sourceNumber: string
  sourceIssuer: string
  sourceDate: string
  sourceClause: string
  localNote: string
  effectiveFrom: string
  effectiveUntil: string
  /** Separated by spaces, commas or 、. */
  keywords: string
  /** Carried over unchanged: the seed file the text comes from. */
  seedFile: string | null
}

export const EMPTY_POLICY_FORM: PolicyFormValues = {
  id: '',
  title: '',
  summary: '',
  category: '',
  regions: [],
  groups: [],
  benefits: [],
  conditionsText: '',
  rules: '',
  materials: '',
  steps: '',
  applyAt: '',
  applyNote: '',
  sourceTitle: '',
  sourceNumber: '',
  sourceIssuer: '',
  sourceDate: '',
  sourceClause: '',
  localNote: '',
  effectiveFrom: '',
  effectiveUntil: '',
  keywords: '',
  seedFile: null,
}

/** The unit a benefit kind usually takes (a percentage is in %, a text has none). */
export function defaultUnit(kind: Benefit['kind']): BenefitRow['unit'] {
  return kind === 'percentage' ? '%' : kind === 'text' ? '' : '元'
}

export function emptyBenefit(): BenefitRow {
  return { label: '', kind: 'fixed', amount: '', unit: '元', note: '' }
}

export function formValuesOf(entry: PolicyContent & { id: string }): PolicyFormValues {
  return {
    id: entry.id,
    title: entry.title,
    summary: entry.summary,
    category: entry.category,
    regions: [...entry.regions],
    groups: [...entry.groups],
    benefits: entry.benefits.map((benefit) => ({
      label: benefit.label,
      kind: benefit.kind,
      amount: benefit.amount === undefined ? '' : String(benefit.amount),
      unit: benefit.unit ?? '',
      note: benefit.note ?? '',
    })),
    conditionsText: entry.conditions.text.join('\n'),
    rules: entry.conditions.rules === null ? '' : JSON.stringify(entry.conditions.rules, null, 2),
    materials: entry.materials.join('\n'),
    steps: entry.steps.join('\n'),
    applyAt: entry.applyAt.join(' '),
    applyNote: entry.applyNote ?? '',
    sourceTitle: entry.source.title,
    sourceNumber: entry.source.documentNumber ?? '',
    sourceIssuer: entry.source.issuer,
    sourceDate: entry.source.date,
    sourceClause: entry.source.clause,
    localNote: entry.localNote ?? '',
    effectiveFrom: entry.effectiveFrom ?? '',
    effectiveUntil: entry.effectiveUntil ?? '',
    keywords: entry.keywords.join(' '),
    seedFile: entry.source.seedFile,
  }
}

/** One item a line, blank lines dropped. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
}

/** Words separated by spaces, commas (half- or full-width) or 、. */
export function words(text: string): string[] {
  return text
    .split(/[\s,，、;；]+/)
    .map((word) => word.trim())
    .filter(Boolean)
}

/** What each field is called on the form (and in 版本记录). */
export const POLICY_FIELD_LABELS: Record<string, string> = {
  id: '编号',
  title: '标题',
  summary: '一句话摘要',
  category: '类别',
  regions: '适用地区',
  groups: '适用人群',
  benefits: '可以享受',
  label: '名称',
  kind: '类型',
  amount: '金额',
  unit: '单位',
  note: '说明',
  conditions: '申请条件',
  'conditions.text': '申请条件',
  'conditions.rules': '条件规则',
  materials: '需要准备的材料',
  steps: '办理步骤',
  applyAt: '办理服务点',
  applyNote: '办理地点说明',
  source: '政策出处',
  'source.title': '文件名称',
  'source.documentNumber': '文号',
  'source.issuer': '发文单位',
  'source.date': '日期',
  'source.clause': '条款',
  'source.seedFile': '来源文件',
  localNote: '当地说明',
  effectiveFrom: '生效日期',
  effectiveUntil: '失效日期',
  keywords: '搜索关键词',
  status: '状态',
  version: '版本',
}

/**
 * “文件名称”, “可以享受 第 2 项 金额”, “申请条件 第 1 项”: a field path (as the form's errors and
 * the API's version diff write it, dotted) as people read it.
 */
export function fieldLabel(path: string): string {
  const parts = path.split('.')
  let known = parts.length
  while (known > 0 && !POLICY_FIELD_LABELS[parts.slice(0, known).join('.')]) known--
  const head = known > 0 ? [POLICY_FIELD_LABELS[parts.slice(0, known).join('.')] as string] : []
  const rest = parts
    .slice(known)
    .map((part) => (/^\d+$/.test(part) ? `第 ${Number(part) + 1} 项` : (POLICY_FIELD_LABELS[part] ?? part)))
  return [...head, ...rest].join(' ')
}

/** Chinese for the schema's checks that carry no message of their own. */
const chineseIssue: z.core.$ZodErrorMap = (issue) => {
  const label = fieldLabel((issue.path ?? []).map(String).join('.'))
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'array'
        ? `${label}至少 ${issue.minimum} 项`
        : `${label}至少 ${issue.minimum} 个字`
    case 'too_big':
      return issue.origin === 'array'
        ? `${label}最多 ${issue.maximum} 项`
        : `${label}最多 ${issue.maximum} 个字`
    case 'invalid_type':
      return `请填写${label}`
    case 'invalid_value':
      return `请选择${label}`
    case 'unrecognized_keys':
      return `${label}里有不认识的项：${issue.keys.join('、')}`
    default:
      return `${label}填写有误`
  }
}

function addError(errors: FieldErrorMap, path: string, message: string): void {
  const list = errors[path] ?? []
  if (!list.includes(message)) list.push(message)
  errors[path] = list
}

export type CheckedContent = { ok: true; content: PolicyContent } | { ok: false; errors: FieldErrorMap }

/**
 * The content the form stands for, checked with the API's own schema. Errors are keyed by the
 * field's path (`summary`, `source.title`, `benefits.0.amount`, `conditions.rules`).
 */
export function contentOf(values: PolicyFormValues): CheckedContent {
  const errors: FieldErrorMap = {}
  let rules: unknown = null
  if (values.rules.trim()) {
    try {
      rules = JSON.parse(values.rules)
    } catch (error) {
      addError(
        errors,
        'conditions.rules',
        `条件规则不是有效的 JSON：${error instanceof Error ? error.message : '格式有误'}`,
      )
    }
  }
  const benefits = values.benefits.map((row, index) => {
    const amount = row.amount.trim()
    if (amount && !/^\d+(\.\d+)?$/.test(amount)) addError(errors, `benefits.${index}.amount`, '金额请填数字')
    return {
      label: row.label.trim(),
      kind: row.kind,
      ...(amount && /^\d+(\.\d+)?$/.test(amount) ? { amount: Number(amount) } : {}),
      ...(row.unit ? { unit: row.unit } : {}),
      ...(row.note.trim() ? { note: row.note.trim() } : {}),
    }
  })
  const optional = (text: string) => (text.trim() ? text.trim() : undefined)
  const candidate = {
    title: values.title,
    summary: values.summary,
    category: values.category,
    regions: values.regions,
    groups: values.groups,
    benefits,
    conditions: { rules, text: lines(values.conditionsText) },
    materials: lines(values.materials),
    steps: lines(values.steps),
    applyAt: words(values.applyAt).map((code) => code.toUpperCase()),
    applyNote: optional(values.applyNote),
    source: {
      title: values.sourceTitle.trim(),
      documentNumber: optional(values.sourceNumber) ?? null,
      issuer: values.sourceIssuer.trim(),
      date: values.sourceDate.trim(),
      clause: values.sourceClause.trim(),
      seedFile: values.seedFile,
    },
    localNote: optional(values.localNote),
    effectiveFrom: optional(values.effectiveFrom) ?? null,
    effectiveUntil: optional(values.effectiveUntil) ?? null,
    keywords: words(values.keywords),
  }
  const result = PolicyContentSchema.safeParse(candidate, { error: chineseIssue })
  if (!result.success) {
    for (const issue of result.error.issues) {
      // Anything wrong inside the rule tree is reported on the rules box as a whole.
      const path = issue.path.map(String)
      const key = path[0] === 'conditions' && path[1] === 'rules' ? 'conditions.rules' : path.join('.') || '_'
      addError(errors, key, issue.message)
    }
  }
  if (Object.keys(errors).length || !result.success) return { ok: false, errors }
  return { ok: true, content: result.data }
}

/** The errors of one field (`benefits.0` also collects `benefits.0.label`…, for one row). */
export function errorsUnder(errors: FieldErrorMap, path: string): string[] {
  return Object.entries(errors)
    .filter(([key]) => key === path || key.startsWith(`${path}.`))
    .flatMap(([, messages]) => messages)
}

export const STATUS_LABELS: Record<PolicyEntry['status'], string> = {
  draft: '草稿',
  published: '已发布',
  archived: '已归档',
}

/**
 * Where an account may publish: an administrator anywhere (全国 and every province and city), an
 * official in their region and its districts. The API checks the same rule.
 */
export function regionOptionsFor(me: Me): { code: string; name: string }[] {
  const scope = me.scope
  if (scope.type === 'all') {
    return [
      { code: NATIONAL, name: '全国' },
      ...REGIONS.filter((region) => region.level !== 'district').map(({ code, name }) => ({ code, name })),
    ]
  }
  if (scope.type !== 'region') return []
  const inScope: Region[] = REGIONS.filter((region) => isWithin(region.code, scope.code))
  return inScope.map(({ code, name }) => ({ code, name }))
}

export const POLICY_LIST_URL = '/official/pages/policies/index'

export function policyEditUrl(id?: string): string {
  const base = '/official/pages/policy-edit/index'
  return id ? `${base}?id=${encodeURIComponent(id)}` : base
}

/** Whether the form differs from the stored entry (then 发布 saves it first). */
export function isDirty(values: PolicyFormValues, entry: PolicyEntry | null): boolean {
  if (!entry) return true
  return JSON.stringify(values) !== JSON.stringify(formValuesOf(entry))
}

/** A new entry's number: 3–64 lower-case letters, digits or -, as the create request demands. */
export function checkNewId(id: string): string[] {
  const result = PolicyCreateSchema.shape.id.safeParse(id.trim())
  return result.success ? [] : result.error.issues.map((issue) => issue.message)
}
