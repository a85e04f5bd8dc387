import { z } from 'zod'
import {
  AnnouncementInputSchema,
  AnnouncementParamsSchema,
  AnnouncementViewSchema,
  CorrectionSchema,
  DeliveryStatsSchema,
  FeedQuerySchema,
  FeedSchema,
  SubscriptionSchema,
  WithdrawSchema,
} from '../../../src/shared/schemas/announce'
import { announcements } from '../announcements'
import { AppError } from '../errors'
import { wechatClient } from '../platforms/logins'
import { enforce } from '../ratelimit'
import { stations } from '../repos/stations'
import { defineRoute, type Route, requireCaller } from '../route'

export const announcementRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/api/v1/announcements',
    operationId: 'publishAnnouncement',
    summary: '发布政策推送（人社部门限本地区；可定时发布）',
    tag: 'announcement',
    body: AnnouncementInputSchema,
    response: AnnouncementViewSchema,
    status: 201,
    errors: ['rate_limited'],
    async handler({ body, access, caller, ip, requestId }) {
      const who = requireCaller(caller)
      await enforce('create', { ip, identity: who.account.id })
      const stationRegions: string[] = []
      for (const code of body.target.stations) {
        const station = await stations.get(code)
        if (!station)
          throw new AppError('validation_failed', {
            fields: { 'target.stations': [`没有编码为 ${code} 的服务点`] },
          })
        stationRegions.push(station.regionCode)
      }
      return announcements.publish(body, access, who, requestId, stationRegions)
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/manage/announcements',
    operationId: 'listManagedAnnouncements',
    summary: '本地区发布过的推送',
    tag: 'announcement',
    response: z.object({ items: z.array(AnnouncementViewSchema) }),
    async handler({ access }) {
      return { items: await announcements.managed(access) }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/announcements/{id}/correct',
    operationId: 'correctAnnouncement',
    summary: '更正已发布的推送（居民看到更正说明和时间）',
    tag: 'announcement',
    params: AnnouncementParamsSchema,
    body: CorrectionSchema,
    response: AnnouncementViewSchema,
    errors: ['not_found', 'conflict'],
    async handler({ params, body, access, caller, requestId }) {
      return announcements.correct(
        await announcements.editable(access, params.id),
        body,
        requireCaller(caller),
        requestId,
      )
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/announcements/{id}/withdraw',
    operationId: 'withdrawAnnouncement',
    summary: '撤回推送',
    tag: 'announcement',
    params: AnnouncementParamsSchema,
    body: WithdrawSchema,
    response: AnnouncementViewSchema,
    errors: ['not_found', 'conflict'],
    async handler({ params, body, access, caller, requestId }) {
      return announcements.withdraw(
        await announcements.editable(access, params.id),
        body,
        requireCaller(caller),
        requestId,
      )
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/announcements/{id}/deliveries',
    operationId: 'getAnnouncementDeliveries',
    summary: '推送进度：已发送、失败、跳过、待发送',
    tag: 'announcement',
    params: AnnouncementParamsSchema,
    response: DeliveryStatsSchema,
    errors: ['not_found'],
    async handler({ params, access }) {
      await announcements.editable(access, params.id)
      return announcements.stats(params.id)
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/feed',
    operationId: 'getFeed',
    summary: '居民的消息：本地区、本服务点、本人群体的推送，新的在前',
    tag: 'announcement',
    query: FeedQuerySchema,
    response: FeedSchema,
    async handler({ query, caller }) {
      let region = query.region
      if (!region && query.station) region = (await stations.getRecent(query.station))?.regionCode
      return announcements.feed({
        account: requireCaller(caller).account.id,
        region,
        station: query.station,
        groups: query.groups ? query.groups.split(',').filter(Boolean) : [],
      })
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/announcements/{id}',
    operationId: 'getAnnouncement',
    summary: '一条已发布的推送',
    tag: 'announcement',
    params: AnnouncementParamsSchema,
    response: AnnouncementViewSchema,
    errors: ['not_found'],
    async handler({ params }) {
      return announcements.view(params.id)
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/announcements/{id}/read',
    operationId: 'readAnnouncement',
    summary: '标记已读',
    tag: 'announcement',
    params: AnnouncementParamsSchema,
    response: z.object({ ok: z.boolean() }),
    errors: ['not_found'],
    async handler({ params, caller }) {
      await announcements.view(params.id)
      await announcements.markRead(requireCaller(caller).account.id, params.id)
      return { ok: true }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/subscriptions',
    operationId: 'subscribe',
    summary: '订阅推送（微信 requestSubscribeMessage 同意后上报；一次性订阅按次计）',
    tag: 'announcement',
    body: SubscriptionSchema,
    response: z.object({ ok: z.boolean() }),
    status: 201,
    errors: ['unprocessable', 'rate_limited'],
    async handler({ body, caller, ip }) {
      const who = requireCaller(caller)
      await enforce('create', { ip, identity: who.account.id })
      const client = wechatClient()
      const prefix = client ? `wechat:${client.appid}:` : null
      const identity = prefix ? who.account.identities.find((item) => item.startsWith(prefix)) : undefined
      if (!prefix || !identity) {
        throw new AppError('unprocessable', {
          message: '订阅消息仅在微信小程序中可用；H5 请在“消息”里查看推送',
        })
      }
      await announcements.subscribe({
        account: who.account.id,
        openid: identity.slice(prefix.length),
        templateId: body.templateId,
        kind: body.kind,
        count: body.count ?? 1,
        region: body.region,
        station: body.station,
        groups: body.groups,
      })
      return { ok: true }
    },
  }),
]
