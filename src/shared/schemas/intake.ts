import { z } from 'zod'
import { BUSINESS_STATUSES, INDUSTRIES } from '../catalog'
import { DECLINE_REASONS, INTAKE_STATUSES } from '../intake-workflow'
import { idNumberSchema, mobileSchema, usccSchema } from '../validators/schemas'
import { stationCodeSchema, timestampSchema } from './common'

/**
 * A loan intake (创贷受理): one schema for the form and the API. The form validates each step with
 * the step's schema before moving on; the server validates the whole body with `IntakeSubmitSchema`.
 */

const keysOf = <T extends Record<string, unknown>>(record: T) =>
  Object.keys(record) as [keyof T & string, ...(keyof T & string)[]]

/** Target-group ids: the shipped list plus the ones officials add (checked against the stored list). */
export const targetGroupIdSchema = z
  .string({ error: '请选择所属群体' })
  .regex(/^[a-z][a-z0-9_]{1,31}$/, { error: '未知的群体' })

export const ApplicantStepSchema = z.strictObject({
  groups: z
    .array(targetGroupIdSchema, { error: '请选择所属群体' })
    .min(1, { error: '请至少选择一项（都不是请选“以上都不是”）' })
    .max(8, { error: '最多选择 8 项' }),
})

const wholeNumber = (what: string, min: number, max: number) =>
  z
    .number({ error: `请填写${what}` })
    .int({ error: `${what}应为整数` })
    .min(min, { error: `${what}不能小于 ${min}` })
    .max(max, { error: `${what}不能大于 ${max}` })

export const BusinessStepSchema = z
  .strictObject({
    status: z.enum(keysOf(BUSINESS_STATUSES), { error: '请选择经营状态' }),
    name: z.string({ error: '请填写名称' }).trim().max(60, { error: '名称最多 60 个字' }).optional(),
    uscc: usccSchema.optional(),
    industry: z.enum(keysOf(INDUSTRIES), { error: '请选择行业' }),
    startDate: z
      .string({ error: '请填写开始经营或计划开业的月份' })
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '月份格式应为 2026-03' }),
    employees: wholeNumber('在职人数', 0, 100_000),
    newHires: wholeNumber('今年新招用人数', 0, 100_000).optional(),
  })
  .superRefine((business, ctx) => {
    if (business.status !== 'not_registered') {
      if (!business.name) ctx.addIssue({ code: 'custom', path: ['name'], message: '请填写登记的名称' })
      if (!business.uscc) ctx.addIssue({ code: 'custom', path: ['uscc'], message: '请填写统一社会信用代码' })
    }
    if (business.newHires !== undefined && business.newHires > business.employees) {
      ctx.addIssue({ code: 'custom', path: ['newHires'], message: '新招用人数不能多于在职人数' })
    }
  })

export const LoanStepSchema = z.strictObject({
  /** In 元, whole: the form asks in 万元 and converts. */
  amount: wholeNumber('申请金额（元）', 10_000, 10_000_000),
  purpose: z
    .string({ error: '请填写贷款用途' })
    .trim()
    .min(2, { error: '请写明贷款用途' })
    .max(200, { error: '贷款用途最多 200 个字' }),
  termMonths: wholeNumber('贷款期限（月）', 1, 60),
  otherLoans: z.boolean({ error: '请选择本人及配偶是否有其他贷款' }),
})

export const ContactStepSchema = z.strictObject({
  name: z
    .string({ error: '请填写姓名' })
    .trim()
    .min(2, { error: '请填写真实姓名' })
    .max(30, { error: '姓名最多 30 个字' })
    .regex(/^[\p{Script=Han}A-Za-z·• ]+$/u, { error: '姓名只能包含汉字、字母和“·”' }),
  idNumber: idNumberSchema,
  mobile: mobileSchema,
})

/**
 * The separate consent for sensitive personal information (PIPL Art. 29–30): the resident sees the
 * purpose, the receiving bank point and the retention period, and agrees to exactly that text.
 */
export const CONSENT_VERSION = '2026-11'
export const ConsentSchema = z.strictObject({
  sensitive: z.literal(true, { error: '请阅读并单独同意处理您的身份证号和手机号' }),
  version: z.literal(CONSENT_VERSION, { error: '同意书已更新，请重新阅读后同意' }),
})

