import { Button, Picker, RadioGroup, Text, View } from '@tarojs/components'
import Taro, { useDidHide, useRouter } from '@tarojs/taro'
import { type PropsWithChildren, useCallback, useEffect, useState } from 'react'
import { Field, FieldErrors } from '../../../components/field'
import { Notice, Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { ApiError, api } from '../../../services'
import { BUSINESS_STATUSES, INDUSTRIES, STATION_KINDS } from '../../../shared/catalog'
import { DECLINE_REASONS, type DeclineReason, type IntakeStatus } from '../../../shared/intake-workflow'
import {
  type IntakeDetail,
  IntakeDetailSchema,
  RevealSchema,
  TransitionSchema,
} from '../../../shared/schemas/intake'
import type { StationList, StationSummary } from '../../../shared/schemas/station'
import { Choice, SlaBadge, StatusTag, useGroupLabels } from '../../intake-ui'
import {
  ACTION_LABELS,
  chinaToday,
  formatTime,
  formatWan,
  groupsLabel,
  INTAKE_CHANGED_EVENT,
  slaOf,
  staffActionsFrom,
  statusLabel,
  wanToYuan,
} from '../../intake-view'

type FieldErrorMap = Record<string, string[]>
type Revealed = { name: string; idNumber: string; mobile: string }
type Flash = { tone: 'info' | 'error'; text: string }

const CONFLICT_MESSAGE = '该申请已被他人更新，已为您刷新'
const VERDICTS = { met: '✓ 符合', not_met: '✗ 不符合', unknown: '？ 待核实' } as const
const DECLINE_ORDER = Object.keys(DECLINE_REASONS) as DeclineReason[]

function labelOf(table: Record<string, string>, key: string): string {
  return table[key] ?? key
}

function errorText(error: unknown, fallback: string): string {
  return error instanceof Error ? error.message : fallback
}

function Fact({ label, id, children }: PropsWithChildren<{ label: string; id?: string }>) {
  return (
    <View className="fact">
      <Text className="fact__label">{label}</Text>
      <Text className="fact__value" id={id}>
        {children}
      </Text>
    </View>
  )
}

/** Points a case can be handed to: those taking loan intakes, other than the current one. */
function useReferralTargets(current: string, wanted: boolean) {
  const [targets, setTargets] = useState<StationSummary[] | null>(null)
  const [failed, setFailed] = useState<string | null>(null)
  useEffect(() => {
    if (!wanted) return
    api
      .get<StationList>('/api/v1/stations')
      .then((list) =>
        setTargets(
          list.items.filter((station) => station.services.includes('intake') && station.code !== current),
        ),
      )
      .catch((error: unknown) => setFailed(errorText(error, '服务点列表加载失败')))
  }, [current, wanted])
  return { targets, failed }
}

/**
 * The confirmation step of one status change: what will change, an optional note, and what this
 * particular change needs (a decline reason, the disbursed amount and date, the receiving point).
 * The body is checked with the same `TransitionSchema` the API parses it with.
 */
function TransitionPanel(props: {
  detail: IntakeDetail
  to: IntakeStatus
  onCancel: () => void
  onDone: (to: IntakeStatus) => void
  onConflict: () => void
}) {
  const { detail, to } = props
  const [note, setNote] = useState('')
  const [declineReason, setDeclineReason] = useState<DeclineReason | ''>('')
  const [amountWan, setAmountWan] = useState('')
  const [disbursedOn, setDisbursedOn] = useState(chinaToday)
  const [referTo, setReferTo] = useState('')
  const [errors, setErrors] = useState<FieldErrorMap>({})
  const [failure, setFailure] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const referral = useReferralTargets(detail.station, to === 'referred')

  const submit = () => {
    setFailure(null)
    const candidate = {
      to,
      version: detail.version,
      note: note.trim() || undefined,
      ...(to === 'bank_declined' ? { declineReason: declineReason || undefined } : {}),
      ...(to === 'disbursed'
        ? {
            disbursedAmount: amountWan.trim() ? (wanToYuan(amountWan) ?? Number.NaN) : undefined,
            disbursedOn,
          }
        : {}),
      ...(to === 'referred' ? { referTo: referTo || undefined } : {}),
    }
    const checked = TransitionSchema.safeParse(candidate)
    if (!checked.success) {
      const fields: FieldErrorMap = {}
      for (const issue of checked.error.issues) {
        const key = String(issue.path[0] ?? '_')
        const message =
          key === 'disbursedAmount' && issue.code === 'invalid_type' && amountWan.trim()
            ? '放款金额请填写数字（万元）'
            : issue.message
        fields[key] = [...(fields[key] ?? []), message]
      }
      setErrors(fields)
      return
    }
    setErrors({})
    setBusy(true)
    api
      .post(`/api/v1/intakes/${encodeURIComponent(detail.id)}/transitions`, checked.data)
      .then(() => props.onDone(to))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 409) {
          props.onConflict()
          return
        }
        if (error instanceof ApiError && error.fields) setErrors(error.fields)
        setFailure(errorText(error, '操作失败，请稍后再试'))
      })
      .finally(() => setBusy(false))
  }

  return (
    <View className="panel" id="transition-form" data-to={to}>
      <View className="card__title" id="transition-summary">
        确认将状态从“{statusLabel(detail.status)}”改为“{statusLabel(to)}”？
      </View>
      {to === 'bank_declined' && (
        <>
          <View className="muted">未通过原因（只选类别，不写个人财务细节）</View>
          <RadioGroup
            id="transition-decline"
            className="choices"
            onChange={(e) => setDeclineReason(e.detail.value as DeclineReason)}
          >
            {DECLINE_ORDER.map((reason) => (
              <Choice
                key={reason}
                id={`decline-${reason}`}
                type="radio"
                value={reason}
                checked={declineReason === reason}
              >
                {DECLINE_REASONS[reason]}
              </Choice>
            ))}
          </RadioGroup>
          <FieldErrors id="transition-decline" errors={errors.declineReason} />
        </>
      )}
      {to === 'disbursed' && (
        <>
          <Field
            id="transition-amount"
            label="放款金额（万元）"
            value={amountWan}
            placeholder={`如 ${detail.loan.amount / 10_000}`}
            onChange={setAmountWan}
            errors={errors.disbursedAmount}
          />
          <View className="muted">放款日期</View>
          <Picker
            mode="date"
            value={disbursedOn}
            end={chinaToday()}
            onChange={(e) => setDisbursedOn(e.detail.value)}
          >
            <View className="field" id="transition-date">
              {disbursedOn}
            </View>
          </Picker>
          <FieldErrors id="transition-date" errors={errors.disbursedOn} />
        </>
      )}
      {to === 'referred' && (
        <>
          <View className="muted">转办到（提供创贷受理的服务点）</View>
          {referral.failed && <Notice tone="error">{referral.failed}</Notice>}
          {!referral.targets && !referral.failed && <Notice>正在加载服务点…</Notice>}
          {referral.targets && (
            <RadioGroup
              id="transition-refer"
              className="choices"
              onChange={(e) => setReferTo(e.detail.value)}
            >
              {referral.targets.map((station) => (
                <Choice
                  key={station.code}
                  id={`refer-${station.code}`}
                  type="radio"
                  value={station.code}
                  checked={referTo === station.code}
                >
                  <View>
                    <View>{station.name}</View>
                    <View className="muted">
                      {STATION_KINDS[station.kind]} · {station.districtName} · {station.code}
                    </View>
                  </View>
                </Choice>
              ))}
            </RadioGroup>
          )}
          <FieldErrors id="transition-refer" errors={errors.referTo} />
        </>
      )}
      <Field
        id="transition-note"
        label="备注（选填，申请人看不到）"
        value={note}
        onChange={setNote}
        errors={errors.note}
      />
      {failure && <Notice tone="error">{failure}</Notice>}
      <View className="button-row">
        <Button className="button button--plain" id="transition-cancel" onClick={props.onCancel}>
          取消
        </Button>
        <Button className="button" id="transition-confirm" disabled={busy} onClick={submit}>
          确认
        </Button>
      </View>
    </View>
  )
}

