import { z } from 'zod'
import { POLICY_CATEGORIES } from '../catalog'
import { stationCodeSchema, timestampSchema } from './common'

/**
 * A pocket-book entry (创业政策口袋书): one policy a resident can use, written from a source
 * document and citing it. Its conditions are rules for the engine in `src/shared/rules/` (the
 * matcher evaluates them), with plain text beside them for reading.
 */
const categories = Object.keys(POLICY_CATEGORIES) as [
  keyof typeof POLICY_CATEGORIES,
  ...(keyof typeof POLICY_CATEGORIES)[],
]

export const policyCategorySchema = z.enum(categories, { error: '未知的政策类别' })

/** A structured amount: "一次性 5000 元", "最高 50 万元", "贴息 50%", "每人每月 …". */
export const BenefitSchema = z.strictObject({
  label: z.string().min(1).max(60),
  kind: z.enum(['fixed', 'up_to', 'percentage', 'per_person_month', 'text']),
  /** In the unit: 元 for money, % for a percentage. Absent for `text`. */
  amount: z.number().nonnegative().optional(),
  unit: z.enum(['元', '%', '人次', '月']).optional(),
  note: z.string().max(200).optional(),
})
export type Benefit = z.infer<typeof BenefitSchema>

/** Where a figure comes from. Every entry has one; figures not in the seeds carry their own. */
export const PolicySourceSchema = z.strictObject({
  title: z.string().min(2).max(120),
  /** 文号, null when the document has none. */
  documentNumber: z.string().max(60).nullable(),
  issuer: z.string().min(2).max(120),
  date: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, { error: '日期格式应为 2025-02-26、2025-02 或 2025' }),
  clause: z.string().min(1).max(120),
  /** The seed file the text comes from (shared/seeds), when it does. */
  seedFile: z.string().max(60).nullable(),
})
export type PolicySource = z.infer<typeof PolicySourceSchema>

/** A condition tree for the rules engine (see src/shared/rules/engine.ts); validated loosely here. */
const ConditionSchema: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.strictObject({
      id: z.string().min(1).max(80),
      fact: z.string().min(1).max(40),
      op: z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'includesAny', 'exists']),
      value: z
        .union([
          z.number(),
          z.string(),
          z.boolean(),
          z.array(z.string()),
          z.strictObject({ param: z.string() }),
        ])
        .optional(),
      label: z.string().min(1).max(120),
      met: z.string().max(200).optional(),
      notMet: z.string().max(200).optional(),
      unit: z.enum(['yuan', 'month', 'person']).optional(),
    }),
    z.strictObject({ all: z.array(ConditionSchema).min(1).max(20), label: z.string().optional() }),
    z.strictObject({ any: z.array(ConditionSchema).min(1).max(20), label: z.string().optional() }),
    z.strictObject({ when: ConditionSchema, check: ConditionSchema }),
  ]),
)

export const PolicyContentSchema = z
  .strictObject({
    title: z.string({ error: '请填写标题' }).trim().min(4, { error: '标题至少 4 个字' }).max(60),
    summary: z.string({ error: '请填写一句话摘要' }).trim().min(6).max(120),
    category: policyCategorySchema,
    /** GB/T 2260 codes; '000000' for national policies. */
    regions: z.array(z.string().regex(/^\d{6}$/)).min(1),
    /** Target-group ids (see TARGET_GROUPS); empty when open to everyone. */
    groups: z.array(z.string().regex(/^[a-z][a-z0-9_]{1,31}$/)),
    benefits: z.array(BenefitSchema).max(8),
    conditions: z.strictObject({
      rules: ConditionSchema.nullable(),
      text: z.array(z.string().min(2).max(200)).max(12),
    }),
    materials: z.array(z.string().min(2).max(120)).max(15),
    steps: z.array(z.string().min(2).max(160)).max(10),
    /** Stations and points where it is handled; empty: 各区人社部门 / any station. */
    applyAt: z.array(stationCodeSchema).max(20),
    applyNote: z.string().max(200).optional(),
    source: PolicySourceSchema,
    /** A local office's figure prevails over the one given here. */
    localNote: z.string().max(200).optional(),
    effectiveFrom: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable(),
    effectiveUntil: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable(),
    /** Extra search words (synonyms residents use: 大学生 for 高校毕业生, 个体户 for 个体工商户). */
    keywords: z.array(z.string().min(1).max(20)).max(20),
  })
  .meta({ id: 'PolicyContent' })
export type PolicyContent = z.infer<typeof PolicyContentSchema>

export const policyStatusSchema = z.enum(['draft', 'published', 'archived'])

export const PolicyEntrySchema = PolicyContentSchema.extend({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/),
  version: z.number().int().min(1),
  status: policyStatusSchema,
  updatedAt: timestampSchema,
  /** Account id of who saved this version (null for shipped content). */
  editor: z.string().nullable(),
}).meta({ id: 'PolicyEntry' })
export type PolicyEntry = z.infer<typeof PolicyEntrySchema>

