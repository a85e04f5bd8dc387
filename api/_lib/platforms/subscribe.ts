import { z } from 'zod'
import { log } from '../log'
import { networkCause, type WechatClient } from './wechat'

/**
 * WeChat subscribe messages (订阅消息), `subscribeMessage.send`:
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
 *
 * A one-time subscription allows one message per opt-in: 43101 means the user has not (or no
 * longer) subscribed — final, the subscription is spent. -1 and HTTP 5xx are transient. The access
 * token comes from the shared client (fetched once, cached in the store).
 */
export type SendOutcome =
  | { kind: 'sent' }
  | { kind: 'refused'; errcode: number }
  | { kind: 'transient'; errcode?: number }

const AnswerSchema = z.object({ errcode: z.number().int().optional(), errmsg: z.string().optional() })
const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001])

export interface SubscribeMessage {
  openid: string
  templateId: string
  /** Page opened from the message, as in app.json with an optional query. */
  page: string
  /** `{ thing1: { value: '…' }, … }` — the template's keywords. */
  data: Record<string, { value: string }>
}

export async function sendSubscribeMessage(
  client: WechatClient,
  message: SubscribeMessage,
  /** Background sends (a fan-out) may wait longer than a request would. */
  timeoutMs = client.timeoutMs,
): Promise<SendOutcome> {
  async function once(token: string): Promise<{ status: number; errcode: number | undefined }> {
    const url = new URL('/cgi-bin/message/subscribe/send', client.baseUrl)
    url.searchParams.set('access_token', token)
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        touser: message.openid,
        template_id: message.templateId,
        page: message.page,
        data: message.data,
        miniprogram_state: 'formal',
        lang: 'zh_CN',
      }),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const text = await response.text()
    let raw: unknown = null
    try {
      raw = JSON.parse(text)
    } catch {
      // Not JSON: treated as transient below.
    }
    const parsed = AnswerSchema.safeParse(raw)
    return { status: response.status, errcode: parsed.success ? (parsed.data.errcode ?? 0) : undefined }
  }
  try {
    let answer = await once(await client.getAccessToken())
    if (answer.errcode !== undefined && TOKEN_ERRCODES.has(answer.errcode)) {
      await client.invalidateAccessToken()
      answer = await once(await client.getAccessToken())
    }
    if (answer.status >= 500 || answer.errcode === undefined || answer.errcode === -1) {
      return answer.errcode === undefined
        ? { kind: 'transient' }
        : { kind: 'transient', errcode: answer.errcode }
    }
    if (answer.errcode === 0) return { kind: 'sent' }
    return { kind: 'refused', errcode: answer.errcode }
  } catch (error) {
    log('warn', 'wechat unreachable', { api: 'subscribe.send', ...networkCause(error) })
    return { kind: 'transient' }
  }
}
