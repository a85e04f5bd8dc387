import { z } from 'zod'

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    store: z.object({
      kind: z.enum(['upstash', 'redis', 'embedded-redis', 'memory']),
      reachable: z.boolean(),
      latencyMs: z.number().optional(),
    }),
    time: z.string(),
  })
  .meta({ id: 'Health' })
export type Health = z.infer<typeof HealthSchema>

export const RegionSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    level: z.enum(['province', 'city', 'district']),
    parent: z.string().nullable(),
  })
  .meta({ id: 'Region' })
export const RegionListSchema = z.object({ items: z.array(RegionSchema) }).meta({ id: 'RegionList' })
