/**
 * 中国大陆手机号校验。
 *
 * 依据工业和信息化部《电信网编号计划》：移动电话号码为 11 位，以 1 开头，
 * 第 2 位为 3–9（网号 13x–19x）。国际格式前缀为国家码 +86。
 *
 * 本模块是同构代码：只依赖标准 JavaScript。
 */

export type MobileCheck = { ok: true; value: string } | { ok: false; message: string }

/** 工信部编号计划：1 + [3-9] + 9 位数字，可带国家码 86 或 +86。 */
const MOBILE = /^(?:\+?86)?(1[3-9]\d{9})$/

/** 用户常输入的分隔符：空白、ASCII 连字符和 U+2010–U+2015 各式横线。 */
const SEPARATORS = /[\s\-\u2010-\u2015]/g

const MESSAGES = {
  empty: '请输入手机号',
  format: '请输入正确的11位手机号',
} as const

/**
 * 校验中国大陆手机号（工信部编号计划），返回去掉 +86 / 86 前缀、空格和连字符后的 11 位号码。
 * 座机号码、10 位或 12 位数字等均不通过。
 */
export function checkMobile(input: string): MobileCheck {
  const compact = input.replace(SEPARATORS, '')
  if (compact === '') return { ok: false, message: MESSAGES.empty }
  const match = MOBILE.exec(compact)
  const value = match?.[1]
  if (value === undefined) return { ok: false, message: MESSAGES.format }
  return { ok: true, value }
}

/**
 * 手机号脱敏：保留前 3 位和后 4 位，如 `138****8000`。
 * 能识别为手机号的输入先规范化（去掉 +86、空格、连字符）；其他输入按原样遮住中间部分。
 */
export function maskMobile(value: string): string {
  const checked = checkMobile(value)
  const plain = checked.ok ? checked.value : value.trim()
  if (plain.length < 8) return '*'.repeat(plain.length)
  return `${plain.slice(0, 3)}${'*'.repeat(plain.length - 7)}${plain.slice(-4)}`
}
