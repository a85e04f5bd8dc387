import {
  StationListSchema,
  StationParamsSchema,
  StationQuerySchema,
  StationSummarySchema,
} from '../../../src/shared/schemas/station'
import { AppError } from '../errors'
import { type StationRecord, stations } from '../repos/stations'
import { defineRoute, type Route } from '../route'

function summary({ updatedAt: _updatedAt, ...station }: StationRecord) {
  return station
}

export const stationRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/stations',
    operationId: 'listStations',
    summary: '就享家服务站与助创驿站列表，可按地区和类型筛选',
    tag: 'registry',
    query: StationQuerySchema,
    response: StationListSchema,
    async handler({ query, setHeader }) {
      setHeader('Cache-Control', 'public, max-age=60')
      const items = await stations.list(query)
      return { items: items.filter((station) => station.status === 'active').map(summary) }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/stations/{code}',
    operationId: 'getStation',
    summary: '一个服务点的详情',
    tag: 'registry',
    params: StationParamsSchema,
    response: StationSummarySchema,
    errors: ['not_found'],
    async handler({ params, setHeader }) {
      const station = await stations.get(params.code)
      if (!station) throw new AppError('not_found', { message: '没有找到这个服务点，请核对编码' })
      setHeader('Cache-Control', 'public, max-age=60')
      return summary(station)
    },
  }),
]
