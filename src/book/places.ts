/**
 * The cities and districts the product serves, as the pocket-book names and offers them
 * (GB/T 2260, from `src/shared/regions.ts`).
 */

import { NATIONAL } from '../services/pocketbook'
import { REGIONS, type Region, regionByCode } from '../shared/regions'

/** A city and the districts in it, for the region question. */
export interface RegionGroup {
  city: Region
  districts: Region[]
}

/** Every city the product serves, each with its districts (GB/T 2260 order). */
export const REGION_GROUPS: readonly RegionGroup[] = REGIONS.filter((region) => region.level === 'city').map(
  (city) => ({
    city,
    districts: REGIONS.filter((region) => region.parent === city.code && region.level === 'district'),
  }),
)

/** “重庆市渝中区”, “青岛市”, “山东省”, “全国” */
export function regionName(code: string): string {
  for (const group of REGION_GROUPS) {
    if (group.city.code === code) return group.city.name
    const district = group.districts.find((item) => item.code === code)
    if (district) return `${group.city.name}${district.name}`
  }
  return code === NATIONAL ? '全国' : (regionByCode(code)?.name ?? code)
}

/** “全国、青岛市” for an entry's regions. */
export function regionsText(codes: readonly string[]): string {
  return codes.map(regionName).join('、')
}
