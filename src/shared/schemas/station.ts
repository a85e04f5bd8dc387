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
    kind: stationKindSchema,
    name: z.string().min(1).max(60),
    regionCode: regionCodeParamSchema,
    districtName: z.string(),
    address: z.string().min(1).max(120),
    hours: z.string().min(1).max(60),
    services: z.array(stationServiceSchema).min(1),
    phone: z.string().max(20),
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
})
export type StationQuery = z.infer<typeof StationQuerySchema>

export const StationParamsSchema = z.strictObject({ code: stationCodeSchema })
