import { api, keepSession } from './index'

/**
 * Silent resident login, one implementation per platform (Taro picks `login.weapp.ts`,
 * `login.alipay.ts` or this file for H5 at build time). H5 has no platform account: it gets a
 * device-bound session, kept in this browser's storage.
 */
export async function silentLogin(): Promise<void> {
  const pair = await api.post<{ accessToken: string; refreshToken: string }>('/api/v1/auth/device', {})
  keepSession(pair)
}

/** Whether this platform can redeem an invitation into the signed-in account (no password). */
export const REDEEM_INTO_PLATFORM_ACCOUNT = false
