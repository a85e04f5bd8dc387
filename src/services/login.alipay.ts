import { api, keepSession } from './index'

interface AlipayMy {
  getAuthCode(options: {
    scopes: string
    success: (result: { authCode: string }) => void
    fail: (error: unknown) => void
  }): void
}

declare const my: AlipayMy

/** Alipay: `my.getAuthCode` with the silent `auth_base` scope; the server exchanges the code. */
export async function silentLogin(): Promise<void> {
  const authCode = await new Promise<string>((resolve, reject) => {
    my.getAuthCode({ scopes: 'auth_base', success: (result) => resolve(result.authCode), fail: reject })
  })
  const pair = await api.post<{ accessToken: string; refreshToken: string }>('/api/v1/auth/alipay', {
    authCode,
  })
  keepSession(pair)
}

export const REDEEM_INTO_PLATFORM_ACCOUNT = true
