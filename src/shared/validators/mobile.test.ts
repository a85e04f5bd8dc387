import { describe, expect, it } from 'vitest'
import { checkMobile, maskMobile } from './mobile'

describe('checkMobile', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['19912345678', '19912345678'],
    ['+8613800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['86-138-0013-8000', '13800138000'],
    [' 138-0013-8000 ', '13800138000'],
    ['138\u20120013\u20148000', '13800138000'],
  ])('accepts %s as %s', (input, value) => {
    expect(checkMobile(input)).toEqual({ ok: true, value })
  })

  it.each([
    ['a landline with area code', '0532-88886666'],
    ['a landline without area code', '88886666'],
    ['second digit 2', '12345678901'],
    ['second digit 0', '10086100861'],
    ['10 digits', '1380013800'],
    ['12 digits', '138001380001'],
    ['another country code', '+85213800138000'],
    ['a prefix without a number', '+86'],
    ['letters', '1380013800a'],
  ])('rejects %s', (_label, input) => {
    expect(checkMobile(input)).toEqual({ ok: false, message: '请输入正确的11位手机号' })
  })

  it('asks for input when empty', () => {
    expect(checkMobile('  ')).toEqual({ ok: false, message: '请输入手机号' })
  })
})

describe('maskMobile', () => {
  it('keeps the first 3 and last 4 digits', () => {
    expect(maskMobile('13800138000')).toBe('138****8000')
    expect(maskMobile('+86 139-1234-5678')).toBe('139****5678')
  })

  it('masks short input completely', () => {
    expect(maskMobile('1234')).toBe('****')
  })
})
