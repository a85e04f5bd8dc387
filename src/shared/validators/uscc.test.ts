import { describe, expect, it } from 'vitest'
import { checkUscc } from './uscc'

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

/** Independent GB 32100 check char: weights are 3^i mod 31 (computed, not tabulated). */
function checkChar(body: string): string {
  let sum = 0
  let weight = 1
  for (let i = 0; i < 17; i++) {
    sum += CHARSET.indexOf(body.charAt(i)) * weight
    weight = (weight * 3) % 31
  }
  const check = (31 - (sum % 31)) % 31
  return CHARSET.charAt(check)
}

describe('checkUscc', () => {
  it('independent helper agrees with the examples used below', () => {
    expect(checkChar('91350100M000100Y4')).toBe('3')
    expect(checkChar('91110000600037341')).toBe('L')
    expect(checkChar('91350100M000100Y3')).toBe('0')
  })

  it.each(['91350100M000100Y43', '91110000600037341L'])('accepts %s', (code) => {
    expect(checkUscc(code)).toEqual({ ok: true, value: code })
  })

  it('maps a computed check value of 31 to 0', () => {
    expect(checkUscc('91350100M000100Y30')).toEqual({ ok: true, value: '91350100M000100Y30' })
  })

  it('trims and upper-cases', () => {
    expect(checkUscc(' 91350100m000100y43 ')).toEqual({ ok: true, value: '91350100M000100Y43' })
  })

  it('rejects a wrong check char', () => {
    expect(checkUscc('91350100M000100Y44')).toEqual({
      ok: false,
      reason: 'checksum',
      message: '统一社会信用代码校验位不对，请核对后重新输入',
    })
    expect(checkUscc('91110000600037341M')).toMatchObject({ ok: false, reason: 'checksum' })
  })

  it('accepts exactly one check char for many bodies', () => {
    let seed = 2015
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n
    }
    const pick = () => CHARSET.charAt(next(31))
    for (let n = 0; n < 100; n++) {
      let body = `${pick()}${pick()}${String(next(1_000_000)).padStart(6, '0')}`
      for (let i = 0; i < 9; i++) body += pick()
      const right = checkChar(body)
      for (const candidate of CHARSET) expect(checkUscc(body + candidate).ok).toBe(candidate === right)
    }
  })

  it.each(['I', 'O', 'Z', 'S', 'V'])('rejects the forbidden letter %s', (letter) => {
    expect(checkUscc(`91350100${letter}000100Y43`)).toEqual({
      ok: false,
      reason: 'format',
      message: '统一社会信用代码只能含数字和字母，且不含I、O、Z、S、V',
    })
  })

  it('rejects letters in the region code (positions 3–8)', () => {
    expect(checkUscc('913501A0M000100Y43')).toEqual({
      ok: false,
      reason: 'format',
      message: '统一社会信用代码第3到8位应为数字',
    })
  })

  it.each([
    ['17 chars', '91350100M000100Y4'],
    ['19 chars', '91350100M000100Y433'],
  ])('rejects %s', (_label, input) => {
    expect(checkUscc(input)).toEqual({ ok: false, reason: 'format', message: '统一社会信用代码应为18位' })
  })

  it('rejects punctuation', () => {
    expect(checkUscc('91350100-000100Y43')).toMatchObject({ ok: false, reason: 'format' })
  })

  it('asks for input when empty', () => {
    expect(checkUscc('')).toEqual({ ok: false, reason: 'format', message: '请输入统一社会信用代码' })
  })
})
