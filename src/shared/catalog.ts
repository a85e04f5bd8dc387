/**
 * Fixed vocabularies shared by the app and the API. Plain constants (no zod) so that resident
 * pages can import them without pulling a validation library into the main package.
 */

/** 服务点类型: 就享家服务站 (community) and 助创驿站 (inside a partner bank branch). */
export const STATION_KINDS = {
  station: '就享家服务站',
  bank_point: '助创驿站',
} as const
export type StationKind = keyof typeof STATION_KINDS

/** Services a station or point can offer (DESIGN.md; 青人社字〔2025〕39号: 政策咨询、创贷受理). */
export const STATION_SERVICES = {
  consult: '政策咨询',
  intake: '创贷受理',
  appointment: '预约办理',
  mentor: '创业导师对接',
  venue: '场地预约',
} as const
export type StationService = keyof typeof STATION_SERVICES

/** 口袋书 categories. */
export const POLICY_CATEGORIES = {
  subsidy: { name: '补贴', hint: '一次性创业补贴、求职创业补贴、场地补贴等' },
  loan: { name: '贷款', hint: '创业担保贷款及贴息、无还本续贷' },
  social_insurance: { name: '社保', hint: '社会保险补贴' },
  training: { name: '培训', hint: '创业培训、导师辅导' },
  incubation: { name: '场地孵化', hint: '孵化基地、创业园区、场地支持' },
  service: { name: '服务', hint: '政策咨询、帮办代办、陪跑服务' },
  restart: { name: '再创业', hint: '创业失败后的保障与再次创业支持' },
} as const
export type PolicyCategory = keyof typeof POLICY_CATEGORIES

/** Staff and official roles (DESIGN.md, "Who uses it"). */
export const ROLES = {
  resident: '居民',
  station_staff: '就享家工作人员',
  bank_staff: '助创驿站工作人员',
  official: '人社部门',
  admin: '系统管理员',
} as const
export type Role = keyof typeof ROLES
