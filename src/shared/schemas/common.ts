import { z } from 'zod'

/**
 * Station and bank-point codes as printed on posters: letters and digits, case-insensitive on
 * input (a resident may type it), stored upper-case. Generated codes avoid 0/O/1/I/L; the demo
 * codes (QD0001…) are fixed for documentation and tests.
 */
export const stationCodeSchema = z
  .string({ error: '请填写服务点编码' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{4,12}$/, { error: '服务点编码应为 4–12 位字母或数字' })
  .meta({ description: '服务点编码（海报上的短码），如 QD0001', example: 'QD0001' })

/** GB/T 2260 six-digit region code. */
export const regionCodeParamSchema = z
  .string({ error: '请填写地区代码' })
  .regex(/^\d{6}$/, { error: '地区代码应为 6 位数字' })
  .meta({ description: 'GB/T 2260 行政区划代码', example: '370200' })

/** ISO 8601 date-time in UTC, as every timestamp on the wire. */
export const timestampSchema = z.iso.datetime().meta({ description: 'UTC 时间，ISO 8601' })
