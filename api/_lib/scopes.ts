import { REGIONS } from '../../src/shared/regions'
import type { Scope } from '../../src/shared/schemas/auth'
import { stations } from './repos/stations'

/** The GB/T 2260 region a scope lies in: a station's district, a region itself, or none. */
export async function regionOfScope(scope: Scope): Promise<string | null> {
  switch (scope.type) {
    case 'station':
      return (await stations.get(scope.code))?.regionCode ?? null
    case 'region':
      return REGIONS.some((region) => region.code === scope.code) ? scope.code : null
    case 'all':
    case 'none':
      return null
  }
}

/** A scope as people read it: the station's or region's name. */
export async function scopeName(scope: Scope): Promise<string> {
  switch (scope.type) {
    case 'all':
      return '全部地区'
    case 'none':
      return '个人'
    case 'region':
      return REGIONS.find((region) => region.code === scope.code)?.name ?? scope.code
    case 'station':
      return (await stations.get(scope.code))?.name ?? scope.code
  }
}