export const IntakeSubmitSchema = z
  .strictObject({
    station: stationCodeSchema,
    applicant: ApplicantStepSchema,
    business: BusinessStepSchema,
    loan: LoanStepSchema,
    contact: ContactStepSchema,
    consent: ConsentSchema,
    /** Opted in to a WeChat subscribe message for status changes (template accepted in the app). */
    notify: z.boolean().optional(),
  })
  .meta({ id: 'IntakeSubmit' })
export type IntakeSubmit = z.infer<typeof IntakeSubmitSchema>
export type IntakeSubmitInput = z.input<typeof IntakeSubmitSchema>

export const intakeStatusSchema = z.enum(keysOf(INTAKE_STATUSES), { error: '未知的状态' })

const ConditionResultSchema = z.object({
  id: z.string(),
  label: z.string(),
  verdict: z.enum(['met', 'not_met', 'unknown']),
  reason: z.string(),
})

export const PrecheckSchema = z
  .object({
    verdict: z.enum(['met', 'not_met', 'unknown']),
    conditions: z.array(ConditionResultSchema),
    day: z.string(),
  })
  .meta({ id: 'Precheck', description: '预审结果：仅供参考，不影响提交，以银行审批为准' })

/** What the resident gets back: never their personal data. */
export const ReceiptSchema = z
  .object({
    id: z.string(),
    receipt: z.string().meta({ description: '受理回执码', example: 'CD7K3M9PXQ' }),
    status: intakeStatusSchema,
    station: z.object({ code: z.string(), name: z.string() }),
    createdAt: timestampSchema,
    /** True when this person already filed at this point within 30 days: this is that intake. */
    duplicate: z.boolean(),
    precheck: PrecheckSchema,
  })
  .meta({ id: 'IntakeReceipt' })
export type Receipt = z.infer<typeof ReceiptSchema>

export const HistoryEntrySchema = z.object({
  at: timestampSchema,
  actor: z.string().nullable().meta({ description: '操作人显示名；居民本人为 null' }),
  from: intakeStatusSchema.nullable(),
  to: intakeStatusSchema,
  note: z.string().optional(),
})

