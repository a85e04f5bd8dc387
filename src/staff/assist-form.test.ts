import { describe, expect, it } from 'vitest'
import { IntakeSubmitSchema } from '../shared/schemas/intake'
import {
  type AssistFormValues,
  checkAssistForm,
  EMPTY_ASSIST_FORM,
  newIdempotencyKey,
  toggleGroups,
} from './assist-form'

const FILLED: AssistFormValues = {
  groups: ['graduate'],
  businessStatus: 'individual',
  businessName: '渝中区小面馆（演示）',
  uscc: '91350100m000100y43',
  industry: 'catering',
  startDate: '2026-03',
  employees: '3',
  newHires: '',
  amountWan: '15',
  purpose: '购置厨房设备',
  termMonths: '36',
  otherLoans: 'no',
  name: '张三',
  idNumber: '11010519491231002x',
  mobile: '+86 138-0013-8000',
}

describe('the 帮办 form', () => {
  it('builds the submission the API expects, without the resident’s consent, values normalised', () => {
    const checked = checkAssistForm('QD0001', FILLED)
    expect(checked.ok).toBe(true)
    if (!checked.ok) return
    expect(checked.body).toEqual({
      station: 'QD0001',
      applicant: { groups: ['graduate'] },
      business: {
        status: 'individual',
        name: '渝中区小面馆（演示）',
        uscc: '91350100M000100Y43',
        industry: 'catering',
        startDate: '2026-03',
        employees: 3,
      },
      loan: { amount: 150_000, purpose: '购置厨房设备', termMonths: 36, otherLoans: false },
      contact: { name: '张三', idNumber: '11010519491231002X', mobile: '13800138000' },
    })
    expect('consent' in checked.body).toBe(false)
    // With the resident's consent added, it is exactly a resident submission.
    const withConsent = { ...checked.body, consent: { sensitive: true, version: '2026-11' } }
    expect(IntakeSubmitSchema.safeParse(withConsent).success).toBe(true)
  })

  it('names every wrong field at once, keyed like the API’s fields, in 万元 for the amount', () => {
    const checked = checkAssistForm('QD0001', {
      ...EMPTY_ASSIST_FORM,
      businessStatus: 'micro',
      employees: '三',
      amountWan: '0.5',
      idNumber: '110105194912310021',
    })
    expect(checked.ok).toBe(false)
    if (checked.ok) return
    expect(Object.keys(checked.errors).sort()).toEqual(
      [
        'applicant.groups',
        'business.employees',
        'business.industry',
        'business.name',
        'business.startDate',
        'business.uscc',
        'contact.idNumber',
        'contact.mobile',
        'contact.name',
        'loan.amount',
        'loan.otherLoans',
        'loan.purpose',
        'loan.termMonths',
      ].sort(),
    )
    expect(checked.errors['loan.amount']).toEqual(['申请金额不能少于 1 万元'])
    expect(checked.errors['business.employees']).toEqual(['请填写整数'])
    expect(checked.errors['business.name']).toEqual(['请填写登记的名称'])
  })

  it('does not ask for a credit code before the business is registered', () => {
    const checked = checkAssistForm('QD0001', {
      ...FILLED,
      businessStatus: 'not_registered',
      businessName: '',
      uscc: 'left over from a mistake',
    })
    expect(checked.ok).toBe(true)
    if (checked.ok) expect(checked.body.business).not.toHaveProperty('uscc')
  })

  it('makes “以上都不是” exclusive', () => {
    expect(toggleGroups(['graduate', 'veteran'], ['graduate', 'veteran', 'other'])).toEqual(['other'])
    expect(toggleGroups(['other'], ['other', 'veteran'])).toEqual(['veteran'])
    expect(toggleGroups(['graduate', 'veteran'], ['veteran'])).toEqual(['veteran'])
  })

  it('gives each filing a new UUID-shaped idempotency key', () => {
    const keys = new Set(Array.from({ length: 50 }, newIdempotencyKey))
    expect(keys.size).toBe(50)
    for (const key of keys)
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
