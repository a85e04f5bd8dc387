import { z } from 'zod'
import { BUSINESS_STATUSES, TARGET_GROUPS } from '../../../src/shared/catalog'
import { INTAKE_STATUSES } from '../../../src/shared/intake-workflow'
import { LOAN_PARAMETERS } from '../../../src/shared/rules/loan'
import { stationCodeSchema } from '../../../src/shared/schemas/common'
import {
  AssistedReceiptSchema,
  CONSENT_VERSION,
  ConfirmSchema,
  IntakeDetailSchema,
  IntakeParamsSchema,
  IntakeStatusListSchema,
  IntakeStatusViewSchema,
  IntakeSubmitSchema,
  LookupSchema,
  QueuePageSchema,
  QueueQuerySchema,
  ReceiptSchema,
  RevealSchema,
  TransitionSchema,
} from '../../../src/shared/schemas/intake'
import { audit } from '../audit'
import { env } from '../env'
import { AppError } from '../errors'
import { toCsv, toXlsx } from '../export/table'
import {
  assistIntake,
  confirmIntake,
  decryptAll,
  detailOf,
  queueItem,
  revealIntake,
  statusView,
  submitIntake,
  targetGroups,
  transitionIntake,
} from '../intake-service'
import { type AccessScope, canSee } from '../policy'
import { enforce } from '../ratelimit'
import { intakes, type StoredIntake } from '../repos/intakes'
import { stations } from '../repos/stations'
import { BinaryBody, defineRoute, type Route, requireCaller } from '../route'

const IdempotencySchema = z.strictObject({
  'idempotency-key': z
    .string({ error: '缺少 Idempotency-Key 请求头（打开表单时生成的唯一编号）' })
    .regex(/^[A-Za-z0-9_-]{16,64}$/, { error: 'Idempotency-Key 应为 16–64 位字母、数字、- 或 _' })
    .meta({ description: '打开表单时生成的唯一编号：重复提交得到同一份回执' }),
})

const IntakeConfigSchema = z
  .object({
    groups: z.record(z.string(), z.string()),
    parameters: z.array(z.record(z.string(), z.unknown())),
    consentVersion: z.string(),
    retentionDays: z.number(),
    slaWorkingDays: z.number(),
    wechatTemplateId: z.string().nullable(),
  })
  .meta({ id: 'IntakeConfig' })

const AddGroupSchema = z
  .strictObject({
    id: z
      .string({ error: '请填写群体编号' })
      .regex(/^[a-z][a-z0-9_]{1,31}$/, { error: '编号为小写字母开头的字母、数字或下划线' }),
    label: z.string({ error: '请填写群体名称' }).trim().min(2, { error: '名称至少 2 个字' }).max(30),
  })
  .meta({ id: 'TargetGroupCreate' })

const QueueScopeSchema = QueueQuerySchema.extend({
  station: stationCodeSchema.optional().meta({ description: '人社部门和管理员查看某个服务点的队列时必填' }),
})

const ExportQuerySchema = QueueScopeSchema.omit({ cursor: true, limit: true }).extend({
  format: z.enum(['csv', 'xlsx'], { error: '格式只能是 csv 或 xlsx' }),
  reveal: z
    .enum(['true', 'false'], { error: 'reveal 只能是 true 或 false' })
    .optional()
    .meta({ description: '导出完整身份证号和手机号（记入审计）；默认脱敏' }),
})

/** The point whose queue the caller asks for: staff their own; officials and admins must name one. */
async function queueStation(access: AccessScope, requested: string | undefined): Promise<string> {
  if (access.rule === 'station') {
    if (requested && requested.toUpperCase() !== access.station) {
      throw new AppError('not_found', { message: '没有找到这个服务点的队列' })
    }
    return access.station
  }
  if (!requested) throw new AppError('validation_failed', { fields: { station: ['请选择要查看的服务点'] } })
  const station = await stations.get(requested)
  if (!station || !canSee(access, { station: station.code, region: station.regionCode })) {
    throw new AppError('not_found', { message: '没有找到这个服务点的队列' })
  }
  return station.code
}

