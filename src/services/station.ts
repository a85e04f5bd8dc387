import Taro from '@tarojs/taro'

/**
 * The station the resident arrived from (QR poster, 小程序码, link), kept on the device so every
 * later step — a question, a loan intake — knows where it belongs.
 */
const KEY = 'doorstep.station'

export function currentStation(): string | null {
  try {
    const value: unknown = Taro.getStorageSync(KEY)
    return typeof value === 'string' && value ? value : null
  } catch {
    return null
  }
}

export function chooseStation(code: string): void {
  Taro.setStorageSync(KEY, code)
}
