import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../../api/_lib/bookings'
import { type Caller, POLICY } from '../../api/_lib/policy'
import { type AccountRecord, accounts } from '../../api/_lib/repos/accounts'
import { routes } from '../../api/_lib/routes'
import { startSession } from '../../api/_lib/sessions'
import { CONSENT_VERSION } from '../../src/shared/schemas/intake'
import { startTestApi, type TestApi } from '../support/api-server'
import { intakeBody } from '../support/people'

/** A valid pocket-book entry body; the matrix only varies its region. */
const policyContent = {
  title: '矩阵测试用政策条目',
  summary: '用于权限矩阵测试的条目摘要',
  category: 'service',
  regions: ['370200'],
  groups: [],
  benefits: [],
  conditions: { rules: null, text: [] },
  materials: [],
  steps: [],
  applyAt: [],
  source: {
    title: '测试文件',
    documentNumber: null,
    issuer: '测试单位',
    date: '2026',
    clause: '第一条',
    seedFile: null,
  },
  effectiveFrom: null,
  effectiveUntil: null,
  keywords: [],
}

/**
 * Every route × every kind of caller × {own record, another tenant's record, a record that does
 * not exist}, with the expected outcome derived from the policy table — not written by hand.
 * A route without a case here fails the test, and so does any mismatch.
 */
type Actor =
  | 'anonymous'
  | 'h5Resident'
  | 'residentA'
  | 'residentB'
  | 'stationS1'
  | 'stationS2'
  | 'bankB1'
  | 'bankB2'
  | 'officialR1'
  | 'officialR2'
  | 'admin'
type Target = 'own' | 'other' | 'missing'

interface Fixture {
  account: AccountRecord | null
  token: string | null
}

const ROLE_OF: Record<Actor, Caller> = {
  anonymous: 'anonymous',
  h5Resident: 'resident',
  residentA: 'resident',
  residentB: 'resident',
  stationS1: 'station_staff',
  stationS2: 'station_staff',
  bankB1: 'bank_staff',
  bankB2: 'bank_staff',
  officialR1: 'official',
  officialR2: 'official',
  admin: 'admin',
}

interface Case {
  method: string
  path: string
  body?: unknown
  headers?: Record<string, string>
}

/** Which record each actor owns, and which belongs to somebody else, per kind of record. */
type CaseBuilder = (actor: Actor, target: Target, fx: Record<Actor, Fixture>) => Case
/** Whether a record-level route shows a record outside the caller's tenancy (public data). */
const RECORD_ROUTES = new Set([
  'getStation',
  'resolvePosterCode',
  'getAccount',
  'updateAccount',
  'updateStation',
  'reissuePosterCode',
  'getStationScans',
  'getStationPoster',
  'getStationQr',
  'getStationWxacode',
  'getIntake',
  'transitionIntake',
  'revealIntake',
  'getPolicy',
  'getPolicyCardSvg',
  'getPolicyCardPng',
  'savePolicyDraft',
  'publishPolicy',
  'archivePolicy',
  'listPolicyVersions',
  'getConsultation',
  'readConsultation',
  'followUpConsultation',
  'rateConsultation',
  'replyConsultation',
  'transferConsultation',
  'listSlots',
  'setSlots',
  'listDayBookings',
  'cancelBooking',
  'markAttendance',
  'getAnnouncement',
  'correctAnnouncement',
  'withdrawAnnouncement',
  'getAnnouncementDeliveries',
])

/** An announcement composed in each region (filled in before the matrix runs). */
const announcementOf: Record<'QD' | 'CQ', string> = { QD: '', CQ: '' }
const announcementFor = (actor: Actor, target: Target) => {
  if (target === 'missing') return randomUUID()
  const own = ownStation[actor].startsWith('QD') ? 'QD' : 'CQ'
  return announcementOf[target === 'own' ? own : own === 'QD' ? 'CQ' : 'QD']
}
const announcementBody = (regions: string[]) => ({
  title: '矩阵测试推送',
  body: '矩阵测试的正文',
  category: 'service',
  links: [],
  target: { regions, stations: [], groups: [] },
})

