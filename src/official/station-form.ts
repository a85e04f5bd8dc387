/**
 * What the station list and the station form share: the districts an account may place a
 * station in, Chinese wording for the few zod checks the shared schema leaves in English, and
 * the event that tells the list what was just saved.
 */
import type { z } from 'zod'
import type { StationKind, StationService } from '../shared/catalog'
import { isWithin, REGIONS, type Region, regionByCode } from '../shared/regions'
import type { Me } from '../shared/schemas/auth'
import type { StationSummary } from '../shared/schemas/station'

export type FieldErrorMap = Record<string, string[]>

export type StationStatus = StationSummary['status']

/** The form as typed: every text field is a string, even where the API leaves it out. */
export interface StationFormValues {
  kind: StationKind
  code: string
  name: string
  regionCode: string
  bank: string
  branch: string
  address: string
  hours: string
  services: StationService[]
  phone: string
  status: StationStatus
}

export const EMPTY_STATION_FORM: StationFormValues = {
  kind: 'station',
  code: '',
  name: '',
  regionCode: '',
  bank: '',
  branch: '',
  address: '',
  hours: '',
  services: [],
  phone: '',
  status: 'active',
}

export function formValuesOf(station: StationSummary): StationFormValues {
  return {
    kind: station.kind,
    code: station.code,
    name: station.name,
    regionCode: station.regionCode,
    bank: station.bank ?? '',
    branch: station.branch ?? '',
    address: station.address,
    hours: station.hours,
    services: [...station.services],
    phone: station.phone,
    status: station.status,
  }
}

/** The districts of one city, in the order of GB/T 2260. */
export interface DistrictGroup {
  city: Region
  districts: Region[]
}

/**
 * Where this account may open a station: every district for an administrator, the districts
 * within an official's region (a city official's scope is the city; the API checks the same
 * rule with `canSee`).
 */
export function districtGroupsFor(me: Me): DistrictGroup[] {
  const scope = me.scope
  const allowed = REGIONS.filter(
    (region) =>
      region.level === 'district' &&
      (scope.type === 'all' || (scope.type === 'region' && isWithin(region.code, scope.code))),
  )
  const groups: DistrictGroup[] = []
  for (const district of allowed) {
    const city = district.parent ? regionByCode(district.parent) : undefined
    if (!city) continue
    const group = groups.find((candidate) => candidate.city.code === city.code)
    if (group) group.districts.push(district)
    else groups.push({ city, districts: [district] })
  }
  return groups
}

/** “青岛市市南区”, the form the seeded stations use. */
export function districtNameOf(regionCode: string): string {
  const district = regionByCode(regionCode)
  if (!district) return ''
  const city = district.parent ? regionByCode(district.parent) : undefined
  return `${city?.name ?? ''}${district.name}`
}

export const STATION_FIELD_LABELS: Record<string, string> = {
  kind: '类型',
  code: '编码',
  name: '名称',
  regionCode: '所在区县',
  districtName: '所在区县',
  bank: '所在银行',
  branch: '所在网点',
  address: '地址',
  hours: '开放时间',
  services: '服务项目',
  phone: '电话',
  status: '状态',
}

/**
 * Chinese for the checks the shared schema states without a message (its `hours` length, the
 * `max` of bank and branch). Passed per parse, so every message the schema does state wins.
 */
export const chineseIssue: z.core.$ZodErrorMap = (issue) => {
  const label = STATION_FIELD_LABELS[String(issue.path?.[0] ?? '')] ?? '此项'
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'array'
        ? `${label}至少选择 ${issue.minimum} 项`
        : `${label}至少 ${issue.minimum} 个字`
    case 'too_big':
      return issue.origin === 'array'
        ? `${label}最多选择 ${issue.maximum} 项`
        : `${label}最多 ${issue.maximum} 个字`
    case 'invalid_type':
      return `请填写${label}`
    default:
      return `${label}填写有误`
  }
}

/** zod's issues by field; issues about the whole form go under `_`. */
export function fieldErrorsOf(error: z.ZodError): FieldErrorMap {
  const fields: FieldErrorMap = {}
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_')
    const list = fields[key] ?? []
    if (!list.includes(issue.message)) list.push(issue.message)
    fields[key] = list
  }
  return fields
}

/** Fired on `Taro.eventCenter` by the form after a save, heard by the list behind it. */
export const STATION_SAVED_EVENT = 'official:station-saved'

export interface StationSaved {
  action: 'created' | 'updated'
  station: StationSummary
}

export const STATION_LIST_URL = '/official/pages/stations/index'

export function stationEditUrl(code?: string): string {
  const base = '/official/pages/station-edit/index'
  return code ? `${base}?code=${encodeURIComponent(code)}` : base
}
