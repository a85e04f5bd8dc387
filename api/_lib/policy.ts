import type { Role } from '../../src/shared/catalog'
import { isWithin } from '../../src/shared/regions'
import type { AccountRecord } from './repos/accounts'

/**
 * Who may call what, in one table: operation × caller → rule. The router refuses any operation
 * that is missing here (and the authorization-matrix test fails), refuses callers without a rule
 * (401 when anonymous, 403 otherwise), and hands the resolved rule to the handler as an
 * `AccessScope`, which repositories take as an argument — a query cannot forget the scope.
 *
 * Rules:
 * - `public`  anyone, signed in or not (public data: stations, regions, health);
 * - `self`    the caller's own records only;
 * - `station` records of the caller's own station or bank point;
 * - `region`  records within the caller's region (GB/T 2260: a district is within its city);
 * - `all`     everything (administrators).
 */
export type Rule = 'public' | 'self' | 'station' | 'region' | 'all'
export type Caller = 'anonymous' | Role

const STAFF: Role[] = ['station_staff', 'bank_staff']
const EVERYONE: Caller[] = ['anonymous', 'resident', 'station_staff', 'bank_staff', 'official', 'admin']
const SIGNED_IN: Role[] = ['resident', 'station_staff', 'bank_staff', 'official', 'admin']

function grant(callers: readonly Caller[], rule: Rule): Partial<Record<Caller, Rule>> {
  return Object.fromEntries(callers.map((caller) => [caller, rule]))
}

export type Policy = Record<string, Partial<Record<Caller, Rule>>>

export const POLICY: Policy = {
  getHealth: grant(EVERYONE, 'public'),
  getOpenApi: grant(EVERYONE, 'public'),
  listRegions: grant(EVERYONE, 'public'),
  listStations: grant(EVERYONE, 'public'),
  getStation: grant(EVERYONE, 'public'),
  resolvePosterCode: grant(EVERYONE, 'public'),
  login: grant(EVERYONE, 'public'),
  loginWechat: grant(EVERYONE, 'public'),
  loginAlipay: grant(EVERYONE, 'public'),
  loginDevice: grant(EVERYONE, 'public'),
  refreshSession: grant(EVERYONE, 'public'),
  logout: grant(SIGNED_IN, 'self'),
  getMe: grant(SIGNED_IN, 'self'),
  // Redeeming: anonymous on H5 (creates a password account) or after a WeChat/Alipay login.
  redeemInvitation: { anonymous: 'public', resident: 'self' },
  createInvitation: { official: 'region', admin: 'all' },
  listInvitations: { official: 'region', admin: 'all' },
  listAccounts: { official: 'region', admin: 'all' },
  getAccount: { ...grant([...STAFF], 'self'), official: 'region', admin: 'all' },
  updateAccount: { admin: 'all' },
  listManagedStations: { ...grant([...STAFF], 'station'), official: 'region', admin: 'all' },
  createStation: { official: 'region', admin: 'all' },
  updateStation: { official: 'region', admin: 'all' },
  reissuePosterCode: { ...grant([...STAFF], 'station'), official: 'region', admin: 'all' },
  getStationScans: { ...grant([...STAFF], 'station'), official: 'region', admin: 'all' },
  getStationPoster: { ...grant([...STAFF], 'station'), official: 'region', admin: 'all' },
  getStationQr: { ...grant([...STAFF], 'station'), official: 'region', admin: 'all' },
  getStationWxacode: { ...grant([...STAFF], 'station'), official: 'region', admin: 'all' },
  // Loan intakes: residents file and follow their own; the point's staff work its queue; officials
  // read their region's; personal data in full only for the point's staff (audited).
  getIntakeConfig: grant(EVERYONE, 'public'),
  lookupIntake: grant(EVERYONE, 'public'),
  submitIntake: { resident: 'self' },
  confirmIntake: { resident: 'self' },
  listMyIntakes: { resident: 'self' },
  assistIntake: grant([...STAFF], 'station'),
  listQueue: { ...grant([...STAFF], 'station'), official: 'region', admin: 'all' },
  exportQueue: { ...grant([...STAFF], 'station'), official: 'region', admin: 'all' },
  getIntake: { ...grant([...STAFF], 'station'), official: 'region', admin: 'all' },
  transitionIntake: grant([...STAFF], 'station'),
  revealIntake: grant([...STAFF], 'station'),
  addTargetGroup: { official: 'region', admin: 'all' },
  // The pocket-book: published content is public; officials edit their region's, admins any.
  getPocketbook: grant(EVERYONE, 'public'),
  searchPocketbook: grant(EVERYONE, 'public'),
  matchPolicies: grant(EVERYONE, 'public'),
  getPolicy: grant(EVERYONE, 'public'),
  getPolicyCardSvg: grant(EVERYONE, 'public'),
  getPolicyCardPng: grant(EVERYONE, 'public'),
  listManagedPolicies: { official: 'region', admin: 'all' },
  createPolicy: { official: 'region', admin: 'all' },
  savePolicyDraft: { official: 'region', admin: 'all' },
  publishPolicy: { official: 'region', admin: 'all' },
  archivePolicy: { official: 'region', admin: 'all' },
  listPolicyVersions: { official: 'region', admin: 'all' },
  // Consultations: the resident's own; the station's staff; the region's officials supervise.
  askConsultation: { resident: 'self' },
  listMyConsultations: { resident: 'self' },
  readConsultation: { resident: 'self' },
  followUpConsultation: { resident: 'self' },
  rateConsultation: { resident: 'self' },
  getConsultation: { resident: 'self', ...grant([...STAFF], 'station'), official: 'region', admin: 'all' },
  listInbox: { ...grant([...STAFF], 'station'), official: 'region', admin: 'all' },
  replyConsultation: { ...grant([...STAFF], 'station'), official: 'region' },
  transferConsultation: { ...grant([...STAFF], 'station'), official: 'region' },
  // Appointments.
  listSlots: grant(EVERYONE, 'public'),
  setSlots: { ...grant([...STAFF], 'station'), official: 'region', admin: 'all' },
  bookSlot: { resident: 'self' },
  listMyBookings: { resident: 'self' },
  cancelBooking: { resident: 'self' },
  listDayBookings: { ...grant([...STAFF], 'station'), official: 'region', admin: 'all' },
  markAttendance: grant([...STAFF], 'station'),
  // Announcements: officials compose for their region; residents read their feed and subscribe.
  publishAnnouncement: { official: 'region', admin: 'all' },
  listManagedAnnouncements: { official: 'region', admin: 'all' },
  correctAnnouncement: { official: 'region', admin: 'all' },
  withdrawAnnouncement: { official: 'region', admin: 'all' },
  getAnnouncementDeliveries: { official: 'region', admin: 'all' },
  getFeed: { resident: 'self' },
  getAnnouncement: grant(EVERYONE, 'public'),
  readAnnouncement: { resident: 'self' },
  subscribe: { resident: 'self' },
}

