import { z } from 'zod'

/**
 * The server's whole configuration, parsed once when the module loads. A misconfigured deploy
 * fails at start-up with every problem listed — not at the first request that needs a value.
 * Nothing else on the server reads `process.env`.
 */
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    /** Where this server runs; Vercel sets VERCEL_ENV. `production` forbids demo shortcuts. */
    VERCEL_ENV: z.enum(['production', 'preview', 'development']).optional(),
    APP_VERSION: z.string().default('0.1.0'),
    /** The public HTTPS origin printed in QR codes and posters, e.g. https://doorstep.example.cn. */
    PUBLIC_ORIGIN: z.url().optional(),
    UPSTASH_REDIS_REST_URL: z.url().optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, { error: 'REDIS_URL must start with redis:// or rediss://' })
      .optional(),
    /** Budget for one store call, retries included, before the API answers 503. */
    STORE_TIMEOUT_MS: z.coerce.number().int().min(50).max(10_000).default(600),
    AUTH_JWT_SECRET: z
      .string()
      .min(32, { error: 'AUTH_JWT_SECRET must be at least 32 characters' })
      .optional(),
    AUTH_JWT_KID: z.string().min(1).default('k1'),
    /** Keys still accepted during a rotation: `kid:secret,kid:secret` (never used to sign). */
    AUTH_JWT_PREVIOUS_KEYS: z.string().optional(),
    /** WeChat mini-program credentials; the base URL is configurable so tests use a local fake. */
    WECHAT_APPID: z.string().optional(),
    WECHAT_SECRET: z.string().optional(),
    WECHAT_API_BASE: z.url().default('https://api.weixin.qq.com'),
    /** Alipay mini-program credentials (RSA2, PEM or bare base64 keys). */
    ALIPAY_APPID: z.string().optional(),
    ALIPAY_PRIVATE_KEY: z.string().optional(),
    ALIPAY_PUBLIC_KEY: z.string().optional(),
    ALIPAY_GATEWAY: z.url().default('https://openapi.alipay.com/gateway.do'),
    /** Budget for one call to WeChat or Alipay. */
    PLATFORM_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3_000),
    AUTH_ISSUER: z.string().default('doorstep'),
    /** AES-256-GCM keys for personal data, `version:base64,…`; required in production. */
    PII_KEYS: z.string().optional(),
    /** The version new values are encrypted with (older versions stay readable while listed). */
    PII_KEY_VERSION: z.coerce.number().int().min(1).default(1),
    /** HMAC key of the blind index (duplicate detection), base64 32 bytes; separate from PII_KEYS. */
    PII_INDEX_KEY: z.string().optional(),
    /** Days after an intake closes before its personal data is purged. */
    INTAKE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
    /** First contact with a new intake is due within this many working days. */
    INTAKE_SLA_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(2),
    /** A consultation's first answer is due within this many working days. */
    CONSULT_SLA_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(1),
    /** Extra non-working days (public holidays), `YYYY-MM-DD,…`, on top of the shipped calendar. */
    HOLIDAYS: z.string().optional(),
    /** Weekend days that are working days (调休), `YYYY-MM-DD,…`. */
    MAKEUP_WORKDAYS: z.string().optional(),
    /** WeChat subscribe-message template for intake status changes; empty turns the notice off. */
    WECHAT_INTAKE_TEMPLATE_ID: z.string().optional(),
    /** WeChat subscribe-message template for announcements (keywords thing1 / thing2 / time3). */
    WECHAT_ANNOUNCEMENT_TEMPLATE_ID: z.string().optional(),
    /** Long-term subscriptions: only for accounts in categories WeChat allows (政务民生, 金融, …). */
    WECHAT_LONG_TERM_SUBSCRIPTIONS: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
    /** Upstash QStash for background jobs; without it jobs run in-process. */
    QSTASH_TOKEN: z.string().optional(),
    QSTASH_URL: z.url().optional(),
    QSTASH_CURRENT_SIGNING_KEY: z.string().optional(),
    QSTASH_NEXT_SIGNING_KEY: z.string().optional(),
    /** WeChat subscribe-message template for answered consultations; empty turns the notice off. */
    WECHAT_CONSULT_TEMPLATE_ID: z.string().optional(),
    /** Bearer secret Vercel Cron sends to scheduled jobs (`Authorization: Bearer …`). */
    CRON_SECRET: z.string().min(16).optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.UPSTASH_REDIS_REST_URL) !== Boolean(env.UPSTASH_REDIS_REST_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: ['UPSTASH_REDIS_REST_TOKEN'],
        message: 'UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN must be set together',
      })
    }
    const production = env.NODE_ENV === 'production' || env.VERCEL_ENV === 'production'
    if (production && !env.AUTH_JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_JWT_SECRET'],
        message: 'AUTH_JWT_SECRET is required in production',
      })
    }
    if (production && (!env.PII_KEYS || !env.PII_INDEX_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: ['PII_KEYS'],
        message: 'PII_KEYS and PII_INDEX_KEY are required in production',
      })
    }
    if (production && !env.UPSTASH_REDIS_REST_URL && !env.REDIS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_URL'],
        message: 'production needs UPSTASH_REDIS_REST_URL/TOKEN or REDIS_URL',
      })
    }
  })

export type Env = z.infer<typeof EnvSchema>

/** Parses an environment; exported for tests, which build their own. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source)
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  - ${issue.path.join('.') || 'env'}: ${issue.message}`,
    )
    throw new Error(`Invalid server environment:\n${problems.join('\n')}`)
  }
  return result.data
}

export function isProduction(env: Env): boolean {
  return env.NODE_ENV === 'production' || env.VERCEL_ENV === 'production'
}

let current: Env | undefined

/** The process environment, parsed on first use and then fixed for the life of the process. */
export function env(): Env {
  current ??= parseEnv(process.env)
  return current
}
