import { BUSINESS_STATUSES, TARGET_GROUPS } from '../catalog'
import {
  type Condition,
  type Evaluation,
  evaluate,
  type Facts,
  type ParameterSource,
  type ParameterValue,
} from './engine'

/**
 * The conditions of 创业担保贷款 (government-guaranteed start-up loans) as data, for the intake's
 * pre-check. It advises and never blocks filing: the bank and the guarantee fund decide.
 *
 * Sources:
 * - 财政部 人力资源社会保障部 中国人民银行《关于进一步加大创业担保贷款贴息力度全力支持重点群体创业就业的通知》
 *   (财金〔2020〕21号): who may borrow, the "no other loans" rule, terms (individuals ≤ 3 years,
 *   小微企业 ≤ 2 years) and the 小微企业 hiring threshold (15 %, 8 % above 100 staff);
 * - 人社部发〔2025〕5号 §十六 (seed 001): lower thresholds and higher caps where local conditions allow;
 * - 重庆市人力社保局 市财政局 人民银行重庆市分行《关于调整优化我市创业担保贷款工作的通知》
 *   (渝人社规〔2025〕11号): 个人 50万元, 小微企业 600万元 in Chongqing;
 * - 辽宁 seed 004 §五 and 重庆 seed 000 §14: online handling, waived counter-guarantees.
 * Where a local office publishes a different figure, the local figure prevails; officials edit
 * the parameters, and each carries its own source.
 */

const CAIJIN_2020_21: ParameterSource = {
  title: '关于进一步加大创业担保贷款贴息力度全力支持重点群体创业就业的通知',
  documentNumber: '财金〔2020〕21号',
  issuer: '财政部 人力资源社会保障部 中国人民银行',
  date: '2020-04-30',
}

const NATIONAL_2024: ParameterSource = {
  title: '创业担保贷款额度上限调整（个人由20万元提高至30万元，小微企业由300万元提高至400万元）',
  documentNumber: null,
  issuer: '财政部 人力资源社会保障部 中国人民银行',
  date: '2024-01-01',
}

const CHONGQING_2025_11: ParameterSource = {
  title: '关于调整优化我市创业担保贷款工作的通知',
  documentNumber: '渝人社规〔2025〕11号',
  issuer: '重庆市人力资源和社会保障局 重庆市财政局 中国人民银行重庆市分行',
  date: '2025-06-01',
  clause: '一、提额度',
}

const LOCAL_NOTE = '以当地经办机构公布的标准为准'

/** Dated, regional parameters of the loan rules (shipped defaults; officials edit them). */
export const LOAN_PARAMETERS: readonly ParameterValue[] = [
  {
    key: 'loan.individual_cap',
    region: '000000',
    from: '2020-04-30',
    until: '2024-01-01',
    value: 200_000,
    source: CAIJIN_2020_21,
    note: LOCAL_NOTE,
  },
  {
    key: 'loan.individual_cap',
    region: '000000',
    from: '2024-01-01',
    value: 300_000,
    source: NATIONAL_2024,
    note: LOCAL_NOTE,
  },
  {
    key: 'loan.individual_cap',
    region: '500000',
    from: '2025-06-01',
    value: 500_000,
    source: CHONGQING_2025_11,
  },
  {
    key: 'loan.micro_cap',
    region: '000000',
    from: '2020-04-30',
    until: '2024-01-01',
    value: 3_000_000,
    source: CAIJIN_2020_21,
    note: LOCAL_NOTE,
  },
  {
    key: 'loan.micro_cap',
    region: '000000',
    from: '2024-01-01',
    value: 4_000_000,
    source: NATIONAL_2024,
    note: LOCAL_NOTE,
  },
  {
    key: 'loan.micro_cap',
    region: '500000',
    from: '2025-06-01',
    value: 6_000_000,
    source: CHONGQING_2025_11,
  },
  {
    key: 'loan.individual_term_months',
    region: '000000',
    from: '2020-04-30',
    value: 36,
    source: { ...CAIJIN_2020_21, clause: '贷款期限' },
  },
  {
    key: 'loan.micro_term_months',
    region: '000000',
    from: '2020-04-30',
    value: 24,
    source: { ...CAIJIN_2020_21, clause: '贷款期限' },
  },
  {
    key: 'loan.micro_hire_percent',
    region: '000000',
    from: '2020-04-30',
    value: 15,
    source: { ...CAIJIN_2020_21, clause: '小微企业申请条件' },
  },
  {
    key: 'loan.micro_hire_percent_large',
    region: '000000',
    from: '2020-04-30',
    value: 8,
    source: { ...CAIJIN_2020_21, clause: '小微企业申请条件（超过100人的企业）' },
  },
]

/** Groups that may borrow as individuals (财金〔2020〕21号; 渝人社规〔2025〕11号 adds 农村自主创业农民). */
export const ELIGIBLE_GROUPS: readonly string[] = Object.keys(TARGET_GROUPS).filter(
  (group) => group !== 'other',
)

