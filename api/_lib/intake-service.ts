import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto'
import { TARGET_GROUPS } from '../../src/shared/catalog'
import {
  canTransition,
  INTAKE_STATUSES,
  type IntakeStatus,
  isClosed,
  STAFF_ACTIONS,
} from '../../src/shared/intake-workflow'
import { LOAN_PARAMETERS, precheckLoan } from '../../src/shared/rules/loan'
import { INVITATION_ALPHABET } from '../../src/shared/schemas/identity'
import type {
  IntakeDetail,
  IntakeStatusView,
  IntakeSubmit,
  QueueItem,
  Receipt,
  Transition,
} from '../../src/shared/schemas/intake'
import { calendarFrom, chinaDate, workingDeadline } from '../../src/shared/working-days'
import { prepareAudit } from './audit'
import { blindIndex, decryptPii, encryptPii, piiContext } from './crypto'
import { env } from './env'
import { AppError } from './errors'
import { notifyOnWechat } from './platforms/notify'
import type { AccessScope } from './policy'
import { type IntakeRecord, intakes, masksOf, queueScore, type StoredIntake } from './repos/intakes'
import { type StationRecord, stations } from './repos/stations'
import type { Caller } from './route'
import type { SessionGuard } from './sessions'

/**
 * The loan intake domain: filing (by a resident, or by staff for a resident who then confirms),
 * the point's workflow, personal data on demand, and the retention purge. Routes stay thin.
 */

/** 帮办 confirmation codes last 30 minutes and allow 5 wrong tries. */
const CONFIRM_TTL_MS = 30 * 60_000
const CONFIRM_ATTEMPTS = 5

export function calendar() {
  return calendarFrom(env().HOLIDAYS, env().MAKEUP_WORKDAYS)
}

