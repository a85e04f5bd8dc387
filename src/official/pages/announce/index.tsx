import { Button, Label, Textarea, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Chip } from '../../../components/chip'
import { Field, FieldErrors } from '../../../components/field'
import { Notice, Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { MarkupView } from '../../../news/markup-view'
import { ApiError, api } from '../../../services'
import { chinaTime } from '../../../services/pocketbook'
import { POLICY_CATEGORIES, type PolicyCategory, TARGET_GROUPS } from '../../../shared/catalog'
import type { AnnouncementView } from '../../../shared/schemas/announce'
import type { Me } from '../../../shared/schemas/auth'
import type { StationList, StationSummary } from '../../../shared/schemas/station'
import {
  ANNOUNCEMENTS_URL,
  type AnnouncementFormValues,
  announcementOf,
  type CorrectionValues,
  correctionOf,
  correctionValuesOf,
  deliveryLine,
  EMPTY_ANNOUNCEMENT_FORM,
  type FieldErrorMap,
  statusLine,
  targetRegionOptions,
  withdrawalOf,
} from '../../announce-form'
import { useDeliveries } from '../../use-deliveries'
import '../../../news/news.css'
import './index.css'

const CONFLICT_MESSAGE = '这条推送已被他人修改，已为您刷新，请再看一遍后重试'
const GROUP_KEYS = (Object.keys(TARGET_GROUPS) as (keyof typeof TARGET_GROUPS)[]).filter(
  (key) => key !== 'other',
)

/** The body in the safe markup, with a short reminder of what the markup is. */
function BodyBox(props: {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  errors?: string[] | undefined
}) {
  return (
    <>
      <Label for={props.id} className="muted">
        {props.label}
      </Label>
      <View className="muted">
        “# ”大标题，“## ”小标题，“- ”列表，[文字](https://网址) 链接，空一行分段。
      </View>
      {/* Taro's Textarea stops at 140 characters unless told otherwise. */}
      <Textarea
        id={props.id}
        className="announce-textarea"
        value={props.value}
        maxlength={5000}
        autoHeight
        onInput={(e) => props.onChange(e.detail.value)}
      />
      <FieldErrors id={props.id} errors={props.errors} />
    </>
  )
}

/** What residents will see, redrawn as the official types. */
function Preview({ id, title, body }: { id: string; title: string; body: string }) {
  return (
    <Section title="预览（居民看到的样子）">
      <View id={id} className="announce-preview">
        <View className="card__title">{title.trim() || '（标题）'}</View>
        {body.trim() ? <MarkupView source={body} /> : <View className="muted">（正文）</View>}
      </View>
    </Section>
  )
}

function Composer({ me, onPublished }: { me: Me; onPublished: (item: AnnouncementView) => void }) {
  const [values, setValues] = useState<AnnouncementFormValues>(EMPTY_ANNOUNCEMENT_FORM)
  const [errors, setErrors] = useState<FieldErrorMap>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [stations, setStations] = useState<StationSummary[]>([])
  const regionOptions = useMemo(() => targetRegionOptions(me), [me])
  const region = me.scope.type === 'region' ? me.scope.code : undefined

  useEffect(() => {
    api
      .get<StationList>('/api/v1/stations', { query: { region } })
      .then((list) => setStations(list.items))
      .catch(() => setStations([]))
  }, [region])

  const set =
    <K extends keyof AnnouncementFormValues>(key: K) =>
    (value: AnnouncementFormValues[K]) =>
      setValues((current) => ({ ...current, [key]: value }))
  const toggle = (key: 'regions' | 'stations' | 'groups', code: string) =>
    set(key)(
      values[key].includes(code) ? values[key].filter((item) => item !== code) : [...values[key], code],
    )

  const publish = async () => {
    if (busy) return
    setFormError(null)
    const checked = announcementOf(values)
    if (!checked.ok) {
      setErrors(checked.errors)
      setFormError('请按红字提示修改后再发布')
      return
    }
    setErrors({})
    setBusy(true)
    try {
      onPublished(await api.post<AnnouncementView>('/api/v1/announcements', checked.input))
    } catch (error) {
      if (error instanceof ApiError && error.fields) setErrors(error.fields)
      setFormError(error instanceof Error ? error.message : '没有发布成功，请稍后再试')
    } finally {
      setBusy(false)
    }
  }

  return (
    <View id="announce-form">
      <Section title="内容">
        <Field
          id="announce-title"
          label="标题"
          value={values.title}
          maxlength={60}
          onChange={set('title')}
          errors={errors.title}
        />
        <BodyBox
          id="announce-body"
          label="正文"
          value={values.body}
          onChange={set('body')}
          errors={errors.body}
        />
        <View className="muted">类别</View>
        <View className="chips" id="announce-category">
          {(Object.keys(POLICY_CATEGORIES) as PolicyCategory[]).map((key) => (
            <Chip
              key={key}
              id={`announce-category-${key}`}
              on={values.category === key}
              label={POLICY_CATEGORIES[key].name}
              onTap={() => set('category')(key)}
            />
          ))}
        </View>
        <FieldErrors id="announce-category" errors={errors.category} />
        <Field
          id="announce-links"
          label="关联口袋书政策（选填，填条目编号，用空格分开，最多 5 条）"
          value={values.links}
          onChange={set('links')}
          errors={errors.links}
        />
      </Section>
      <Preview id="announce-preview" title={values.title} body={values.body} />

      <Section title="推送对象">
        <View className="muted">地区（该地区及下辖区县的居民都能看到）</View>
        <View className="chips" id="announce-regions">
          {regionOptions.map((option) => (
            <Chip
              key={option.code}
              id={`announce-region-${option.code}`}
              multi
              on={values.regions.includes(option.code)}
              label={option.name}
              onTap={() => toggle('regions', option.code)}
            />
          ))}
        </View>
        <FieldErrors id="announce-regions" errors={errors['target.regions']} />
        <View className="muted">服务点（选填：只发给在这些服务点的居民）</View>
        <View className="chips" id="announce-stations">
          {stations.map((station) => (
            <Chip
              key={station.code}
              id={`announce-station-${station.code}`}
              multi
              on={values.stations.includes(station.code)}
              label={station.name}
              onTap={() => toggle('stations', station.code)}
            />
          ))}
        </View>
        <FieldErrors id="announce-stations" errors={errors['target.stations']} />
        <View className="muted">
          人群（都不选：不限人群；选了人群，只有说明过自己属于这些人群的居民能收到）
        </View>
        <View className="chips" id="announce-groups">
          {GROUP_KEYS.map((key) => (
            <Chip
              key={key}
              id={`announce-group-${key}`}
              multi
              on={values.groups.includes(key)}
              label={TARGET_GROUPS[key]}
              onTap={() => toggle('groups', key)}
            />
          ))}
        </View>
        <FieldErrors id="announce-groups" errors={errors['target.groups']} />
        <Field
          id="announce-publish-at"
          label="定时发布（选填，北京时间，如 2026-12-01 09:00；不填：立即发布）"
          value={values.publishAt}
          onChange={set('publishAt')}
          errors={errors.publishAt}
        />
      </Section>

      {formError && (
        <View id="announce-form-error" className="notice notice--error" role="alert">
          {formError}
        </View>
      )}
      {/* `disabled={false}` reaches Taro H5 as disabled="false", which its CSS reads as disabled. */}
      <Button id="announce-submit" className="button" disabled={busy || undefined} onClick={publish}>
        {values.publishAt.trim() ? '定时发布' : '立即发布'}
      </Button>
    </View>
  )
}

/** An announcement already sent: its progress, 更正 (with a note residents see) and 撤回. */
function Manage(props: {
  item: AnnouncementView
  onChanged: (item: AnnouncementView, message: string) => void
  onConflict: () => void
}) {
  const { item } = props
  const deliveries = useDeliveries([item.id])[item.id]
  const [values, setValues] = useState<CorrectionValues>(() => correctionValuesOf(item))
  const [withdrawNote, setWithdrawNote] = useState('')
  const [errors, setErrors] = useState<FieldErrorMap>({})
  const [withdrawErrors, setWithdrawErrors] = useState<FieldErrorMap>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    setValues(correctionValuesOf(item))
    setWithdrawNote('')
  }, [item])

  const send = async (path: 'correct' | 'withdraw', body: unknown, done: string) => {
    setBusy(true)
    setFormError(null)
    try {
      const changed = await api.post<AnnouncementView>(
        `/api/v1/announcements/${encodeURIComponent(item.id)}/${path}`,
        body,
      )
      props.onChanged(changed, done)
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        props.onConflict()
        return
      }
      if (error instanceof ApiError && error.fields) setErrors(error.fields)
      setFormError(error instanceof Error ? error.message : '没有成功，请稍后再试')
    } finally {
      setBusy(false)
    }
  }

  const correct = () => {
    if (busy) return
    const checked = correctionOf(item, values)
    setErrors(checked.ok ? {} : checked.errors)
    setWithdrawErrors({})
    if (checked.ok) send('correct', checked.input, '已更正：居民会看到更正说明和时间')
  }
  const withdraw = () => {
    if (busy) return
    const checked = withdrawalOf(item, withdrawNote)
    setWithdrawErrors(checked.ok ? {} : checked.errors)
    setErrors({})
    if (checked.ok) send('withdraw', checked.input, '已撤回：居民的“消息”里不再显示这条推送')
  }

  return (
    <View id="announce-manage">
      <View id="announce-status" className="row" data-status={item.status}>
        <View className={`tag tag--${item.status}`}>{statusLine(item)}</View>
        <View className="muted">第 {item.version} 版</View>
      </View>
      {deliveries && (
        <View id="announce-deliveries" className="muted" data-pending={deliveries.pending}>
          {deliveryLine(deliveries)}
        </View>
      )}
      {item.corrections.length > 0 && (
        <Section title="更正记录">
          {item.corrections.map((correction, index) => (
            <View key={index} className="announce-correction">
              <View>{correction.note}</View>
              <View className="muted">{chinaTime(correction.at)}</View>
            </View>
          ))}
        </Section>
      )}
      {formError && (
        <View id="announce-form-error" className="notice notice--error" role="alert">
          {formError}
        </View>
      )}
      {item.status === 'withdrawn' ? (
        <Preview id="announce-preview" title={item.title} body={item.body} />
      ) : (
        <>
          <Section title="更正">
            <Field
              id="correct-title"
              label="标题"
              value={values.title}
              maxlength={60}
              onChange={(title) => setValues((current) => ({ ...current, title }))}
              errors={errors.title}
            />
            <BodyBox
              id="correct-body"
              label="正文"
              value={values.body}
              onChange={(body) => setValues((current) => ({ ...current, body }))}
              errors={errors.body}
            />
            <Field
              id="correct-note"
              label="更正说明（必填，居民会看到，如：更正申请截止日期）"
              value={values.note}
              maxlength={100}
              onChange={(note) => setValues((current) => ({ ...current, note }))}
              errors={errors.note}
            />
            <Button id="correct-submit" className="button" disabled={busy || undefined} onClick={correct}>
              提交更正
            </Button>
          </Section>
          <Preview id="announce-preview" title={values.title} body={values.body} />
          <Section title="撤回">
            <View className="muted">撤回后，居民的“消息”里不再显示这条推送；已发出的微信通知无法收回。</View>
            <Field
              id="withdraw-note"
              label="撤回说明（必填）"
              value={withdrawNote}
              maxlength={100}
              onChange={setWithdrawNote}
              errors={withdrawErrors.note}
            />
            <Button
              id="withdraw-submit"
              className="button button--plain"
              disabled={busy || undefined}
              onClick={withdraw}
            >
              撤回这条推送
            </Button>
          </Section>
        </>
      )}
    </View>
  )
}

