import { Button, CheckboxGroup, RadioGroup, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useRef, useState } from 'react'
import { Field, FieldErrors } from '../../../components/field'
import { Notice, Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { ApiError, api } from '../../../services'
import { BUSINESS_STATUSES, type BusinessStatus, INDUSTRIES, type Industry } from '../../../shared/catalog'
import type { Me } from '../../../shared/schemas/auth'
import { AssistedReceiptSchema } from '../../../shared/schemas/intake'
import {
  type AssistedReceipt,
  type AssistFormValues,
  CONFIRM_INSTRUCTION,
  checkAssistForm,
  EMPTY_ASSIST_FORM,
  type FieldErrorMap,
  newIdempotencyKey,
  toggleGroups,
} from '../../assist-form'
import { Choice, useGroupLabels } from '../../intake-ui'
import { formatTime, formatWan, groupOrder, intakeUrl } from '../../intake-view'

const STATUS_ORDER = Object.keys(BUSINESS_STATUSES) as BusinessStatus[]
const INDUSTRY_ORDER = Object.keys(INDUSTRIES) as Industry[]

function Receipt({ receipt, onAgain }: { receipt: AssistedReceipt; onAgain: () => void }) {
  return (
    <Section title="帮办申请已提交，等待申请人确认">
      {receipt.duplicate && (
        <Notice>此人 30 天内已在本服务点提交过申请，以下是那份申请的回执，没有重复提交。</Notice>
      )}
      <View className="muted">回执码</View>
      <View className="big-code" id="assist-receipt">
        {receipt.receipt}
      </View>
      <View className="muted">确认码</View>
      <View className="big-code" id="assist-code">
        {receipt.confirmationCode}
      </View>
      <View className="notice" id="assist-instruction">
        {CONFIRM_INSTRUCTION}
      </View>
      <View className="muted" id="assist-confirm-by">
        请在 {formatTime(receipt.confirmBy)} 前确认。申请人确认并同意处理个人信息后，申请才会进入受理。
      </View>
      <Button className="button" id="assist-again" onClick={onAgain}>
        为下一位居民办理
      </Button>
      <Button
        className="button button--plain"
        id="assist-open"
        onClick={() => Taro.navigateTo({ url: intakeUrl(receipt.id) })}
      >
        查看这份申请
      </Button>
    </Section>
  )
}

function AssistForm({ me }: { me: Me }) {
  const station = me.scope.type === 'station' ? me.scope.code : null
  const [values, setValues] = useState<AssistFormValues>(EMPTY_ASSIST_FORM)
  const [errors, setErrors] = useState<FieldErrorMap>({})
  const [failure, setFailure] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // One key per filing: a double tap, or a retry after a lost answer, files it once. Once the
  // key has been sent, changing an answer makes it another filing, with a key of its own.
  const idempotency = useRef({ key: newIdempotencyKey(), sent: false })
  const [receipt, setReceipt] = useState<AssistedReceipt | null>(null)
  const labels = useGroupLabels()

  if (!station) {
    return <Notice tone="error">您的账号没有绑定服务点，无法帮办。请联系管理员。</Notice>
  }

  const set =
    <K extends keyof AssistFormValues>(key: K) =>
    (value: AssistFormValues[K]) => {
      if (idempotency.current.sent) idempotency.current = { key: newIdempotencyKey(), sent: false }
      setValues((current) => ({ ...current, [key]: value }))
    }

  const submit = () => {
    setFailure(null)
    const checked = checkAssistForm(station, values)
    if (!checked.ok) {
      setErrors(checked.errors)
      setFailure('有几项需要修改，请看标红的提示。')
      return
    }
    setErrors({})
    setBusy(true)
    idempotency.current.sent = true
    api
      .post<AssistedReceipt>('/api/v1/intakes/assisted', checked.body, {
        idempotencyKey: idempotency.current.key,
        parse: (data) => AssistedReceiptSchema.parse(data),
      })
      .then((answer) => {
        setReceipt(answer)
        // The next resident must not see this one's data.
        setValues(EMPTY_ASSIST_FORM)
        Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => {})
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.fields) setErrors(error.fields)
        setFailure(error instanceof Error ? error.message : '提交失败，请稍后再试')
      })
      .finally(() => setBusy(false))
  }

  const again = () => {
    setReceipt(null)
    setErrors({})
    setFailure(null)
    idempotency.current = { key: newIdempotencyKey(), sent: false }
  }

  if (receipt) return <Receipt receipt={receipt} onAgain={again} />

  const registered = values.businessStatus !== '' && values.businessStatus !== 'not_registered'
  const amount = Number(values.amountWan)

  return (
    <View id="assist-form">
      <Notice>
        为到场的居民填写创业担保贷款受理申请，受理点：{me.scopeName}（{station}
        ）。提交后请申请人用自己的手机确认。
      </Notice>
      <Section title="一、所属群体（可多选）">
        <CheckboxGroup
          id="assist-groups"
          className="choices"
          onChange={(e) => set('groups')(toggleGroups(values.groups, e.detail.value))}
        >
          {groupOrder(labels).map((group) => (
            <Choice
              key={group}
              id={`assist-group-${group}`}
              type="checkbox"
              value={group}
              checked={values.groups.includes(group)}
            >
              {labels[group]}
            </Choice>
          ))}
        </CheckboxGroup>
        <FieldErrors id="assist-groups" errors={errors['applicant.groups']} />
      </Section>

      <Section title="二、经营情况">
        <View className="muted">经营状态</View>
        <RadioGroup
          id="assist-business-status"
          className="choices"
          onChange={(e) => set('businessStatus')(e.detail.value as BusinessStatus)}
        >
          {STATUS_ORDER.map((status) => (
            <Choice
              key={status}
              id={`assist-business-status-${status}`}
              type="radio"
              value={status}
              checked={values.businessStatus === status}
            >
              {BUSINESS_STATUSES[status]}
            </Choice>
          ))}
        </RadioGroup>
        <FieldErrors id="assist-business-status" errors={errors['business.status']} />
        <Field
          id="assist-business-name"
          label={registered ? '登记的名称' : '店名或项目名称（选填）'}
          value={values.businessName}
          onChange={set('businessName')}
          errors={errors['business.name']}
        />
        {registered && (
          <Field
            id="assist-uscc"
            label="统一社会信用代码（营业执照上的 18 位代码）"
            value={values.uscc}
            onChange={set('uscc')}
            errors={errors['business.uscc']}
          />
        )}
        <View className="muted">行业</View>
        <RadioGroup
          id="assist-industry"
          className="choices"
          onChange={(e) => set('industry')(e.detail.value as Industry)}
        >
          {INDUSTRY_ORDER.map((industry) => (
            <Choice
              key={industry}
              id={`assist-industry-${industry}`}
              type="radio"
              value={industry}
              checked={values.industry === industry}
            >
              {INDUSTRIES[industry]}
            </Choice>
          ))}
        </RadioGroup>
        <FieldErrors id="assist-industry" errors={errors['business.industry']} />
        <Field
          id="assist-start-date"
          label="开始经营或计划开业的月份"
          value={values.startDate}
          placeholder="如 2026-03"
          onChange={set('startDate')}
          errors={errors['business.startDate']}
        />
        <Field
          id="assist-employees"
          label="在职人数（含本人）"
          value={values.employees}
          placeholder="如 3"
          onChange={set('employees')}
          errors={errors['business.employees']}
        />
        <Field
          id="assist-new-hires"
          label="今年新招用人数（选填）"
          value={values.newHires}
          onChange={set('newHires')}
          errors={errors['business.newHires']}
        />
      </Section>

      <Section title="三、贷款需求">
        <Field
          id="assist-amount"
          label="申请金额（万元）"
          value={values.amountWan}
          placeholder="如 15"
          onChange={set('amountWan')}
          errors={errors['loan.amount']}
        />
        {values.amountWan.trim() !== '' && Number.isFinite(amount) && amount > 0 && (
          <View className="muted">即 {formatWan(Math.round(amount * 10_000))}</View>
        )}
        <Field
          id="assist-term"
          label="贷款期限（月，最长 60）"
          value={values.termMonths}
          placeholder="如 36"
          onChange={set('termMonths')}
          errors={errors['loan.termMonths']}
        />
        <Field
          id="assist-purpose"
          label="贷款用途"
          value={values.purpose}
          placeholder="如 购置设备、店面装修"
          onChange={set('purpose')}
          errors={errors['loan.purpose']}
        />
        <View className="muted">本人及配偶目前是否有其他贷款（房贷、车贷除外）</View>
        <RadioGroup
          id="assist-other-loans"
          className="choices"
          onChange={(e) => set('otherLoans')(e.detail.value as 'yes' | 'no')}
        >
          <Choice id="assist-other-loans-no" type="radio" value="no" checked={values.otherLoans === 'no'}>
            没有
          </Choice>
          <Choice id="assist-other-loans-yes" type="radio" value="yes" checked={values.otherLoans === 'yes'}>
            有
          </Choice>
        </RadioGroup>
        <FieldErrors id="assist-other-loans" errors={errors['loan.otherLoans']} />
      </Section>

      <Section title="四、申请人">
        <Field
          id="assist-name"
          label="姓名"
          value={values.name}
          onChange={set('name')}
          errors={errors['contact.name']}
        />
        <Field
          id="assist-id-number"
          label="身份证号"
          value={values.idNumber}
          placeholder="18 位"
          onChange={set('idNumber')}
          errors={errors['contact.idNumber']}
        />
        <Field
          id="assist-mobile"
          label="手机号（申请人本人的）"
          value={values.mobile}
          onChange={set('mobile')}
          errors={errors['contact.mobile']}
        />
        <View className="muted">
          身份证号和手机号属于敏感个人信息：提交后由申请人在自己的手机上阅读并单独同意，才会交给受理点。
        </View>
      </Section>

      {failure && (
        <View className="notice notice--error" id="assist-error" role="alert">
          {failure}
        </View>
      )}
      <Button className="button" id="assist-submit" disabled={busy} onClick={submit}>
        {busy ? '正在提交…' : '提交，生成确认码'}
      </Button>
    </View>
  )
}

export default function AssistPage() {
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        帮办申请
      </View>
      <RoleGate roles={['station_staff', 'bank_staff']}>{(me) => <AssistForm me={me} />}</RoleGate>
    </Page>
  )
}
