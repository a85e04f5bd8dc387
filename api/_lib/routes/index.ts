import { z } from 'zod'
import { buildOpenApi } from '../openapi'
import { defineRoute, type Route } from '../route'
import { announcementRoutes } from './announcements'
import { authRoutes } from './auth'
import { consultRoutes } from './consults'
import { identityRoutes } from './identity'
import { intakeRoutes } from './intakes'
import { policyRoutes } from './policies'
import { posterRoutes, stationAdminRoutes, stationRoutes } from './stations'
import { systemRoutes } from './system'

const openApiRoute = defineRoute({
  method: 'GET',
  path: '/api/openapi.json',
  operationId: 'getOpenApi',
  summary: '本 API 的 OpenAPI 3.1 描述（由共享的 zod 模式生成）',
  tag: 'system',
  response: z.record(z.string(), z.unknown()),
  async handler({ setHeader }) {
    setHeader('Cache-Control', 'public, max-age=300')
    document ??= buildOpenApi(routes)
    return document
  },
})

let document: Record<string, unknown> | undefined

/** Every route the API serves; the router and the OpenAPI document both read this list. */
export const routes: readonly Route[] = [
  ...systemRoutes,
  openApiRoute,
  ...stationRoutes,
  ...authRoutes,
  ...identityRoutes,
  ...stationAdminRoutes,
  ...posterRoutes,
  ...intakeRoutes,
  ...policyRoutes,
  ...consultRoutes,
  ...announcementRoutes,
]
