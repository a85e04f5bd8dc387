import { z } from 'zod'
import { STATION_KINDS, STATION_SERVICES } from '../catalog'
import { regionCodeParamSchema, stationCodeSchema } from './common'

const kinds = Object.keys(STATION_KINDS) as [keyof typeof STATION_KINDS, ...(keyof typeof STATION_KINDS)[]]
const services = Object.keys(STATION_SERVICES) as [
  keyof typeof STATION_SERVICES,
  ...(keyof typeof STATION_SERVICES)[],
]

export const stationKindSchema = z.enum(kinds, { error: '服务点类型只能是 station 或 bank_point' })
export const stationServiceSchema = z.enum(services, { error: '未知的服务项目' })

/** What residents and the public see of a 就享家服务站 or 助创驿站. */
export const StationSummarySchema = z
  .object({
    code: stationCodeSchema,
    posterCode: stationCodeSchema.meta({
      description: '海报上当前有效的短码（/s/<短码>）；换发后旧码作废。演示站点的短码与编码相同',
    }),
    kind: stationKindSchema,
    name: z.string().min(1).max(60),
    regionCode: regionCodeParamSchema,
    districtName: z.string(),
    address: z.string().min(1).max(120),
    hours: z.string().min(1).max(60),
    services: z.array(stationServiceSchema).min(1),
    phone: z.string().max(20),
    location: z
      .object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) })
      .optional()
      .meta({ description: '坐标（GCJ-02，与微信、支付宝定位一致）' }),
    bank: z.string().max(40).optional().meta({ description: '助创驿站所在银行' }),
    branch: z.string().max(60).optional().meta({ description: '助创驿站所在网点' }),
    status: z.enum(['active', 'suspended']),
  })
  .meta({ id: 'StationSummary' })
export type StationSummary = z.infer<typeof StationSummarySchema>

export const StationListSchema = z
  .object({ items: z.array(StationSummarySchema) })
  .meta({ id: 'StationList' })
export type StationList = z.infer<typeof StationListSchema>

export const StationQuerySchema = z.strictObject({
  region: regionCodeParamSchema.optional(),
  kind: stationKindSchema.optional(),
  near: z
    .string()
    .regex(/^-?\d{1,2}(\.\d{1,7})?,-?\d{1,3}(\.\d{1,7})?$/, { error: '位置应为“纬度,经度”' })
    .optional()
    .meta({ description: '“纬度,经度”：按距离由近到远排序', example: '36.0671,120.3826' }),
})
export type StationQuery = z.infer<typeof StationQuerySchema>

export const StationParamsSchema = z.strictObject({ code: stationCodeSchema })

export const StationCreateSchema = z
  .strictObject({
    code: stationCodeSchema,
    kind: stationKindSchema,
    name: z
      .string({ error: '请填写名称' })
      .trim()
      .min(2, { error: '名称至少 2 个字' })
      .max(60, { error: '名称最多 60 个字' }),
    regionCode: regionCodeParamSchema,
    districtName: z.string().trim().min(1, { error: '请填写所在区县' }).max(30),
    address: z
      .string({ error: '请填写地址' })
      .trim()
      .min(2, { error: '请填写地址' })
      .max(120, { error: '地址最多 120 个字' }),
    hours: z.string({ error: '请填写开放时间' }).trim().min(2).max(60),
    services: z
      .array(stationServiceSchema, { error: '请选择服务项目' })
      .min(1, { error: '至少选择一项服务' })
      .max(5),
    phone: z
      .string({ error: '请填写电话' })
      .trim()
      .regex(/^[0-9-]{7,20}$/, { error: '电话只能包含数字和短横线' }),
    bank: z.string().trim().max(40).optional(),
    branch: z.string().trim().max(60).optional(),
  })
  .meta({ id: 'StationCreate' })

export const StationUpdateSchema = StationCreateSchema.omit({ code: true, kind: true, regionCode: true })
  .extend({ status: z.enum(['active', 'suspended'], { error: '状态只能是 active 或 suspended' }) })
  .partial()
  .refine((value) => Object.keys(value).length > 0, { error: '请至少修改一项' })
  .meta({ id: 'StationUpdate' })

export const ScanStatsSchema = z
  .object({
    code: z.string(),
    today: z.number().int(),
    week: z.number().int(),
    days: z.array(z.object({ day: z.string(), scans: z.number().int() })),
  })
  .meta({ id: 'ScanStats' })

export const ScanQuerySchema = z.strictObject({
  days: z.coerce
    .number({ error: '天数应为数字' })
    .int({ error: '天数应为整数' })
    .min(1, { error: '天数至少为 1' })
    .max(90, { error: '最多查看 90 天' })
    .optional(),
})

export const ArrivalSchema = z
  .strictObject({
    via: z.enum(['link', 'wxacode', 'wechat_qr', 'alipay_qr'], {
      error: '来源只能是 link、wxacode、wechat_qr 或 alipay_qr',
    }),
  })
  .meta({ id: 'Arrival', description: '从哪里进入：应用内链接不计扫码，其余各计一次扫码' })

/** What a printed code (or a station code in a link) leads to. */
export const CodeResolutionSchema = z
  .object({
    status: z.enum(['active', 'revoked']),
    station: StationSummarySchema,
    replacedBy: z.string().nullable().meta({ description: '海报已更换时，新海报的短码' }),
  })
  .meta({ id: 'CodeResolution' })
export type CodeResolution = z.infer<typeof CodeResolutionSchema>
