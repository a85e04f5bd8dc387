import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ancestorsOf, childrenOf, isWithin, REGIONS, regionByCode, regionCodeSchema } from './regions'

describe('REGIONS', () => {
  it('lists the served provinces, cities and districts once each', () => {
    const codes = REGIONS.map((region) => region.code)
    expect(new Set(codes).size).toBe(codes.length)
    expect(codes).toHaveLength(38)
    for (const code of codes) expect(code).toMatch(/^\d{6}$/)
  })

  it('has consistent parents and levels', () => {
    for (const region of REGIONS) {
      if (region.parent === null) {
        expect(['province', 'city']).toContain(region.level)
        continue
      }
      const parent = regionByCode(region.parent)
      expect(parent, region.code).toBeDefined()
      expect(region.code.startsWith(region.parent.replace(/0+$/, '')), region.code).toBe(true)
      expect(region.level).toBe(parent?.level === 'province' ? 'city' : 'district')
    }
  })

  it('treats 重庆市 as a top-level city', () => {
    expect(regionByCode('500000')).toEqual({ code: '500000', name: '重庆市', level: 'city', parent: null })
  })
})

describe('regionByCode', () => {
  it('finds served regions', () => {
    expect(regionByCode('370212')).toEqual({
      code: '370212',
      name: '崂山区',
      level: 'district',
      parent: '370200',
    })
    expect(regionByCode('230100')?.name).toBe('哈尔滨市')
    expect(regionByCode('210113')?.name).toBe('沈北新区')
    expect(regionByCode('370000')?.level).toBe('province')
  })

  it('returns undefined for other codes', () => {
    expect(regionByCode('110105')).toBeUndefined()
    expect(regionByCode('500100')).toBeUndefined()
    expect(regionByCode('')).toBeUndefined()
  })
})

describe('childrenOf', () => {
  it('lists direct children only', () => {
    expect(childrenOf('370000').map((region) => region.name)).toEqual(['青岛市'])
    expect(childrenOf('370200').map((region) => region.code)).toEqual([
      '370202',
      '370203',
      '370211',
      '370212',
      '370213',
      '370214',
      '370215',
      '370281',
      '370283',
      '370285',
    ])
    expect(childrenOf('500000')).toHaveLength(8)
    expect(childrenOf('230100')).toHaveLength(6)
    expect(childrenOf('210100')).toHaveLength(7)
  })

  it('is empty for districts and unknown codes', () => {
    expect(childrenOf('370212')).toEqual([])
    expect(childrenOf('999999')).toEqual([])
  })
})

describe('isWithin', () => {
  it('places a district within its city and province, and a region within itself', () => {
    expect(isWithin('370212', '370200')).toBe(true)
    expect(isWithin('370212', '370000')).toBe(true)
    expect(isWithin('370212', '370212')).toBe(true)
    expect(isWithin('370200', '370000')).toBe(true)
    expect(isWithin('500103', '500000')).toBe(true)
    expect(isWithin('500000', '500000')).toBe(true)
    expect(isWithin('210113', '210000')).toBe(true)
  })

  it('is false across cities, upwards, and for unknown codes', () => {
    expect(isWithin('370212', '230100')).toBe(false)
    expect(isWithin('370200', '370212')).toBe(false)
    expect(isWithin('370000', '370200')).toBe(false)
    expect(isWithin('500103', '370000')).toBe(false)
    expect(isWithin('110105', '110000')).toBe(false)
    expect(isWithin('370212', '999999')).toBe(false)
  })
})

describe('ancestorsOf', () => {
  it('lists the region itself and its ancestors, nearest first', () => {
    expect(ancestorsOf('370212')).toEqual(['370212', '370200', '370000'])
    expect(ancestorsOf('230100')).toEqual(['230100', '230000'])
    expect(ancestorsOf('500103')).toEqual(['500103', '500000'])
    expect(ancestorsOf('210000')).toEqual(['210000'])
  })

  it('returns just the code for an unknown region', () => {
    expect(ancestorsOf('110105')).toEqual(['110105'])
  })
})

describe('regionCodeSchema', () => {
  it('accepts served codes and rejects others in Chinese', () => {
    expect(regionCodeSchema.parse('370212')).toBe('370212')
    expect(regionCodeSchema.safeParse('370201').error?.issues[0]?.message).toBe('未知的地区代码')
    expect(regionCodeSchema.safeParse(370212).error?.issues[0]?.message).toBe('未知的地区代码')
  })

  it('converts to JSON Schema with every code listed', () => {
    const schema = z.toJSONSchema(regionCodeSchema, { io: 'input' })
    expect(schema.type).toBe('string')
    expect(schema.enum).toHaveLength(REGIONS.length)
    expect(schema.enum).toContain('500113')
  })
})
