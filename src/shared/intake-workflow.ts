/**
 * The status workflow of a loan intake (创贷受理) at a bank point. The bank's own credit process
 * decides; this records where the intake stands in front of the resident and the point:
 *
 *   awaiting_confirmation ─(resident confirms a 帮办 filing)→ submitted
 *   submitted → contacted → needs_info ⇄ contacted → accepted → bank_approved → disbursed
 *                                                         ↘ bank_declined
 *   submitted / contacted / needs_info / accepted → referred: another point owns it from then on
 *   and works it like a new one (referred → contacted …) · withdrawn from any open status
 *
 * Plain constants, no zod: the staff page imports it to show only the actions that are allowed.
 */
export const INTAKE_STATUSES = {
  awaiting_confirmation: '待申请人确认',
  submitted: '已提交',
  contacted: '已联系',
  needs_info: '需补充材料',
  accepted: '已受理',
  referred: '已转办',
  bank_approved: '银行已审批',
  bank_declined: '银行未通过',
  disbursed: '已放款',
  withdrawn: '已撤回',
} as const
export type IntakeStatus = keyof typeof INTAKE_STATUSES

/** Which status may follow which. `referred` hands the intake to another point. */
export const TRANSITIONS: Readonly<Record<IntakeStatus, readonly IntakeStatus[]>> = {
  awaiting_confirmation: ['submitted', 'withdrawn'],
  submitted: ['contacted', 'referred', 'withdrawn'],
  contacted: ['needs_info', 'accepted', 'referred', 'withdrawn'],
  needs_info: ['contacted', 'accepted', 'referred', 'withdrawn'],
  accepted: ['bank_approved', 'bank_declined', 'referred', 'withdrawn'],
  // The receiving point works a referred intake like a new one.
  referred: ['contacted', 'referred', 'withdrawn'],
  bank_approved: ['disbursed', 'withdrawn'],
  bank_declined: [],
  disbursed: [],
  withdrawn: [],
}

/** Statuses that end an intake; its personal data is purged after the retention period. */
export const CLOSED_STATUSES: readonly IntakeStatus[] = ['bank_declined', 'disbursed', 'withdrawn']

/** Statuses staff move an intake to (the others are reached by the resident or by a referral). */
export const STAFF_ACTIONS: readonly IntakeStatus[] = [
  'contacted',
  'needs_info',
  'accepted',
  'referred',
  'bank_approved',
  'bank_declined',
  'disbursed',
  'withdrawn',
]

/** Why a bank declined, as categories (never free text about a person's finances). */
export const DECLINE_REASONS = {
  eligibility: '不符合申请条件',
  credit: '征信原因',
  repayment: '还款能力不足',
  materials: '材料不齐全或不真实',
  project: '创业项目不符合要求',
  other: '其他原因',
} as const
export type DeclineReason = keyof typeof DECLINE_REASONS

export function canTransition(from: IntakeStatus, to: IntakeStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

export function isClosed(status: IntakeStatus): boolean {
  return CLOSED_STATUSES.includes(status)
}
