import { log } from '../log'
import { accounts } from '../repos/accounts'
import { wechatClient } from './logins'
import { sendSubscribeMessage } from './subscribe'

/**
 * Tells a resident something through a WeChat subscribe message, when WeChat is configured, the
 * template is set and the account has a WeChat identity. Best effort: the outcome is logged (never
 * the openid), and a refusal (43101: the one-time subscription is spent) is final.
 */
export async function notifyOnWechat(
  accountId: string,
  templateId: string | undefined,
  page: string,
  data: Record<string, { value: string }>,
  about: Record<string, string>,
): Promise<void> {
  const client = wechatClient()
  if (!templateId || !client) return
  const account = await accounts.get(accountId)
  const prefix = `wechat:${client.appid}:`
  const identity = account?.identities.find((item) => item.startsWith(prefix))
  if (!identity) return
  const outcome = await sendSubscribeMessage(client, {
    openid: identity.slice(prefix.length),
    templateId,
    page,
    data,
  })
  log(outcome.kind === 'sent' ? 'info' : 'warn', 'wechat notice', {
    ...about,
    outcome: outcome.kind,
    ...('errcode' in outcome && outcome.errcode !== undefined ? { errcode: outcome.errcode } : {}),
  })
}
