/**
 * 政策计算器: the questions, one per screen, built from the fields of `MatcherAnswersSchema`.
 * Every question can be skipped; a skipped question stays unknown, and the server then says
 * 可能符合 for the conditions that needed it. Questions that cannot apply are not asked
 * (毕业几年 of someone who is not a graduate, 营业多少个月 before a business is registered).
 */
import { NATIONAL } from '../services/pocketbook'
import { BUSINESS_STATUSES, TARGET_GROUPS } from '../shared/catalog'
import type { MatcherAnswers } from '../shared/schemas/policy'

export type Answers = Partial<MatcherAnswers>
export type QuestionId = keyof MatcherAnswers

export type QuestionKind = 'region' | 'groups' | 'choice' | 'count' | 'yesno'

export interface Question {
  id: QuestionId
  kind: QuestionKind
  title: string
  hint?: string
  /** For counts: the unit after the box and the largest number the API takes. */
  unit?: string
  max?: number
  /** For single choices. */
  options?: readonly (readonly [string, string])[]
}

export const QUESTIONS: readonly Question[] = [
  { id: 'region', kind: 'region', title: '您在哪里创业？', hint: '选区县，或选整个城市。' },
  { id: 'groups', kind: 'groups', title: '您属于哪类人群？', hint: '可以多选。' },
  {
    id: 'businessStatus',
    kind: 'choice',
    title: '您的经营状态是？',
    options: Object.entries(BUSINESS_STATUSES),
  },
  {
    id: 'yearsSinceGraduation',
    kind: 'count',
    title: '您毕业几年了？',
    unit: '年',
    max: 60,
    hint: '今年毕业填 0。',
  },
  {
    id: 'businessAgeMonths',
    kind: 'count',
    title: '营业执照办下来多少个月了？',
    unit: '个月',
    max: 1200,
    hint: '按营业执照上的成立日期算。',
  },
  {
    id: 'employees',
    kind: 'count',
    title: '现在有多少在职员工？',
    unit: '人',
    max: 100_000,
    hint: '不算您自己。',
  },
  { id: 'newHires', kind: 'count', title: '今年新招了多少人？', unit: '人', max: 100_000 },
  { id: 'failedBefore', kind: 'yesno', title: '以前创业失败过吗？' },
  { id: 'wantsLoan', kind: 'yesno', title: '需要创业贷款吗？' },
  {
    id: 'hasVenueNeed',
    kind: 'yesno',
    title: '需要经营场地吗？',
    hint: '如孵化基地、创业园区的工位或店面。',
  },
  { id: 'inTraining', kind: 'yesno', title: '正在参加创业培训吗？' },
]

const BUSINESS_QUESTIONS: readonly QuestionId[] = ['businessAgeMonths', 'employees', 'newHires']

/** Whether a question can apply, given what has been answered so far. */
export function applies(question: QuestionId, answers: Answers): boolean {
  if (question === 'yearsSinceGraduation') return !answers.groups || answers.groups.includes('graduate')
  if (BUSINESS_QUESTIONS.includes(question)) return answers.businessStatus !== 'not_registered'
  return true
}

/** The questions to ask, in order. */
export function questionsFor(answers: Answers): Question[] {
  return QUESTIONS.filter((question) => applies(question.id, answers))
}

/** “第 3 题，共 11 题” */
export function progressLabel(index: number, total: number): string {
  return `第 ${index + 1} 题，共 ${total} 题`
}

/** Sets one answer; `undefined` makes it unknown again (跳过). */
export function answer<K extends QuestionId>(
  answers: Answers,
  id: K,
  value: MatcherAnswers[K] | undefined,
): Answers {
  const next: Answers = { ...answers }
  if (value === undefined) delete next[id]
  else next[id] = value
  return next
}

/**
 * The groups after a tap: “以上都不是” stands alone, any real group replaces it.
 */
export function toggleGroup(groups: readonly string[], group: string): string[] {
  if (groups.includes(group)) return groups.filter((item) => item !== group)
  if (group === 'other') return ['other']
  return [...groups.filter((item) => item !== 'other'), group]
}

/** Group ids in the order of the shipped list. */
export const GROUP_OPTIONS = Object.entries(TARGET_GROUPS) as [keyof typeof TARGET_GROUPS, string][]

export type CountParse = { ok: true; value: number | undefined } | { ok: false; message: string }

/** A typed count: empty is unknown, otherwise a whole number from 0 to `max`. */
export function parseCount(text: string, max: number): CountParse {
  const trimmed = text.trim()
  if (!trimmed) return { ok: true, value: undefined }
  if (!/^\d+$/.test(trimmed) || Number(trimmed) > max) {
    return { ok: false, message: `请填写 0 到 ${max} 之间的整数，不清楚可以点“跳过”` }
  }
  return { ok: true, value: Number(trimmed) }
}

/**
 * The request body: answers to questions that no longer apply are left out (a changed answer
 * earlier on can hide a later question), and the region falls back to the station's, then to
 * 全国 (`000000`: only the national conditions can then be judged).
 */
export function requestBody(answers: Answers, fallbackRegion: string | null): MatcherAnswers {
  const body: Answers = {}
  for (const question of questionsFor(answers)) {
    const value = answers[question.id]
    if (value !== undefined) Object.assign(body, { [question.id]: value })
  }
  return { ...body, region: answers.region ?? fallbackRegion ?? NATIONAL }
}
