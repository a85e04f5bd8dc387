/**
 * 订阅政策推送: only WeChat has subscribe messages configured here (`subscribe.weapp.ts`). Alipay
 * and H5 residents read their announcements in 消息.
 */
export const CAN_SUBSCRIBE = false

/** @returns whether the resident accepted; never rejects. */
export async function askToSubscribe(_templateId: string): Promise<boolean> {
  return false
}