function AnnounceEditor({ me, id }: { me: Me; id: string | undefined }) {
  const [item, setItem] = useState<AnnouncementView | null>(null)
  const [loading, setLoading] = useState(Boolean(id))
  const [loadError, setLoadError] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)

  /** The announcement as stored now (the managed list is where officials read theirs). */
  const reload = useCallback(
    (announcementId: string) =>
      api.get<{ items: AnnouncementView[] }>('/api/v1/manage/announcements').then((list) => {
        const found = list.items.find((candidate) => candidate.id === announcementId)
        if (!found) throw new Error('没有找到这条推送，或它不在您的管理范围内')
        setItem(found)
        return found
      }),
    [],
  )

  useEffect(() => {
    if (!id) return
    reload(id)
      .catch((error: unknown) => setLoadError(error instanceof Error ? error.message : '推送加载失败'))
      .finally(() => setLoading(false))
  }, [id, reload])

  if (loading) return <Notice>正在加载…</Notice>
  if (loadError) return <Notice tone="error">{loadError}</Notice>

  const changed = (next: AnnouncementView, text: string) => {
    setItem(next)
    setMessage(text)
  }

  return (
    <>
      {message && (
        <View id="announce-message" className="notice" role="status">
          {message}
        </View>
      )}
      {item ? (
        <Manage
          item={item}
          onChanged={changed}
          onConflict={() => {
            reload(item.id)
              .then(() => setMessage(CONFLICT_MESSAGE))
              .catch(() => setMessage(CONFLICT_MESSAGE))
          }}
        />
      ) : (
        <Composer
          me={me}
          onPublished={(created) =>
            changed(
              created,
              created.status === 'scheduled'
                ? `已定时：${chinaTime(created.publishAt)} 发布`
                : '已发布：目标地区的居民打开“消息”就能看到',
            )
          }
        />
      )}
      <Button
        id="announce-back"
        className="button button--plain"
        onClick={() => {
          if (Taro.getCurrentPages().length > 1) Taro.navigateBack()
          else Taro.redirectTo({ url: ANNOUNCEMENTS_URL })
        }}
      >
        返回推送列表
      </Button>
    </>
  )
}

/** 发布政策推送, or with `?id=` one already sent: 更正 and 撤回. */
export default function AnnouncePage() {
  const { params } = useRouter()
  const id = params.id?.trim() || undefined

  useEffect(() => {
    Taro.setNavigationBarTitle({ title: id ? '更正或撤回推送' : '发布政策推送' }).catch(() => {})
  }, [id])

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        {id ? '更正或撤回推送' : '发布政策推送'}
      </View>
      <RoleGate roles={['official', 'admin']}>{(me) => <AnnounceEditor me={me} id={id} />}</RoleGate>
    </Page>
  )
}