function Applicant({ detail }: { detail: IntakeDetail }) {
  const labels = useGroupLabels()
  const [revealed, setRevealed] = useState<Revealed | null>(null)
  const [failure, setFailure] = useState<string | null>(null)

  // Full personal data stays on screen only while this page is in front.
  useDidHide(() => setRevealed(null))

  const reveal = () => {
    setFailure(null)
    Taro.showModal({
      title: '查看完整信息',
      content: '查看记录将被审计：系统会记下您的账号和查看时间。请仅在办理需要时查看，不要截屏或外传。',
      confirmText: '查看',
      cancelText: '取消',
    })
      .then(({ confirm }) => {
        if (!confirm) return
        return api
          .post(`/api/v1/intakes/${encodeURIComponent(detail.id)}/reveal`, undefined, {
            parse: (data) => RevealSchema.parse(data),
          })
          .then(setRevealed)
      })
      .catch((error: unknown) => setFailure(errorText(error, '查看失败，请稍后再试')))
  }

  return (
    <Section title="申请人">
      <View className="facts" id="applicant">
        <Fact label="姓名" id="applicant-name">
          {revealed?.name ?? detail.name}
        </Fact>
        <Fact label="身份证号" id="applicant-id">
          {revealed?.idNumber ?? detail.idNumber}
        </Fact>
        <Fact label="手机号" id="applicant-mobile">
          {revealed?.mobile ?? detail.mobile}
        </Fact>
        <Fact label="所属群体">{groupsLabel(detail.groups, labels)}</Fact>
      </View>
      {revealed ? (
        <>
          <View className="muted" id="revealed" role="status">
            正在显示完整信息，离开本页后自动隐藏。
          </View>
          <Button className="button button--plain" id="hide-reveal" onClick={() => setRevealed(null)}>
            隐藏完整信息
          </Button>
        </>
      ) : (
        <Button className="button button--plain" id="reveal" onClick={reveal}>
          查看完整信息
        </Button>
      )}
      {failure && <Notice tone="error">{failure}</Notice>}
    </Section>
  )
}

