import Taro from '@tarojs/taro'
import { API_BASE } from './config'
import { createApiClient, type TokenStore } from './http'
import { taroTransport } from './taro-transport'

export { ApiError, NetworkError } from './http'

const TOKEN_KEY = 'doorstep.token'
const REFRESH_KEY = 'doorstep.refresh'

function read(key: string): string | null {
  try {
    const value: unknown = Taro.getStorageSync(key)
    return typeof value === 'string' && value ? value : null
  } catch {
    return null
  }
}

const tokens: TokenStore = {
  get: () => read(TOKEN_KEY),
  set(token) {
    Taro.setStorageSync(TOKEN_KEY, token)
  },
  getRefresh: () => read(REFRESH_KEY),
  setRefresh(token) {
    Taro.setStorageSync(REFRESH_KEY, token)
  },
  clear() {
    Taro.removeStorageSync(TOKEN_KEY)
    Taro.removeStorageSync(REFRESH_KEY)
  },
}

/** The app's API client; every page goes through it. */
export const api = createApiClient({ baseUrl: API_BASE, transport: taroTransport, tokens })

/** Keeps a new session (login, redemption). */
export function keepSession(pair: { accessToken: string; refreshToken: string }): void {
  tokens.set(pair.accessToken)
  tokens.setRefresh?.(pair.refreshToken)
}
