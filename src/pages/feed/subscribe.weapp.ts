import Taro from '@tarojs/taro'

/** WeChat offers 订阅政策推送 (when the build names a template). */
export const CAN_SUBSCRIBE = true

/**
 * WeChat one-time subscribe message (订阅消息): one accepted prompt allows one notice, here the
 * next announcement for the resident's station. WeChat shows the prompt only in answer to a tap,
 * so the button's handler calls this before anything else.
 * https://developers.weixin.qq.com/miniprogram/dev/api/open-api/subscribe-message/wx.requestSubscribeMessage.html
 *
 * @returns whether the resident accepted; never rejects.
 */
export async function askToSubscribe(templateId: string): Promise<boolean> {
  try {
    // Taro's option type demands Alipay's `entityIds` as well; WeChat takes `tmplIds` only.
    const option = { tmplIds: [templateId] } as unknown as Taro.requestSubscribeMessage.Option
    const answer: Record<string, unknown> = { ...(await Taro.requestSubscribeMessage(option)) }
    return answer[templateId] === 'accept'
  } catch {
    return false
  }
}
