import {
  AttendanceSchema,
  BookingCreateSchema,
  BookingListSchema,
  BookingParamsSchema,
  BookingViewSchema,
  ConsultationCreateSchema,
  ConsultationListSchema,
  ConsultationViewSchema,
  ConsultParamsSchema,
  DayQuerySchema,
  FollowUpSchema,
  InboxQuerySchema,
  RateSchema,
  ReplySchema,
  SlotListSchema,
  SlotQuerySchema,
  SlotScheduleSchema,
  TransferSchema,
} from '../../../src/shared/schemas/consult'
import { StationParamsSchema } from '../../../src/shared/schemas/station'
import { chinaDate } from '../../../src/shared/working-days'
import { audit } from '../audit'
import { bookings } from '../bookings'
import { consults, viewOf } from '../consults'
import { AppError } from '../errors'
import { type AccessScope, canSee } from '../policy'
import { enforce } from '../ratelimit'
import { stations } from '../repos/stations'
import { defineRoute, type Route, requireCaller } from '../route'

/** A station the caller manages (staff: theirs; officials: their region), else the same 404. */
async function managedStation(access: AccessScope, code: string | undefined): Promise<string> {
  if (access.rule === 'station' && !code) return access.station
  if (!code) throw new AppError('validation_failed', { fields: { station: ['请选择服务点'] } })
  const station = await stations.get(code)
  if (!station || !canSee(access, { station: station.code, region: station.regionCode })) {
    throw new AppError('not_found', { message: '没有找到这个服务点' })
  }
  return station.code
}

const forStaff = (access: AccessScope) => access.rule !== 'self'

