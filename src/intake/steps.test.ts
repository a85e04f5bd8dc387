import { describe, expect, it } from 'vitest'
import { precheckLoan } from '../shared/rules/loan'
import { CONSENT_VERSION } from '../shared/schemas/intake'
import { checkIdNumber } from '../shared/validators'
import { editDraft, emptyDraft, type IntakeDraft } from './draft'
import {
  buildSubmit,
  checkStep,
  chinaDay,
  errorsFor,
  firstStepWithError,
  precheckInput,
  stepOfField,
  yuanOfWan,
} from './steps'

/** A 身份证号 that passes GB 11643, found with the shared checker (not typed from memory). */
function validIdNumber(body = '11010519491231002'): string {
  const found = [...'0123456789X'].map((check) => body + check).find((id) => checkIdNumber(id).ok)
  if (!found) throw new Error('no valid check character')
  return found
}

function filled(overrides: (draft: IntakeDraft) => IntakeDraft = (d) => d): IntakeDraft {
  return overrides({
    ...emptyDraft('CQ0001', 'key'),
    groups: ['graduate'],
    business: {
      status: 'individual',
      name: '老王修车铺',
      uscc: '91350100M000100Y43',
      industry: 'services',
      startDate: '2026-03',
      employees: '2',
      newHires: '1',
    },
    loan: { amountWan: '20', purpose: '购买修车设备', termMonths: '36', otherLoans: false },
    contact: { name: '王建国', idNumber: `${validIdNumber().slice(0, 17)}x`, mobile: '+86 138-0013-8000' },
    consent: { sensitive: true, version: CONSENT_VERSION },
  })
}

describe('each step is checked with its shared schema, in Chinese, under its field', () => {
  it('step 1 needs at least one group', () => {
    expect(checkStep(0, emptyDraft('CQ0001', 'k'))).toEqual({
      'applicant.groups': ['请至少选择一项（都不是请选“以上都不是”）'],
    })
    expect(checkStep(0, filled())).toEqual({})
  })

  it('step 2 asks for the name and 统一社会信用代码 only of a registered business', () => {
    const registered = filled((d) => ({ ...d, business: { ...d.business, name: '', uscc: '' } }))
    expect(Object.keys(checkStep(1, registered)).sort()).toEqual(['business.name', 'business.uscc'])
    const notYet = filled((d) => ({
      ...d,
      business: { ...d.business, status: 'not_registered', name: '', uscc: '' },
    }))
    expect(checkStep(1, notYet)).toEqual({})
    const bad = filled((d) => ({
      ...d,
      business: { ...d.business, startDate: '2026-3', employees: '两个', newHires: '5' },
    }))
    expect(checkStep(1, bad)).toEqual({
      'business.startDate': ['月份格式应为 2026-03'],
      'business.employees': ['请填写数字，如 12'],
    })
    const tooMany = filled((d) => ({ ...d, business: { ...d.business, employees: '2', newHires: '5' } }))
    expect(checkStep(1, tooMany)).toEqual({ 'business.newHires': ['新招用人数不能多于在职人数'] })
  })

  it('step 3 asks the amount in 万元 and says its limits in 万元', () => {
    expect(yuanOfWan('20')).toBe(200_000)
    expect(yuanOfWan('0.55')).toBe(5_500)
    expect(yuanOfWan(' ')).toBeUndefined()
    expect(Number.isNaN(yuanOfWan('二十'))).toBe(true)
    const small = filled((d) => ({ ...d, loan: { ...d.loan, amountWan: '0.5' } }))
    expect(checkStep(2, small)).toEqual({ 'loan.amount': ['申请金额至少 1 万元'] })
    const big = filled((d) => ({ ...d, loan: { ...d.loan, amountWan: '1200' } }))
    expect(checkStep(2, big)).toEqual({ 'loan.amount': ['申请金额最多 1000 万元'] })
    const unanswered = filled((d) => ({ ...d, loan: { ...d.loan, otherLoans: null, termMonths: '' } }))
    expect(checkStep(2, unanswered)).toEqual({
      'loan.termMonths': ['请填写贷款期限（月）'],
      'loan.otherLoans': ['请选择本人及配偶是否有其他贷款'],
    })
  })

  it('step 4 refuses a 身份证号 with a wrong check digit, in Chinese', () => {
    const wrong = filled((d) => ({ ...d, contact: { ...d.contact, idNumber: '110105194912310021' } }))
    expect(checkStep(3, wrong)).toEqual({ 'contact.idNumber': ['身份证号校验位不对，请核对后重新输入'] })
    expect(checkStep(3, filled())).toEqual({})
  })

  it('step 5 needs the separate consent, to the text this app shows', () => {
    const none = filled((d) => ({ ...d, consent: { sensitive: false, version: '' } }))
    expect(errorsFor(checkStep(4, none), 'consent.sensitive')).toEqual([
      '请阅读并单独同意处理您的身份证号和手机号',
    ])
    const older = filled((d) => ({ ...d, consent: { sensitive: true, version: '2020-01' } }))
    expect(Object.keys(checkStep(4, older))).toEqual(['consent.sensitive'])
    expect(checkStep(4, filled())).toEqual({})
  })
})