export const LOAN_RULES: Condition = {
  all: [
    {
      when: {
        id: 'loan.is_individual',
        fact: 'businessStatus',
        op: 'in',
        value: ['not_registered', 'individual'],
        label: '以个人名义申请',
      },
      check: {
        all: [
          {
            id: 'loan.target_group',
            fact: 'groups',
            op: 'includesAny',
            value: ELIGIBLE_GROUPS,
            label: '属于创业担保贷款支持的重点群体',
            met: '您属于重点群体（{fact}）',
            notMet:
              '个人贷款面向高校毕业生、返乡创业人员、退役军人、就业困难人员等重点群体，您选择的是：{fact}',
          },
          {
            id: 'loan.registered',
            fact: 'businessStatus',
            op: 'eq',
            value: 'individual',
            label: '申请时已办理营业执照等注册登记',
            met: '已登记为个体工商户',
            notMet: '申请贷款时一般需已办理注册登记（网络商户可经认定），可先办执照再到银行签约',
          },
          {
            id: 'loan.amount_within_cap',
            fact: 'amount',
            op: 'lte',
            value: { param: 'loan.individual_cap' },
            unit: 'yuan',
            label: '申请金额不超过个人贷款额度上限',
            met: '申请{fact}，在个人额度上限{value}以内',
            notMet: '申请{fact}，超过个人额度上限{value}，银行可能按上限核定',
          },
          {
            id: 'loan.term_within_limit',
            fact: 'termMonths',
            op: 'lte',
            value: { param: 'loan.individual_term_months' },
            unit: 'month',
            label: '贷款期限不超过 3 年',
            met: '期限{fact}，在{value}以内',
            notMet: '期限{fact}，个人贷款期限最长{value}',
          },
          {
            id: 'loan.no_other_loans',
            fact: 'otherLoans',
            op: 'eq',
            value: false,
            label: '本人及配偶没有其他贷款（助学、住房、购车、5万元以下消费贷款等除外）',
            met: '本人及配偶没有其他贷款',
            notMet: '本人或配偶有其他贷款，可能不符合条件，请向经办银行说明',
          },
        ],
      },
    },
    {
      when: {
        id: 'loan.is_micro',
        fact: 'businessStatus',
        op: 'eq',
        value: 'micro',
        label: '以小微企业名义申请',
      },
      check: {
        all: [
          {
            when: {
              id: 'loan.micro_small_staff',
              fact: 'employees',
              op: 'lte',
              value: 100,
              label: '在职职工不超过100人',
            },
            check: {
              id: 'loan.micro_hires',
              fact: 'newHirePercent',
              op: 'gte',
              value: { param: 'loan.micro_hire_percent' },
              label: '当年新招用符合条件人员达到在职职工的 15%',
              met: '新招用人员占{fact}%，达到{value}%',
              notMet: '新招用人员占{fact}%，低于{value}%',
            },
          },
          {
            when: {
              id: 'loan.micro_large_staff',
              fact: 'employees',
              op: 'gt',
              value: 100,
              label: '在职职工超过100人',
            },
            check: {
              id: 'loan.micro_hires_large',
              fact: 'newHirePercent',
              op: 'gte',
              value: { param: 'loan.micro_hire_percent_large' },
              label: '当年新招用符合条件人员达到在职职工的 8%',
              met: '新招用人员占{fact}%，达到{value}%',
              notMet: '新招用人员占{fact}%，低于{value}%',
            },
          },
          {
            id: 'loan.micro_amount_within_cap',
            fact: 'amount',
            op: 'lte',
            value: { param: 'loan.micro_cap' },
            unit: 'yuan',
            label: '申请金额不超过小微企业贷款额度上限',
            met: '申请{fact}，在小微企业额度上限{value}以内',
            notMet: '申请{fact}，超过小微企业额度上限{value}',
          },
          {
            id: 'loan.micro_term_within_limit',
            fact: 'termMonths',
            op: 'lte',
            value: { param: 'loan.micro_term_months' },
            unit: 'month',
            label: '贷款期限不超过 2 年',
            met: '期限{fact}，在{value}以内',
            notMet: '期限{fact}，小微企业贷款期限最长{value}',
          },
        ],
      },
    },
  ],
}

/** What the pre-check needs from a (possibly half-filled) intake form. */
export interface LoanFactsInput {
  region?: string
  groups?: readonly string[]
  businessStatus?: keyof typeof BUSINESS_STATUSES
  amount?: number
  termMonths?: number
  employees?: number
  newHires?: number
  otherLoans?: boolean
}

/** The facts the rules read; `newHirePercent` is derived from the hires and the staff count. */
export function loanFacts(input: LoanFactsInput): Facts {
  const newHirePercent =
    input.employees !== undefined && input.newHires !== undefined && input.employees > 0
      ? Math.round((input.newHires / input.employees) * 1000) / 10
      : undefined
  return {
    region: input.region,
    groups: input.groups,
    businessStatus: input.businessStatus,
    amount: input.amount,
    termMonths: input.termMonths,
    employees: input.employees,
    otherLoans: input.otherLoans,
    newHirePercent,
  }
}

const LABELS: Record<string, string> = { ...TARGET_GROUPS, ...BUSINESS_STATUSES }

/**
 * The pre-check of a loan intake: every condition met / not met / unknown, with its reason.
 *
 * @param day - the filing day (ISO date, China time): parameters in force that day apply.
 * @param parameters - the parameter table; the shipped defaults unless officials changed them.
 */
export function precheckLoan(
  input: LoanFactsInput,
  day: string,
  parameters: readonly ParameterValue[] = LOAN_PARAMETERS,
  groupLabels: Readonly<Record<string, string>> = {},
): Evaluation {
  return evaluate(LOAN_RULES, loanFacts(input), { parameters, day, labels: { ...LABELS, ...groupLabels } })
}