/** Consultations and bookings: one per station (filled in before the matrix runs) and one per resident. */
const consultAt: Record<string, string> = {}
const consultOf: Partial<Record<Actor, string>> = {}
const bookingAt: Record<string, string> = {}
const bookingOf: Partial<Record<Actor, string>> = {}
const RESIDENTS: Actor[] = ['h5Resident', 'residentA', 'residentB']
const otherResident = (actor: Actor): Actor => (actor === 'residentA' ? 'residentB' : 'residentA')
function recordFor(
  actor: Actor,
  target: Target,
  atStation: Record<string, string>,
  ofResident: Partial<Record<Actor, string>>,
) {
  if (target === 'missing') return randomUUID()
  if (RESIDENTS.includes(actor))
    return (target === 'own' ? ofResident[actor] : ofResident[otherResident(actor)]) ?? randomUUID()
  return atStation[target === 'own' ? ownStation[actor] : otherStation(actor)] ?? randomUUID()
}
const BOOKING_DAY = new Date(Date.now() + 7 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10)
const neighbour = (code: string) =>
  code.startsWith('QD') ? (code === 'QD0002' ? 'QD0001' : 'QD0002') : code === 'CQ0002' ? 'CQ0001' : 'CQ0002'

/** A pocket-book entry of each region (filled in before the matrix runs). */
const policyOf: Record<'QD' | 'CQ', string> = { QD: '', CQ: '' }
const policyFor = (actor: Actor, target: Target) => {
  if (target === 'missing') return 'no-such-policy'
  const own = ownStation[actor].startsWith('QD') ? 'QD' : 'CQ'
  return policyOf[target === 'own' ? own : own === 'QD' ? 'CQ' : 'QD']
}
const regionFor = (actor: Actor, target: Target) =>
  (ownStation[actor].startsWith('QD') ? target === 'own' : target !== 'own') ? '370200' : '500000'

/** One intake filed at every demo station (filled in before the matrix runs). */
const intakeAt: Record<string, string> = {}
const intakeFor = (actor: Actor, target: Target) =>
  target === 'missing'
    ? randomUUID()
    : (intakeAt[target === 'own' ? ownStation[actor] : otherStation(actor)] ?? randomUUID())

const ownStation: Record<Actor, string> = {
  anonymous: 'QD0001',
  h5Resident: 'QD0001',
  residentA: 'QD0001',
  residentB: 'QD0002',
  stationS1: 'QD0001',
  stationS2: 'QD0002',
  bankB1: 'CQ0001',
  bankB2: 'CQ0002',
  officialR1: 'QD0003',
  officialR2: 'CQ0003',
  admin: 'QD0004',
}

function otherStation(actor: Actor): string {
  return ownStation[actor].startsWith('QD') ? 'CQ0004' : 'QD0004'
}

/** An account id the actor may manage: themselves, or a staff account in their region. */
function ownAccount(actor: Actor, fx: Record<Actor, Fixture>): string {
  if (actor === 'officialR1') return fx.stationS1.account?.id ?? ''
  if (actor === 'officialR2') return fx.bankB1.account?.id ?? ''
  if (actor === 'admin') return fx.stationS2.account?.id ?? ''
  return fx[actor].account?.id ?? randomUUID()
}

function otherAccount(actor: Actor, fx: Record<Actor, Fixture>): string {
  if (actor === 'officialR1' || actor === 'stationS1' || actor === 'stationS2')
    return fx.bankB2.account?.id ?? ''
  if (actor === 'admin') return fx.bankB2.account?.id ?? ''
  return fx.stationS2.account?.id ?? ''
}

function invitationScope(actor: Actor, target: Target) {
  if (target === 'missing') return { role: 'station_staff', scope: { type: 'station', code: 'ZZ9999' } }
  const code = target === 'own' ? ownStation[actor] : otherStation(actor)
  return { role: code.startsWith('QD') ? 'station_staff' : 'bank_staff', scope: { type: 'station', code } }
}