describe('the request body', () => {
  it('is what the API parses: 元, normalised 身份证号 and mobile, no name for a business not yet registered', () => {
    const built = buildSubmit(filled(), false)
    expect(built.ok).toBe(true)
    if (!built.ok) return
    expect(built.body).toEqual({
      station: 'CQ0001',
      applicant: { groups: ['graduate'] },
      business: {
        status: 'individual',
        name: '老王修车铺',
        uscc: '91350100M000100Y43',
        industry: 'services',
        startDate: '2026-03',
        employees: 2,
        newHires: 1,
      },
      loan: { amount: 200_000, purpose: '购买修车设备', termMonths: 36, otherLoans: false },
      contact: { name: '王建国', idNumber: validIdNumber(), mobile: '13800138000' },
      consent: { sensitive: true, version: CONSENT_VERSION },
    })
    const notify = buildSubmit(filled(), true)
    expect(notify.ok && notify.body.notify).toBe(true)
    const notYet = buildSubmit(
      filled((d) => ({ ...d, business: { ...d.business, status: 'not_registered' } })),
      false,
    )
    expect(notYet.ok && notYet.body.business).not.toHaveProperty('name')
  })

  it('sends the resident back to the first step with a problem', () => {
    const draft = filled((d) => ({
      ...d,
      loan: { ...d.loan, purpose: '' },
      contact: { ...d.contact, mobile: '123' },
    }))
    const built = buildSubmit(draft, false)
    expect(built).toMatchObject({ ok: false, step: 2, errors: { 'loan.purpose': ['请写明贷款用途'] } })
  })

  it('maps the API’s field paths onto the steps that ask for them', () => {
    expect(stepOfField('applicant.groups')).toBe(0)
    expect(stepOfField('business.uscc')).toBe(1)
    expect(stepOfField('loan.amount')).toBe(2)
    expect(stepOfField('contact.idNumber')).toBe(3)
    expect(stepOfField('consent.version')).toBe(4)
    expect(stepOfField('station')).toBe(5)
    expect(firstStepWithError({ 'contact.mobile': ['x'], 'loan.amount': ['y'] })).toBe(2)
    expect(firstStepWithError({})).toBeNull()
  })
})

describe('the on-device pre-check', () => {
  it('reads the Chongqing cap for a Chongqing point and the national one elsewhere', () => {
    const draft = filled((d) => ({ ...d, loan: { ...d.loan, amountWan: '40' } }))
    const day = '2026-11-23'
    const cap = (region: string) =>
      precheckLoan(precheckInput(draft, region), day).conditions.find(
        (condition) => condition.id === 'loan.amount_within_cap',
      )
    expect(cap('500103')).toMatchObject({ verdict: 'met', reason: '申请40万元，在个人额度上限50万元以内' })
    expect(cap('370202')).toMatchObject({ verdict: 'not_met' })
  })

  it('leaves what is not answered yet as 待确认, never as a failure', () => {
    const half = editDraft(
      emptyDraft('CQ0001', 'k'),
      (d) => ({ ...d, loan: { ...d.loan, amountWan: '两万' } }),
      () => 'n',
    )
    const result = precheckLoan(precheckInput(half, '500103'), '2026-11-23')
    expect(result.verdict).toBe('unknown')
    expect(result.conditions.every((condition) => condition.verdict === 'unknown')).toBe(true)
  })

  it('uses the China date, whatever the device’s time zone', () => {
    expect(chinaDay(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23')
    expect(chinaDay(new Date('2026-11-23T16:00:00Z'))).toBe('2026-11-24')
  })
})