/** The resident's own view of an intake (我的申请 / lookup). */
export const IntakeStatusViewSchema = z
  .object({
    id: z.string(),
    receipt: z.string(),
    status: intakeStatusSchema,
    station: z.object({ code: z.string(), name: z.string() }),
    amount: z.number(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    history: z.array(HistoryEntrySchema.omit({ actor: true })),
  })
  .meta({ id: 'IntakeStatusView' })
export type IntakeStatusView = z.infer<typeof IntakeStatusViewSchema>

export const IntakeStatusListSchema = z.object({ items: z.array(IntakeStatusViewSchema) })

/** A queue row for staff: personal data masked. */
export const QueueItemSchema = z
  .object({
    id: z.string(),
    receipt: z.string(),
    status: intakeStatusSchema,
    version: z.number().int(),
    name: z.string().meta({ description: '姓名（脱敏：只显示姓）' }),
    idNumber: z.string().meta({ description: '身份证号（脱敏：前 3 位 + 后 4 位）' }),
    mobile: z.string().meta({ description: '手机号（脱敏：前 3 位 + 后 4 位）' }),
    groups: z.array(z.string()),
    businessStatus: z.string(),
    amount: z.number(),
    termMonths: z.number(),
    station: z.string(),
    createdAt: timestampSchema,
    statusSince: timestampSchema,
    /** When first contact is due (working days); null once contacted. */
    contactDueAt: timestampSchema.nullable(),
    overdue: z.boolean(),
    assisted: z.boolean().meta({ description: '工作人员帮办' }),
  })
  .meta({ id: 'QueueItem' })
export type QueueItem = z.infer<typeof QueueItemSchema>

export const QueuePageSchema = z
  .object({ items: z.array(QueueItemSchema), next: z.string().nullable() })
  .meta({ id: 'QueuePage' })
export type QueuePage = z.infer<typeof QueuePageSchema>

export const QueueQuerySchema = z.strictObject({
  status: intakeStatusSchema.optional(),
  group: targetGroupIdSchema.optional(),
  /** Only intakes older than this many days (the SLA view). */
  olderThanDays: z.coerce
    .number({ error: '天数应为数字' })
    .int({ error: '天数应为整数' })
    .min(0, { error: '天数不能为负' })
    .max(365, { error: '最多 365 天' })
    .optional(),
  cursor: z
    .string()
    .regex(/^\d{1,16}$/, { error: '翻页参数有误' })
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
})
export type QueueQuery = z.infer<typeof QueueQuerySchema>

/** The business and loan answers as stored and shown back (already validated on the way in). */
export const BusinessViewSchema = z.object({
  status: z.string(),
  name: z.string().optional(),
  uscc: z.string().optional(),
  industry: z.string(),
  startDate: z.string(),
  employees: z.number(),
  newHires: z.number().optional(),
})
export const LoanViewSchema = z.object({
  amount: z.number(),
  purpose: z.string(),
  termMonths: z.number(),
  otherLoans: z.boolean(),
})
export const OutcomeSchema = z.object({
  declineReason: z.string().optional(),
  disbursedAmount: z.number().optional(),
  disbursedOn: z.string().optional(),
  referredTo: z.string().optional(),
})

/** The full staff view of one intake (personal data still masked; reveal is separate). */
export const IntakeDetailSchema = QueueItemSchema.extend({
  business: BusinessViewSchema,
  loan: LoanViewSchema,
  precheck: PrecheckSchema,
  history: z.array(HistoryEntrySchema),
  outcome: OutcomeSchema.optional(),
}).meta({ id: 'IntakeDetail' })
export type IntakeDetail = z.infer<typeof IntakeDetailSchema>

export const TransitionSchema = z
  .strictObject({
    to: intakeStatusSchema,
    /** The version the staff member saw: a stale one is refused with 409. */
    version: z.number({ error: '缺少版本号' }).int().min(1),
    note: z.string().trim().max(500, { error: '备注最多 500 个字' }).optional(),
    declineReason: z.enum(keysOf(DECLINE_REASONS), { error: '请选择未通过原因' }).optional(),
    disbursedAmount: wholeNumber('放款金额（元）', 1, 10_000_000).optional(),
    disbursedOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { error: '放款日期格式应为 2026-11-23' })
      .optional(),
    referTo: stationCodeSchema.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.to === 'bank_declined' && !body.declineReason) {
      ctx.addIssue({ code: 'custom', path: ['declineReason'], message: '请选择未通过原因' })
    }
    if (body.to === 'disbursed') {
      if (body.disbursedAmount === undefined)
        ctx.addIssue({ code: 'custom', path: ['disbursedAmount'], message: '请填写放款金额' })
      if (!body.disbursedOn)
        ctx.addIssue({ code: 'custom', path: ['disbursedOn'], message: '请填写放款日期' })
    }
    if (body.to === 'referred' && !body.referTo) {
      ctx.addIssue({ code: 'custom', path: ['referTo'], message: '请选择转办到的助创驿站' })
    }
  })
  .meta({ id: 'IntakeTransition' })
export type Transition = z.infer<typeof TransitionSchema>

export const RevealSchema = z
  .object({ idNumber: z.string(), mobile: z.string(), name: z.string() })
  .meta({ id: 'IntakeReveal', description: '完整个人信息；每次查看都记入审计' })

export const LookupSchema = z
  .strictObject({
    receipt: z
      .string({ error: '请填写回执码' })
      .trim()
      .toUpperCase()
      .regex(/^CD[A-Z0-9]{8}$/, { error: '回执码为 CD 开头的 10 位字母数字' }),
    mobileLast4: z
      .string({ error: '请填写手机号后四位' })
      .regex(/^\d{4}$/, { error: '请填写手机号后四位数字' }),
  })
  .meta({ id: 'IntakeLookup' })

/** 帮办: staff file for a resident who is present; the resident confirms with the code. */
export const AssistedReceiptSchema = ReceiptSchema.extend({
  confirmationCode: z
    .string()
    .meta({ description: '请申请人在自己的手机上输入的 6 位确认码（30 分钟有效）' }),
  confirmBy: timestampSchema,
}).meta({ id: 'AssistedReceipt' })

export const ConfirmSchema = z
  .strictObject({
    receipt: LookupSchema.shape.receipt,
    code: z.string({ error: '请填写确认码' }).regex(/^\d{6}$/, { error: '确认码为 6 位数字' }),
    consent: ConsentSchema,
  })
  .meta({ id: 'IntakeConfirm' })

export const IntakeParamsSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f-]{36}$/, { error: '申请编号有误' }),
})