/** What a handler may see, resolved from the rule and the caller's own scope. */
export type AccessScope =
  | { rule: 'public' }
  | { rule: 'self'; accountId: string }
  | { rule: 'station'; accountId: string; station: string }
  | { rule: 'region'; accountId: string; region: string }
  | { rule: 'all'; accountId: string }

export function resolveScope(rule: Rule, account: AccountRecord | null): AccessScope | null {
  if (rule === 'public') return { rule: 'public' }
  if (!account) return null
  const scope = account.scope
  switch (rule) {
    case 'self':
      return { rule: 'self', accountId: account.id }
    case 'station':
      return scope.type === 'station' ? { rule: 'station', accountId: account.id, station: scope.code } : null
    case 'region':
      return scope.type === 'region' ? { rule: 'region', accountId: account.id, region: scope.code } : null
    case 'all':
      return account.role === 'admin' ? { rule: 'all', accountId: account.id } : null
  }
}

/**
 * Whether a record that belongs to `owner` (an account id), a station and a region is visible
 * under `access`. Repositories call it on every record they return; a record outside the scope
 * is treated exactly like one that does not exist.
 */
export function canSee(
  access: AccessScope,
  record: { owner?: string; station?: string | null; region?: string | null },
): boolean {
  switch (access.rule) {
    case 'public':
    case 'all':
      return true
    case 'self':
      return record.owner === access.accountId
    case 'station':
      return record.station === access.station
    case 'region':
      return Boolean(record.region && isWithin(record.region, access.region))
  }
}

/** Whether a scope lying in `region` (null: not in any region) is one that `access` may grant. */
export function canGrant(access: AccessScope, region: string | null): boolean {
  if (access.rule === 'all') return true
  return access.rule === 'region' && region !== null && isWithin(region, access.region)
}