export const consultRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/api/v1/consultations',
    operationId: 'askConsultation',
    summary: '向服务点提问（纯文本，500 字以内）',
    tag: 'consult',
    body: ConsultationCreateSchema,
    response: ConsultationViewSchema,
    status: 201,
    errors: ['rate_limited'],
    async handler({ body, caller, ip }) {
      const who = requireCaller(caller)
      await enforce('ask', { ip, identity: who.account.id })
      return consults.ask(body, who)
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/consultations/mine',
    operationId: 'listMyConsultations',
    summary: '我的咨询（含未读答复数）',
    tag: 'consult',
    response: ConsultationListSchema,
    async handler({ caller }) {
      return consults.mine(requireCaller(caller).account.id)
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/inbox',
    operationId: 'listInbox',
    summary: '服务点咨询收件箱：待答复的按期限排在前面',
    tag: 'consult',
    query: InboxQuerySchema,
    response: ConsultationListSchema,
    errors: ['not_found'],
    async handler({ query, access }) {
      const station = await managedStation(access, query.station)
      const items = await consults.inbox(station, query.status)
      return { items, unread: 0 }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/consultations/{id}',
    operationId: 'getConsultation',
    summary: '一条咨询及其往来（居民本人、服务点工作人员、本地区人社部门）',
    tag: 'consult',
    params: ConsultParamsSchema,
    response: ConsultationViewSchema,
    errors: ['not_found'],
    async handler({ params, access }) {
      const found = await consults.visible(access, params.id)
      return viewOf(found.record, found.version, forStaff(access))
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/consultations/{id}/read',
    operationId: 'readConsultation',
    summary: '居民已读答复',
    tag: 'consult',
    params: ConsultParamsSchema,
    response: ConsultationViewSchema,
    errors: ['not_found', 'conflict'],
    async handler({ params, access }) {
      return consults.markRead(await consults.visible(access, params.id))
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/consultations/{id}/messages',
    operationId: 'followUpConsultation',
    summary: '居民追问',
    tag: 'consult',
    params: ConsultParamsSchema,
    body: FollowUpSchema,
    response: ConsultationViewSchema,
    errors: ['not_found', 'conflict', 'rate_limited'],
    async handler({ params, body, access, caller, ip }) {
      await enforce('ask', { ip, identity: requireCaller(caller).account.id })
      return consults.followUp(await consults.visible(access, params.id), body.text)
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/consultations/{id}/rating',
    operationId: 'rateConsultation',
    summary: '好差评：非常满意…非常不满意；差评转主管复核',
    tag: 'consult',
    params: ConsultParamsSchema,
    body: RateSchema,
    response: ConsultationViewSchema,
    errors: ['not_found', 'conflict'],
    async handler({ params, body, access }) {
      return consults.rate(await consults.visible(access, params.id), body.score, body.comment)
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/consultations/{id}/reply',
    operationId: 'replyConsultation',
    summary: '答复咨询（可附口袋书条目、可同时办结）',
    tag: 'consult',
    params: ConsultParamsSchema,
    body: ReplySchema,
    response: ConsultationViewSchema,
    errors: ['not_found', 'conflict'],
    async handler({ params, body, access, caller, requestId }) {
      const found = await consults.visible(access, params.id)
      return consults.reply(
        found,
        { version: body.version, text: body.text, links: body.links ?? [], close: body.close === true },
        requireCaller(caller),
        requestId,
      )
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/consultations/{id}/transfer',
    operationId: 'transferConsultation',
    summary: '转交另一个服务点',
    tag: 'consult',
    params: ConsultParamsSchema,
    body: TransferSchema,
    response: ConsultationViewSchema,
    errors: ['not_found', 'conflict'],
    async handler({ params, body, access, caller, requestId }) {
      const found = await consults.visible(access, params.id)
      return consults.transfer(found, body, requireCaller(caller), requestId)
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/stations/{code}/slots',
    operationId: 'listSlots',
    summary: '服务点可预约的时段及余量',
    tag: 'appointment',
    params: StationParamsSchema,
    query: SlotQuerySchema,
    response: SlotListSchema,
    errors: ['not_found'],
    async handler({ params, query }) {
      const station = await stations.getRecent(params.code)
      if (station?.status !== 'active') throw new AppError('not_found', { message: '没有找到这个服务点' })
      const from = query.from ?? chinaDate(new Date())
      return { items: await bookings.slots(station.code, from, query.days ?? 14) }
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/api/v1/stations/{code}/slots',
    operationId: 'setSlots',
    summary: '设置每周预约时段、名额和例外日期（节假日、闭馆）',
    tag: 'appointment',
    params: StationParamsSchema,
    body: SlotScheduleSchema,
    response: SlotScheduleSchema,
    errors: ['not_found'],
    async handler({ params, body, access, caller, requestId }) {
      const station = await managedStation(access, params.code)
      await bookings.setSchedule(station, body)
      await audit({
        action: 'slots_updated',
        actor: requireCaller(caller).account.id,
        target: station,
        requestId,
      })
      return body
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/bookings',
    operationId: 'bookSlot',
    summary: '预约一个时段（约满或重复预约答 409）',
    tag: 'appointment',
    body: BookingCreateSchema,
    response: BookingViewSchema,
    status: 201,
    errors: ['conflict', 'rate_limited'],
    async handler({ body, caller, ip }) {
      const who = requireCaller(caller)
      await enforce('book', { ip, identity: who.account.id })
      return bookings.book({ station: body.station, date: body.date, start: body.start, caller: who })
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/bookings/mine',
    operationId: 'listMyBookings',
    summary: '我的预约',
    tag: 'appointment',
    response: BookingListSchema,
    async handler({ caller }) {
      return { items: await bookings.mine(requireCaller(caller).account.id) }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/bookings/{id}/cancel',
    operationId: 'cancelBooking',
    summary: '取消我的预约（名额随即释放）',
    tag: 'appointment',
    params: BookingParamsSchema,
    response: BookingViewSchema,
    errors: ['not_found', 'conflict'],
    async handler({ params, caller }) {
      const booking = await bookings.get(params.id)
      if (!booking || booking.owner !== requireCaller(caller).account.id) {
        throw new AppError('not_found', { message: '没有找到这个预约' })
      }
      return bookings.cancel(booking)
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/stations/{code}/bookings',
    operationId: 'listDayBookings',
    summary: '服务点某一天的预约名单',
    tag: 'appointment',
    params: StationParamsSchema,
    query: DayQuerySchema,
    response: BookingListSchema,
    errors: ['not_found'],
    async handler({ params, query, access }) {
      const station = await managedStation(access, params.code)
      return { items: await bookings.day(station, query.date) }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/bookings/{id}/attendance',
    operationId: 'markAttendance',
    summary: '登记到场或未到',
    tag: 'appointment',
    params: BookingParamsSchema,
    body: AttendanceSchema,
    response: BookingViewSchema,
    errors: ['not_found', 'conflict'],
    async handler({ params, body, access, caller, requestId }) {
      const booking = await bookings.get(params.id)
      if (!booking || !canSee(access, { station: booking.station })) {
        throw new AppError('not_found', { message: '没有找到这个预约' })
      }
      const view = await bookings.attend(booking, body.attended)
      await audit({
        action: 'booking_attendance',
        actor: requireCaller(caller).account.id,
        target: booking.id,
        requestId,
        detail: { attended: body.attended },
      })
      return view
    },
  }),
]
