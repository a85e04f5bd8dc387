import { z } from 'zod'
import { PASSWORD_MAX_LENGTH } from '../validators/password'
import { roleSchema, ScopeSchema } from './auth'

export const TokenPairSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: '访问令牌有效期（秒）' }),
    refreshExpiresIn: z.number().int().meta({ description: '刷新令牌有效期（秒）' }),
  })
  .meta({ id: 'TokenPair' })
export type TokenPair = z.infer<typeof TokenPairSchema>

const opaque = (name: string) =>
  z
    .string({ error: `请提供${name}` })
    .min(1, { error: `请提供${name}` })
    .max(512, { error: `${name}格式不正确` })

export const WechatLoginSchema = z.strictObject({ code: opaque('微信登录凭证') }).meta({ id: 'WechatLogin' })
export const AlipayLoginSchema = z
  .strictObject({ authCode: opaque('支付宝授权码') })
  .meta({ id: 'AlipayLogin' })
export const DeviceLoginSchema = z.strictObject({}).meta({ id: 'DeviceLogin' })
export const RefreshSchema = z
  .strictObject({ refreshToken: opaque('刷新令牌').max(4096) })
  .meta({ id: 'Refresh' })
export const OkSchema = z.object({ ok: z.literal(true) }).meta({ id: 'Ok' })

/** Invitation codes: 10 characters without look-alikes (no 0/O/1/I/L). */
export const INVITATION_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
export const invitationCodeSchema = z
  .string({ error: '请填写邀请码' })
  .trim()
  .toUpperCase()
  .regex(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/, { error: '邀请码应为 10 位字母或数字' })

export const InvitationCreateSchema = z
  .strictObject({
    role: z.enum(['station_staff', 'bank_staff', 'official', 'admin'], { error: '请选择角色' }),
    scope: ScopeSchema,
    note: z.string().trim().max(60, { error: '备注最多 60 个字' }).optional(),
  })
  .meta({ id: 'InvitationCreate' })

export const InvitationSchema = z
  .object({
    code: z.string(),
    role: roleSchema,
    scope: ScopeSchema,
    scopeName: z.string(),
    note: z.string().optional(),
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    usedAt: z.string().optional(),
  })
  .meta({ id: 'Invitation' })
export type Invitation = z.infer<typeof InvitationSchema>
export const InvitationListSchema = z
  .object({ items: z.array(InvitationSchema) })
  .meta({ id: 'InvitationList' })

export const RedeemSchema = z
  .strictObject({
    code: invitationCodeSchema,
    displayName: z
      .string({ error: '请填写姓名' })
      .trim()
      .min(1, { error: '请填写姓名' })
      .max(30, { error: '姓名最多 30 个字' }),
    /** H5: a new staff account with a password. Omit both after a WeChat/Alipay login. */
    username: z
      .string()
      .trim()
      .min(3, { error: '账号至少 3 个字符' })
      .max(40, { error: '账号最多 40 个字符' })
      .regex(/^[a-z0-9._-]+$/i, { error: '账号只能包含字母、数字和 . _ -' })
      .optional(),
    password: z.string().max(PASSWORD_MAX_LENGTH, { error: '密码太长' }).optional(),
  })
  .meta({ id: 'Redeem' })

export const AccountSummarySchema = z
  .object({
    id: z.string(),
    username: z.string().optional(),
    displayName: z.string(),
    role: roleSchema,
    scope: ScopeSchema,
    scopeName: z.string(),
    disabled: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'AccountSummary' })
export type AccountSummary = z.infer<typeof AccountSummarySchema>
export const AccountListSchema = z
  .object({ items: z.array(AccountSummarySchema) })
  .meta({ id: 'AccountList' })
export const AccountParamsSchema = z.strictObject({
  id: z.uuid({ error: '账号编号格式不正确' }),
})
export const AccountUpdateSchema = z
  .strictObject({
    disabled: z.boolean({ error: '应为 true 或 false' }).optional(),
    scope: ScopeSchema.optional(),
    displayName: z.string().trim().min(1).max(30).optional(),
  })
  .refine((value) => Object.keys(value).length > 0, { error: '请至少修改一项' })
  .meta({ id: 'AccountUpdate' })
