import { env } from '../env'
import { AppError } from '../errors'
import {
  type AlipayClient,
  fromEnv as alipayConfig,
  identityKey as alipayKey,
  createAlipayClient,
} from './alipay'
import {
  createWechatClient,
  type WechatClient,
  fromEnv as wechatConfig,
  identityKey as wechatKey,
} from './wechat'

/**
 * Resident logins through the platforms, as identity keys (`wechat:<appid>:<openid>`,
 * `alipay:<appid>:<open_id or user_id>`). Clients are built once per process. A deployment
 * without a platform's credentials answers its login with a plain 422, not a server error.
 */
let wechat: WechatClient | undefined
let alipay: AlipayClient | undefined

export async function wechatIdentity(code: string): Promise<string> {
  if (!env().WECHAT_APPID || !env().WECHAT_SECRET) {
    throw new AppError('unprocessable', { message: '本服务尚未开通微信登录' })
  }
  wechat ??= createWechatClient(wechatConfig())
  const { openid } = await wechat.code2session(code)
  return wechatKey(wechat.appid, openid)
}

export async function alipayIdentity(authCode: string): Promise<string> {
  if (!env().ALIPAY_APPID || !env().ALIPAY_PRIVATE_KEY || !env().ALIPAY_PUBLIC_KEY) {
    throw new AppError('unprocessable', { message: '本服务尚未开通支付宝登录' })
  }
  alipay ??= createAlipayClient(alipayConfig())
  const { openId, userId } = await alipay.oauthToken(authCode)
  const id = openId ?? userId
  if (!id) throw new AppError('unavailable')
  return alipayKey(alipay.appId, id)
}

/** The WeChat client for server APIs (小程序码, subscribe messages), when configured. */
export function wechatClient(): WechatClient | null {
  if (!env().WECHAT_APPID || !env().WECHAT_SECRET) return null
  wechat ??= createWechatClient(wechatConfig())
  return wechat
}
