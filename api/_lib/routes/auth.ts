import { randomUUID } from 'node:crypto'
import { ROLES } from '../../../src/shared/catalog'
import { LoginRequestSchema, type Me, MeSchema } from '../../../src/shared/schemas/auth'
import {
  AlipayLoginSchema,
  DeviceLoginSchema,
  OkSchema,
  RefreshSchema,
  TokenPairSchema,
  WechatLoginSchema,
} from '../../../src/shared/schemas/identity'
import { audit } from '../audit'
import { AppError } from '../errors'
import { decoyHash, verifyPassword } from '../passwords'
import { alipayIdentity, wechatIdentity } from '../platforms/logins'
import { enforce } from '../ratelimit'
import { type AccountRecord, accounts } from '../repos/accounts'
import { defineRoute, type Route } from '../route'
import { scopeName } from '../scopes'
import { endSession, refreshSession, startSession } from '../sessions'

/** Finds the resident account for a platform identity, creating it on first login. */
async function residentFor(identity: string, displayName: string): Promise<AccountRecord> {
  const existing = await accounts.findByIdentity(identity)
  if (existing) return existing
  const created = await accounts.create({
    displayName,
    role: 'resident',
    scope: { type: 'none' },
    identities: [identity],
  })
  if (created) return created
  // Two first logins raced; the other one created it.
  const winner = await accounts.findByIdentity(identity)
  if (!winner) throw new Error('identity index without an account')
  return winner
}

/** The last steps every resident login shares: find or create, refuse disabled, audit, session. */
async function signInResident(identity: string, displayName: string, method: string, requestId: string) {
  const account = await residentFor(identity, displayName)
  if (account.disabled) throw new AppError('unauthenticated', { message: '账号已停用，请联系管理员' })
  await audit({ action: 'login', actor: account.id, requestId, detail: { method } })
  return startSession(account)
}

export const authRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/api/v1/auth/login',
    operationId: 'login',
    summary: '工作人员账号密码登录（H5）',
    tag: 'auth',
    body: LoginRequestSchema,
    response: TokenPairSchema,
    errors: ['invalid_credentials', 'rate_limited'],
    async handler({ body, requestId, ip }) {
      await enforce('login', { ip, identity: body.username.toLowerCase() })
      const account = await accounts.findByUsername(body.username)
      const hash = account?.passwordHash ?? (await decoyHash())
      const valid = (await verifyPassword(body.password, hash)) && account !== null && !account.disabled
      if (!account || !valid) {
        await audit({
          action: 'login_refused',
          actor: account?.id ?? null,
          requestId,
          detail: { method: 'password' },
        })
        throw new AppError('invalid_credentials')
      }
      await audit({
        action: 'login',
        actor: account.id,
        requestId,
        detail: { method: 'password', role: account.role },
      })
      return startSession(account)
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/auth/wechat',
    operationId: 'loginWechat',
    summary: '微信小程序登录：wx.login 的 code 换取会话（code2Session）',
    tag: 'auth',
    body: WechatLoginSchema,
    response: TokenPairSchema,
    errors: ['invalid_credentials', 'rate_limited'],
    async handler({ body, requestId, ip }) {
      await enforce('platformLogin', { ip })
      return signInResident(await wechatIdentity(body.code), '微信用户', 'wechat', requestId)
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/auth/alipay',
    operationId: 'loginAlipay',
    summary: '支付宝小程序登录：my.getAuthCode 的授权码换取会话（alipay.system.oauth.token）',
    tag: 'auth',
    body: AlipayLoginSchema,
    response: TokenPairSchema,
    errors: ['invalid_credentials', 'rate_limited'],
    async handler({ body, requestId, ip }) {
      await enforce('platformLogin', { ip })
      return signInResident(await alipayIdentity(body.authCode), '支付宝用户', 'alipay', requestId)
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/auth/device',
    operationId: 'loginDevice',
    summary: 'H5 居民的设备会话：无需账号，刷新令牌保存在本设备',
    tag: 'auth',
    body: DeviceLoginSchema,
    response: TokenPairSchema,
    errors: ['rate_limited'],
    async handler({ requestId, ip }) {
      await enforce('create', { ip })
      return signInResident(`device:${randomUUID()}`, '访客', 'device', requestId)
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/auth/refresh',
    operationId: 'refreshSession',
    summary: '用刷新令牌换一对新令牌（每次使用都会轮换；旧令牌再次出现会注销整个会话）',
    tag: 'auth',
    body: RefreshSchema,
    response: TokenPairSchema,
    async handler({ body, requestId }) {
      try {
        const { pair } = await refreshSession(body.refreshToken, accounts.get)
        return pair
      } catch (error) {
        if (error instanceof AppError && error.cause === 'reuse') {
          await audit({
            action: 'session_revoked',
            actor: null,
            requestId,
            detail: { reason: 'refresh_reuse' },
          })
        }
        throw error
      }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/auth/logout',
    operationId: 'logout',
    summary: '退出登录：当前访问令牌立即失效，会话的刷新令牌一并作废',
    tag: 'auth',
    response: OkSchema,
    async handler({ caller, requestId }) {
      if (!caller) throw new AppError('unauthenticated')
      await endSession(caller.claims)
      await audit({
        action: 'session_revoked',
        actor: caller.account.id,
        requestId,
        detail: { reason: 'logout' },
      })
      return { ok: true as const }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/me',
    operationId: 'getMe',
    summary: '当前登录的账号、角色与服务范围',
    tag: 'auth',
    response: MeSchema,
    async handler({ caller }): Promise<Me> {
      if (!caller) throw new AppError('unauthenticated')
      const { account } = caller
      return {
        id: account.id,
        role: account.role,
        roleName: ROLES[account.role],
        displayName: account.displayName,
        scope: account.scope,
        scopeName: await scopeName(account.scope),
      }
    },
  }),
]
