/**
 * Password strength for staff accounts set on H5 (NIST SP 800-63B §5.1.1.2 favours length and a
 * deny list over composition rules; we ask for both length and a little variety because these
 * accounts see residents' personal data).
 */
export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 128

const COMMON = [
  'password',
  '12345678',
  'qwerty',
  'abc123',
  '11111111',
  'admin',
  'doorstep',
  'woaini',
  '88888888',
]

export type PasswordCheck = { ok: true } | { ok: false; message: string }

/** Checks a new password; `username` must not be part of it. */
export function checkPasswordStrength(password: string, username?: string): PasswordCheck {
  if (password.length < PASSWORD_MIN_LENGTH)
    return { ok: false, message: `密码至少 ${PASSWORD_MIN_LENGTH} 位` }
  if (password.length > PASSWORD_MAX_LENGTH)
    return { ok: false, message: `密码最多 ${PASSWORD_MAX_LENGTH} 位` }
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(password)).length
  if (classes < 3) return { ok: false, message: '密码需包含大写字母、小写字母、数字、符号中的至少三种' }
  const lower = password.toLowerCase()
  if (username && username.length >= 3 && lower.includes(username.toLowerCase())) {
    return { ok: false, message: '密码不能包含账号' }
  }
  if (COMMON.some((word) => lower.includes(word))) return { ok: false, message: '密码太常见，请换一个' }
  if (/(.)\1{3,}/.test(password)) return { ok: false, message: '密码不能有连续 4 个相同字符' }
  return { ok: true }
}
