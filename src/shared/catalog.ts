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

/**
 * 重点群体 (target groups) of 创业担保贷款 and the start-up subsidies: 人社部发〔2025〕5号 names
 * 高校毕业生、农民工、退役军人、就业困难人员 and others; 财金〔2020〕21号 lists those who may borrow.
 * This is the shipped list; officials extend it (stored, see the intake API's target-group routes).
 */
export const TARGET_GROUPS = {
  graduate: '高校毕业生',
  migrant_returnee: '农民工 / 返乡入乡创业人员',
  veteran: '退役军人',
  hardship: '就业困难人员',
  registered_unemployed: '城镇登记失业人员',
  poverty_alleviated: '脱贫人口',
  disabled: '残疾人',
  rural_self_employed: '农村自主创业农民',
  other: '以上都不是',
} as const
export type TargetGroup = keyof typeof TARGET_GROUPS

/** 经营状态 of the business a loan is for. */
export const BUSINESS_STATUSES = {
  not_registered: '尚未登记注册',
  individual: '个体工商户',
  micro: '小微企业',
} as const
export type BusinessStatus = keyof typeof BUSINESS_STATUSES

/** A short industry list for the form (GB/T 4754 门类, the ones start-ups fall into). */
export const INDUSTRIES = {
  agriculture: '农林牧渔',
  manufacturing: '制造加工',
  construction: '建筑装修',
  retail: '批发零售',
  transport: '交通运输、物流',
  catering: '住宿餐饮',
  it: '信息技术、互联网',
  services: '居民服务、维修',
  culture: '文化、体育、娱乐',
  education: '教育培训',
  other: '其他',
} as const
export type Industry = keyof typeof INDUSTRIES