function Details({ detail }: { detail: IntakeDetail }) {
  const { business, loan, precheck, outcome } = detail
  return (
    <>
      <Section title="经营情况">
        <View className="facts">
          <Fact label="经营状态">{labelOf(BUSINESS_STATUSES, business.status)}</Fact>
          {business.name && <Fact label="名称">{business.name}</Fact>}
          {business.uscc && <Fact label="统一社会信用代码">{business.uscc}</Fact>}
          <Fact label="行业">{labelOf(INDUSTRIES, business.industry)}</Fact>
          <Fact label="开始经营">{business.startDate}</Fact>
          <Fact label="在职人数">{business.employees} 人</Fact>
          {business.newHires !== undefined && <Fact label="今年新招用">{business.newHires} 人</Fact>}
        </View>
      </Section>
      <Section title="贷款需求">
        <View className="facts">
          <Fact label="申请金额" id="loan-amount">
            {formatWan(loan.amount)}
          </Fact>
          <Fact label="期限">{loan.termMonths} 个月</Fact>
          <Fact label="用途">{loan.purpose}</Fact>
          <Fact label="其他贷款">{loan.otherLoans ? '本人或配偶有其他贷款' : '无'}</Fact>
        </View>
      </Section>
      <Section title="预审结果（仅供参考，以银行审批为准）">
        <View id="precheck" data-verdict={precheck.verdict}>
          {precheck.conditions.map((condition) => (
            <View key={condition.id} className={`condition condition--${condition.verdict}`}>
              <View>
                <Text className="condition__verdict">{VERDICTS[condition.verdict]}</Text> {condition.label}
              </View>
              <View className="muted">{condition.reason}</View>
            </View>
          ))}
          {precheck.conditions.length === 0 && <View className="muted">没有预审条件。</View>}
        </View>
      </Section>
      {outcome && (
        <Section title="办理结果">
          <View className="facts" id="outcome">
            {outcome.declineReason && (
              <Fact label="未通过原因">{labelOf(DECLINE_REASONS, outcome.declineReason)}</Fact>
            )}
            {outcome.disbursedAmount !== undefined && (
              <Fact label="放款金额">{formatWan(outcome.disbursedAmount)}</Fact>
            )}
            {outcome.disbursedOn && <Fact label="放款日期">{outcome.disbursedOn}</Fact>}
            {outcome.referredTo && <Fact label="转办到">{outcome.referredTo}</Fact>}
          </View>
        </Section>
      )}
      <Section title="办理记录">
        <View id="history">
          {[...detail.history].reverse().map((entry) => (
            <View key={`${entry.at}-${entry.to}`} className="timeline__entry" data-to={entry.to}>
              <View className="card__meta">
                {formatTime(entry.at)} · {entry.actor ?? '申请人本人'}
              </View>
              <View>
                {entry.from ? `${statusLabel(entry.from)} → ` : ''}
                {statusLabel(entry.to)}
              </View>
              {entry.note && <View className="muted">备注：{entry.note}</View>}
            </View>
          ))}
        </View>
      </Section>
    </>
  )
}

