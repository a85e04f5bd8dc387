import Taro from '@tarojs/taro'

/**
 * WeChat one-time subscribe message (订阅消息): one accepted prompt allows one message, here the
 * next status change of the intake. WeChat shows the prompt only in answer to a tap, so the form
 * calls this first thing in its submit handler.
 * https://developers.weixin.qq.com/miniprogram/dev/api/open-api/subscribe-message/wx.requestSubscribeMessage.html
 *
 * @returns whether the resident accepted; never rejects (a refusal or an error submits without it).
 */
export async function askToNotify(templateId: string | null): Promise<boolean> {
  if (!templateId) return false
  try {
    // Taro's option type demands Alipay's `entityIds` as well; WeChat takes `tmplIds` only.
    const option = { tmplIds: [templateId] } as unknown as Taro.requestSubscribeMessage.Option
    const answer: Record<string, unknown> = { ...(await Taro.requestSubscribeMessage(option)) }
    return answer[templateId] === 'accept'
  } catch {
    return false
  }
}