function drawReceipt(): string {
  let code = 'CD'
  for (let i = 0; i < 8; i++) code += INVITATION_ALPHABET[randomInt(INVITATION_ALPHABET.length)]
  return code
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** Shipped target groups plus those officials added. */
export async function targetGroups(): Promise<Record<string, string>> {
  return { ...TARGET_GROUPS, ...(await intakes.extraGroups()) }
}

/** The point an intake filed at `code` goes to: the station itself, if it takes intakes. */
async function receivingPoint(code: string, recent = false): Promise<StationRecord> {
  const station = recent ? await stations.getRecent(code) : await stations.get(code)
  if (station?.status !== 'active' || !station.services.includes('intake')) {
    throw new AppError('validation_failed', {
      fields: { station: ['这个服务点不受理创业担保贷款，请选择提供“创贷受理”的服务点'] },
    })
  }
  return station
}

async function checkGroups(groups: readonly string[]): Promise<Record<string, string>> {
  const known = await targetGroups()
  const unknown = groups.filter((group) => !Object.hasOwn(known, group))
  if (unknown.length > 0) {
    throw new AppError('validation_failed', {
      fields: { 'applicant.groups': ['选择了未知的群体，请刷新后重选'] },
    })
  }
  return known
}

interface Draft {
  body: Omit<IntakeSubmit, 'consent'> & { consent?: IntakeSubmit['consent'] }
  station: StationRecord
  groupLabels: Record<string, string>
  now: Date
}

/** Builds the stored record: personal data encrypted, masks and the pre-check computed. */
async function buildRecord(
  draft: Draft,
  extra: Pick<IntakeRecord, 'status' | 'owner' | 'assistedBy' | 'confirmation' | 'consent'> & {
    actorName: string | null
  },
): Promise<{ record: IntakeRecord; blind: string }> {
  const { body, station, now } = draft
  const id = randomUUID()
  const [name, idNumber, mobile, blind] = await Promise.all([
    encryptPii(body.contact.name, piiContext(`intake:${id}`, 'name')),
    encryptPii(body.contact.idNumber, piiContext(`intake:${id}`, 'idNumber')),
    encryptPii(body.contact.mobile, piiContext(`intake:${id}`, 'mobile')),
    blindIndex('idNumber', body.contact.idNumber),
  ])
  const day = chinaDate(now)
  const precheck = precheckLoan(
    {
      region: station.regionCode,
      groups: body.applicant.groups,
      businessStatus: body.business.status,
      amount: body.loan.amount,
      termMonths: body.loan.termMonths,
      employees: body.business.employees,
      ...(body.business.newHires === undefined ? {} : { newHires: body.business.newHires }),
      otherLoans: body.loan.otherLoans,
    },
    day,
    LOAN_PARAMETERS,
    draft.groupLabels,
  )
  const at = now.toISOString()
  const submitted = extra.status === 'submitted'
  const record: IntakeRecord = {
    id,
    receipt: drawReceipt(),
    station: station.code,
    region: station.regionCode,
    filedAt: station.code,
    status: extra.status,
    version: 1,
    createdAt: at,
    updatedAt: at,
    statusSince: at,
    score: queueScore(now),
    contactDueAt: submitted
      ? workingDeadline(now, env().INTAKE_SLA_WORKING_DAYS, calendar()).toISOString()
      : null,
    firstContactAt: null,
    closedAt: null,
    owner: extra.owner,
    assistedBy: extra.assistedBy,
    groups: [...body.applicant.groups],
    business: { ...body.business },
    loan: { ...body.loan },
    pii: { name, idNumber, mobile },
    masked: masksOf(body.contact),
    precheck: {
      verdict: precheck.verdict,
      conditions: precheck.conditions.map(({ source: _s, ...c }) => c),
      day,
    },
    consent: extra.consent,
    notify: body.notify === true,
    history: [{ at, actor: extra.assistedBy, actorName: extra.actorName, from: null, to: extra.status }],
    confirmation: extra.confirmation,
    purgedAt: null,
  }
  return { record, blind }
}

export function receiptOf(record: IntakeRecord, stationName: string, duplicate: boolean): Receipt {
  return {
    id: record.id,
    receipt: record.receipt,
    status: record.status,
    station: { code: record.station, name: stationName },
    createdAt: record.createdAt,
    duplicate,
    precheck: record.precheck,
  }
}

async function stationName(code: string): Promise<string> {
  return (await stations.get(code))?.name ?? code
}

/** The answer to a submit the store did not create: a replay or an earlier filing. */
async function existing(
  outcome: { kind: 'replay' | 'duplicate'; id: string },
  callerId: string,
): Promise<{ receipt: Receipt; status: number }> {
  const found = await intakes.get(outcome.id)
  if (!found) throw new AppError('unavailable', { headers: { 'Retry-After': '1' } })
  const mine = found.record.owner === callerId || found.record.assistedBy === callerId
  if (!mine) {
    // The same person filed here from another account: say so without showing that filing.
    throw new AppError('conflict', {
      message: '此身份证号 30 天内已在本服务点提交过申请，请用当时的账号查看，或联系服务点',
      fields: { 'contact.idNumber': ['30 天内已在本服务点提交过申请'] },
    })
  }
  const name = await stationName(found.record.station)
  return {
    receipt: receiptOf(found.record, name, outcome.kind === 'duplicate'),
    status: outcome.kind === 'replay' ? 201 : 200,
  }
}

function mismatch(): AppError {
  return new AppError('unprocessable', {
    message: '同一次提交的内容不一致，请刷新页面后重新提交',
    fields: { 'idempotency-key': ['这个幂等键已用于另一份申请内容'] },
  })
}

function limited(): AppError {
  return new AppError('rate_limited', { headers: { 'Retry-After': '600' } })
}

/** A resident files an intake; replays and duplicates answer the earlier receipt. */
export async function submitIntake(input: {
  body: IntakeSubmit
  caller: Caller
  guard: SessionGuard | null
  idempotencyKey: string
  ip: string
  requestId: string
  now?: Date
}): Promise<{ receipt: Receipt; status: number }> {
  const now = input.now ?? new Date()
  const station = await receivingPoint(input.body.station, true)
  const groupLabels = await checkGroups(input.body.applicant.groups)
  const { record, blind } = await buildRecord(
    { body: input.body, station, groupLabels, now },
    {
      status: 'submitted',
      owner: input.caller.account.id,
      assistedBy: null,
      confirmation: null,
      consent: { version: input.body.consent.version, at: now.toISOString() },
      actorName: null,
    },
  )
  const outcome = await intakes.submit({
    record,
    bodyHash: sha256(JSON.stringify(input.body)),
    idempotencyKey: input.idempotencyKey,
    caller: input.caller.account.id,
    ip: input.ip,
    blind,
    audit: prepareAudit(
      {
        action: 'intake_submitted',
        actor: input.caller.account.id,
        target: record.id,
        requestId: input.requestId,
        detail: { station: station.code },
      },
      now,
    ),
    now,
    guard: input.guard,
  })
  if (outcome.kind === 'session') throw new AppError('unauthenticated')
  if (outcome.kind === 'mismatch') throw mismatch()
  if (outcome.kind === 'limited') throw limited()
  if (outcome.kind === 'created') return { receipt: receiptOf(record, station.name, false), status: 201 }
  const { kind, id } = outcome
  return existing({ kind, id }, input.caller.account.id)
}

/** 帮办: staff file for a resident who is present; it waits for the resident's confirmation. */
export async function assistIntake(input: {
  body: Omit<IntakeSubmit, 'consent'>
  caller: Caller
  access: AccessScope
  idempotencyKey: string
  ip: string
  requestId: string
  now?: Date
}): Promise<{ receipt: Receipt & { confirmationCode: string; confirmBy: string }; status: number }> {
  const now = input.now ?? new Date()
  if (input.access.rule !== 'station' || input.access.station !== input.body.station.toUpperCase()) {
    throw new AppError('forbidden', { message: '只能为本服务点帮办申请' })
  }
  const station = await receivingPoint(input.body.station)
  const groupLabels = await checkGroups(input.body.applicant.groups)
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  const confirmBy = new Date(now.getTime() + CONFIRM_TTL_MS).toISOString()
  const { record, blind } = await buildRecord(
    { body: input.body, station, groupLabels, now },
    {
      status: 'awaiting_confirmation',
      owner: null,
      assistedBy: input.caller.account.id,
      confirmation: { codeHash: sha256(`${confirmationSalt()}${code}`), expiresAt: confirmBy, attempts: 0 },
      consent: null,
      actorName: input.caller.account.displayName,
    },
  )
  const outcome = await intakes.submit({
    record,
    bodyHash: sha256(JSON.stringify(input.body)),
    idempotencyKey: input.idempotencyKey,
    caller: input.caller.account.id,
    ip: input.ip,
    blind,
    audit: prepareAudit(
      {
        action: 'intake_assisted',
        actor: input.caller.account.id,
        target: record.id,
        requestId: input.requestId,
        detail: { station: station.code },
      },
      now,
    ),
    now,
    guard: null,
  })
  if (outcome.kind === 'mismatch') throw mismatch()
  if (outcome.kind === 'limited') throw limited()
  if (outcome.kind !== 'created') {
    // A replay cannot show the code again (only its hash is kept): file anew, or the resident
    // already has the code from the first answer.
    throw new AppError('conflict', {
      message: '这份帮办申请已经提交过；如申请人没有记下确认码，请撤回后重新帮办',
    })
  }
  return {
    receipt: { ...receiptOf(record, station.name, false), confirmationCode: code, confirmBy },
    status: 201,
  }
}

/** Codes are hashed with the deployment's index key material folded in, not bare SHA-256 of 6 digits. */
function confirmationSalt(): string {
  return env().PII_INDEX_KEY ?? 'doorstep-dev'
}

/** Resident confirms a 帮办 filing with the receipt and the code; it then reaches the point. */
export async function confirmIntake(input: {
  receipt: string
  code: string
  consentVersion: string
  caller: Caller
  requestId: string
  now?: Date
}): Promise<Receipt> {
  const now = input.now ?? new Date()
  const gone = () => new AppError('not_found', { message: '没有找到待确认的申请，或确认码已过期' })
  const found = await intakes.byReceipt(input.receipt)
  if (found?.record.status !== 'awaiting_confirmation' || !found.record.confirmation) throw gone()
  const { record, version } = found
  const confirmation = record.confirmation
  if (
    !confirmation ||
    Date.parse(confirmation.expiresAt) < now.getTime() ||
    confirmation.attempts >= CONFIRM_ATTEMPTS
  ) {
    throw gone()
  }
  const expected = Buffer.from(confirmation.codeHash, 'hex')
  const given = Buffer.from(sha256(`${confirmationSalt()}${input.code}`), 'hex')
  const ok = timingSafeEqual(expected, given)
  const at = now.toISOString()
  const next: IntakeRecord = ok
    ? {
        ...record,
        status: 'submitted',
        statusSince: at,
        updatedAt: at,
        owner: input.caller.account.id,
        consent: { version: input.consentVersion, at },
        confirmation: null,
        contactDueAt: workingDeadline(now, env().INTAKE_SLA_WORKING_DAYS, calendar()).toISOString(),
        history: [
          ...record.history,
          { at, actor: null, actorName: null, from: record.status, to: 'submitted', note: '申请人已确认' },
        ],
      }
    : { ...record, confirmation: { ...confirmation, attempts: confirmation.attempts + 1 } }
  const audit = { action: 'intake_confirmed' as const, actor: input.caller.account.id, target: record.id }
  const result = await intakes.change(
    record,
    version,
    next,
    prepareAudit({ ...audit, requestId: input.requestId, detail: { ok } }, now),
  )
  if (!ok) throw new AppError('validation_failed', { fields: { code: ['确认码不正确'] } })
  if (result !== 'ok') throw new AppError('conflict')
  return receiptOf(next, await stationName(next.station), false)
}

export function statusView(record: IntakeRecord, stationLabel: string): IntakeStatusView {
  return {
    id: record.id,
    receipt: record.receipt,
    status: record.status,
    station: { code: record.station, name: stationLabel },
    amount: record.loan.amount,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    history: record.history.map(({ at, from, to, note }) => ({ at, from, to, ...(note ? { note } : {}) })),
  }
}

export function queueItem({ record, version }: StoredIntake, now: Date): QueueItem {
  const due = record.contactDueAt
  return {
    id: record.id,
    receipt: record.receipt,
    status: record.status,
    version,
    name: record.masked.name,
    idNumber: record.masked.idNumber,
    mobile: record.masked.mobile,
    groups: record.groups,
    businessStatus: record.business.status,
    amount: record.loan.amount,
    termMonths: record.loan.termMonths,
    station: record.station,
    createdAt: record.createdAt,
    statusSince: record.statusSince,
    contactDueAt: record.firstContactAt ? null : due,
    overdue: Boolean(!record.firstContactAt && due && Date.parse(due) < now.getTime()),
    assisted: record.assistedBy !== null,
  }
}

export function detailOf(stored: StoredIntake, now: Date): IntakeDetail {
  const { record } = stored
  return {
    ...queueItem(stored, now),
    business: record.business,
    loan: record.loan,
    precheck: record.precheck,
    history: record.history.map(({ at, actorName, from, to, note }) => ({
      at,
      actor: actorName,
      from,
      to,
      ...(note ? { note } : {}),
    })),
    ...(record.outcome ? { outcome: record.outcome } : {}),
  }
}

/** Staff move an intake along the workflow; one of several concurrent changes wins, the rest 409. */
export async function transitionIntake(input: {
  id: string
  body: Transition
  caller: Caller
  access: AccessScope
  requestId: string
  now?: Date
}): Promise<StoredIntake> {
  const now = input.now ?? new Date()
  const found = await intakes.visible(input.access, input.id)
  if (!found) throw new AppError('not_found', { message: '没有找到这份申请' })
  const { record, version } = found
  const { to } = input.body
  if (!STAFF_ACTIONS.includes(to) || !canTransition(record.status, to)) {
    throw new AppError('conflict', {
      message: `当前状态为“${INTAKE_STATUSES[record.status]}”，不能改为“${INTAKE_STATUSES[to]}”`,
      fields: { to: ['不允许的状态变更'] },
    })
  }
  if (input.body.version !== version) {
    throw new AppError('conflict', {
      message: '这份申请已被他人更新，请刷新后再操作',
      fields: { version: ['版本已过期'] },
    })
  }
  const at = now.toISOString()
  const next: IntakeRecord = {
    ...record,
    status: to,
    statusSince: at,
    updatedAt: at,
    history: [
      ...record.history,
      {
        at,
        actor: input.caller.account.id,
        actorName: input.caller.account.displayName,
        from: record.status,
        to,
        ...(input.body.note ? { note: input.body.note } : {}),
      },
    ],
  }
  if (to === 'contacted' && !record.firstContactAt) next.firstContactAt = at
  if (to === 'referred') {
    const target = await receivingPoint(input.body.referTo ?? '').catch(() => {
      throw new AppError('validation_failed', { fields: { referTo: ['请选择提供“创贷受理”的其他服务点'] } })
    })
    if (target.code === record.station) {
      throw new AppError('validation_failed', { fields: { referTo: ['不能转办给本服务点'] } })
    }
    next.station = target.code
    next.region = target.regionCode
    next.firstContactAt = null
    next.contactDueAt = workingDeadline(now, env().INTAKE_SLA_WORKING_DAYS, calendar()).toISOString()
    next.outcome = { ...record.outcome, referredTo: target.code }
  }
  if (to === 'bank_declined' && input.body.declineReason) {
    next.outcome = { ...record.outcome, declineReason: input.body.declineReason }
  }
  if (to === 'disbursed') {
    next.outcome = {
      ...record.outcome,
      ...(input.body.disbursedAmount === undefined ? {} : { disbursedAmount: input.body.disbursedAmount }),
      ...(input.body.disbursedOn ? { disbursedOn: input.body.disbursedOn } : {}),
    }
  }
  if (isClosed(to)) next.closedAt = at
  const notify = record.notify && record.owner !== null
  // A one-time subscription allows one message: it is spent by this change.
  if (notify) next.notify = false
  const result = await intakes.change(
    record,
    version,
    next,
    prepareAudit(
      {
        action: 'intake_status_changed',
        actor: input.caller.account.id,
        target: record.id,
        requestId: input.requestId,
        detail: { from: record.status, to, station: record.station, version },
      },
      now,
    ),
  )
  if (result === 'missing') throw new AppError('not_found', { message: '没有找到这份申请' })
  if (result === 'conflict') {
    throw new AppError('conflict', {
      message: '这份申请已被他人更新，请刷新后再操作',
      fields: { version: ['版本已过期'] },
    })
  }
  if (notify) await notifyResident(next)
  return { record: { ...next, version: version + 1 }, version: version + 1 }
}

/** Tells the resident on WeChat that their intake changed, when they opted in (best effort). */
async function notifyResident(record: IntakeRecord): Promise<void> {
  if (!record.owner) return
  await notifyOnWechat(
    record.owner,
    env().WECHAT_INTAKE_TEMPLATE_ID,
    'intake/pages/mine/index',
    {
      thing1: { value: '创业担保贷款受理' },
      phrase2: { value: INTAKE_STATUSES[record.status].slice(0, 5) },
      character_string3: { value: record.receipt },
      time4: { value: record.updatedAt.slice(0, 16).replace('T', ' ') },
    },
    { intake: record.id },
  )
}

/** The full personal data of an intake, for staff of its point: audited before it is returned. */
export async function revealIntake(input: {
  id: string
  caller: Caller
  access: AccessScope
  requestId: string
  audit: (event: Parameters<typeof prepareAudit>[0]) => Promise<void>
}): Promise<{ name: string; idNumber: string; mobile: string }> {
  const found = await intakes.visible(input.access, input.id)
  if (!found) throw new AppError('not_found', { message: '没有找到这份申请' })
  const { record } = found
  if (!record.pii) throw new AppError('not_found', { message: '这份申请的个人信息已按规定删除' })
  await input.audit({
    action: 'pii_read',
    actor: input.caller.account.id,
    target: record.id,
    requestId: input.requestId,
    detail: { fields: 'name,idNumber,mobile', station: record.station },
  })
  return decryptAll(record)
}

export async function decryptAll(
  record: IntakeRecord,
): Promise<{ name: string; idNumber: string; mobile: string }> {
  if (!record.pii) throw new Error('purged')
  const context = `intake:${record.id}`
  const [name, idNumber, mobile] = await Promise.all([
    decryptPii(record.pii.name, piiContext(context, 'name')),
    decryptPii(record.pii.idNumber, piiContext(context, 'idNumber')),
    decryptPii(record.pii.mobile, piiContext(context, 'mobile')),
  ])
  return { name, idNumber, mobile }
}

/**
 * Purges the personal data of intakes closed longer than the retention period: the ciphertexts
 * and the masks go, the record (amounts, statuses, history) stays for the statistics.
 */
export async function purgeClosedIntakes(now = new Date(), batch = 200): Promise<number> {
  const before = new Date(now.getTime() - env().INTAKE_RETENTION_DAYS * 86_400_000)
  let purged = 0
  for (const id of await intakes.closedBefore(before, batch)) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const found = await intakes.get(id)
      if (!found || found.record.pii === null) break
      const at = now.toISOString()
      const next: IntakeRecord = {
        ...found.record,
        pii: null,
        masked: { name: '已删除', idNumber: '已删除', mobile: '已删除' },
        purgedAt: at,
        updatedAt: at,
      }
      const result = await intakes.change(
        found.record,
        found.version,
        next,
        prepareAudit({ action: 'intake_purged', actor: null, target: id, requestId: `purge-${at}` }, now),
      )
      if (result === 'ok') {
        purged++
        break
      }
      if (result === 'missing') break
    }
    await intakes.forgetClosed(id)
  }
  return purged
}

export type { IntakeStatus }
