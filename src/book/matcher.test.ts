import { describe, expect, it } from 'vitest'
import { MatcherAnswersSchema } from '../shared/schemas/policy'
import {
  answer,
  applies,
  parseCount,
  progressLabel,
  QUESTIONS,
  questionsFor,
  requestBody,
  toggleGroup,
} from './matcher'
import { REGION_GROUPS, regionName, regionsText } from './places'

describe('政策计算器 questions', () => {
  it('asks every field of MatcherAnswersSchema, once each', () => {
    const fields = Object.keys(MatcherAnswersSchema.shape).sort()
    expect(QUESTIONS.map((question) => question.id).sort()).toEqual(fields)
  })

  it('leaves out questions that cannot apply, and asks them while the answer is unknown', () => {
    expect(questionsFor({})).toHaveLength(QUESTIONS.length)
    expect(applies('yearsSinceGraduation', { groups: ['veteran'] })).toBe(false)
    expect(applies('yearsSinceGraduation', { groups: ['veteran', 'graduate'] })).toBe(true)
    const notRegistered = questionsFor({ businessStatus: 'not_registered' }).map((question) => question.id)
    expect(notRegistered).not.toContain('businessAgeMonths')
    expect(notRegistered).not.toContain('employees')
    expect(notRegistered).not.toContain('newHires')
    expect(progressLabel(2, 11)).toBe('第 3 题，共 11 题')
  })

  it('skips by making an answer unknown again', () => {
    const answered = answer({}, 'wantsLoan', true)
    expect(answered).toEqual({ wantsLoan: true })
    expect(answer(answered, 'wantsLoan', undefined)).toEqual({})
  })

  it('keeps “以上都不是” alone among the groups', () => {
    expect(toggleGroup(['graduate'], 'veteran')).toEqual(['graduate', 'veteran'])
    expect(toggleGroup(['graduate', 'veteran'], 'graduate')).toEqual(['veteran'])
    expect(toggleGroup(['graduate'], 'other')).toEqual(['other'])
    expect(toggleGroup(['other'], 'veteran')).toEqual(['veteran'])
  })

  it('takes whole numbers in range and treats an empty box as unknown', () => {
    expect(parseCount(' 12 ', 1200)).toEqual({ ok: true, value: 12 })
    expect(parseCount('', 60)).toEqual({ ok: true, value: undefined })
    expect(parseCount('1.5', 60).ok).toBe(false)
    expect(parseCount('61', 60)).toEqual({
      ok: false,
      message: '请填写 0 到 60 之间的整数，不清楚可以点“跳过”',
    })
  })
})

describe('the request the matcher sends', () => {
  it('is what the API accepts, with answers to hidden questions left out', () => {
    const body = requestBody(
      {
        region: '500103',
        groups: ['veteran'],
        yearsSinceGraduation: 1,
        businessStatus: 'not_registered',
        employees: 3,
        wantsLoan: true,
      },
      null,
    )
    expect(body).toEqual({
      region: '500103',
      groups: ['veteran'],
      businessStatus: 'not_registered',
      wantsLoan: true,
    })
    expect(MatcherAnswersSchema.safeParse(body).success).toBe(true)
  })

  it('falls back to the station’s region, then to 全国, when the region was skipped', () => {
    expect(requestBody({}, '370212')).toEqual({ region: '370212' })
    expect(requestBody({}, null)).toEqual({ region: '000000' })
    expect(MatcherAnswersSchema.safeParse(requestBody({}, null)).success).toBe(true)
  })
})

describe('regions offered and named', () => {
  it('offers every city with its districts', () => {
    expect(REGION_GROUPS.map((group) => group.city.name)).toEqual(['青岛市', '重庆市', '哈尔滨市', '沈阳市'])
    expect(REGION_GROUPS[1]?.districts.map((district) => district.code)).toContain('500103')
  })

  it('names districts with their city, and the whole country', () => {
    expect(regionName('500103')).toBe('重庆市渝中区')
    expect(regionName('370200')).toBe('青岛市')
    expect(regionName('370000')).toBe('山东省')
    expect(regionsText(['000000', '370200'])).toBe('全国、青岛市')
  })
})