export const intakeRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/intake-config',
    operationId: 'getIntakeConfig',
    summary: '创贷受理表单配置：群体列表、预审参数、同意书版本、保存期限',
    tag: 'intake',
    response: IntakeConfigSchema,
    async handler({ setHeader }) {
      setHeader('Cache-Control', 'public, max-age=300')
      return {
        groups: await targetGroups(),
        parameters: LOAN_PARAMETERS.map((entry) => ({ ...entry })),
        consentVersion: CONSENT_VERSION,
        retentionDays: env().INTAKE_RETENTION_DAYS,
        slaWorkingDays: env().INTAKE_SLA_WORKING_DAYS,
        wechatTemplateId: env().WECHAT_INTAKE_TEMPLATE_ID ?? null,
      }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/intakes',
    operationId: 'submitIntake',
    sessionInScript: true,
    summary: '提交创业担保贷款预受理；同一 Idempotency-Key 重复提交得到同一份回执',
    tag: 'intake',
    headers: IdempotencySchema,
    body: IntakeSubmitSchema,
    response: ReceiptSchema,
    status: 201,
    errors: ['conflict', 'unprocessable', 'rate_limited'],
    async handler({ body, headers, caller, sessionGuard, ip, requestId, setStatus }) {
      const { receipt, status } = await submitIntake({
        body,
        caller: requireCaller(caller),
        guard: sessionGuard,
        idempotencyKey: headers['idempotency-key'],
        ip,
        requestId,
      })
      setStatus(status)
      return receipt
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/intakes/assisted',
    operationId: 'assistIntake',
    summary: '帮办：工作人员为在场的申请人填写，申请人用确认码确认后才送达',
    tag: 'intake',
    headers: IdempotencySchema,
    body: IntakeSubmitSchema.omit({ consent: true }),
    response: AssistedReceiptSchema,
    status: 201,
    errors: ['conflict', 'unprocessable', 'rate_limited'],
    async handler({ body, headers, caller, access, ip, requestId }) {
      const { receipt } = await assistIntake({
        body,
        caller: requireCaller(caller),
        access,
        idempotencyKey: headers['idempotency-key'],
        ip,
        requestId,
      })
      return receipt
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/intakes/confirm',
    operationId: 'confirmIntake',
    summary: '申请人确认帮办申请（回执码 + 确认码 + 单独同意）',
    tag: 'intake',
    body: ConfirmSchema,
    response: ReceiptSchema,
    errors: ['not_found', 'rate_limited', 'conflict'],
    async handler({ body, caller, ip, requestId }) {
      await enforce('confirm', { ip, identity: body.receipt })
      return confirmIntake({
        receipt: body.receipt,
        code: body.code,
        consentVersion: body.consent.version,
        caller: requireCaller(caller),
        requestId,
      })
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/intakes/mine',
    operationId: 'listMyIntakes',
    summary: '我的申请',
    tag: 'intake',
    response: IntakeStatusListSchema,
    async handler({ caller }) {
      const mine = await intakes.mine(requireCaller(caller).account.id)
      const names = new Map<string, string>()
      for (const { record } of mine) {
        if (!names.has(record.station))
          names.set(record.station, (await stations.get(record.station))?.name ?? record.station)
      }
      return {
        items: mine.map(({ record }) => statusView(record, names.get(record.station) ?? record.station)),
      }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/intakes/lookup',
    operationId: 'lookupIntake',
    summary: '凭回执码和手机号后四位查询办理进度',
    tag: 'intake',
    body: LookupSchema,
    response: IntakeStatusViewSchema,
    errors: ['not_found', 'rate_limited'],
    async handler({ body, ip }) {
      await enforce('lookup', { ip, identity: body.receipt })
      const found = await intakes.byReceipt(body.receipt)
      const last4 = found?.record.masked.mobile.slice(-4)
      if (
        !found?.record.pii ||
        last4 !== body.mobileLast4 ||
        found.record.status === 'awaiting_confirmation'
      ) {
        throw new AppError('not_found', { message: '没有找到，请核对回执码和手机号后四位' })
      }
      return statusView(
        found.record,
        (await stations.get(found.record.station))?.name ?? found.record.station,
      )
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/queue',
    operationId: 'listQueue',
    summary: '助创驿站的受理队列（个人信息脱敏），可按状态、群体、时长筛选',
    tag: 'intake',
    query: QueueScopeSchema,
    response: QueuePageSchema,
    errors: ['not_found'],
    async handler({ query, access }) {
      const station = await queueStation(access, query.station)
      const now = new Date()
      const page = await intakes.page(station, query, now)
      return { items: page.items.map((item) => queueItem(item, now)), next: page.next }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/queue/export',
    operationId: 'exportQueue',
    summary: '导出受理队列为 CSV 或 Excel（默认脱敏；导出完整信息记入审计）',
    tag: 'intake',
    query: ExportQuerySchema,
    response: z.custom<BinaryBody>((value) => value instanceof BinaryBody),
    produces: 'text/csv',
    errors: ['not_found', 'rate_limited'],
    async handler({ query, access, caller, ip, requestId }) {
      const who = requireCaller(caller)
      await enforce('reveal', { ip, identity: who.account.id })
      const station = await queueStation(access, query.station)
      const reveal = query.reveal === 'true'
      const now = new Date()
      const rows: StoredIntake[] = []
      let cursor: string | undefined
      for (let pages = 0; pages < 50; pages++) {
        const page = await intakes.page(station, { ...query, limit: 100, ...(cursor ? { cursor } : {}) }, now)
        rows.push(...page.items)
        if (!page.next) break
        cursor = page.next
      }
      await audit({
        action: reveal ? 'pii_read' : 'intake_exported',
        actor: who.account.id,
        target: station,
        requestId,
        detail: { rows: rows.length, format: query.format, revealed: reveal },
      })
      const groups = await targetGroups()
      const table = {
        name: `${station} 受理队列`,
        header: [
          '回执码',
          '状态',
          '姓名',
          '身份证号',
          '手机号',
          '群体',
          '经营状态',
          '申请金额（元）',
          '期限（月）',
          '提交时间',
          '首次联系期限',
          '帮办',
        ],
        rows: await Promise.all(
          rows.map(async (stored) => {
            const { record } = stored
            const item = queueItem(stored, now)
            const person = reveal && record.pii ? await decryptAll(record) : item
            return [
              record.receipt,
              INTAKE_STATUSES[record.status],
              person.name,
              person.idNumber,
              person.mobile,
              record.groups.map((group) => groups[group] ?? group).join('、'),
              BUSINESS_STATUSES[record.business.status as keyof typeof BUSINESS_STATUSES] ??
                record.business.status,
              record.loan.amount,
              record.loan.termMonths,
              record.createdAt,
              item.contactDueAt ?? '',
              item.assisted ? '是' : '否',
            ]
          }),
        ),
      }
      const day = now.toISOString().slice(0, 10)
      return query.format === 'xlsx'
        ? new BinaryBody(
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            toXlsx(table),
            `${station}-queue-${day}.xlsx`,
          )
        : new BinaryBody('text/csv; charset=utf-8', toCsv(table), `${station}-queue-${day}.csv`)
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/intakes/{id}',
    operationId: 'getIntake',
    summary: '一份申请的详情（个人信息脱敏）与处理记录',
    tag: 'intake',
    params: IntakeParamsSchema,
    response: IntakeDetailSchema,
    errors: ['not_found'],
    async handler({ params, access }) {
      const found = await intakes.visible(access, params.id)
      if (!found) throw new AppError('not_found', { message: '没有找到这份申请' })
      return detailOf(found, new Date())
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/intakes/{id}/transitions',
    operationId: 'transitionIntake',
    summary: '按流程变更申请状态（带版本号；并发冲突或不允许的变更答 409）',
    tag: 'intake',
    params: IntakeParamsSchema,
    body: TransitionSchema,
    response: IntakeDetailSchema,
    errors: ['not_found', 'conflict'],
    async handler({ params, body, caller, access, requestId }) {
      const changed = await transitionIntake({
        id: params.id,
        body,
        caller: requireCaller(caller),
        access,
        requestId,
      })
      return detailOf(changed, new Date())
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/intakes/{id}/reveal',
    operationId: 'revealIntake',
    summary: '查看完整的姓名、身份证号和手机号（每次查看记入审计）',
    tag: 'intake',
    params: IntakeParamsSchema,
    response: RevealSchema,
    errors: ['not_found', 'rate_limited'],
    async handler({ params, caller, access, ip, requestId }) {
      const who = requireCaller(caller)
      await enforce('reveal', { ip, identity: who.account.id })
      return revealIntake({ id: params.id, caller: who, access, requestId, audit })
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/target-groups',
    operationId: 'addTargetGroup',
    summary: '新增重点群体（人社部门、管理员）',
    tag: 'intake',
    body: AddGroupSchema,
    response: IntakeConfigSchema.pick({ groups: true }),
    status: 201,
    errors: ['conflict'],
    async handler({ body, caller, requestId }) {
      const who = requireCaller(caller)
      if (Object.hasOwn(TARGET_GROUPS, body.id) || !(await intakes.addGroup(body.id, body.label))) {
        throw new AppError('conflict', { message: '这个编号已存在', fields: { id: ['编号已存在'] } })
      }
      await audit({ action: 'target_group_added', actor: who.account.id, target: body.id, requestId })
      return { groups: await targetGroups() }
    },
  }),
]
