import { z } from 'zod'
import { ROLES } from '../catalog'

const roles = Object.keys(ROLES) as [keyof typeof ROLES, ...(keyof typeof ROLES)[]]
export const roleSchema = z.enum(roles)

export const LoginRequestSchema = z
  .strictObject({
    username: z
      .string({ error: '请填写账号' })
      .trim()
      .min(3, { error: '账号至少 3 个字符' })
      .max(40, { error: '账号最多 40 个字符' })
      .regex(/^[a-z0-9._-]+$/i, { error: '账号只能包含字母、数字和 . _ -' }),
    password: z
      .string({ error: '请填写密码' })
      .min(1, { error: '请填写密码' })
      .max(128, { error: '密码太长' }),
  })
  .meta({ id: 'LoginRequest' })
export type LoginRequest = z.infer<typeof LoginRequestSchema>

export const TokenResponseSchema = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: '有效期（秒）' }),
  })
  .meta({ id: 'TokenResponse' })
export type TokenResponse = z.infer<typeof TokenResponseSchema>

/** Where an account may act: a station, a bank point, a region, or everywhere (administrator). */
export const ScopeSchema = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('none') }),
      z.strictObject({
        type: z.literal('station'),
        code: z.string().regex(/^[A-Z0-9]{4,12}$/, { error: '服务点编码不正确' }),
      }),
      z.strictObject({
        type: z.literal('region'),
        code: z.string().regex(/^\d{6}$/, { error: '地区代码应为 6 位数字' }),
      }),
      z.strictObject({ type: z.literal('all') }),
    ],
    { error: '范围类型只能是 none、station、region 或 all' },
  )
  .meta({ id: 'Scope' })
export type Scope = z.infer<typeof ScopeSchema>

export const MeSchema = z
  .object({
    id: z.string(),
    role: roleSchema,
    roleName: z.string(),
    displayName: z.string(),
    scope: ScopeSchema,
    scopeName: z.string(),
  })
  .meta({ id: 'Me' })
export type Me = z.infer<typeof MeSchema>
