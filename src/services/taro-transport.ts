import Taro from '@tarojs/taro'
import type { Transport } from './http'

/** `Taro.request` as a Transport: resolves on any HTTP answer, rejects only when none came. */
export const taroTransport: Transport = async (request) => {
  const response = await Taro.request({
    url: request.url,
    method: request.method,
    header: request.headers,
    data: request.body,
    timeout: request.timeoutMs,
    dataType: 'json',
    responseType: 'text',
  })
  const headers: Record<string, string> = {}
  for (const [key, value] of Object.entries(response.header ?? {})) {
    headers[key.toLowerCase()] = String(value)
  }
  let data: unknown = response.data
  if (typeof data === 'string' && data) {
    try {
      data = JSON.parse(data)
    } catch {
      // Not JSON (a proxy's error page): keep the text; the status code still tells what happened.
    }
  }
  return { status: response.statusCode, headers, data }
}