type Load =
  | { state: 'loading' }
  | { state: 'ready'; detail: IntakeDetail }
  | { state: 'error'; message: string }

function IntakeScreen({ id }: { id: string }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [action, setAction] = useState<IntakeStatus | null>(null)
  const [flash, setFlash] = useState<Flash | null>(null)

  const reload = useCallback(
    () =>
      api
        .get<IntakeDetail>(`/api/v1/intakes/${encodeURIComponent(id)}`, {
          parse: (data) => IntakeDetailSchema.parse(data),
        })
        .then((detail) => setLoad({ state: 'ready', detail }))
        .catch((error: unknown) => setLoad({ state: 'error', message: errorText(error, '申请加载失败') })),
    [id],
  )

  useEffect(() => {
    reload()
  }, [reload])

  if (load.state === 'loading') return <Notice>正在加载申请…</Notice>
  if (load.state === 'error') return <Notice tone="error">{load.message}</Notice>
  const { detail } = load
  const actions = staffActionsFrom(detail.status)

  const done = (to: IntakeStatus) => {
    setAction(null)
    setFlash({ tone: 'info', text: `已改为“${statusLabel(to)}”，已记入办理记录。` })
    Taro.eventCenter.trigger(INTAKE_CHANGED_EVENT, { id: detail.id, to })
    reload()
  }
  const conflict = () => {
    setAction(null)
    setFlash({ tone: 'error', text: CONFLICT_MESSAGE })
    Taro.eventCenter.trigger(INTAKE_CHANGED_EVENT, { id: detail.id })
    reload()
  }

  return (
    <View id="intake-detail" data-status={detail.status} data-version={detail.version}>
      <Section title={`回执 ${detail.receipt}`}>
        <View className="queue-item__head">
          <StatusTag status={detail.status} />
          <Text className="muted">
            提交于 {formatTime(detail.createdAt)}
            {detail.assisted ? ' · 工作人员帮办' : ''}
          </Text>
        </View>
        <SlaBadge id="intake-sla" sla={slaOf(detail)} />
        <View className="card__meta">
          申请 {formatWan(detail.amount)} · {detail.termMonths} 个月
        </View>
      </Section>
      {flash && (
        <View className={`notice notice--${flash.tone}`} id="intake-flash" role="alert">
          {flash.text}
        </View>
      )}
      <Section title="办理">
        {actions.length === 0 ? (
          <View className="muted" id="no-actions">
            {detail.status === 'awaiting_confirmation'
              ? '等待申请人在自己的手机上确认帮办申请。'
              : '此申请已办结，无需再操作。'}
          </View>
        ) : (
          <View id="actions">
            {actions.map((to) => (
              <Button
                key={to}
                id={`action-${to}`}
                className={to === action ? 'button' : 'button button--plain'}
                onClick={() => {
                  setFlash(null)
                  setAction(to)
                }}
              >
                {ACTION_LABELS[to]}
              </Button>
            ))}
          </View>
        )}
        {action && (
          <TransitionPanel
            key={`${action}-${detail.version}`}
            detail={detail}
            to={action}
            onCancel={() => setAction(null)}
            onDone={done}
            onConflict={conflict}
          />
        )}
      </Section>
      <Applicant detail={detail} />
      <Details detail={detail} />
    </View>
  )
}

export default function StaffIntake() {
  const { params } = useRouter()
  const id = params.id?.trim()
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        申请详情
      </View>
      <RoleGate roles={['bank_staff', 'station_staff']}>
        {() =>
          id ? <IntakeScreen id={id} /> : <Notice tone="error">缺少申请编号，请从受理队列打开。</Notice>
        }
      </RoleGate>
    </Page>
  )
}
