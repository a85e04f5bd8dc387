import { z } from 'zod'
import { REGIONS } from '../../../src/shared/regions'
import {
  ArrivalSchema,
  CodeResolutionSchema,
  ScanQuerySchema,
  ScanStatsSchema,
  StationCreateSchema,
  StationListSchema,
  StationParamsSchema,
  StationQuerySchema,
  StationSummarySchema,
  StationUpdateSchema,
} from '../../../src/shared/schemas/station'
import { audit } from '../audit'
import { AppError } from '../errors'
import { wechatClient } from '../platforms/logins'
import { createWxacodeService, type WxacodeService } from '../platforms/wxacode'
import { type AccessScope, canSee } from '../policy'
import { renderPoster } from '../poster/pdf'
import { qrPng, qrSvg, stationLink } from '../poster/qr'
import { enforce } from '../ratelimit'
import { posterCodes, type StationRecord, scans, stations } from '../repos/stations'
import { BinaryBody, defineRoute, type Route } from '../route'

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
  defineRoute({
    method: 'POST',
    path: '/api/v1/poster-codes/{code}',
    operationId: 'resolvePosterCode',
    summary: '小程序入口：把扫到的短码（或链接里的服务点编码）解析为服务点，扫码进入时计一次扫码',
    tag: 'registry',
    params: StationParamsSchema,
    body: ArrivalSchema,
    response: CodeResolutionSchema,
    errors: ['not_found'],
    async handler({ params, body }) {
      let resolution = await posterCodes.resolve(params.code)
      if (resolution.status === 'unknown' && body.via === 'link') {
        // Links inside the app carry the station's own code rather than a poster code.
        const station = await stations.get(params.code)
        if (station) resolution = { status: 'active', station }
      }
      if (resolution.status === 'unknown' || resolution.station.status === 'suspended') {
        throw new AppError('not_found', { message: '没有找到这个服务点，或它暂停服务' })
      }
      if (body.via !== 'link') await scans.record(resolution.station.code)
      return {
        status: resolution.status,
        station: summary(resolution.station),
        replacedBy: resolution.status === 'revoked' ? resolution.replacedBy : null,
      }
    },
  }),
]

/** A station as this caller may manage it, or the same 404 as a missing one. */
async function manageable(access: AccessScope, code: string): Promise<StationRecord> {
  const station = await stations.get(code)
  if (!station || !canSee(access, { station: station.code, region: station.regionCode })) {
    throw new AppError('not_found', { message: '没有找到这个服务点，请核对编码' })
  }
  return station
}