/** What a list or a search shows of an entry. */
export const PolicySummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    summary: z.string(),
    category: policyCategorySchema,
    regions: z.array(z.string()),
    groups: z.array(z.string()),
    source: z.object({ title: z.string(), documentNumber: z.string().nullable(), clause: z.string() }),
  })
  .meta({ id: 'PolicySummary' })
export type PolicySummary = z.infer<typeof PolicySummarySchema>

export const PocketbookSchema = z
  .object({
    etag: z.string().meta({ description: '已发布内容的哈希；与本地副本相同时 entries 为 null' }),
    entries: z.array(PolicyEntrySchema).nullable(),
  })
  .meta({ id: 'Pocketbook' })

export const PocketbookQuerySchema = z.strictObject({
  have: z.string().max(64).optional().meta({ description: '本地副本的哈希' }),
})

export const SearchQuerySchema = z.strictObject({
  q: z
    .string({ error: '请输入要搜索的内容' })
    .trim()
    .min(1, { error: '请输入要搜索的内容' })
    .max(50, { error: '最多 50 个字' }),
  category: policyCategorySchema.optional(),
  group: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,31}$/, { error: '未知的群体' })
    .optional(),
  region: z
    .string()
    .regex(/^\d{6}$/, { error: '地区代码应为 6 位数字' })
    .optional(),
  limit: z.coerce.number().int().min(1).max(50).optional(),
})

export const SearchResultSchema = z
  .object({ etag: z.string(), items: z.array(PolicySummarySchema.extend({ score: z.number() })) })
  .meta({ id: 'PolicySearchResult' })

/** The matcher's questions: every fact the entries' rules use. Unanswered ones stay unknown. */
export const MatcherAnswersSchema = z
  .strictObject({
    region: z.string({ error: '请选择所在地区' }).regex(/^\d{6}$/, { error: '请选择所在地区' }),
    groups: z
      .array(z.string().regex(/^[a-z][a-z0-9_]{1,31}$/))
      .max(8)
      .optional(),
    businessStatus: z.enum(['not_registered', 'individual', 'micro'], { error: '请选择经营状态' }).optional(),
    yearsSinceGraduation: z.number().int().min(0).max(60).optional(),
    businessAgeMonths: z.number().int().min(0).max(1200).optional(),
    employees: z.number().int().min(0).max(100_000).optional(),
    newHires: z.number().int().min(0).max(100_000).optional(),
    failedBefore: z.boolean().optional(),
    wantsLoan: z.boolean().optional(),
    hasVenueNeed: z.boolean().optional(),
    inTraining: z.boolean().optional(),
  })
  .meta({ id: 'MatcherAnswers' })
export type MatcherAnswers = z.infer<typeof MatcherAnswersSchema>

export const MatchResultSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        category: policyCategorySchema,
        verdict: z.enum(['met', 'not_met', 'unknown']),
        conditions: z.array(
          z.object({
            id: z.string(),
            label: z.string(),
            verdict: z.enum(['met', 'not_met', 'unknown']),
            reason: z.string(),
          }),
        ),
        amounts: z
          .array(z.string())
          .meta({ description: '按规则估算的金额（如“一次性 5000 元”“最高 50 万元”）' }),
        source: z.object({ title: z.string(), documentNumber: z.string().nullable(), clause: z.string() }),
      }),
    ),
  })
  .meta({ id: 'MatchResult' })
export type MatchResult = z.infer<typeof MatchResultSchema>

/** Editing (officials in their region, administrators anywhere). */
export const PolicyDraftSchema = z
  .strictObject({
    /** The version the editor started from; null for a new entry. */
    version: z.number().int().min(1).nullable(),
    content: PolicyContentSchema,
  })
  .meta({ id: 'PolicyDraft' })

export const PolicyCreateSchema = z
  .strictObject({
    id: z
      .string({ error: '请填写编号' })
      .regex(/^[a-z0-9][a-z0-9-]{2,63}$/, { error: '编号为 3–64 位小写字母、数字或 -' }),
    content: PolicyContentSchema,
  })
  .meta({ id: 'PolicyCreate' })

export const PolicyActionSchema = z
  .strictObject({ version: z.number({ error: '缺少版本号' }).int().min(1) })
  .meta({ id: 'PolicyAction' })

export const PolicyVersionsSchema = z
  .object({
    items: z.array(
      z.object({
        version: z.number(),
        status: policyStatusSchema,
        updatedAt: z.string(),
        editor: z.string().nullable(),
        changes: z.array(z.object({ field: z.string(), before: z.string(), after: z.string() })),
      }),
    ),
  })
  .meta({ id: 'PolicyVersions' })

export const PolicyListSchema = z.object({ items: z.array(PolicyEntrySchema) }).meta({ id: 'PolicyList' })
export const PolicyParamsSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/, { error: '编号有误' }),
})
