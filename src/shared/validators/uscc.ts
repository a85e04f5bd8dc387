/**
 * 统一社会信用代码校验。
 *
 * 依据 GB 32100-2015《法人和其他组织统一社会信用代码编码规则》：共 18 位，
 * 第 1 位登记管理部门代码、第 2 位机构类别代码、第 3–8 位登记管理机关行政区划码（GB/T 2260，6 位数字）、
 * 第 9–17 位主体标识码（组织机构代码）、第 18 位校验码。
 * 代码字符集为数字和不含 I、O、Z、S、V 的大写英文字母，共 31 个字符。
 *
 * 本模块是同构代码：只依赖标准 JavaScript。
 */

export type UsccCheck =
  | { ok: true; value: string }
  | { ok: false; reason: 'format' | 'checksum'; message: string }

/** GB 32100-2015 代码字符集，下标即字符对应的数值（0–30）。 */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

/** GB 32100-2015 第 1–17 位的加权因子 Wi = 3^(i−1) mod 31。 */
const WEIGHTS: readonly number[] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** 第 1–2 位取自字符集，第 3–8 位为数字，第 9–18 位取自字符集。 */
const FORMAT = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/

const MESSAGES = {
  empty: '请输入统一社会信用代码',
  length: '统一社会信用代码应为18位',
  charset: '统一社会信用代码只能含数字和字母，且不含I、O、Z、S、V',
  region: '统一社会信用代码第3到8位应为数字',
  checksum: '统一社会信用代码校验位不对，请核对后重新输入',
} as const

/** GB 32100-2015：校验码 = 31 − (Σ 字符值×Wi mod 31)，结果为 31 时取 0。 */
function usccCheckChar(body: string): string {
  const sum = WEIGHTS.reduce((acc, weight, i) => acc + CHARSET.indexOf(body.charAt(i)) * weight, 0)
  return CHARSET.charAt((31 - (sum % 31)) % 31)
}

/**
 * 校验统一社会信用代码（GB 32100-2015）。去掉首尾空白并转为大写后检查格式和第 18 位校验码。
 */
export function checkUscc(input: string): UsccCheck {
  const value = input.trim().toUpperCase()
  if (value === '') return { ok: false, reason: 'format', message: MESSAGES.empty }
  if (value.length !== 18) return { ok: false, reason: 'format', message: MESSAGES.length }
  if (!FORMAT.test(value)) {
    const charsetOnly = [...value].every((ch) => CHARSET.includes(ch))
    return { ok: false, reason: 'format', message: charsetOnly ? MESSAGES.region : MESSAGES.charset }
  }
  if (usccCheckChar(value.slice(0, 17)) !== value.charAt(17)) {
    return { ok: false, reason: 'checksum', message: MESSAGES.checksum }
  }
  return { ok: true, value }
}
