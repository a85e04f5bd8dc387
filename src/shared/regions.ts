/**
 * 产品服务地区的行政区划代码。
 *
 * 来源：GB/T 2260《中华人民共和国行政区划代码》及民政部发布的县级以上行政区划代码。
 * 这里只列出产品服务的四个城市（青岛、重庆、哈尔滨、沈阳）及其所属省级行政区和区县，并非完整的代码表。
 *
 * 本模块是同构代码：只依赖 zod。
 */
import { z } from 'zod'

export interface Region {
  /** 6 位行政区划代码（GB/T 2260） */
  code: string
  name: string
  level: 'province' | 'city' | 'district'
  /** 上级地区代码；顶层为 null */
  parent: string | null
}

const REGION_LIST = [
  // 山东省 · 青岛市
  { code: '370000', name: '山东省', level: 'province', parent: null },
  { code: '370200', name: '青岛市', level: 'city', parent: '370000' },
  { code: '370202', name: '市南区', level: 'district', parent: '370200' },
  { code: '370203', name: '市北区', level: 'district', parent: '370200' },
  { code: '370211', name: '黄岛区', level: 'district', parent: '370200' },
  { code: '370212', name: '崂山区', level: 'district', parent: '370200' },
  { code: '370213', name: '李沧区', level: 'district', parent: '370200' },
  { code: '370214', name: '城阳区', level: 'district', parent: '370200' },
  { code: '370215', name: '即墨区', level: 'district', parent: '370200' },
  { code: '370281', name: '胶州市', level: 'district', parent: '370200' },
  { code: '370283', name: '平度市', level: 'district', parent: '370200' },
  { code: '370285', name: '莱西市', level: 'district', parent: '370200' },

  // 重庆市是直辖市：市即省级行政区，没有上级，所以 parent 为 null。产品按城市组织，因此 level 记为 'city'。
  // GB/T 2260 在区县之上还有“市辖区”（500100）一级，它不是实际的行政区，这里略去，区直接挂在 500000 下。
  { code: '500000', name: '重庆市', level: 'city', parent: null },
  { code: '500103', name: '渝中区', level: 'district', parent: '500000' },
  { code: '500105', name: '江北区', level: 'district', parent: '500000' },
  { code: '500106', name: '沙坪坝区', level: 'district', parent: '500000' },
  { code: '500107', name: '九龙坡区', level: 'district', parent: '500000' },
  { code: '500108', name: '南岸区', level: 'district', parent: '500000' },
  { code: '500109', name: '北碚区', level: 'district', parent: '500000' },
  { code: '500112', name: '渝北区', level: 'district', parent: '500000' },
  { code: '500113', name: '巴南区', level: 'district', parent: '500000' },

  // 黑龙江省 · 哈尔滨市
  { code: '230000', name: '黑龙江省', level: 'province', parent: null },
  { code: '230100', name: '哈尔滨市', level: 'city', parent: '230000' },
  { code: '230102', name: '道里区', level: 'district', parent: '230100' },
  { code: '230103', name: '南岗区', level: 'district', parent: '230100' },
  { code: '230104', name: '道外区', level: 'district', parent: '230100' },
  { code: '230108', name: '平房区', level: 'district', parent: '230100' },
  { code: '230109', name: '松北区', level: 'district', parent: '230100' },
  { code: '230110', name: '香坊区', level: 'district', parent: '230100' },

  // 辽宁省 · 沈阳市
  { code: '210000', name: '辽宁省', level: 'province', parent: null },
  { code: '210100', name: '沈阳市', level: 'city', parent: '210000' },
  { code: '210102', name: '和平区', level: 'district', parent: '210100' },
  { code: '210103', name: '沈河区', level: 'district', parent: '210100' },
  { code: '210104', name: '大东区', level: 'district', parent: '210100' },
  { code: '210105', name: '皇姑区', level: 'district', parent: '210100' },
  { code: '210106', name: '铁西区', level: 'district', parent: '210100' },
  { code: '210112', name: '浑南区', level: 'district', parent: '210100' },
  { code: '210113', name: '沈北新区', level: 'district', parent: '210100' },
] as const satisfies readonly Region[]

/** 产品服务地区的代码。 */
export type RegionCode = (typeof REGION_LIST)[number]['code']

/** 产品服务的全部地区（GB/T 2260 的子集），省、市、区县按城市分组排列。 */
export const REGIONS: readonly Region[] = REGION_LIST

const REGION_CODES: readonly RegionCode[] = REGION_LIST.map((region) => region.code)

const BY_CODE: ReadonlyMap<string, Region> = new Map(REGIONS.map((region) => [region.code, region]))

/** 按 GB/T 2260 代码查找地区；不在服务范围内的代码返回 undefined。 */
export function regionByCode(code: string): Region | undefined {
  return BY_CODE.get(code)
}

/** 直接下级地区（按 REGIONS 中的顺序）。 */
export function childrenOf(code: string): readonly Region[] {
  return REGIONS.filter((region) => region.parent === code)
}

/**
 * `code` 是否位于 `ancestorCode` 之内：区县在其所属市和省之内，地区也在其自身之内。
 * 任一代码不在服务范围内时返回 false。
 */
export function isWithin(code: string, ancestorCode: string): boolean {
  if (!BY_CODE.has(ancestorCode)) return false
  let current = BY_CODE.get(code)
  while (current !== undefined) {
    if (current.code === ancestorCode) return true
    current = current.parent === null ? undefined : BY_CODE.get(current.parent)
  }
  return false
}

/**
 * 地区自身及其全部上级的代码，由近及远，如 `ancestorsOf('370212')` 为 `['370212', '370200', '370000']`。
 * 不在服务范围内的代码只返回它自身，便于仍按该代码建立索引。
 */
export function ancestorsOf(code: string): string[] {
  const codes = [code]
  let parent = BY_CODE.get(code)?.parent ?? null
  while (parent !== null) {
    codes.push(parent)
    parent = BY_CODE.get(parent)?.parent ?? null
  }
  return codes
}

/** 产品服务范围内的 GB/T 2260 地区代码。 */
export const regionCodeSchema = z
  .enum(REGION_CODES, { error: '未知的地区代码' })
  .meta({ description: '地区代码（GB/T 2260 行政区划代码）' })