export const stationAdminRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/manage/stations',
    operationId: 'listManagedStations',
    summary: '本范围内的全部服务点（含暂停服务的），供管理',
    tag: 'registry',
    query: StationQuerySchema.pick({ region: true }),
    response: StationListSchema,
    async handler({ query, access }) {
      const items = await stations.listManaged(access, query)
      return { items: items.map(summary) }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/stations',
    operationId: 'createStation',
    summary: '新建就享家服务站或助创驿站（人社部门限本地区）',
    tag: 'registry',
    body: StationCreateSchema,
    response: StationSummarySchema,
    status: 201,
    errors: ['conflict', 'rate_limited'],
    async handler({ body, access, caller, ip, requestId }) {
      if (!caller) throw new AppError('unauthenticated')
      await enforce('create', { ip, identity: caller.account.id })
      if (!REGIONS.some((region) => region.code === body.regionCode)) {
        throw new AppError('validation_failed', { fields: { regionCode: ['本服务尚未覆盖这个地区'] } })
      }
      if (!canSee(access, { region: body.regionCode }))
        throw new AppError('forbidden', { message: '只能在本地区新建服务点' })
      if (body.kind === 'bank_point' && !body.bank) {
        throw new AppError('validation_failed', { fields: { bank: ['助创驿站请填写所在银行'] } })
      }
      if ((await stations.get(body.code)) || (await posterCodes.resolve(body.code)).status !== 'unknown') {
        throw new AppError('conflict', { message: '这个编码已被使用', fields: { code: ['编码已被使用'] } })
      }
      const record = await stations.put({ ...body, posterCode: body.code, status: 'active' })
      await audit({ action: 'station_created', actor: caller.account.id, target: record.code, requestId })
      return summary(record)
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/api/v1/stations/{code}',
    operationId: 'updateStation',
    summary: '修改服务点信息，或暂停/恢复服务',
    tag: 'registry',
    params: StationParamsSchema,
    body: StationUpdateSchema,
    response: StationSummarySchema,
    errors: ['not_found'],
    async handler({ params, body, access, caller, requestId }) {
      if (!caller) throw new AppError('unauthenticated')
      const station = await manageable(access, params.code)
      const record = await stations.put({ ...summary(station), ...body })
      await audit({
        action: 'station_updated',
        actor: caller.account.id,
        target: record.code,
        requestId,
        detail: { fields: Object.keys(body).join(',') },
      })
      return summary(record)
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/stations/{code}/poster-code',
    operationId: 'reissuePosterCode',
    summary: '换发海报短码：旧码立即作废（扫旧海报会提示已更换），返回新码',
    tag: 'registry',
    params: StationParamsSchema,
    response: StationSummarySchema,
    errors: ['not_found', 'rate_limited'],
    async handler({ params, access, caller, ip, requestId }) {
      if (!caller) throw new AppError('unauthenticated')
      await enforce('create', { ip, identity: caller.account.id })
      const station = await manageable(access, params.code)
      const record = await posterCodes.reissue(station.code)
      if (!record) throw new AppError('not_found')
      await audit({
        action: 'poster_code_reissued',
        actor: caller.account.id,
        target: record.code,
        requestId,
        detail: { revoked: station.posterCode, issued: record.posterCode },
      })
      return summary(record)
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/stations/{code}/scans',
    operationId: 'getStationScans',
    summary: '服务点二维码每日扫码次数（中国时间），默认近 7 天',
    tag: 'registry',
    params: StationParamsSchema,
    query: ScanQuerySchema,
    response: ScanStatsSchema,
    errors: ['not_found'],
    async handler({ params, query, access }) {
      const station = await manageable(access, params.code)
      const days = await scans.recent(station.code, Math.max(query.days ?? 7, 7))
      const week = days.slice(-7).reduce((sum, day) => sum + day.scans, 0)
      return {
        code: station.code,
        today: days.at(-1)?.scans ?? 0,
        week,
        days: days.slice(-(query.days ?? 7)),
      }
    },
  }),
]

const binary = z.custom<BinaryBody>((value) => value instanceof BinaryBody)

const QrQuerySchema = z.strictObject({
  format: z.enum(['svg', 'png'], { error: '格式只能是 svg 或 png' }).optional(),
})

export const posterRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/stations/{code}/poster.pdf',
    operationId: 'getStationPoster',
    summary: '可打印的 A4 服务海报（PDF）：名称、服务、时间、二维码和扫码说明',
    tag: 'registry',
    params: StationParamsSchema,
    response: binary,
    produces: 'application/pdf',
    errors: ['not_found'],
    async handler({ params, access, origin }) {
      const station = await manageable(access, params.code)
      const pdf = await renderPoster(summary(station), { origin })
      return new BinaryBody('application/pdf', pdf, `${station.posterCode}-poster.pdf`)
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/stations/{code}/qr',
    operationId: 'getStationQr',
    summary: '服务点的普通链接二维码（SVG 或 PNG），指向 /s/<短码>',
    tag: 'registry',
    params: StationParamsSchema,
    query: QrQuerySchema,
    response: binary,
    produces: 'image/svg+xml',
    errors: ['not_found'],
    async handler({ params, query, access, origin }) {
      const station = await manageable(access, params.code)
      const link = stationLink(origin, station.posterCode)
      if (query.format === 'png') {
        return new BinaryBody('image/png', await qrPng(link, { size: 600 }), `${station.posterCode}.png`)
      }
      return new BinaryBody('image/svg+xml', await qrSvg(link), `${station.posterCode}.svg`)
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/stations/{code}/wxacode',
    operationId: 'getStationWxacode',
    summary: '服务点的微信小程序码（wxacode.getUnlimited，scene 为 s=<编码>），已配置微信时可用',
    tag: 'registry',
    params: StationParamsSchema,
    response: binary,
    produces: 'image/png',
    errors: ['not_found', 'unprocessable', 'rate_limited'],
    async handler({ params, access }) {
      const station = await manageable(access, params.code)
      const client = wechatClient()
      if (!client)
        throw new AppError('unprocessable', { message: '本服务尚未配置微信小程序，无法生成小程序码' })
      wxacodes ??= createWxacodeService(client)
      const image = await wxacodes.stationWxacode(station.code, station.posterCode)
      return new BinaryBody(
        image[0] === 0xff ? 'image/jpeg' : 'image/png',
        image,
        `${station.code}-wxacode.png`,
      )
    },
  }),
]

let wxacodes: WxacodeService | undefined
