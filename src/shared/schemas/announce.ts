import { z } from 'zod'
import { POLICY_CATEGORIES } from '../catalog'
import { stationCodeSchema, timestampSchema } from './common'
import { plainText } from './consult'

/** Announcements (政策推送): composed by officials, targeted, published now or later, corrected or withdrawn. */
const categories = Object.keys(POLICY_CATEGORIES) as [
  keyof typeof POLICY_CATEGORIES,
  ...(keyof typeof POLICY_CATEGORIES)[],
]
const region = z.string().regex(/^\d{6}$/, { error: '地区代码应为 6 位数字' })
const group = z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, { error: '未知的群体' })

export const TargetSchema = z
  .strictObject({
    regions: z.array(region).max(20),
    stations: z.array(stationCodeSchema).max(50),
    /** Empty: everyone in the regions / at the stations. */
    groups: z.array(group).max(10),
  })
  .refine((target) => target.regions.length + target.stations.length > 0, {
    error: '请至少选择一个地区或服务点',
    path: ['regions'],
  })

export const AnnouncementInputSchema = z
  .strictObject({
    title: plainText('标题', 60),
    body: plainText('正文', 5000),
    category: z.enum(categories, { error: '请选择类别' }),
    links: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/)).max(5),
    target: TargetSchema,
    /** When to publish; absent or past: now. */
    publishAt: timestampSchema.optional(),
  })
  .meta({ id: 'AnnouncementInput' })
export type AnnouncementInput = z.infer<typeof AnnouncementInputSchema>

export const AnnouncementViewSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    body: z.string(),
    category: z.enum(categories),
    links: z.array(z.string()),
    target: z.object({
      regions: z.array(z.string()),
      stations: z.array(z.string()),
      groups: z.array(z.string()),
    }),
    status: z.enum(['scheduled', 'published', 'withdrawn']),
    version: z.number().int(),
    publishAt: timestampSchema,
    corrections: z.array(z.object({ at: timestampSchema, note: z.string() })),
    read: z.boolean().optional(),
  })
  .meta({ id: 'Announcement' })
export type AnnouncementView = z.infer<typeof AnnouncementViewSchema>

export const FeedQuerySchema = z.strictObject({
  station: stationCodeSchema.optional(),
  region: region.optional(),
  groups: z
    .string()
    .regex(/^[a-z][a-z0-9_,]{0,200}$/, { error: '群体参数有误' })
    .optional()
    .meta({ description: '逗号分隔的群体编号' }),
})

export const FeedSchema = z
  .object({ items: z.array(AnnouncementViewSchema), unread: z.number().int() })
  .meta({ id: 'Feed' })

export const CorrectionSchema = z
  .strictObject({
    version: z.number().int().min(1),
    title: plainText('标题', 60).optional(),
    body: plainText('正文', 5000).optional(),
    note: plainText('更正说明', 100),
  })
  .meta({ id: 'AnnouncementCorrection' })

export const WithdrawSchema = z
  .strictObject({ version: z.number().int().min(1), note: plainText('撤回说明', 100) })
  .meta({ id: 'AnnouncementWithdrawal' })

export const AnnouncementParamsSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f-]{36}$/, { error: '公告编号有误' }),
})

/** A resident's opt-in: one-time subscriptions add one send each; long-term where allowed. */
export const SubscriptionSchema = z
  .strictObject({
    templateId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: '模板编号有误' }),
    kind: z.enum(['one_time', 'long_term']),
    /** How many one-time opt-ins the resident accepted in this prompt (each allows one send). */
    count: z.number().int().min(1).max(10).optional(),
    station: stationCodeSchema.optional(),
    region,
    groups: z.array(group).max(8),
  })
  .meta({ id: 'Subscription' })

export const DeliveryStatsSchema = z
  .object({
    sent: z.number(),
    failed: z.number(),
    skipped: z.number(),
    pending: z.number(),
    total: z.number(),
  })
  .meta({ id: 'DeliveryStats' })
