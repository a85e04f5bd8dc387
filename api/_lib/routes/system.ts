import { REGIONS } from '../../../src/shared/regions'
import { HealthSchema, RegionListSchema } from '../../../src/shared/schemas/health'
import { env } from '../env'
import { defineRoute, type Route } from '../route'
import { pingStore, store } from '../store'

export const systemRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/api/health',
    operationId: 'getHealth',
    summary: '服务健康状况：存储类型、Redis 是否可达、版本',
    tag: 'system',
    response: HealthSchema,
    errors: ['unavailable'],
    async handler({ setStatus }) {
      const { kind } = store()
      const ping = await pingStore()
      if (!ping.reachable) setStatus(503)
      return {
        status: ping.reachable ? 'ok' : 'degraded',
        version: env().APP_VERSION,
        store: { kind, ...ping },
        time: new Date().toISOString(),
      }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/regions',
    operationId: 'listRegions',
    summary: '本服务覆盖的地区（GB/T 2260 行政区划代码）',
    tag: 'registry',
    response: RegionListSchema,
    async handler({ setHeader }) {
      setHeader('Cache-Control', 'public, max-age=3600')
      return { items: REGIONS.map((region) => ({ ...region })) }
    },
  }),
]
