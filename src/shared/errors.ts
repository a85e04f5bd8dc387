/**
 * Every error a user can meet has a stable code, an HTTP status and a plain Chinese message.
 * The API answers `{ error: { code, message, fields? } }`; the app maps `code` to what it shows.
 * Codes never change meaning once released — add new ones instead.
 */
export const ERROR_TABLE = {
  bad_request: { status: 400, message: '请求内容有误，请检查后再试' },
  invalid_json: { status: 400, message: '请求内容不是有效的 JSON' },
  validation_failed: { status: 400, message: '填写的内容有误，请按提示修改' },
  unauthenticated: { status: 401, message: '请先登录' },
  invalid_credentials: { status: 401, message: '账号或密码不正确' },
  forbidden: { status: 403, message: '没有权限进行此操作' },
  not_found: { status: 404, message: '没有找到要访问的内容' },
  method_not_allowed: { status: 405, message: '不支持这种请求方式' },
  conflict: { status: 409, message: '内容已被修改，请刷新后再试' },
  payload_too_large: { status: 413, message: '提交的内容太大' },
  unsupported_media_type: { status: 415, message: '请以 JSON 格式提交' },
  unprocessable: { status: 422, message: '请求无法处理' },
  rate_limited: { status: 429, message: '操作太频繁，请稍后再试' },
  internal: { status: 500, message: '服务出了点问题，请稍后再试' },
  unavailable: { status: 503, message: '服务暂时不可用，请稍后再试' },
} as const satisfies Record<string, { status: number; message: string }>

export type ErrorCode = keyof typeof ERROR_TABLE

/** Field-level problems: field path (dot-joined) → Chinese messages. */
export type FieldErrors = Record<string, string[]>

/** The wire shape of every error answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldErrors }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_TABLE, value)
}

export function statusOf(code: ErrorCode): number {
  return ERROR_TABLE[code].status
}

export function messageOf(code: ErrorCode): string {
  return ERROR_TABLE[code].message
}
