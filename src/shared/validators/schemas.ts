/**
 * 可在请求体 schema 中复用的 zod 字段 schema。每个 schema 输入为字符串，输出为规范化后的值；
 * 校验失败时的 issue message 即给用户看的中文提示。
 *
 * 每个 schema 都是 `ZodString`，`z.toJSONSchema(schema, { io: 'input' })`（以及输出端）可正常生成描述。
 */
import { z } from 'zod'
import { checkIdNumber } from './id-number'
import { checkMobile } from './mobile'
import { checkUscc } from './uscc'

type Check = { ok: true; value: string } | { ok: false; message: string }

/**
 * 以检查函数为准的规范化字段：类型错误或空串给出 `emptyMessage`，其余错误使用检查函数的提示；
 * 通过后用 `.overwrite()` 换成规范化的值。
 *
 * 不用 `.transform()`：`.superRefine()` + `.overwrite()` 仍是 `ZodString`，
 * `z.toJSONSchema()` 在输入端和输出端都能生成，而 transform 在输出端会抛错。
 */
function checkedString(emptyMessage: string, description: string, check: (value: string) => Check) {
  return z
    .string({ error: emptyMessage })
    .trim()
    .min(1, { error: emptyMessage, abort: true })
    .superRefine((value, ctx) => {
      const result = check(value)
      if (!result.ok) ctx.addIssue({ code: 'custom', message: result.message, input: value })
    })
    .overwrite((value) => {
      const result = check(value)
      return result.ok ? result.value : value
    })
    .meta({ description })
}

/** 18 位居民身份证号（GB 11643-1999），输出末位大写的规范号码。 */
export const idNumberSchema = checkedString('请输入身份证号', '18位居民身份证号（GB 11643-1999）', (value) =>
  checkIdNumber(value),
)

/** 中国大陆手机号（工信部编号计划），输出去掉 +86、空格和连字符的 11 位号码。 */
export const mobileSchema = checkedString('请输入手机号', '中国大陆11位手机号，可带+86', checkMobile)

/** 统一社会信用代码（GB 32100-2015），输出大写的 18 位代码。 */
export const usccSchema = checkedString(
  '请输入统一社会信用代码',
  '18位统一社会信用代码（GB 32100-2015）',
  checkUscc,
)
