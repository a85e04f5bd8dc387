/**
 * 居民身份证号（18 位公民身份号码）校验。
 *
 * 依据 GB 11643-1999《公民身份号码》：6 位数字地址码（GB/T 2260 行政区划代码）、8 位数字出生日期码、
 * 3 位数字顺序码（第 17 位奇数为男、偶数为女）和 1 位校验码（ISO 7064:1983 MOD 11-2）。
 *
 * 本模块是同构代码：只依赖标准 JavaScript，可在小程序、H5 与服务端共用。
 */

export type IdNumberCheck =
  | {
      ok: true
      /** 规范化后的号码：去掉首尾空白，末位 x 转为大写 X */
      value: string
      /** 出生日期，YYYY-MM-DD */
      birthDate: string
      sex: 'male' | 'female'
      /** 地址码，即号码前 6 位 */
      regionCode: string
    }
  | { ok: false; reason: 'format' | 'region' | 'birthdate' | 'checksum'; message: string }

/**
 * 省级行政区划代码（地址码前两位），依据 GB/T 2260：
 * 11–15 华北，21–23 东北，31–37 华东，41–46 中南，50–54 西南，61–65 西北，71 台湾，81–83 港澳及其他。
 */
const PROVINCE_PREFIXES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
])

/** GB 11643-1999 第 17 位本体码的加权因子 Wi = 2^(18−i) mod 11（ISO 7064 MOD 11-2）。 */
const WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

/** GB 11643-1999 校验码对照：下标为 Σ(ai×Wi) mod 11。 */
const CHECK_CHARS = '10X98765432'

/** GB 11643-1999：17 位数字本体码加 1 位校验码（数字或 X）。 */
const FORMAT = /^\d{17}[\dX]$/

/** 出生日期码的下限（含）：早于 1900-01-01 的视为错误。 */
const EARLIEST_BIRTH = '19000101'

/** 中国标准时间（UTC+8，无夏令时）相对 UTC 的偏移。 */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000

const MESSAGES = {
  empty: '请输入身份证号',
  format: '身份证号应为18位，最后一位可以是数字或X',
  region: '身份证号的地区码不正确',
  birthdate: '身份证号的出生日期不正确',
  checksum: '身份证号校验位不对，请核对后重新输入',
} as const

/** 格里高利历闰年：能被 4 整除且不能被 100 整除，或能被 400 整除。 */
function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** `today` 在中国标准时间下的日期，格式 YYYYMMDD（与运行环境的时区无关）。 */
function chinaDateKey(today: Date): string {
  const shifted = new Date(today.getTime() + CHINA_OFFSET_MS)
  const y = String(shifted.getUTCFullYear()).padStart(4, '0')
  const m = String(shifted.getUTCMonth() + 1).padStart(2, '0')
  const d = String(shifted.getUTCDate()).padStart(2, '0')
  return `${y}${m}${d}`
}

/** GB 11643-1999 / ISO 7064 MOD 11-2：由 17 位本体码计算校验码。 */
function idCheckChar(body: string): string {
  const sum = WEIGHTS.reduce((acc, weight, i) => acc + (body.charCodeAt(i) - 48) * weight, 0)
  return CHECK_CHARS.charAt(sum % 11)
}

/**
 * 校验 18 位居民身份证号（GB 11643-1999）。
 *
 * 依次检查：格式（17 位数字 + 数字或 X）→ 省级地区码（GB/T 2260）→ 出生日期（真实日历日期，
 * 不早于 1900-01-01，不晚于中国标准时间的 `today`）→ 校验码（ISO 7064 MOD 11-2）。
 *
 * @param input 用户输入，允许首尾空白和小写 x
 * @param today 判断“出生日期不在未来”用的当前时间，默认 `new Date()`；按中国标准时间取日期
 */
export function checkIdNumber(input: string, today: Date = new Date()): IdNumberCheck {
  const value = input.trim().toUpperCase()
  if (value === '') return { ok: false, reason: 'format', message: MESSAGES.empty }
  if (!FORMAT.test(value)) return { ok: false, reason: 'format', message: MESSAGES.format }

  const regionCode = value.slice(0, 6)
  if (!PROVINCE_PREFIXES.has(value.slice(0, 2))) {
    return { ok: false, reason: 'region', message: MESSAGES.region }
  }

  const birthKey = value.slice(6, 14)
  const year = Number(birthKey.slice(0, 4))
  const month = Number(birthKey.slice(4, 6))
  const day = Number(birthKey.slice(6, 8))
  const realDate = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  if (!realDate || birthKey < EARLIEST_BIRTH || birthKey > chinaDateKey(today)) {
    return { ok: false, reason: 'birthdate', message: MESSAGES.birthdate }
  }

  if (idCheckChar(value.slice(0, 17)) !== value.charAt(17)) {
    return { ok: false, reason: 'checksum', message: MESSAGES.checksum }
  }

  return {
    ok: true,
    value,
    birthDate: `${birthKey.slice(0, 4)}-${birthKey.slice(4, 6)}-${birthKey.slice(6, 8)}`,
    // GB 11643-1999：顺序码的末位（号码第 17 位）奇数分配给男性，偶数分配给女性
    sex: Number(value.charAt(16)) % 2 === 1 ? 'male' : 'female',
    regionCode,
  }
}

/**
 * 身份证号脱敏：保留前 3 位和后 4 位，中间以 * 代替，
 * 如 `110***********1234`（18 位号码为 3 + 11 个 * + 4）。
 * 不足 8 位的输入全部替换为 *，避免露出大部分内容。
 */
export function maskIdNumber(value: string): string {
  const trimmed = value.trim()
  if (trimmed.length < 8) return '*'.repeat(trimmed.length)
  return `${trimmed.slice(0, 3)}${'*'.repeat(trimmed.length - 7)}${trimmed.slice(-4)}`
}
