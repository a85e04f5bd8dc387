import { z } from 'zod'
import { POLICY_CATEGORIES } from '../catalog'
import { mobileSchema } from '../validators/schemas'
import { stationCodeSchema, timestampSchema } from './common'

/**
 * Consultations (政策咨询) and appointments (预约). Question text is plain text everywhere: no
 * markup is interpreted on any target, so it is only trimmed and length-checked here.
 */
const topics = Object.keys(POLICY_CATEGORIES) as [
  keyof typeof POLICY_CATEGORIES,
  ...(keyof typeof POLICY_CATEGORIES)[],
]

function isControl(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f
}

export const plainText = (what: string, max: number) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .min(2, { error: `${what}至少 2 个字` })
    .max(max, { error: `${what}最多 ${max} 个字` })
    // Control characters other than line breaks and tabs have no place in a question.
    .refine((text) => ![...text].some(isControl), { error: `${what}含有无法显示的字符` })

export const ConsultationCreateSchema = z
  .strictObject({
    station: stationCodeSchema,
    topic: z.enum(topics, { error: '请选择咨询的主题' }),
    text: plainText('问题', 500),
    /** How the resident wants the answer: in the app (我的咨询), or a call back. */
    contact: z.enum(['in_app', 'phone'], { error: '请选择联系方式' }),
    mobile: mobileSchema.optional(),
    notify: z.boolean().optional(),
  })
  .superRefine((body, ctx) => {
    if (body.contact === 'phone' && !body.mobile) {
      ctx.addIssue({ code: 'custom', path: ['mobile'], message: '选择电话回复时请填写手机号' })
    }
  })
  .meta({ id: 'ConsultationCreate' })
export type ConsultationCreate = z.infer<typeof ConsultationCreateSchema>

/** 政务服务“好差评”: the national five-level scale; 不满意 and 非常不满意 are 差评. */
export const RATINGS = {
  5: '非常满意',
  4: '满意',
  3: '基本满意',
  2: '不满意',
  1: '非常不满意',
} as const
export const isPoorRating = (rating: number) => rating <= 2

export const CONSULT_STATUSES = {
  open: '待答复',
  answered: '已答复',
  reopened: '差评待复核',
  closed: '已办结',
} as const

export const MessageSchema = z.object({
  at: timestampSchema,
  from: z.enum(['resident', 'staff']),
  author: z.string().nullable().meta({ description: '工作人员显示名；居民为 null' }),
  text: z.string(),
  links: z.array(z.string()).meta({ description: '附带的口袋书条目编号' }),
})

export const ConsultationViewSchema = z
  .object({
    id: z.string(),
    station: z.object({ code: z.string(), name: z.string() }),
    topic: z.enum(topics),
    status: z.enum(['open', 'answered', 'reopened', 'closed']),
    version: z.number().int(),
    createdAt: timestampSchema,
    dueAt: timestampSchema.nullable().meta({ description: '首次答复期限（工作日）；已答复为 null' }),
    overdue: z.boolean(),
    messages: z.array(MessageSchema),
    unread: z.boolean().meta({ description: '居民有未读的答复' }),
    rating: z
      .object({ score: z.number().int(), label: z.string(), comment: z.string().optional() })
      .nullable(),
    contact: z.enum(['in_app', 'phone']),
    mobile: z.string().nullable().meta({ description: '电话回复时的手机号（工作人员看到脱敏）' }),
  })
  .meta({ id: 'Consultation' })
export type ConsultationView = z.infer<typeof ConsultationViewSchema>

export const ConsultationListSchema = z
  .object({ items: z.array(ConsultationViewSchema), unread: z.number().int() })
  .meta({ id: 'ConsultationList' })

export const ReplySchema = z
  .strictObject({
    version: z.number({ error: '缺少版本号' }).int().min(1),
    text: plainText('答复', 1000),
    links: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/))
      .max(5)
      .optional(),
    close: z.boolean().optional(),
  })
  .meta({ id: 'ConsultationReply' })

export const FollowUpSchema = z
  .strictObject({ text: plainText('追问', 500) })
  .meta({ id: 'ConsultationFollowUp' })

export const TransferSchema = z
  .strictObject({
    version: z.number().int().min(1),
    to: stationCodeSchema,
    note: z.string().trim().max(200).optional(),
  })
  .meta({ id: 'ConsultationTransfer' })

