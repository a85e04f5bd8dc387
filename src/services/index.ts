import Taro from '@tarojs/taro'
import { API_BASE } from './config'
import { createApiClient, type TokenStore } from './http'
import { taroTransport } from './taro-transport'

export { ApiError, NetworkError } from './http'

const TOKEN_KEY = 'doorstep.token'

const tokens: TokenStore = {
  get() {
    try {
      const value: unknown = Taro.getStorageSync(TOKEN_KEY)
      return typeof value === 'string' && value ? value : null
    } catch {
      return null
    }
  },
  set(token) {
    Taro.setStorageSync(TOKEN_KEY, token)
  },
  clear() {
    Taro.removeStorageSync(TOKEN_KEY)
  },
}

/** The app's API client; every page goes through it. */
export const api = createApiClient({ baseUrl: API_BASE, transport: taroTransport, tokens })
