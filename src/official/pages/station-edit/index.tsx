import { Button, Checkbox, CheckboxGroup, Label, Radio, RadioGroup, Switch, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { type PropsWithChildren, useEffect, useMemo, useState } from 'react'
import { Field, FieldErrors } from '../../../components/field'
import { Notice, Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { ApiError, api } from '../../../services'
import {
  STATION_KINDS,
  STATION_SERVICES,
  type StationKind,
  type StationService,
} from '../../../shared/catalog'
import type { Me } from '../../../shared/schemas/auth'
import {
  StationCreateSchema,
  type StationList,
  type StationSummary,
  StationUpdateSchema,
} from '../../../shared/schemas/station'
import {
  chineseIssue,
  districtGroupsFor,
  districtNameOf,
  EMPTY_STATION_FORM,
  type FieldErrorMap,
  fieldErrorsOf,
  formValuesOf,
  STATION_LIST_URL,
  STATION_SAVED_EVENT,
  type StationFormValues,
  type StationSaved,
} from '../../station-form'
import './index.css'

type Checked = { ok: true; body: Record<string, unknown> } | { ok: false; errors: FieldErrorMap }

const SERVICE_ORDER = Object.keys(STATION_SERVICES) as StationService[]

/** The create request, checked by the same schema the API parses it with. */
function createRequest(values: StationFormValues): Checked {
  const optional = (value: string) => (value.trim() ? value : undefined)
  const candidate = {
    code: values.code,
    kind: values.kind,
    name: values.name,
    regionCode: values.regionCode,
    districtName: districtNameOf(values.regionCode),
    address: values.address,
    hours: values.hours,
    services: values.services,
    phone: values.phone,
    ...(values.kind === 'bank_point' ? { bank: optional(values.bank), branch: optional(values.branch) } : {}),
  }
  const result = StationCreateSchema.safeParse(candidate, { error: chineseIssue })
  if (result.success) return { ok: true, body: result.data }
  const errors = fieldErrorsOf(result.error)
  if (errors.districtName || !values.regionCode) {
    // The district is picked, not typed: one message, next to the picker.
    errors.regionCode = ['请选择所在区县']
    delete errors.districtName
  }
  return { ok: false, errors }
}

/** Only what changed goes into the PATCH, so a save never overwrites a colleague's edit of another field. */
function updateRequest(original: StationSummary, values: StationFormValues): Checked {
  const patch: Record<string, unknown> = {}
  for (const key of ['name', 'address', 'hours', 'phone'] as const) {
    if (values[key].trim() !== original[key]) patch[key] = values[key]
  }
  if (original.kind === 'bank_point') {
    for (const key of ['bank', 'branch'] as const) {
      if (values[key].trim() !== (original[key] ?? '')) patch[key] = values[key]
    }
  }
  const setKey = (list: readonly string[]) => [...list].sort().join()
  if (setKey(values.services) !== setKey(original.services)) patch.services = values.services
  if (values.status !== original.status) patch.status = values.status
  const result = StationUpdateSchema.safeParse(patch, { error: chineseIssue })
  return result.success ? { ok: true, body: result.data } : { ok: false, errors: fieldErrorsOf(result.error) }
}

/**
 * One row of a RadioGroup or CheckboxGroup. The id sits on the Label, so the whole row is the
 * tap target (Taro H5 moves a Radio's or Checkbox's own id onto its hidden input).
 */
function Choice(
  props: PropsWithChildren<{ id: string; type: 'radio' | 'checkbox'; value: string; checked: boolean }>,
) {
  const Mark = props.type === 'radio' ? Radio : Checkbox
  return (
    <Label id={props.id} className="choice">
      <View className="choice__row">
        <Mark value={props.value} checked={props.checked} className="choice__mark" color="#b3261e" />
        {props.children}
      </View>
    </Label>
  )
}

/** Back to the list behind this page, or to a fresh one when the form was opened directly. */
function backToList() {
  if (Taro.getCurrentPages().length > 1) Taro.navigateBack()
  else Taro.redirectTo({ url: STATION_LIST_URL })
}

function StationForm({ me, original }: { me: Me; original?: StationSummary }) {
  const creating = !original
  const [values, setValues] = useState<StationFormValues>(() =>
    original ? formValuesOf(original) : EMPTY_STATION_FORM,
  )
  const [errors, setErrors] = useState<FieldErrorMap>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const districtGroups = useMemo(() => districtGroupsFor(me), [me])

  const set =
    <K extends keyof StationFormValues>(key: K) =>
    (value: StationFormValues[K]) =>
      setValues((current) => ({ ...current, [key]: value }))

  const submit = () => {
    setFormError(null)
    const checked = original ? updateRequest(original, values) : createRequest(values)
    if (!checked.ok) {
      setErrors(checked.errors)
      setFormError(checked.errors._?.join('；') ?? '请按提示修改后再提交')
      return
    }
    setErrors({})
    setBusy(true)
    const saving = original
      ? api.request<StationSummary>('PATCH', `/api/v1/stations/${encodeURIComponent(original.code)}`, {
          body: checked.body,
        })
      : api.post<StationSummary>('/api/v1/stations', checked.body)
    saving
      .then((station) => {
        const saved: StationSaved = { action: creating ? 'created' : 'updated', station }
        Taro.eventCenter.trigger(STATION_SAVED_EVENT, saved)
        backToList()
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError) setErrors(error.fields ?? {})
        setFormError(error instanceof Error ? error.message : '保存失败，请稍后再试')
      })
      .finally(() => setBusy(false))
  }

  return (
    <View id="station-form">
      <Section title="服务点信息">
        {creating ? (
          <>
            <View className="muted">类型</View>
            <RadioGroup
              id="station-kind"
              className="choices"
              onChange={(e) => set('kind')(e.detail.value as StationKind)}
            >
              {(Object.keys(STATION_KINDS) as StationKind[]).map((kind) => (
                <Choice
                  key={kind}
                  id={`station-kind-${kind}`}
                  type="radio"
                  value={kind}
                  checked={values.kind === kind}
                >
                  {STATION_KINDS[kind]}
                </Choice>
              ))}
            </RadioGroup>
            <FieldErrors id="station-kind" errors={errors.kind} />
            <Field
              id="station-code"
              label="编码（4–12 位字母或数字，保存为大写；请避开易混的 0/O/1/I/L）"
              value={values.code}
              placeholder="如 QD0005"
              onChange={set('code')}
              errors={errors.code}
            />
          </>
        ) : (
          <View className="card" id="station-identity">
            <View className="card__title">{STATION_KINDS[original.kind]}</View>
            <View className="card__meta">
              编码 {original.code} · {original.districtName}
            </View>
          </View>
        )}
        <Field
          id="station-name"
          label="名称"
          value={values.name}
          onChange={set('name')}
          errors={errors.name}
        />
        {creating && (
          <>
            <View className="muted">所在区县</View>
            <RadioGroup
              id="station-region"
              className="choices"
              onChange={(e) => set('regionCode')(e.detail.value)}
            >
              {districtGroups.map((group) => (
                <View key={group.city.code} className="choices__group">
                  {districtGroups.length > 1 && <View className="choices__title">{group.city.name}</View>}
                  {group.districts.map((district) => (
                    <Choice
                      key={district.code}
                      id={`station-region-${district.code}`}
                      type="radio"
                      value={district.code}
                      checked={values.regionCode === district.code}
                    >
                      {district.name}
                    </Choice>
                  ))}
                </View>
              ))}
            </RadioGroup>
            {districtGroups.length === 0 && <Notice tone="error">您的账号没有可以新建服务点的地区。</Notice>}
            <FieldErrors id="station-region" errors={errors.regionCode} />
          </>
        )}
        {values.kind === 'bank_point' && (
          <>
            <Field
              id="station-bank"
              label="所在银行"
              value={values.bank}
              placeholder="合作银行的名称"
              onChange={set('bank')}
              errors={errors.bank}
            />
            <Field
              id="station-branch"
              label="所在网点（选填）"
              value={values.branch}
              onChange={set('branch')}
              errors={errors.branch}
            />
          </>
        )}
        <Field
          id="station-address"
          label="地址"
          value={values.address}
          onChange={set('address')}
          errors={errors.address}
        />
        <Field
          id="station-hours"
          label="开放时间"
          value={values.hours}
          placeholder="如 周一至周五 9:00–17:00"
          onChange={set('hours')}
          errors={errors.hours}
        />
        <View className="muted">服务项目</View>
        <CheckboxGroup
          id="station-services"
          className="choices"
          onChange={(e) => {
            const chosen = new Set(e.detail.value)
            set('services')(SERVICE_ORDER.filter((service) => chosen.has(service)))
          }}
        >
          {SERVICE_ORDER.map((service) => (
            <Choice
              key={service}
              id={`station-service-${service}`}
              type="checkbox"
              value={service}
              checked={values.services.includes(service)}
            >
              {STATION_SERVICES[service]}
            </Choice>
          ))}
        </CheckboxGroup>
        <FieldErrors id="station-services" errors={errors.services} />
        <Field
          id="station-phone"
          label="电话"
          value={values.phone}
          placeholder="如 0532-12345678"
          onChange={set('phone')}
          errors={errors.phone}
        />
        {!creating && (
          <>
            <View className="row">
              <Label for="station-suspended">暂停服务</Label>
              <Switch
                id="station-suspended"
                aria-label="暂停服务"
                checked={values.status === 'suspended'}
                color="#b3261e"
                onChange={(e) => set('status')(e.detail.value ? 'suspended' : 'active')}
              />
            </View>
            <View className="muted">
              暂停后，居民端不再列出这个服务点，扫海报上的二维码会看到“暂停服务”。
            </View>
            <FieldErrors id="station-suspended" errors={errors.status} />
          </>
        )}
        {formError && (
          <View id="station-form-error" className="notice notice--error" role="alert">
            {formError}
          </View>
        )}
        <Button id="station-submit" className="button" disabled={busy} onClick={submit}>
          {creating ? '新建' : '保存'}
        </Button>
      </Section>
    </View>
  )
}

type Loaded =
  | { state: 'loading' }
  | { state: 'found'; station: StationSummary }
  | { state: 'failed'; message: string }

/**
 * `GET /api/v1/stations/{code}` is the public view and leaves suspended stations out, so the
 * record to edit comes from the caller's own managed list.
 */
function EditStation({ me, code }: { me: Me; code: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' })
  useEffect(() => {
    api
      .get<StationList>('/api/v1/manage/stations')
      .then((list) => {
        const station = list.items.find((item) => item.code === code)
        setLoaded(
          station
            ? { state: 'found', station }
            : { state: 'failed', message: '没有找到这个服务点，或它不在您的管理范围内' },
        )
      })
      .catch((error: unknown) =>
        setLoaded({ state: 'failed', message: error instanceof Error ? error.message : '服务点加载失败' }),
      )
  }, [code])

  if (loaded.state === 'loading') return <Notice>正在加载服务点…</Notice>
  if (loaded.state === 'failed') return <Notice tone="error">{loaded.message}</Notice>
  return <StationForm me={me} original={loaded.station} />
}

export default function StationEditPage() {
  const { params } = useRouter()
  const code = params.code?.trim().toUpperCase() || undefined

  useEffect(() => {
    Taro.setNavigationBarTitle({ title: code ? '编辑服务点' : '新建服务点' }).catch(() => {})
  }, [code])

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        {code ? '编辑服务点' : '新建服务点'}
      </View>
      <RoleGate roles={['official', 'admin']}>
        {(me) => (code ? <EditStation me={me} code={code} /> : <StationForm me={me} />)}
      </RoleGate>
    </Page>
  )
}
