import { Button, Checkbox, CheckboxGroup, Label, Radio, RadioGroup, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react'
import { Field, FieldErrors } from '../../../components/field'
import { Notice, Page, Section } from '../../../components/page'
import { ApiError, api, NetworkError } from '../../../services'
import { currentStation } from '../../../services/station'
import { BUSINESS_STATUSES, INDUSTRIES, STATION_KINDS } from '../../../shared/catalog'
import { precheckLoan } from '../../../shared/rules/loan'
import { CONSENT_VERSION, type Receipt } from '../../../shared/schemas/intake'
import type { StationSummary } from '../../../shared/schemas/station'
import { maskIdNumber, maskMobile } from '../../../shared/validators'
import type { IntakeConfig } from '../../config'
import { ConsentNotice } from '../../consent'
import {
  clearDraft,
  editDraft,
  emptyDraft,
  goToStep,
  type IntakeDraft,
  LAST_STEP,
  loadDraft,
  markSent,
  progressLabel,
  STEP_TITLES,
  type Step,
  saveDraft,
} from '../../draft'
import { ensureSession, keepReceipt, taroStorage, useIntakeConfig, useStation } from '../../platform'
import { PrecheckView } from '../../precheck-view'
import {
  buildSubmit,
  checkStep,
  chinaDay,
  consented,
  errorsFor,
  FIELD_IDS,
  type FieldErrorMap,
  firstStepWithError,
  precheckInput,
  wanText,
  yuanOfWan,
} from '../../steps'
import { askToNotify } from '../../subscribe'
import { RECEIPT_URL } from '../../urls'
import { uuidV4 } from '../../uuid'
import '../../intake.css'

type Business = IntakeDraft['business']
type Loan = IntakeDraft['loan']
type Contact = IntakeDraft['contact']

const OFFLINE_MESSAGE = '网络不稳定，已保存草稿，可稍后重试'

/** A group of single-choice rows; each row's id sits on its Label, the whole row is the tap target. */
function Choices({
  id,
  options,
  value,
  onChange,
  errors,
}: {
  id: string
  options: readonly (readonly [string, string])[]
  value: string
  onChange: (value: string) => void
  errors?: string[] | undefined
}) {
  return (
    <>
      <RadioGroup id={id} onChange={(e) => onChange(e.detail.value)}>
        {options.map(([key, label]) => (
          <Label key={key} id={`${id}-${key}`} className="card intake-choice">
            <View className="intake-choice__row">
              <Radio value={key} checked={value === key} color="#b3261e" className="intake-choice__mark" />
              {label}
            </View>
          </Label>
        ))}
      </RadioGroup>
      <FieldErrors id={id} errors={errors} />
    </>
  )
}

function Row({ label, value, id }: { label: string; value: ReactNode; id?: string }) {
  return (
    <View className="intake-review__row">
      <View className="muted">{label}</View>
      <View className="intake-review__value" id={id}>
        {value}
      </View>
    </View>
  )
}

/** The step-6 review: everything once more (身份证号 and 手机号 masked), each part editable. */
function Review({
  draft,
  config,
  station,
  onEdit,
}: {
  draft: IntakeDraft
  config: IntakeConfig
  station: StationSummary | null
  onEdit: (step: Step) => void
}) {
  const { business, loan, contact } = draft
  const registered = business.status === 'individual' || business.status === 'micro'
  const amount = yuanOfWan(loan.amountWan)
  const precheck = useMemo(
    () =>
      precheckLoan(precheckInput(draft, station?.regionCode), chinaDay(), config.parameters, config.groups),
    [draft, station, config],
  )
  const edit = (step: Step) => (
    <Button id={`edit-step-${step + 1}`} className="button button--plain" onClick={() => onEdit(step)}>
      修改{STEP_TITLES[step]}
    </Button>
  )
  return (
    <View id="intake-review">
      <Row label="办理服务点" value={station?.name ?? draft.station} />
      <Row
        label="所属人群"
        id="review-groups"
        value={draft.groups.map((group) => config.groups[group] ?? group).join('、')}
      />
      {edit(0)}
      <Row
        label="经营状态"
        value={BUSINESS_STATUSES[business.status as keyof typeof BUSINESS_STATUSES] ?? ''}
      />
      {registered && <Row label="名称" value={business.name} />}
      {registered && <Row label="统一社会信用代码" value={business.uscc.toUpperCase()} />}
      <Row label="行业" value={INDUSTRIES[business.industry as keyof typeof INDUSTRIES] ?? ''} />
      <Row label="开始经营（或计划开业）" value={business.startDate} />
      <Row label="在职人数" value={`${business.employees} 人`} />
      {business.newHires.trim() && <Row label="今年新招用" value={`${business.newHires} 人`} />}
      {edit(1)}
      <Row label="申请金额" id="review-amount" value={amount ? wanText(amount) : ''} />
      <Row label="贷款用途" value={loan.purpose} />
      <Row label="贷款期限" value={`${loan.termMonths} 个月`} />
      <Row label="本人及配偶其他贷款" value={loan.otherLoans ? '有' : '没有'} />
      {edit(2)}
      <Row label="姓名" value={contact.name} />
      <Row label="身份证号" id="review-idNumber" value={maskIdNumber(contact.idNumber.toUpperCase())} />
      <Row label="手机号" id="review-mobile" value={maskMobile(contact.mobile)} />
      {edit(3)}
      <Row label="个人信息单独同意" value={consented(draft) ? '已同意' : '未同意'} />
      <Section title="条件预审">
        <PrecheckView precheck={precheck} />
      </Section>
    </View>
  )
}

function IntakeForm({ station }: { station: string }) {
  const config = useIntakeConfig()
  const point = useStation(station)
  const [restored] = useState(() => loadDraft(taroStorage, station))
  const [draft, setDraft] = useState<IntakeDraft>(() => restored ?? emptyDraft(station, uuidV4()))
  const [errors, setErrors] = useState<FieldErrorMap>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  /** Set synchronously on the first tap: a second tap before the re-render sends nothing. */
  const sending = useRef(false)
  /** After the receipt, nothing writes the draft back. */
  const finished = useRef(false)
  /** The subscribe answer given for a key, so a retry sends exactly the same body. */
  const notifyFor = useRef<{ key: string; notify: boolean } | null>(null)

  // Every change is on the device before the next tap: a lost signal or a closed app keeps it.
  useEffect(() => {
    if (!finished.current) saveDraft(taroStorage, draft)
  }, [draft])

  const stationInfo = point.state === 'ready' ? point.station : null
  const step = draft.step

  const clearErrors = (...paths: string[]) =>
    setErrors((current) => {
      if (!paths.some((path) => path in current)) return current
      const next = { ...current }
      for (const path of paths) delete next[path]
      return next
    })

  const edit = (change: (current: IntakeDraft) => IntakeDraft, ...paths: string[]) => {
    setDraft((current) => editDraft(current, change, uuidV4))
    clearErrors(...paths)
  }
  const setBusiness = (key: keyof Business) => (value: string) =>
    edit((d) => ({ ...d, business: { ...d.business, [key]: value } }), `business.${key}`)
  const setLoan =
    <K extends keyof Loan>(key: K, path: string = key) =>
    (value: Loan[K]) =>
      edit((d) => ({ ...d, loan: { ...d.loan, [key]: value } }), `loan.${path}`)
  const setContact = (key: keyof Contact) => (value: string) =>
    edit((d) => ({ ...d, contact: { ...d.contact, [key]: value } }), `contact.${key}`)

  const scrollTo = (selector: string) => {
    Taro.pageScrollTo({ selector, duration: 200 }).catch(() =>
      Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined),
    )
  }

  const showStep = (target: Step, found: FieldErrorMap = {}) => {
    setErrors(found)
    setDraft((current) => goToStep(current, target))
    const first = Object.keys(found)[0]
    const id = first ? FIELD_IDS[first] : undefined
    scrollTo(id ? `#${id}` : '#intake-progress')
  }

  const next = () => {
    setFormError(null)
    const found = checkStep(step, draft)
    if (Object.keys(found).length) {
      setErrors(found)
      setFormError('请按红字提示修改后再继续')
      const id = FIELD_IDS[Object.keys(found)[0] ?? '']
      if (id) scrollTo(`#${id}`)
      return
    }
    if (step === 4 && (!stationInfo || !config.config.retentionDays)) {
      setFormError('还没有取到服务点和保存期限，请联网后点“重新加载”，再阅读并同意')
      return
    }
    showStep(Math.min(step + 1, LAST_STEP) as Step)
  }

  const previous = () => {
    setFormError(null)
    if (step > 0) {
      showStep((step - 1) as Step)
      return
    }
    // The answers stay in the draft; leaving the form loses nothing.
    if (Taro.getCurrentPages().length > 1) Taro.navigateBack()
    else Taro.switchTab({ url: '/pages/index/index' })
  }

  const submit = async () => {
    if (sending.current) return
    sending.current = true
    setBusy(true)
    setFormError(null)
    try {
      const checked = buildSubmit(draft, false)
      if (!checked.ok) {
        showStep(checked.step, checked.errors)
        setFormError('请按红字提示修改后再提交')
        return
      }
      // WeChat shows the subscribe prompt only in answer to a tap: ask before anything else waits.
      const asked = notifyFor.current?.key === draft.key ? notifyFor.current.notify : null
      const notify = asked ?? (await askToNotify(config.config.wechatTemplateId))
      notifyFor.current = { key: draft.key, notify }
      const built = buildSubmit(draft, notify)
      if (!built.ok) return
      const sent = markSent(draft)
      saveDraft(taroStorage, sent)
      setDraft(sent)
      await ensureSession()
      const receipt = await api.post<Receipt>('/api/v1/intakes', built.body, { idempotencyKey: sent.key })
      finished.current = true
      keepReceipt(receipt)
      clearDraft(taroStorage, station)
      Taro.redirectTo({ url: RECEIPT_URL })
    } catch (error) {
      if (error instanceof ApiError && error.fields && Object.keys(error.fields).length) {
        const target = firstStepWithError(error.fields) ?? LAST_STEP
        showStep(target, error.fields)
        // Problems with no field on the form (the station, say) are spelled out here.
        const unplaced = Object.entries(error.fields)
          .filter(([path]) => !FIELD_IDS[path])
          .flatMap(([, messages]) => messages)
        setFormError(unplaced.length ? `${error.message}：${unplaced.join('；')}` : error.message)
      } else if (error instanceof ApiError) {
        setFormError(
          error.status === 429
            ? '提交太频繁，请稍后再试。草稿已保存。'
            : `${error.message}。草稿已保存，可稍后重试。`,
        )
      } else {
        setFormError(error instanceof NetworkError ? OFFLINE_MESSAGE : '提交没有成功，草稿已保存，请稍后再试')
      }
    } finally {
      sending.current = false
      setBusy(false)
    }
  }

  const groupOptions = Object.entries(config.config.groups)
  const registered = draft.business.status === 'individual' || draft.business.status === 'micro'

  return (
    <View id="intake-form" data-step={step + 1}>
      <View className="card" id="intake-station">
        <View className="card__meta">办理服务点</View>
        <View className="card__title">
          {stationInfo ? stationInfo.name : point.state === 'failed' ? `服务点 ${station}` : '正在加载…'}
        </View>
        {stationInfo && <View className="card__meta">{STATION_KINDS[stationInfo.kind]}</View>}
      </View>
      {restored && (
        <View id="draft-restored" className="muted">
          已恢复您上次填写的内容。
        </View>
      )}
      <View id="intake-progress" className="intake-progress" role="status">
        {progressLabel(step)}
      </View>
      <Section title={STEP_TITLES[step]}>
        {step === 0 && (
          <>
            <View className="muted">可以多选。不确定的，选最接近的一项。</View>
            <CheckboxGroup
              id="field-groups"
              onChange={(e) => {
                const chosen = new Set(e.detail.value)
                edit(
                  (d) => ({ ...d, groups: groupOptions.map(([id]) => id).filter((id) => chosen.has(id)) }),
                  'applicant.groups',
                )
              }}
            >
              {groupOptions.map(([id, label]) => (
                <Label key={id} id={`field-groups-${id}`} className="card intake-choice">
                  <View className="intake-choice__row">
                    <Checkbox
                      value={id}
                      checked={draft.groups.includes(id)}
                      color="#b3261e"
                      className="intake-choice__mark"
                    />
                    {label}
                  </View>
                </Label>
              ))}
            </CheckboxGroup>
            <FieldErrors id="field-groups" errors={errorsFor(errors, 'applicant.groups')} />
            {config.source === 'offline' && <View className="muted">暂时连不上网络，先按常见人群列出。</View>}
          </>
        )}
        {step === 1 && (
          <>
            <View className="muted">经营状态</View>
            <Choices
              id="field-status"
              options={Object.entries(BUSINESS_STATUSES)}
              value={draft.business.status}
              onChange={setBusiness('status')}
              errors={errorsFor(errors, 'business.status')}
            />
            {registered && (
              <>
                <Field
                  id="field-businessName"
                  label="营业执照上的名称"
                  value={draft.business.name}
                  onChange={setBusiness('name')}
                  errors={errorsFor(errors, 'business.name')}
                />
                <Field
                  id="field-uscc"
                  label="统一社会信用代码（营业执照上的 18 位代码）"
                  value={draft.business.uscc}
                  maxlength={18}
                  onChange={setBusiness('uscc')}
                  errors={errorsFor(errors, 'business.uscc')}
                />
              </>
            )}
            <View className="muted">行业</View>
            <Choices
              id="field-industry"
              options={Object.entries(INDUSTRIES)}
              value={draft.business.industry}
              onChange={setBusiness('industry')}
              errors={errorsFor(errors, 'business.industry')}
            />
            <Field
              id="field-startDate"
              label="开始经营（或计划开业）的年月"
              placeholder="如 2026-03"
              value={draft.business.startDate}
              maxlength={7}
              onChange={setBusiness('startDate')}
              errors={errorsFor(errors, 'business.startDate')}
            />
            <Field
              id="field-employees"
              label="现在的在职人数（没有填 0）"
              type="number"
              value={draft.business.employees}
              onChange={setBusiness('employees')}
              errors={errorsFor(errors, 'business.employees')}
            />
            <Field
              id="field-newHires"
              label="今年新招用的人数（选填）"
              type="number"
              value={draft.business.newHires}
              onChange={setBusiness('newHires')}
              errors={errorsFor(errors, 'business.newHires')}
            />
          </>
        )}
        {step === 2 && (
          <>
            <Field
              id="field-amount"
              label="想申请多少钱（万元）"
              placeholder="如 20"
              type="digit"
              value={draft.loan.amountWan}
              onChange={setLoan('amountWan', 'amount')}
              errors={errorsFor(errors, 'loan.amount')}
            />
            <Field
              id="field-purpose"
              label="贷款用来做什么"
              placeholder="如 购买设备、店面装修"
              value={draft.loan.purpose}
              maxlength={200}
              onChange={setLoan('purpose')}
              errors={errorsFor(errors, 'loan.purpose')}
            />
            <Field
              id="field-termMonths"
              label="想贷多久（月）"
              placeholder="如 36"
              type="number"
              value={draft.loan.termMonths}
              onChange={setLoan('termMonths')}
              errors={errorsFor(errors, 'loan.termMonths')}
            />
            <View className="muted">
              本人及配偶现在有没有其他贷款？（助学、住房、购车贷款和 5 万元以下的消费贷款不算）
            </View>
            <Choices
              id="field-otherLoans"
              options={[
                ['no', '没有'],
                ['yes', '有'],
              ]}
              value={draft.loan.otherLoans === null ? '' : draft.loan.otherLoans ? 'yes' : 'no'}
              onChange={(value) => setLoan('otherLoans')(value === 'yes')}
              errors={errorsFor(errors, 'loan.otherLoans')}
            />
          </>
        )}
        {step === 3 && (
          <>
            <Field
              id="field-name"
              label="姓名"
              value={draft.contact.name}
              maxlength={30}
              onChange={setContact('name')}
              errors={errorsFor(errors, 'contact.name')}
            />
            <Field
              id="field-idNumber"
              label="身份证号（18 位）"
              type="idcard"
              maxlength={18}
              value={draft.contact.idNumber}
              onChange={setContact('idNumber')}
              errors={errorsFor(errors, 'contact.idNumber')}
            />
            <Field
              id="field-mobile"
              label="手机号（工作人员用它联系您）"
              type="number"
              maxlength={11}
              value={draft.contact.mobile}
              onChange={setContact('mobile')}
              errors={errorsFor(errors, 'contact.mobile')}
            />
          </>
        )}
        {step === 4 && (
          <>
            <ConsentNotice
              station={stationInfo}
              retentionDays={config.config.retentionDays}
              checked={consented(draft)}
              onChange={(sensitive) =>
                edit((d) => ({ ...d, consent: { sensitive, version: CONSENT_VERSION } }), 'consent.sensitive')
              }
              errors={errorsFor(errors, 'consent.sensitive')}
            />
            {(point.state === 'failed' || !config.config.retentionDays) && (
              <Button
                id="intake-reload"
                className="button button--plain"
                onClick={() => {
                  point.reload()
                  config.reload()
                }}
              >
                重新加载
              </Button>
            )}
          </>
        )}
        {step === 5 && (
          <Review draft={draft} config={config.config} station={stationInfo} onEdit={(to) => showStep(to)} />
        )}
      </Section>
      {formError && (
        <View id="intake-error" className="notice notice--error" role="alert">
          {formError}
        </View>
      )}
      <View className="intake-nav">
        <Button id="step-prev" className="button button--plain" onClick={previous}>
          上一步
        </Button>
        {step < LAST_STEP ? (
          <Button id="step-next" className="button" onClick={next}>
            下一步
          </Button>
        ) : (
          <Button id="intake-submit" className="button" disabled={busy} loading={busy} onClick={submit}>
            {busy ? '正在提交…' : '提交'}
          </Button>
        )}
      </View>
    </View>
  )
}

export default function IntakeFormPage() {
  const { params } = useRouter()
  const fromLink = params.s?.trim().toUpperCase()
  const station = fromLink && /^[A-Z0-9]{4,12}$/.test(fromLink) ? fromLink : currentStation()

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        创业担保贷款预受理
      </View>
      {station ? (
        <IntakeForm key={station} station={station} />
      ) : (
        <Notice>
          <View id="intake-no-station">请先在首页选择您要去办理的服务点。</View>
          <Button className="button" onClick={() => Taro.switchTab({ url: '/pages/index/index' })}>
            去首页选择服务点
          </Button>
        </Notice>
      )}
    </Page>
  )
}
