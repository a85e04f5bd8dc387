import { describe, expect, it } from 'vitest'
import { checkPasswordStrength } from './password'

describe('password strength', () => {
  it.each([
    ['short', 'Ab1!', '密码至少 10 位'],
    ['one class', 'abcdefghijkl', '密码需包含大写字母、小写字母、数字、符号中的至少三种'],
    ['two classes', 'abcdefgh1234', '密码需包含大写字母、小写字母、数字、符号中的至少三种'],
    ['contains username', 'Zhangwei-2026', '密码不能包含账号'],
    ['common word', 'Password-2026', '密码太常见，请换一个'],
    ['repeats', 'Aaaaa-2026xy', '密码不能有连续 4 个相同字符'],
  ])('refuses %s', (_label, password, message) => {
    expect(checkPasswordStrength(password, 'zhangwei')).toEqual({ ok: false, message })
  })

  it('accepts a long password with three kinds of character', () => {
    expect(checkPasswordStrength('Qingdao-station-7', 'zhangwei')).toEqual({ ok: true })
    expect(checkPasswordStrength('x'.repeat(129))).toMatchObject({ ok: false })
  })
})
