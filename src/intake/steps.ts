/**
 * What each step of the intake form checks, and how the draft becomes the request. Every check
 * is the shared schema the API parses the request with (`src/shared/schemas/intake.ts`), so the
 * form and the server can never disagree; this module only turns typed text into the values
 * the schemas take, and issues into messages under the right fields.
 */
import type { z } from 'zod'
import { BUSINESS_STATUSES, type BusinessStatus } from '../shared/catalog'
import type { LoanFactsInput } from '../shared/rules/loan'
import {
  ApplicantStepSchema,
  BusinessStepSchema,
  CONSENT_VERSION,
  ConsentSchema,
  ContactStepSchema,
  type IntakeSubmit,
  IntakeSubmitSchema,
  LoanStepSchema,
} from '../shared/schemas/intake'
import type { IntakeDraft, Step } from './draft'

/** Field path (as the API names it, `contact.idNumber`) → Chinese messages. `_` is the form. */
export type FieldErrorMap = Record<string, string[]>

/** The element id each field's input (and `<id>-error` message) carries. */
export const FIELD_IDS: Readonly<Record<string, string>> = {
  'applicant.groups': 'field-groups',
  'business.status': 'field-status',
  'business.name': 'field-businessName',
  'business.uscc': 'field-uscc',
  'business.industry': 'field-industry',
  'business.startDate': 'field-startDate',
  'business.employees': 'field-employees',
  'business.newHires': 'field-newHires',
  'loan.amount': 'field-amount',
  'loan.purpose': 'field-purpose',
  'loan.termMonths': 'field-termMonths',
  'loan.otherLoans': 'field-otherLoans',
  'contact.name': 'field-name',
  'contact.idNumber': 'field-idNumber',
  'contact.mobile': 'field-mobile',
  'consent.sensitive': 'field-consent',
  'consent.version': 'field-consent',
}

const SECTION_STEPS: Readonly<Record<string, Step>> = {
  applicant: 0,
  business: 1,
  loan: 2,
  contact: 3,
  consent: 4,
}

/** The step that asks for a field; anything else (the station, the whole form) is on the review. */
export function stepOfField(path: string): Step {
  return SECTION_STEPS[path.split('.')[0] ?? ''] ?? 5
}

/** The first step holding one of these fields (the one to send the resident back to). */
export function firstStepWithError(fields: FieldErrorMap): Step | null {
  const steps = Object.keys(fields).map(stepOfField)
  return steps.length ? (Math.min(...steps) as Step) : null
}

/** Messages of the fields a step shows, merged per element (both consent paths share one). */
export function errorsFor(errors: FieldErrorMap, path: string): string[] | undefined {
  const id = FIELD_IDS[path]
  const merged = Object.entries(errors)
    .filter(([key]) => key === path || (id !== undefined && FIELD_IDS[key] === id))
    .flatMap(([, messages]) => messages)
  return merged.length ? [...new Set(merged)] : undefined
}

/** `'12'` → 12; empty → undefined; anything that is not a plain number → NaN. */
export function numberOf(typed: string): number | undefined {
  const trimmed = typed.trim()
  if (!trimmed) return undefined
  return /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN
}

/** 万元 as typed → whole 元 (`'5.5'` → 55000); undefined / NaN as `numberOf`. */
export function yuanOfWan(typed: string): number | undefined {
  const wan = numberOf(typed)
  return wan === undefined || Number.isNaN(wan) ? wan : Math.round(wan * 10_000)
}

/** Whole 元 → “5.5 万元”. */
export function wanText(yuan: number): string {
  return `${Number((yuan / 10_000).toFixed(4))} 万元`
}

const isRegistered = (status: string) => status === 'individual' || status === 'micro'

/** The step values the shared schemas take, from the draft's typed text. */
export function stepInputs(draft: IntakeDraft) {
  const { business, loan, contact } = draft
  const optional = (value: string) => (value.trim() ? value : undefined)
  return {
    applicant: { groups: draft.groups },
    business: {
      status: optional(business.status),
      ...(isRegistered(business.status)
        ? { name: optional(business.name), uscc: optional(business.uscc) }
        : {}),
      industry: optional(business.industry),
      startDate: optional(business.startDate),
      employees: numberOf(business.employees),
      newHires: numberOf(business.newHires),
    },
    loan: {
      amount: yuanOfWan(loan.amountWan),
      purpose: loan.purpose,
      termMonths: numberOf(loan.termMonths),
      otherLoans: loan.otherLoans ?? undefined,
    },
    contact: { name: contact.name, idNumber: contact.idNumber, mobile: contact.mobile },
    consent: { sensitive: consented(draft), version: CONSENT_VERSION },
  }
}

/** Agreed to the consent text this app shows; an agreement to an older text does not count. */
export function consented(draft: IntakeDraft): boolean {
  return draft.consent.sensitive && draft.consent.version === CONSENT_VERSION
}

