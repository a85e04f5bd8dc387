import type { Scope } from '../../../src/shared/schemas/auth'
import {
  AccountListSchema,
  AccountParamsSchema,
  type AccountSummary,
  AccountSummarySchema,
  AccountUpdateSchema,
  type Invitation,
  InvitationCreateSchema,
  InvitationListSchema,
  InvitationSchema,
  RedeemSchema,
  TokenPairSchema,
} from '../../../src/shared/schemas/identity'
import { checkPasswordStrength } from '../../../src/shared/validators/password'
import { audit } from '../audit'
import { AppError } from '../errors'
import { hashPassword } from '../passwords'
import { type AccessScope, canGrant } from '../policy'
import { enforce } from '../ratelimit'
import { type AccountRecord, accounts, staffDirectory } from '../repos/accounts'
import { type InvitationRecord, invitations } from '../repos/invitations'
import { stations } from '../repos/stations'
import { defineRoute, type Route } from '../route'
import { regionOfScope, scopeName } from '../scopes'
import { startSession } from '../sessions'

/** The scope each invitable role must carry, checked against the registry. */
async function checkRoleScope(role: AccountRecord['role'], scope: Scope): Promise<void> {
  const wrong = (message: string) => new AppError('validation_failed', { fields: { scope: [message] } })
  if (role === 'admin') {
    if (scope.type !== 'all') throw wrong('管理员的范围应为 all')
    return
  }
  if (role === 'official') {
    if (scope.type !== 'region' || (await regionOfScope(scope)) === null)
      throw wrong('人社部门账号的范围应为本服务覆盖的地区')
    return
  }
  if (scope.type !== 'station') throw wrong('工作人员的范围应为一个服务点')
  const station = await stations.get(scope.code)
  if (!station) throw wrong('没有这个服务点')
  if (role === 'station_staff' && station.kind !== 'station') throw wrong('就享家工作人员应绑定就享家服务站')
  if (role === 'bank_staff' && station.kind !== 'bank_point') throw wrong('助创驿站工作人员应绑定助创驿站')
}

async function present(record: InvitationRecord): Promise<Invitation> {
  return {
    code: record.code,
    role: record.role,
    scope: record.scope,
    scopeName: await scopeName(record.scope),
    note: record.note,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    usedAt: record.usedAt,
  }
}

async function summary(account: AccountRecord): Promise<AccountSummary> {
  return {
    id: account.id,
    username: account.username,
    displayName: account.displayName,
    role: account.role,
    scope: account.scope,
    scopeName: await scopeName(account.scope),
    disabled: account.disabled,
    createdAt: account.createdAt,
  }
}

/** An account as the caller may see it, or the same 404 as a missing one. */
async function visibleAccount(access: AccessScope, id: string): Promise<AccountRecord> {
  const account = await staffDirectory.get(access, id)
  if (!account) throw new AppError('not_found')
  return account
}

