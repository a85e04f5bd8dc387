import Taro from '@tarojs/taro'
import { api, keepSession } from './index'

/** WeChat: `wx.login` gives a one-time code; the server exchanges it (code2Session). */
export async function silentLogin(): Promise<void> {
  const { code } = await Taro.login()
  const pair = await api.post<{ accessToken: string; refreshToken: string }>('/api/v1/auth/wechat', { code })
  keepSession(pair)
}

export const REDEEM_INTO_PLATFORM_ACCOUNT = true