/** zod issues under a section name (`contact` + `idNumber`). */
function collect(error: z.ZodError, section: string): FieldErrorMap {
  const fields: FieldErrorMap = {}
  for (const issue of error.issues) {
    const path = [section, ...issue.path.map(String)].filter(Boolean).join('.') || '_'
    const list = fields[path] ?? []
    if (!list.includes(issue.message)) list.push(issue.message)
    fields[path] = list
  }
  return fields
}

/** Typed text that is not a number says so, instead of the schema's “请填写…”. */
function notNumbers(fields: FieldErrorMap, typed: Record<string, string>): FieldErrorMap {
  for (const [path, value] of Object.entries(typed)) {
    if (value.trim() && Number.isNaN(numberOf(value))) fields[path] = ['请填写数字，如 12']
  }
  return fields
}

/**
 * The loan schema states its limits in 元; the form asks in 万元, so the amount's limits are
 * said in 万元 (1 万元 … 1000 万元, `LoanStepSchema`).
 */
function amountInWan(error: z.ZodError): string | null {
  const issue = error.issues.find((candidate) => candidate.path[0] === 'amount')
  if (issue?.code === 'too_small') return '申请金额至少 1 万元'
  if (issue?.code === 'too_big') return '申请金额最多 1000 万元'
  return null
}

/** Checks one step with its shared schema; an empty map means the resident may go on. */
export function checkStep(step: Step, draft: IntakeDraft): FieldErrorMap {
  const inputs = stepInputs(draft)
  switch (step) {
    case 0: {
      const result = ApplicantStepSchema.safeParse(inputs.applicant)
      return result.success ? {} : collect(result.error, 'applicant')
    }
    case 1: {
      const result = BusinessStepSchema.safeParse(inputs.business)
      const fields = result.success ? {} : collect(result.error, 'business')
      return notNumbers(fields, {
        'business.employees': draft.business.employees,
        'business.newHires': draft.business.newHires,
      })
    }
    case 2: {
      const result = LoanStepSchema.safeParse(inputs.loan)
      const fields = result.success ? {} : collect(result.error, 'loan')
      const inWan = result.success ? null : amountInWan(result.error)
      if (inWan) fields['loan.amount'] = [inWan]
      return notNumbers(fields, {
        'loan.amount': draft.loan.amountWan,
        'loan.termMonths': draft.loan.termMonths,
      })
    }
    case 3: {
      const result = ContactStepSchema.safeParse(inputs.contact)
      return result.success ? {} : collect(result.error, 'contact')
    }
    case 4: {
      const result = ConsentSchema.safeParse(inputs.consent)
      return result.success ? {} : collect(result.error, 'consent')
    }
    case 5:
      return {}
  }
}

export type Built = { ok: true; body: IntakeSubmit } | { ok: false; step: Step; errors: FieldErrorMap }

/**
 * The request body, checked step by step and then whole with `IntakeSubmitSchema` (what the API
 * parses): normalised values (身份证号 末位大写, 手机号 without +86) and the amount in 元.
 */
export function buildSubmit(draft: IntakeDraft, notify: boolean): Built {
  for (const step of [0, 1, 2, 3, 4] as const) {
    const errors = checkStep(step, draft)
    if (Object.keys(errors).length) return { ok: false, step, errors }
  }
  const inputs = stepInputs(draft)
  const result = IntakeSubmitSchema.safeParse({
    station: draft.station,
    applicant: inputs.applicant,
    business: inputs.business,
    loan: inputs.loan,
    contact: inputs.contact,
    consent: inputs.consent,
    ...(notify ? { notify: true } : {}),
  })
  if (result.success) return { ok: true, body: result.data }
  const errors = collect(result.error, '')
  return { ok: false, step: firstStepWithError(errors) ?? 5, errors }
}

/** The facts the on-device pre-check reads (`precheckLoan`), from whatever is filled in. */
export function precheckInput(draft: IntakeDraft, region: string | undefined): LoanFactsInput {
  const { business, loan } = draft
  const finite = (value: number | undefined) =>
    value === undefined || Number.isNaN(value) ? undefined : value
  return {
    region,
    groups: draft.groups,
    businessStatus: business.status in BUSINESS_STATUSES ? (business.status as BusinessStatus) : undefined,
    amount: finite(yuanOfWan(loan.amountWan)),
    termMonths: finite(numberOf(loan.termMonths)),
    employees: finite(numberOf(business.employees)),
    newHires: finite(numberOf(business.newHires)),
    otherLoans: loan.otherLoans ?? undefined,
  }
}

/** Today in China (UTC+8, no daylight saving), `YYYY-MM-DD`: the day the rules in force are read for. */
export function chinaDay(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
}
