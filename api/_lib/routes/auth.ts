import { ROLES } from '../../../src/shared/catalog'
import { REGIONS } from '../../../src/shared/regions'
import { LoginRequestSchema, type Me, MeSchema, TokenResponseSchema } from '../../../src/shared/schemas/auth'
import { ACCESS_TOKEN_SECONDS, issueAccessToken } from '../auth'
import { AppError } from '../errors'
import { log } from '../log'
import { decoyHash, verifyPassword } from '../passwords'
import { type AccountRecord, accounts } from '../repos/accounts'
import { stations } from '../repos/stations'
import { defineRoute, type Route } from '../route'

async function scopeName(account: AccountRecord): Promise<string> {
  const scope = account.scope
  switch (scope.type) {
    case 'all':
      return '全部地区'
    case 'none':
      return '个人'
    case 'region':
      return REGIONS.find((region) => region.code === scope.code)?.name ?? scope.code
    case 'station':
      return (await stations.get(scope.code))?.name ?? scope.code
  }
}

export const authRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/api/v1/auth/login',
    operationId: 'login',
    summary: '工作人员账号密码登录（H5）',
    tag: 'auth',
    access: 'public',
    body: LoginRequestSchema,
    response: TokenResponseSchema,
    errors: ['invalid_credentials'],
    async handler({ body, requestId }) {
      const account = await accounts.findByUsername(body.username)
      const hash = account?.passwordHash ?? (await decoyHash())
      const valid = (await verifyPassword(body.password, hash)) && account !== null && !account.disabled
      if (!account || !valid) {
        log('info', 'login refused', { requestId })
        throw new AppError('invalid_credentials')
      }
      log('info', 'login', { requestId, accountId: account.id, role: account.role })
      const accessToken = await issueAccessToken({ sub: account.id, role: account.role })
      return { accessToken, tokenType: 'Bearer' as const, expiresIn: ACCESS_TOKEN_SECONDS }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/me',
    operationId: 'getMe',
    summary: '当前登录的账号、角色与服务范围',
    tag: 'auth',
    access: 'signed-in',
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
        scopeName: await scopeName(account),
      }
    },
  }),
]