export const identityRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/api/v1/invitations',
    operationId: 'createInvitation',
    summary: '创建一次性邀请码（72 小时有效），绑定角色与服务范围',
    tag: 'identity',
    body: InvitationCreateSchema,
    response: InvitationSchema,
    status: 201,
    errors: ['rate_limited'],
    async handler({ body, caller, access, ip, requestId }) {
      if (!caller) throw new AppError('unauthenticated')
      await enforce('create', { ip, identity: caller.account.id })
      await checkRoleScope(body.role, body.scope)
      if (body.role === 'admin' && access.rule !== 'all') throw new AppError('forbidden')
      const region = await regionOfScope(body.scope)
      if (!canGrant(access, region)) {
        throw new AppError('forbidden', { message: '只能邀请本地区范围内的账号' })
      }
      const record = await invitations.create({
        role: body.role,
        scope: body.scope,
        region: region ?? '000000',
        note: body.note,
        createdBy: caller.account.id,
      })
      await audit({
        action: 'invitation_created',
        actor: caller.account.id,
        target: record.code,
        requestId,
        detail: { role: record.role, scope: record.scope.type },
      })
      return present(record)
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/invitations',
    operationId: 'listInvitations',
    summary: '本范围内仍有效的邀请码',
    tag: 'identity',
    response: InvitationListSchema,
    async handler({ access }) {
      const records = await invitations.list(access)
      return { items: await Promise.all(records.map(present)) }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/invitations/redeem',
    operationId: 'redeemInvitation',
    summary: '使用邀请码：微信/支付宝登录后直接绑定；H5 上设置账号和密码',
    tag: 'identity',
    body: RedeemSchema,
    response: TokenPairSchema,
    errors: ['rate_limited', 'conflict', 'not_found'],
    async handler({ body, caller, ip, requestId }) {
      await enforce('redeem', { ip, identity: caller?.account.id ?? body.username })
      const gone = () => new AppError('not_found', { message: '邀请码无效、已使用或已过期' })
      if (caller) {
        // After a WeChat or Alipay login: the resident account becomes the staff account.
        if (body.username || body.password) {
          throw new AppError('validation_failed', { fields: { username: ['已登录时无需设置账号和密码'] } })
        }
        const invitation = await invitations.consume(body.code, caller.account.id)
        if (!invitation) throw gone()
        const updated = await accounts.replace({
          ...caller.account,
          role: invitation.role,
          scope: invitation.scope,
          displayName: body.displayName,
        })
        await audit({
          action: 'invitation_redeemed',
          actor: updated.id,
          target: invitation.code,
          requestId,
          detail: { role: invitation.role },
        })
        await audit({
          action: 'role_changed',
          actor: updated.id,
          target: updated.id,
          requestId,
          detail: { role: updated.role },
        })
        return startSession(updated)
      }
      const fields: Record<string, string[]> = {}
      if (!body.username) fields.username = ['请设置账号']
      if (!body.password) fields.password = ['请设置密码']
      else {
        const strength = checkPasswordStrength(body.password, body.username)
        if (!strength.ok) fields.password = [strength.message]
      }
      if (Object.keys(fields).length > 0 || !body.username || !body.password) {
        throw new AppError('validation_failed', { fields })
      }
      if (await accounts.findByUsername(body.username)) {
        throw new AppError('conflict', {
          message: '这个账号已被使用，请换一个',
          fields: { username: ['账号已被使用'] },
        })
      }
      const passwordHash = await hashPassword(body.password)
      const pending = `pending:${body.username.toLowerCase()}`
      const invitation = await invitations.consume(body.code, pending)
      if (!invitation) throw gone()
      const created = await accounts.create({
        username: body.username,
        displayName: body.displayName,
        role: invitation.role,
        scope: invitation.scope,
        passwordHash,
      })
      if (!created) {
        await invitations.release(body.code, pending)
        throw new AppError('conflict', {
          message: '这个账号已被使用，请换一个',
          fields: { username: ['账号已被使用'] },
        })
      }
      await audit({
        action: 'invitation_redeemed',
        actor: created.id,
        target: invitation.code,
        requestId,
        detail: { role: created.role },
      })
      return startSession(created)
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/accounts',
    operationId: 'listAccounts',
    summary: '工作人员与管理账号列表（人社部门只看本地区）',
    tag: 'identity',
    response: AccountListSchema,
    async handler({ access }) {
      const visible = await staffDirectory.list(access)
      return { items: await Promise.all(visible.map(summary)) }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/accounts/{id}',
    operationId: 'getAccount',
    summary: '一个工作人员账号',
    tag: 'identity',
    params: AccountParamsSchema,
    response: AccountSummarySchema,
    errors: ['not_found'],
    async handler({ params, access }) {
      return summary(await visibleAccount(access, params.id))
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/api/v1/accounts/{id}',
    operationId: 'updateAccount',
    summary: '停用/启用账号、调整服务范围（管理员）；下一次请求即生效',
    tag: 'identity',
    params: AccountParamsSchema,
    body: AccountUpdateSchema,
    response: AccountSummarySchema,
    errors: ['not_found'],
    async handler({ params, body, access, caller, requestId }) {
      if (!caller) throw new AppError('unauthenticated')
      const account = await visibleAccount(access, params.id)
      if (body.scope) await checkRoleScope(account.role, body.scope)
      if (account.id === caller.account.id && body.disabled) {
        throw new AppError('validation_failed', { fields: { disabled: ['不能停用自己的账号'] } })
      }
      const updated = await accounts.replace({
        ...account,
        ...(body.displayName ? { displayName: body.displayName } : {}),
        ...(body.scope ? { scope: body.scope } : {}),
        ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
        // Disabling ends every session it had; a new scope applies to the running sessions, since
        // every request reads the account afresh.
        ...(body.disabled ? { validAfter: Math.floor(Date.now() / 1000) } : {}),
      })
      if (body.disabled !== undefined && body.disabled !== account.disabled) {
        await audit({
          action: body.disabled ? 'account_disabled' : 'account_enabled',
          actor: caller.account.id,
          target: account.id,
          requestId,
        })
      }
      if (body.scope) {
        await audit({
          action: 'scope_changed',
          actor: caller.account.id,
          target: account.id,
          requestId,
          detail: { scope: body.scope.type },
        })
      }
      return summary(updated)
    },
  }),
]
