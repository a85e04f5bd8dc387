import { randomUUID } from 'node:crypto'
import { CONSENT_VERSION, type IntakeSubmitInput } from '../../src/shared/schemas/intake'

/**
 * Made-up people for tests: 身份证号 with a correct GB 11643 check character (region 110105,
 * born 1990), and mobiles in the 138 0000 range. None belongs to anyone.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

export function idNumberFor(seq: number, birth = '19900101'): string {
  const body = `110105${birth}${String(seq % 1000).padStart(3, '0')}`
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * (WEIGHTS[i] ?? 0), 0)
  return `${body}${CHECK[sum % 11]}`
}

/** The same number with a wrong check character. */
export function badIdNumber(seq: number): string {
  const good = idNumberFor(seq)
  const last = good.at(-1) === '1' ? '2' : '1'
  return `${good.slice(0, 17)}${last}`
}

export function mobileFor(seq: number): string {
  return `1380000${String(seq % 10_000).padStart(4, '0')}`
}

export function intakeBody(
  station: string,
  seq: number,
  overrides: Partial<IntakeSubmitInput> = {},
): IntakeSubmitInput {
  return {
    station,
    applicant: { groups: ['graduate'] },
    business: {
      status: 'individual',
      name: '小明便民早餐店',
      uscc: '91350100M000100Y43',
      industry: 'catering',
      startDate: '2026-03',
      employees: 3,
    },
    loan: { amount: 200_000, purpose: '购置设备和首批原料', termMonths: 24, otherLoans: false },
    contact: { name: '测试申请人', idNumber: idNumberFor(seq), mobile: mobileFor(seq) },
    consent: { sensitive: true, version: CONSENT_VERSION },
    ...overrides,
  }
}

export function idempotencyKey(): string {
  return randomUUID()
}
