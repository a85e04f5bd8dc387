import { describe, expect, it } from 'vitest'
import { checkIdNumber, maskIdNumber } from './id-number'

/**
 * Independent GB 11643 check digit: Σ aᵢ·2^(17−i) mod 11, check = (12 − Σ mod 11) mod 11, 10 → 'X'.
 * Uses powers of two rather than the weight table in the module under test.
 */
function checkChar(body: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body.charAt(i)) * (2 ** (17 - i) % 11)
  const check = (12 - (sum % 11)) % 11
  return check === 10 ? 'X' : String(check)
}

const withCheck = (body: string): string => body + checkChar(body)
const TODAY = new Date('2024-06-01T12:00:00+08:00')

describe('checkIdNumber', () => {
  it('independent helper agrees with the two GB 11643-1999 examples', () => {
    expect(withCheck('11010519491231002')).toBe('11010519491231002X')
    expect(withCheck('44052418800101001')).toBe('440524188001010014')
  })

  it('accepts the GB 11643 example 11010519491231002X and extracts its fields', () => {
    expect(checkIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      regionCode: '110105',
    })
  })

  it('rejects 440524188001010014 only for its birth date (1880 is before 1900-01-01)', () => {
    // check digit is right (see above), but the product rule rejects births before 1900
    expect(checkIdNumber('440524188001010014', TODAY)).toEqual({
      ok: false,
      reason: 'birthdate',
      message: '身份证号的出生日期不正确',
    })
  })

  it('accepts a lower-case x and surrounding spaces, normalising the value', () => {
    const result = checkIdNumber('  11010519491231002x \n', TODAY)
    expect(result.ok && result.value).toBe('11010519491231002X')
  })

  it('derives sex from the 17th digit', () => {
    const male = checkIdNumber(withCheck('37021219900101003'), TODAY)
    const female = checkIdNumber(withCheck('37021219900101004'), TODAY)
    expect(male.ok && male.sex).toBe('male')
    expect(female.ok && female.sex).toBe('female')
    expect(male.ok && male.regionCode).toBe('370212')
  })

  it('rejects a wrong check digit', () => {
    expect(checkIdNumber('110105194912310021', TODAY)).toEqual({
      ok: false,
      reason: 'checksum',
      message: '身份证号校验位不对，请核对后重新输入',
    })
    expect(checkIdNumber('440524199001010015', TODAY)).toMatchObject({ ok: false, reason: 'checksum' })
  })

  it('accepts exactly one check character for many bodies', () => {
    let seed = 12345
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n
    }
    for (let n = 0; n < 200; n++) {
      const day = String(1 + next(28)).padStart(2, '0')
      const body = `${['11', '23', '37', '50', '65'][next(5)]}0101198${next(10)}01${day}${next(10)}${next(10)}${next(10)}`
      const right = checkChar(body)
      for (const candidate of '0123456789X') {
        expect(checkIdNumber(body + candidate, TODAY).ok).toBe(candidate === right)
      }
    }
  })

  it.each([
    ['17 digits', '11010519491231002'],
    ['19 digits', '11010519491231002X1'],
    ['X in the middle', '1101051949X231002X'],
    ['letters', 'ABCDEFGHIJKLMNOPQR'],
    ['15-digit old format', '110105491231002'],
  ])('rejects %s with reason format', (_label, input) => {
    expect(checkIdNumber(input, TODAY)).toEqual({
      ok: false,
      reason: 'format',
      message: '身份证号应为18位，最后一位可以是数字或X',
    })
  })

  it('asks for input when empty', () => {
    expect(checkIdNumber('   ', TODAY)).toEqual({ ok: false, reason: 'format', message: '请输入身份证号' })
  })

  it.each([
    '00',
    '10',
    '16',
    '20',
    '24',
    '30',
    '38',
    '40',
    '47',
    '55',
    '60',
    '66',
    '70',
    '72',
    '80',
    '84',
    '91',
    '99',
  ])('rejects province prefix %s with reason region', (prefix) => {
    expect(checkIdNumber(withCheck(`${prefix}010519491231002`), TODAY)).toEqual({
      ok: false,
      reason: 'region',
      message: '身份证号的地区码不正确',
    })
  })

  it.each(['11', '15', '21', '23', '31', '37', '41', '46', '50', '54', '61', '65', '71', '81', '83'])(
    'accepts province prefix %s',
    (prefix) => {
      expect(checkIdNumber(withCheck(`${prefix}010519491231002`), TODAY).ok).toBe(true)
    },
  )

  it('handles Feb 29 on leap and non-leap years', () => {
    expect(checkIdNumber(withCheck('11010520000229001'), TODAY)).toMatchObject({
      ok: true,
      birthDate: '2000-02-29',
    })
    expect(checkIdNumber(withCheck('11010519960229001'), TODAY)).toMatchObject({
      ok: true,
      birthDate: '1996-02-29',
    })
    expect(checkIdNumber(withCheck('11010519000229001'), TODAY)).toMatchObject({
      ok: false,
      reason: 'birthdate',
    })
    expect(checkIdNumber(withCheck('11010520230229001'), TODAY)).toMatchObject({
      ok: false,
      reason: 'birthdate',
    })
    expect(checkIdNumber(withCheck('11010520240230001'), TODAY)).toMatchObject({
      ok: false,
      reason: 'birthdate',
    })
  })

  it.each([
    ['month 00', '11010519900001001'],
    ['month 13', '11010519901301001'],
    ['day 00', '11010519900100001'],
    ['April 31', '11010519900431001'],
    ['before 1900', '11010518991231001'],
  ])('rejects %s', (_label, body) => {
    expect(checkIdNumber(withCheck(body), TODAY)).toEqual({
      ok: false,
      reason: 'birthdate',
      message: '身份证号的出生日期不正确',
    })
  })

  it('accepts 1900-01-01, the earliest allowed birth date', () => {
    expect(checkIdNumber(withCheck('11010519000101001'), TODAY)).toMatchObject({
      ok: true,
      birthDate: '1900-01-01',
    })
  })

  it('rejects a birth date after today and accepts today', () => {
    expect(checkIdNumber(withCheck('11010520240601001'), TODAY).ok).toBe(true)
    expect(checkIdNumber(withCheck('11010520240602001'), TODAY)).toMatchObject({
      ok: false,
      reason: 'birthdate',
    })
    expect(checkIdNumber(withCheck('11010520250101001'), TODAY)).toMatchObject({
      ok: false,
      reason: 'birthdate',
    })
  })

  it('takes today in China Standard Time regardless of the host time zone', () => {
    // 2024-05-31 17:00 UTC is already 2024-06-01 01:00 in Beijing
    const lateUtc = new Date('2024-05-31T17:00:00Z')
    expect(checkIdNumber(withCheck('11010520240601001'), lateUtc).ok).toBe(true)
    // 2024-05-31 15:59 UTC is still 2024-05-31 23:59 in Beijing
    const earlyUtc = new Date('2024-05-31T15:59:00Z')
    expect(checkIdNumber(withCheck('11010520240601001'), earlyUtc)).toMatchObject({
      ok: false,
      reason: 'birthdate',
    })
  })

  it('checks region before birth date and birth date before checksum', () => {
    expect(checkIdNumber('990105199913310000', TODAY)).toMatchObject({ reason: 'region' })
    expect(checkIdNumber('110105199913310000', TODAY)).toMatchObject({ reason: 'birthdate' })
  })
})

describe('maskIdNumber', () => {
  it('keeps the first 3 and last 4 characters of an 18-character number', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X')
    expect(maskIdNumber('370212199001010034')).toBe('370***********0034')
    expect(maskIdNumber('11010519491231002X')).toHaveLength(18)
  })

  it('masks short input completely', () => {
    expect(maskIdNumber('1234567')).toBe('*******')
    expect(maskIdNumber('')).toBe('')
  })
})