const CASES: Record<string, CaseBuilder> = {
  getHealth: () => ({ method: 'GET', path: '/api/health' }),
  getOpenApi: () => ({ method: 'GET', path: '/api/openapi.json' }),
  listRegions: () => ({ method: 'GET', path: '/api/v1/regions' }),
  listStations: (actor) => ({
    method: 'GET',
    path: `/api/v1/stations?region=${ownStation[actor].startsWith('QD') ? '370200' : '500000'}`,
  }),
  getStation: (actor, target) => ({
    method: 'GET',
    path: `/api/v1/stations/${target === 'own' ? ownStation[actor] : target === 'other' ? otherStation(actor) : 'ZZ9999'}`,
  }),
  resolvePosterCode: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/poster-codes/${target === 'own' ? ownStation[actor] : target === 'other' ? otherStation(actor) : 'ZZ9999'}`,
    body: { via: 'link' },
  }),
  listManagedStations: (actor) => ({
    method: 'GET',
    path: `/api/v1/manage/stations?region=${ownStation[actor].startsWith('QD') ? '370200' : '500000'}`,
  }),
  getIntakeConfig: () => ({ method: 'GET', path: '/api/v1/intake-config' }),
  lookupIntake: () => ({
    method: 'POST',
    path: '/api/v1/intakes/lookup',
    body: { receipt: 'CD22222222', mobileLast4: '0000' },
  }),
  submitIntake: (actor, target) => ({
    method: 'POST',
    path: '/api/v1/intakes',
    headers: { 'Idempotency-Key': randomUUID() },
    body: intakeBody(
      target === 'own' ? ownStation[actor] : otherStation(actor),
      500 + Object.keys(ROLE_OF).indexOf(actor),
    ),
  }),
  confirmIntake: () => ({
    method: 'POST',
    path: '/api/v1/intakes/confirm',
    body: { receipt: 'CD22222222', code: '123456', consent: { sensitive: true, version: CONSENT_VERSION } },
  }),
  listMyIntakes: () => ({ method: 'GET', path: '/api/v1/intakes/mine' }),
  assistIntake: (actor) => {
    const { consent: _consent, ...body } = intakeBody(
      ownStation[actor],
      600 + Object.keys(ROLE_OF).indexOf(actor),
    )
    return {
      method: 'POST',
      path: '/api/v1/intakes/assisted',
      headers: { 'Idempotency-Key': randomUUID() },
      body,
    }
  },
  listQueue: (actor) => ({ method: 'GET', path: `/api/v1/queue?station=${ownStation[actor]}` }),
  exportQueue: (actor) => ({
    method: 'GET',
    path: `/api/v1/queue/export?format=csv&station=${ownStation[actor]}`,
  }),
  getIntake: (actor, target) => ({ method: 'GET', path: `/api/v1/intakes/${intakeFor(actor, target)}` }),
  transitionIntake: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/intakes/${intakeFor(actor, target)}/transitions`,
    body: { to: 'contacted', version: 1 },
  }),
  revealIntake: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/intakes/${intakeFor(actor, target)}/reveal`,
  }),
  addTargetGroup: () => ({
    method: 'POST',
    path: '/api/v1/target-groups',
    body: { id: `g_${randomUUID().slice(0, 8)}`, label: '测试群体' },
  }),
  getPocketbook: () => ({ method: 'GET', path: '/api/v1/pocketbook' }),
  searchPocketbook: () => ({
    method: 'GET',
    path: `/api/v1/pocketbook/search?q=${encodeURIComponent('创业 补贴')}`,
  }),
  matchPolicies: () => ({
    method: 'POST',
    path: '/api/v1/pocketbook/match',
    body: { region: '500103', groups: ['graduate'] },
  }),
  getPolicy: (actor, target) => ({ method: 'GET', path: `/api/v1/policies/${policyFor(actor, target)}` }),
  getPolicyCardSvg: (actor, target) => ({
    method: 'GET',
    path: `/api/v1/policies/${policyFor(actor, target)}/card.svg`,
  }),
  getPolicyCardPng: (actor, target) => ({
    method: 'GET',
    path: `/api/v1/policies/${policyFor(actor, target)}/card.png`,
  }),
  listManagedPolicies: () => ({ method: 'GET', path: '/api/v1/manage/policies' }),
  createPolicy: (actor, target) => ({
    method: 'POST',
    path: '/api/v1/manage/policies',
    body:
      target === 'missing'
        ? { id: `m-${randomUUID().slice(0, 8)}`, content: {} }
        : {
            id: `m-${randomUUID().slice(0, 8)}`,
            content: { ...policyContent, regions: [regionFor(actor, target)] },
          },
  }),
  savePolicyDraft: (actor, target) => ({
    method: 'PUT',
    path: `/api/v1/manage/policies/${policyFor(actor, target)}`,
    body: { version: 1, content: { ...policyContent, regions: [regionFor(actor, 'own')] } },
  }),
  publishPolicy: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/manage/policies/${policyFor(actor, target)}/publish`,
    body: { version: 1 },
  }),
  archivePolicy: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/manage/policies/${policyFor(actor, target)}/archive`,
    body: { version: 1 },
  }),
  listPolicyVersions: (actor, target) => ({
    method: 'GET',
    path: `/api/v1/manage/policies/${policyFor(actor, target)}/versions`,
  }),
  askConsultation: (actor) => ({
    method: 'POST',
    path: '/api/v1/consultations',
    body: {
      station: ownStation[actor],
      topic: 'loan',
      text: '请问创业担保贷款怎么申请？',
      contact: 'in_app',
    },
  }),
  listMyConsultations: () => ({ method: 'GET', path: '/api/v1/consultations/mine' }),
  listInbox: (actor) => ({ method: 'GET', path: `/api/v1/inbox?station=${ownStation[actor]}` }),
  getConsultation: (actor, target) => ({
    method: 'GET',
    path: `/api/v1/consultations/${recordFor(actor, target, consultAt, consultOf)}`,
  }),
  readConsultation: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/consultations/${recordFor(actor, target, consultAt, consultOf)}/read`,
  }),
  followUpConsultation: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/consultations/${recordFor(actor, target, consultAt, consultOf)}/messages`,
    body: { text: '补充一下：我是高校毕业生' },
  }),
  rateConsultation: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/consultations/${recordFor(actor, target, consultAt, consultOf)}/rating`,
    body: { score: 5 },
  }),
  replyConsultation: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/consultations/${recordFor(actor, target, consultAt, consultOf)}/reply`,
    body: { version: 1, text: '您好，请携带身份证到服务点办理。' },
  }),
  transferConsultation: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/consultations/${recordFor(actor, target, consultAt, consultOf)}/transfer`,
    body: { version: 1, to: neighbour(ownStation[actor]) },
  }),
  listSlots: (actor, target) => ({
    method: 'GET',
    path: `/api/v1/stations/${target === 'own' ? ownStation[actor] : target === 'other' ? otherStation(actor) : 'ZZ9999'}/slots`,
  }),
  setSlots: (actor, target) => ({
    method: 'PUT',
    path: `/api/v1/stations/${target === 'own' ? ownStation[actor] : target === 'other' ? otherStation(actor) : 'ZZ9999'}/slots`,
    body: {
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
        weekday,
        start: '09:00',
        end: '10:00',
        capacity: 50,
      })),
      exceptions: [],
    },
  }),
  bookSlot: (actor) => ({
    method: 'POST',
    path: '/api/v1/bookings',
    body: { station: ownStation[actor], date: BOOKING_DAY, start: '09:00' },
  }),
  listMyBookings: () => ({ method: 'GET', path: '/api/v1/bookings/mine' }),
  cancelBooking: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/bookings/${recordFor(actor, target, bookingAt, bookingOf)}/cancel`,
  }),
  listDayBookings: (actor, target) => ({
    method: 'GET',
    path: `/api/v1/stations/${target === 'own' ? ownStation[actor] : target === 'other' ? otherStation(actor) : 'ZZ9999'}/bookings?date=${BOOKING_DAY}`,
  }),
  markAttendance: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/bookings/${recordFor(actor, target, bookingAt, bookingOf)}/attendance`,
    body: { attended: true },
  }),
  publishAnnouncement: (actor, target) => ({
    method: 'POST',
    path: '/api/v1/announcements',
    body: target === 'missing' ? { title: 'x' } : announcementBody([regionFor(actor, target)]),
  }),
  listManagedAnnouncements: () => ({ method: 'GET', path: '/api/v1/manage/announcements' }),
  correctAnnouncement: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/announcements/${announcementFor(actor, target)}/correct`,
    body: { version: 1, note: '矩阵测试更正' },
  }),
  withdrawAnnouncement: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/announcements/${announcementFor(actor, target)}/withdraw`,
    body: { version: 99, note: '矩阵测试撤回' },
  }),
  getAnnouncementDeliveries: (actor, target) => ({
    method: 'GET',
    path: `/api/v1/announcements/${announcementFor(actor, target)}/deliveries`,
  }),
  getFeed: (actor) => ({ method: 'GET', path: `/api/v1/feed?station=${ownStation[actor]}` }),
  getAnnouncement: (actor, target) => ({
    method: 'GET',
    path: `/api/v1/announcements/${announcementFor(actor, target)}`,
  }),
  readAnnouncement: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/announcements/${announcementFor(actor, target)}/read`,
  }),
  subscribe: (actor) => ({
    method: 'POST',
    path: '/api/v1/subscriptions',
    body: {
      templateId: 'tmpl-1',
      kind: 'one_time',
      region: ownStation[actor].startsWith('QD') ? '370202' : '500103',
      groups: [],
    },
  }),
  login: (_actor, target) => ({
    method: 'POST',
    path: '/api/v1/auth/login',
    body: { username: target === 'missing' ? 'nobody-here' : 'demo-station', password: 'Wrong-password-1' },
  }),
  loginWechat: () => ({ method: 'POST', path: '/api/v1/auth/wechat', body: { code: 'not-a-real-code' } }),
  loginAlipay: () => ({ method: 'POST', path: '/api/v1/auth/alipay', body: { authCode: 'not-a-real-code' } }),
  loginDevice: () => ({ method: 'POST', path: '/api/v1/auth/device', body: {} }),
  refreshSession: () => ({ method: 'POST', path: '/api/v1/auth/refresh', body: { refreshToken: 'a.b.c' } }),
  logout: () => ({ method: 'POST', path: '/api/v1/auth/logout' }),
  getMe: () => ({ method: 'GET', path: '/api/v1/me' }),
  redeemInvitation: () => ({
    method: 'POST',
    path: '/api/v1/invitations/redeem',
    body: { code: 'ABCDEFGHJK', displayName: '测试' },
  }),
  createInvitation: (actor, target) => ({
    method: 'POST',
    path: '/api/v1/invitations',
    body: invitationScope(actor, target),
  }),
  listInvitations: () => ({ method: 'GET', path: '/api/v1/invitations' }),
  listAccounts: () => ({ method: 'GET', path: '/api/v1/accounts' }),
  getAccount: (actor, target, fx) => ({
    method: 'GET',
    path: `/api/v1/accounts/${target === 'own' ? ownAccount(actor, fx) : target === 'other' ? otherAccount(actor, fx) : randomUUID()}`,
  }),
  createStation: (actor, target) => {
    const qingdao = ownStation[actor].startsWith('QD') === (target === 'own')
    return {
      method: 'POST',
      path: '/api/v1/stations',
      body: {
        code: `M${Math.random().toString(36).slice(2, 7).toUpperCase()}`,
        kind: 'station',
        name: '矩阵测试服务站',
        regionCode: target === 'missing' ? '999999' : qingdao ? '370211' : '500108',
        districtName: qingdao ? '青岛市黄岛区' : '重庆市南岸区',
        address: '测试地址',
        hours: '周一至周五',
        services: ['consult'],
        phone: '0532-00000009',
      },
    }
  },
  updateStation: (actor, target) => ({
    method: 'PATCH',
    path: `/api/v1/stations/${target === 'own' ? ownStation[actor] : target === 'other' ? otherStation(actor) : 'ZZ9999'}`,
    body: { hours: '周一至周六 9:00–17:00' },
  }),
  reissuePosterCode: (actor, target) => ({
    method: 'POST',
    path: `/api/v1/stations/${target === 'own' ? ownStation[actor] : target === 'other' ? otherStation(actor) : 'ZZ9999'}/poster-code`,
  }),
  getStationScans: (actor, target) => ({
    method: 'GET',
    path: `/api/v1/stations/${target === 'own' ? ownStation[actor] : target === 'other' ? otherStation(actor) : 'ZZ9999'}/scans`,
  }),
  getStationPoster: (actor, target) => ({
    method: 'GET',
    path: `/api/v1/stations/${target === 'own' ? ownStation[actor] : target === 'other' ? otherStation(actor) : 'ZZ9999'}/poster.pdf`,
  }),
  getStationQr: (actor, target) => ({
    method: 'GET',
    path: `/api/v1/stations/${target === 'own' ? ownStation[actor] : target === 'other' ? otherStation(actor) : 'ZZ9999'}/qr`,
  }),
  getStationWxacode: (actor, target) => ({
    method: 'GET',
    path: `/api/v1/stations/${target === 'own' ? ownStation[actor] : target === 'other' ? otherStation(actor) : 'ZZ9999'}/wxacode`,
  }),
  updateAccount: (actor, target, fx) => ({
    method: 'PATCH',
    path: `/api/v1/accounts/${target === 'own' ? ownAccount(actor, fx) : target === 'other' ? otherAccount(actor, fx) : randomUUID()}`,
    body: { displayName: '改名测试' },
  }),
}

/** The outcome the policy table implies. */
function expected(
  operationId: string,
  actor: Actor,
  target: Target,
): 'unauthenticated' | 'forbidden' | 'not_found' | 'allowed' {
  const rule = POLICY[operationId]?.[ROLE_OF[actor]]
  if (!rule) return actor === 'anonymous' ? 'unauthenticated' : 'forbidden'
  if (RECORD_ROUTES.has(operationId)) {
    if (target === 'missing') return 'not_found'
    if (target === 'other' && rule !== 'public' && rule !== 'all') return 'not_found'
  }
  if (operationId === 'createStation') {
    if (target === 'missing') return 'allowed' // an unknown region is a validation error
    if (target === 'other' && rule !== 'all') return 'forbidden'
  }
  if (operationId === 'publishAnnouncement') {
    if (target === 'missing') return 'allowed' // an invalid body: a validation error
    if (target === 'other' && rule !== 'all') return 'forbidden'
  }
  if (operationId === 'createPolicy') {
    if (target === 'missing') return 'allowed' // an invalid body: a validation error, not an access decision
    if (target === 'other' && rule !== 'all') return 'forbidden'
  }
  if (operationId === 'createInvitation') {
    if (target === 'missing') return 'allowed' // a validation error naming the station, not an access decision
    if (target === 'other' && rule !== 'all') return 'forbidden'
  }
  return 'allowed'
}

describe('authorization matrix generated from the policy table', () => {
  let api: TestApi
  const fx = {} as Record<Actor, Fixture>

  beforeAll(async () => {
    api = await startTestApi('tcp')
    const make = async (actor: Actor, input: Parameters<typeof accounts.create>[0]): Promise<Fixture> => {
      const account = await accounts.create(input)
      if (!account) throw new Error(`could not create ${actor}`)
      return { account, token: (await startSession(account)).accessToken }
    }
    fx.anonymous = { account: null, token: null }
    fx.h5Resident = await make('h5Resident', {
      displayName: '访客',
      role: 'resident',
      scope: { type: 'none' },
      identities: [`device:${randomUUID()}`],
    })
    fx.residentA = await make('residentA', {
      displayName: 'A',
      role: 'resident',
      scope: { type: 'none' },
      identities: ['wechat:wxtest:openid-a'],
    })
    fx.residentB = await make('residentB', {
      displayName: 'B',
      role: 'resident',
      scope: { type: 'none' },
      identities: ['alipay:2021test:openid-b'],
    })
    const staff = (code: string, role: 'station_staff' | 'bank_staff') => ({
      displayName: code,
      role,
      scope: { type: 'station' as const, code },
    })
    fx.stationS1 = await make('stationS1', { ...staff('QD0001', 'station_staff'), username: 'm-s1' })
    fx.stationS2 = await make('stationS2', { ...staff('QD0002', 'station_staff'), username: 'm-s2' })
    fx.bankB1 = await make('bankB1', { ...staff('CQ0001', 'bank_staff'), username: 'm-b1' })
    fx.bankB2 = await make('bankB2', { ...staff('CQ0002', 'bank_staff'), username: 'm-b2' })
    fx.officialR1 = await make('officialR1', {
      displayName: 'R1',
      role: 'official',
      scope: { type: 'region', code: '370200' },
      username: 'm-r1',
    })
    fx.officialR2 = await make('officialR2', {
      displayName: 'R2',
      role: 'official',
      scope: { type: 'region', code: '500000' },
      username: 'm-r2',
    })
    fx.admin = await make('admin', {
      displayName: 'Admin',
      role: 'admin',
      scope: { type: 'all' },
      username: 'm-admin',
    })
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      weekday,
      start: '09:00',
      end: '10:00',
      capacity: 50,
    }))
    const post = async (token: string | null, path: string, body: unknown, n: number) => {
      const answer = await api.call(path, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'X-Forwarded-For': `10.7.0.${n}`,
        },
        body: JSON.stringify(body),
      })
      if (answer.status !== 201) throw new Error(`${path}: ${answer.status} ${answer.text}`)
      return (answer.body as { id: string }).id
    }
    const stationsAll = ['QD0001', 'QD0002', 'QD0003', 'QD0004', 'CQ0001', 'CQ0002', 'CQ0003', 'CQ0004']
    for (const [index, station] of stationsAll.entries()) {
      await bookings.setSchedule(station, { weekly: everyDay, exceptions: [] })
      const asker = await api.resident()
      consultAt[station] = await post(
        asker.token,
        '/api/v1/consultations',
        { station, topic: 'loan', text: '矩阵测试的问题', contact: 'in_app' },
        index + 1,
      )
      bookingAt[station] = await post(
        asker.token,
        '/api/v1/bookings',
        { station, date: BOOKING_DAY, start: '09:00' },
        index + 1,
      )
    }
    for (const [index, actor] of RESIDENTS.entries()) {
      consultOf[actor] = await post(
        fx[actor].token,
        '/api/v1/consultations',
        { station: 'QD0001', topic: 'subsidy', text: '我的问题', contact: 'in_app' },
        20 + index,
      )
      bookingOf[actor] = await post(
        fx[actor].token,
        '/api/v1/bookings',
        { station: 'QD0002', date: BOOKING_DAY, start: '09:00' },
        20 + index,
      )
    }
    for (const [region, who] of [
      ['QD', fx.officialR1.token],
      ['CQ', fx.officialR2.token],
    ] as const) {
      const answer = await api.call('/api/v1/announcements', {
        method: 'POST',
        headers: { Authorization: `Bearer ${who}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(announcementBody([region === 'QD' ? '370200' : '500000'])),
      })
      if (answer.status !== 201) throw new Error(`announcement: ${answer.text}`)
      announcementOf[region] = (answer.body as { id: string }).id
    }
    const managed = await api.call('/api/v1/manage/policies', {
      headers: { Authorization: `Bearer ${fx.admin.token}` },
    })
    const entries = (managed.body as { items: { id: string; regions: string[] }[] }).items
    policyOf.QD = entries.find((entry) => entry.regions.every((code) => code.startsWith('37')))?.id ?? ''
    policyOf.CQ = entries.find((entry) => entry.regions.every((code) => code.startsWith('50')))?.id ?? ''
    if (!policyOf.QD || !policyOf.CQ)
      throw new Error('the shipped pocket-book needs a Qingdao and a Chongqing entry')
    for (const [index, station] of [
      'QD0001',
      'QD0002',
      'QD0003',
      'QD0004',
      'CQ0001',
      'CQ0002',
      'CQ0003',
      'CQ0004',
    ].entries()) {
      const filed = await api.call('/api/v1/intakes', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${fx.residentB.token}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': randomUUID(),
          'X-Forwarded-For': `10.8.0.${index + 1}`,
        },
        body: JSON.stringify(intakeBody(station, 400 + index)),
      })
      if (filed.status !== 201) throw new Error(`could not file at ${station}: ${filed.text}`)
      intakeAt[station] = (filed.body as { id: string }).id
    }
  })
  afterAll(async () => {
    await api?.close()
  })

  it('has a case for every route, and every route has a policy entry', () => {
    const missingCases = routes.map((route) => route.operationId).filter((id) => !CASES[id])
    expect(missingCases).toEqual([])
    // And no case for a route that is not served (it would test nothing).
    expect(Object.keys(CASES).filter((id) => !routes.some((route) => route.operationId === id))).toEqual([])
    expect(routes.map((route) => route.operationId).filter((id) => !POLICY[id])).toEqual([])
  })

  it('answers every route × caller × record exactly as the policy says (0 mismatches)', async () => {
    const actors = Object.keys(ROLE_OF) as Actor[]
    const mismatches: string[] = []
    let checked = 0
    let ip = 0
    for (const route of routes) {
      const build = CASES[route.operationId]
      if (!build) continue
      for (const actor of actors) {
        for (const target of ['own', 'other', 'missing'] as Target[]) {
          // logout ends the session it is called with: give that case a fresh one.
          const account = fx[actor].account
          const token =
            route.operationId === 'logout' && account
              ? (await startSession(account)).accessToken
              : fx[actor].token
          const request = build(actor, target, fx)
          if (route.operationId === 'refreshSession') {
            // A refresh token is its own credential: give each case a genuine one to rotate.
            const owner = account ?? fx.residentA.account
            if (owner) request.body = { refreshToken: (await startSession(owner)).refreshToken }
          }
          const headers: Record<string, string> = {
            'X-Forwarded-For': `10.9.${Math.floor(ip / 250)}.${(ip++ % 250) + 1}`,
          }
          if (token) headers.Authorization = `Bearer ${token}`
          Object.assign(headers, request.headers)
          if (request.body !== undefined) headers['Content-Type'] = 'application/json'
          const answer = await api.call(request.path, {
            method: request.method,
            headers,
            body: request.body === undefined ? undefined : JSON.stringify(request.body),
          })
          const code = (answer.body as { error?: { code?: string } } | null)?.error?.code
          const want = expected(route.operationId, actor, target)
          const got =
            answer.status === 401 && code === 'unauthenticated'
              ? 'unauthenticated'
              : answer.status === 403
                ? 'forbidden'
                : answer.status === 404 && RECORD_ROUTES.has(route.operationId)
                  ? 'not_found'
                  : answer.status < 500
                    ? 'allowed'
                    : `server error ${answer.status}`
          checked++
          if (got !== want)
            mismatches.push(
              `${route.operationId} ${actor} ${target}: want ${want}, got ${got} (${answer.status} ${answer.text.slice(0, 120)})`,
            )
        }
      }
    }
    expect(mismatches).toEqual([])
    expect(checked).toBe(routes.length * 11 * 3)
  })

  it('answers another tenant’s record and a missing one with the very same body', async () => {
    const headers = { Authorization: `Bearer ${fx.officialR1.token}` }
    const other = await api.call(`/api/v1/accounts/${fx.bankB2.account?.id}`, { headers })
    const missing = await api.call(`/api/v1/accounts/${randomUUID()}`, { headers })
    expect(other.status).toBe(404)
    expect(other.text).toBe(missing.text)
  })
})
