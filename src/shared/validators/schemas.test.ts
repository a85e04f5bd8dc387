import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { idNumberSchema, mobileSchema, usccSchema } from './schemas'

const messages = (result: { error?: z.ZodError }) => result.error?.issues.map((issue) => issue.message)

describe('field schemas', () => {
  it('yield normalised values', () => {
    expect(idNumberSchema.parse(' 11010519491231002x ')).toBe('11010519491231002X')
    expect(mobileSchema.parse('+86 138-0013-8000')).toBe('13800138000')
    expect(usccSchema.parse('91350100m000100y43')).toBe('91350100M000100Y43')
  })

  it('report the check functions’ Chinese messages', () => {
    expect(messages(idNumberSchema.safeParse('110105194912310021'))).toEqual([
      '身份证号校验位不对，请核对后重新输入',
    ])
    expect(messages(idNumberSchema.safeParse('1101051949123100'))).toEqual([
      '身份证号应为18位，最后一位可以是数字或X',
    ])
    expect(messages(mobileSchema.safeParse('0532-88886666'))).toEqual(['请输入正确的11位手机号'])
    expect(messages(usccSchema.safeParse('91350100M000100Y44'))).toEqual([
      '统一社会信用代码校验位不对，请核对后重新输入',
    ])
  })

  it('give one Chinese message for a wrong type or an empty value', () => {
    expect(messages(idNumberSchema.safeParse(110105))).toEqual(['请输入身份证号'])
    expect(messages(idNumberSchema.safeParse('   '))).toEqual(['请输入身份证号'])
    expect(messages(mobileSchema.safeParse(undefined))).toEqual(['请输入手机号'])
    expect(messages(mobileSchema.safeParse(''))).toEqual(['请输入手机号'])
    expect(messages(usccSchema.safeParse(null))).toEqual(['请输入统一社会信用代码'])
  })

  it('work inside an object schema, with paths', () => {
    const form = z.object({ idNumber: idNumberSchema, mobile: mobileSchema, uscc: usccSchema.optional() })
    expect(form.parse({ idNumber: '11010519491231002x', mobile: '8613800138000' })).toEqual({
      idNumber: '11010519491231002X',
      mobile: '13800138000',
    })
    const bad = form.safeParse({ idNumber: '11010519491231002X', mobile: '123' })
    expect(bad.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['mobile'], '请输入正确的11位手机号'],
    ])
  })

  it('convert to JSON Schema for input (and output)', () => {
    expect(z.toJSONSchema(idNumberSchema, { io: 'input' })).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'string',
      minLength: 1,
      description: '18位居民身份证号（GB 11643-1999）',
    })
    const form = z.object({ idNumber: idNumberSchema, mobile: mobileSchema, uscc: usccSchema })
    const schema = z.toJSONSchema(form, { io: 'input' })
    expect(schema.required).toEqual(['idNumber', 'mobile', 'uscc'])
    expect(schema.properties?.mobile).toEqual({
      type: 'string',
      minLength: 1,
      description: '中国大陆11位手机号，可带+86',
    })
    expect(() => z.toJSONSchema(form)).not.toThrow()
  })
})