export const RateSchema = z
  .strictObject({
    score: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)], {
      error: '请选择评价：非常满意、满意、基本满意、不满意或非常不满意',
    }),
    comment: z.string().trim().max(200, { error: '评价最多 200 个字' }).optional(),
  })
  .meta({ id: 'ConsultationRating' })

export const ConsultParamsSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f-]{36}$/, { error: '咨询编号有误' }),
})

export const InboxQuerySchema = z.strictObject({
  station: stationCodeSchema.optional().meta({ description: '人社部门查看某个服务点时必填' }),
  status: z.enum(['open', 'answered', 'reopened', 'closed']).optional(),
})

/** Canned answers staff start from (editable before sending). */
export const CANNED_ANSWERS: readonly { id: string; title: string; text: string }[] = [
  {
    id: 'see-entry',
    title: '请看口袋书条目',
    text: '您好，您咨询的政策在“创业政策口袋书”中有详细说明，已附上链接。如仍有疑问，欢迎到服务点当面咨询。',
  },
  {
    id: 'visit',
    title: '请带材料到服务点',
    text: '您好，这项业务需要核对材料，请携带身份证和营业执照（如已办理）到服务点办理，可先在“预约”里选择时间。',
  },
  {
    id: 'loan',
    title: '创业担保贷款怎么申请',
    text: '您好，符合条件的重点群体可以在本服务点或助创驿站提交创业担保贷款受理，线上填写约 5 分钟，银行会在 2 个工作日内联系您。',
  },
]

/** Appointments: a station's weekly slots with a capacity, and dated exceptions. */
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: '时间格式应为 09:00' })
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: '日期格式应为 2026-11-23' })

export const SlotTemplateSchema = z
  .strictObject({
    weekday: z.number().int().min(1, { error: '星期为 1–7' }).max(7, { error: '星期为 1–7' }),
    start: time,
    end: time,
    capacity: z.number().int().min(1, { error: '名额至少 1 个' }).max(50, { error: '名额最多 50 个' }),
  })
  .refine((slot) => slot.start < slot.end, { error: '结束时间应晚于开始时间', path: ['end'] })

export const SlotExceptionSchema = z.strictObject({
  date,
  /** Closed that day (a holiday, a closure), or a different capacity for every slot of the day. */
  closed: z.boolean().optional(),
  capacity: z.number().int().min(0).max(50).optional(),
  note: z.string().trim().max(60).optional(),
})

export const SlotScheduleSchema = z
  .strictObject({
    weekly: z.array(SlotTemplateSchema).max(70),
    exceptions: z.array(SlotExceptionSchema).max(100),
  })
  .meta({ id: 'SlotSchedule' })
export type SlotSchedule = z.infer<typeof SlotScheduleSchema>

export const SlotListSchema = z
  .object({
    items: z.array(
      z.object({
        date: z.string(),
        start: z.string(),
        end: z.string(),
        capacity: z.number(),
        booked: z.number(),
        available: z.number(),
      }),
    ),
  })
  .meta({ id: 'SlotList' })

export const SlotQuerySchema = z.strictObject({
  from: date.optional(),
  days: z.coerce.number().int().min(1).max(31).optional(),
})

export const BookingCreateSchema = z
  .strictObject({
    station: stationCodeSchema,
    date,
    start: time,
    note: z.string().trim().max(100).optional(),
  })
  .meta({ id: 'BookingCreate' })

export const BookingViewSchema = z
  .object({
    id: z.string(),
    station: z.object({ code: z.string(), name: z.string() }),
    date: z.string(),
    start: z.string(),
    end: z.string(),
    status: z.enum(['booked', 'cancelled', 'attended', 'absent']),
    who: z.string().meta({ description: '预约人（工作人员看到的称呼）' }),
    createdAt: timestampSchema,
  })
  .meta({ id: 'Booking' })
export type BookingView = z.infer<typeof BookingViewSchema>

export const BookingListSchema = z.object({ items: z.array(BookingViewSchema) }).meta({ id: 'BookingList' })
export const BookingParamsSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f-]{36}$/, { error: '预约编号有误' }),
})
export const DayQuerySchema = z.strictObject({ date })
export const AttendanceSchema = z
  .strictObject({ attended: z.boolean({ error: '请选择是否到场' }) })
  .meta({ id: 'Attendance' })
