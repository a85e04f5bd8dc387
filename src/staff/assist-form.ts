/**
 * The 帮办 form: what station staff type for a resident who is present, and how it becomes the
 * `POST /api/v1/intakes/assisted` body. Every step is checked with the step schema the resident
 * form and the API use; the consent is not part of it — the resident gives it on their own phone
 * when they confirm the filing.
 */
import type { z } from 'zod'
import type { BusinessStatus, Industry } from '../shared/catalog'
import {
  ApplicantStepSchema,
  type AssistedReceiptSchema,
  BusinessStepSchema,
  ContactStepSchema,
  type IntakeSubmit,
  LoanStepSchema,
} from '../shared/schemas/intake'
import { wanToYuan } from './intake-view'

/** The body of an assisted filing: the resident's submission without their consent. */
export type AssistedSubmit = Omit<IntakeSubmit, 'consent' | 'notify'>

/** What the API answers: the receipt plus the code the resident confirms with. */
export type AssistedReceipt = z.infer<typeof AssistedReceiptSchema>

/** What staff tell the resident, word for word, beside the two codes. */
export const CONFIRM_INSTRUCTION =
  '请申请人在自己的手机上打开 我的 → 确认帮办申请，输入回执码和确认码（30分钟内有效）'

/** Field path (`business.name`, dot-joined like the API's `fields`) → messages. */
export type FieldErrorMap = Record<string, string[]>

/** The form as typed: text stays text until it is checked. */
export interface AssistFormValues {
  groups: string[]
  businessStatus: BusinessStatus | ''
  businessName: string
  uscc: string
  industry: Industry | ''
  startDate: string
  employees: string
  newHires: string
  amountWan: string
  purpose: string
  termMonths: string
  otherLoans: 'yes' | 'no' | ''
  name: string
  idNumber: string
  mobile: string
}

export const EMPTY_ASSIST_FORM: AssistFormValues = {
  groups: [],
  businessStatus: '',
  businessName: '',
  uscc: '',
  industry: '',
  startDate: '',
  employees: '',
  newHires: '',
  amountWan: '',
  purpose: '',
  termMonths: '',
  otherLoans: '',
  name: '',
  idNumber: '',
  mobile: '',
}

/** “以上都不是” excludes every other group, and any real group excludes it. */
export function toggleGroups(current: readonly string[], chosen: readonly string[]): string[] {
  const added = chosen.filter((group) => !current.includes(group))
  if (added.includes('other')) return ['other']
  if (added.length > 0) return chosen.filter((group) => group !== 'other')
  return [...chosen]
}

const blankToUndefined = (value: string) => (value.trim() ? value.trim() : undefined)

/** Leaves out what was not given, so an optional field is absent from the body, not `undefined`. */
function compact<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>
}

/** A whole number as typed; NaN (refused by the schema) when it is not one. */
function wholeNumber(value: string): number | undefined {
  const text = value.trim()
  if (!text) return undefined
  return /^\d+$/.test(text) ? Number(text) : Number.NaN
}

/**
 * Adds a step's issues under `<step>.<field>`. A number field that was typed but is not a whole
 * number reads “请填写整数” rather than the schema's “请填写…”, which would suggest it is empty.
 */
function collect(
  step: string,
  error: z.ZodError,
  into: FieldErrorMap,
  typed: Record<string, string> = {},
  reword?: (issue: z.core.$ZodIssue) => string | undefined,
) {
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '')
    const key = field ? `${step}.${field}` : step
    const message =
      reword?.(issue) ??
      (issue.code === 'invalid_type' && typed[field]?.trim() ? '请填写整数' : issue.message)
    const list = into[key] ?? []
    if (!list.includes(message)) list.push(message)
    into[key] = list
  }
}

export type AssistCheck = { ok: true; body: AssistedSubmit } | { ok: false; errors: FieldErrorMap }

/**
 * Checks every step and builds the request body from the schemas' output (trimmed, ID number
 * with an upper-case X, mobile without +86).
 *
 * @example
 * const checked = checkAssistForm('QD0001', values)
 * if (checked.ok) api.post('/api/v1/intakes/assisted', checked.body, { idempotencyKey })
 */
export function checkAssistForm(station: string, values: AssistFormValues): AssistCheck {
  const errors: FieldErrorMap = {}
  const registered = values.businessStatus !== '' && values.businessStatus !== 'not_registered'

  const applicant = ApplicantStepSchema.safeParse({ groups: values.groups })
  if (!applicant.success) collect('applicant', applicant.error, errors)

  const business = BusinessStepSchema.safeParse(
    compact({
      status: values.businessStatus || undefined,
      name: blankToUndefined(values.businessName),
      uscc: registered ? blankToUndefined(values.uscc) : undefined,
      industry: values.industry || undefined,
      startDate: blankToUndefined(values.startDate),
      employees: wholeNumber(values.employees),
      newHires: wholeNumber(values.newHires),
    }),
  )
  if (!business.success) {
    collect('business', business.error, errors, { employees: values.employees, newHires: values.newHires })
    // zod skips the schema's cross-field rule while another field is wrong: say it now, in the
    // schema's words, so staff fix everything in one pass.
    if (registered && !values.businessName.trim()) errors['business.name'] ??= ['请填写登记的名称']
    if (registered && !values.uscc.trim()) errors['business.uscc'] ??= ['请填写统一社会信用代码']
  }

  const amount = values.amountWan.trim() ? (wanToYuan(values.amountWan) ?? Number.NaN) : undefined
  const loan = LoanStepSchema.safeParse({
    amount,
    purpose: values.purpose,
    termMonths: wholeNumber(values.termMonths),
    otherLoans: values.otherLoans === '' ? undefined : values.otherLoans === 'yes',
  })
  if (!loan.success) {
    collect('loan', loan.error, errors, { termMonths: values.termMonths }, (issue) => {
      if (issue.path[0] !== 'amount') return undefined
      // The schema counts in 元; the form asks in 万元.
      if (issue.code === 'too_small') return '申请金额不能少于 1 万元'
      if (issue.code === 'too_big') return '申请金额不能超过 1000 万元'
      return amount === undefined ? '请填写申请金额' : '请填写数字，如 15'
    })
  }

  const contact = ContactStepSchema.safeParse({
    name: values.name,
    idNumber: values.idNumber,
    mobile: values.mobile,
  })
  if (!contact.success) collect('contact', contact.error, errors)

  if (!applicant.success || !business.success || !loan.success || !contact.success)
    return { ok: false, errors }
  return {
    ok: true,
    body: {
      station,
      applicant: applicant.data,
      business: business.data,
      loan: loan.data,
      contact: contact.data,
    },
  }
}

/**
 * A fresh Idempotency-Key for one filing: a double tap or a retried request then creates one
 * intake. It only has to be unique, not secret, and mini-programs lack `crypto.randomUUID`.
 */
export function newIdempotencyKey(): string {
  const hex = (length: number) =>
    Array.from({ length }, () => Math.floor(Math.random() * 16).toString(16)).join('')
  const variant = (8 + Math.floor(Math.random() * 4)).toString(16)
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`
}
