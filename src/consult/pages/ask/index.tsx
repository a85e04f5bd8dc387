import { Button, Label, Textarea, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'
import { Chip } from '../../../components/chip'
import { Field, FieldErrors } from '../../../components/field'
import { Notice, Page, Section } from '../../../components/page'
import { ApiError, api, NetworkError } from '../../../services'
import { currentStation } from '../../../services/station'
import { POLICY_CATEGORIES, STATION_KINDS } from '../../../shared/catalog'
import type { ConsultationView } from '../../../shared/schemas/consult'
import {
  type AskDraft,
  buildAsk,
  CONTACT_LABELS,
  type Contact,
  clearAskDraft,
  counterLabel,
  emptyAskDraft,
  FIELD_IDS,
  type FieldErrorMap,
  loadAskDraft,
  saveAskDraft,
  suggestionQuery,
  TEXT_MAX,
  TOPIC_ORDER,
} from '../../ask-form'
import { ensureSession, goBackOrHome, stationFromLink, taroStorage, useStation } from '../../platform'
import { policyEntryUrl, threadUrl } from '../../urls'
import '../../consult.css'

/** How long typing must pause before the pocket-book is searched. */
const SUGGEST_DELAY_MS = 400

interface Suggestion {
  id: string
  title: string
  summary: string
}

/**
 * Up to three pocket-book entries matching what the resident is typing: many questions are
 * already answered there, and reading one is quicker than waiting for staff.
 */
function useSuggestions(text: string, region: string | undefined): Suggestion[] {
  const [items, setItems] = useState<Suggestion[]>([])
  // Only the answer to the latest text may land.
  const latest = useRef(0)
  useEffect(() => {
    const q = suggestionQuery(text)
    const ticket = ++latest.current
    if (!q) {
      setItems([])
      return
    }
    const timer = setTimeout(() => {
      api
        .get<{ items: Suggestion[] }>('/api/v1/pocketbook/search', { query: { q, limit: 3, region } })
        .then((found) => {
          if (ticket === latest.current) setItems(found.items.slice(0, 3))
        })
        .catch(() => {
          // Suggestions are a help, not a step: without them the form works the same.
          if (ticket === latest.current) setItems([])
        })
    }, SUGGEST_DELAY_MS)
    return () => clearTimeout(timer)
  }, [text, region])
  return items
}

function AskForm({ station }: { station: string }) {
  const point = useStation(station)
  const [restored] = useState(() => loadAskDraft(taroStorage, station))
  const [draft, setDraft] = useState<AskDraft>(() => restored ?? emptyAskDraft(station))
  const [errors, setErrors] = useState<FieldErrorMap>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  /** Set on the first tap: a second tap before the re-render sends nothing. */
  const sending = useRef(false)
  const finished = useRef(false)

  const info = point.state === 'ready' ? point.station : null
  const suggestions = useSuggestions(draft.text, info?.regionCode)

  // Every change is on the device before the next tap (the mobile number excepted).
  useEffect(() => {
    if (!finished.current) saveAskDraft(taroStorage, draft)
  }, [draft])

  const edit = (change: Partial<AskDraft>, ...fields: string[]) => {
    setDraft((current) => ({ ...current, ...change }))
    setErrors((current) => {
      if (!fields.some((field) => field in current)) return current
      const next = { ...current }
      for (const field of fields) delete next[field]
      return next
    })
  }

  const scrollTo = (id: string) => {
    Taro.pageScrollTo({ selector: `#${id}`, duration: 200 }).catch(() => undefined)
  }

  const submit = async () => {
    if (sending.current) return
    sending.current = true
    setBusy(true)
    setFormError(null)
    try {
      // No consult subscribe template is published to the app yet: answers show in 我的咨询.
      const checked = buildAsk(draft, false)
      if (!checked.ok) {
        setErrors(checked.errors)
        setFormError('请按红字提示修改后再提交')
        const first = Object.keys(checked.errors).find((field) => FIELD_IDS[field])
        if (first) scrollTo(FIELD_IDS[first] ?? '')
        return
      }
      await ensureSession()
      const view = await api.post<ConsultationView>('/api/v1/consultations', checked.body)
      finished.current = true
      clearAskDraft(taroStorage, station)
      Taro.redirectTo({ url: `${threadUrl(view.id)}&new=1` })
    } catch (error) {
      if (error instanceof ApiError && error.fields && Object.keys(error.fields).length) {
        setErrors(error.fields)
        // Problems with no field on the form (the station, say) are spelled out here.
        const unplaced = Object.entries(error.fields)
          .filter(([field]) => !FIELD_IDS[field])
          .flatMap(([, messages]) => messages)
        setFormError(unplaced.length ? unplaced.join('；') : error.message)
      } else if (error instanceof ApiError) {
        setFormError(
          error.status === 429
            ? '提问太频繁，请稍后再试。您写的问题已保存。'
            : `${error.message}。您写的问题已保存，可稍后重试。`,
        )
      } else {
        setFormError(
          error instanceof NetworkError
            ? '网络不稳定，您写的问题已保存，可稍后重试'
            : '提交没有成功，您写的问题已保存，请稍后再试',
        )
      }
    } finally {
      sending.current = false
      setBusy(false)
    }
  }

  if (info && !info.services.includes('consult')) {
    return (
      <Notice tone="error">
        <View id="consult-not-offered">{info.name}暂不受理线上咨询，请在首页选择其他服务点。</View>
        <Button className="button" onClick={() => Taro.switchTab({ url: '/pages/index/index' })}>
          去首页选择服务点
        </Button>
      </Notice>
    )
  }

  const full = draft.text.length >= TEXT_MAX

  return (
    <View id="consult-form">
      <View className="card" id="consult-station">
        <View className="card__meta">向这个服务点提问</View>
        <View className="card__title">
          {info ? info.name : point.state === 'failed' ? `服务点 ${station}` : '正在加载…'}
        </View>
        {info && <View className="card__meta">{STATION_KINDS[info.kind]}</View>}
      </View>
      {restored && (
        <View id="consult-restored" className="muted">
          已恢复您上次没有提交的问题。
        </View>
      )}
      <Section title="咨询哪方面的政策">
        <View className="chips" id="consult-topic" role="radiogroup">
          {TOPIC_ORDER.map((key) => (
            <Chip
              key={key}
              id={`consult-topic-${key}`}
              on={draft.topic === key}
              label={POLICY_CATEGORIES[key].name}
              onTap={() => edit({ topic: key }, 'topic')}
            />
          ))}
        </View>
        {draft.topic && (
          <View className="muted" id="consult-topic-hint">
            {POLICY_CATEGORIES[draft.topic as keyof typeof POLICY_CATEGORIES]?.hint}
          </View>
        )}
        <FieldErrors id={FIELD_IDS.topic ?? 'consult-topic'} errors={errors.topic} />
      </Section>
      <Section title="您的问题">
        <Label for="consult-text" className="muted">
          请用几句话说明您的情况和想问的事，不要填写身份证号等个人信息。
        </Label>
        <Textarea
          id="consult-text"
          className={errors.text?.length ? 'consult-textarea consult-textarea--invalid' : 'consult-textarea'}
          value={draft.text}
          maxlength={TEXT_MAX}
          placeholder="例如：我是今年毕业的大学生，想开一家奶茶店，能申请哪些补贴？"
          onInput={(e) => edit({ text: e.detail.value }, 'text')}
        />
        <View
          id="consult-count"
          className={full ? 'consult-counter consult-counter--full' : 'consult-counter'}
          aria-live="polite"
        >
          {counterLabel(draft.text)}
        </View>
        <FieldErrors id="consult-text" errors={errors.text} />
        {suggestions.length > 0 && (
          <View className="consult-suggestions" id="consult-suggestions" role="region">
            <View className="section__title">这些政策可能已经回答了您的问题</View>
            {suggestions.map((item) => (
              <View
                key={item.id}
                id={`suggestion-${item.id}`}
                className="consult-suggestion"
                role="link"
                onClick={() => Taro.navigateTo({ url: policyEntryUrl(item.id) })}
              >
                <View className="consult-link">{item.title}</View>
                <View className="card__meta">{item.summary}</View>
              </View>
            ))}
            <View className="muted">看完仍有疑问，可以继续提交您的问题。</View>
          </View>
        )}
      </Section>
      <Section title="怎样答复您">
        <View className="chips" id="consult-contact" role="radiogroup">
          {(Object.keys(CONTACT_LABELS) as Contact[]).map((contact) => (
            <Chip
              key={contact}
              id={`consult-contact-${contact}`}
              on={draft.contact === contact}
              label={CONTACT_LABELS[contact]}
              onTap={() => edit({ contact }, 'contact', 'mobile')}
            />
          ))}
        </View>
        <FieldErrors id="consult-contact" errors={errors.contact} />
        {draft.contact === 'phone' && (
          <Field
            id="consult-mobile"
            label="手机号（只给这个服务点的工作人员回电用）"
            type="number"
            maxlength={11}
            value={draft.mobile}
            onChange={(mobile) => edit({ mobile }, 'mobile')}
            errors={errors.mobile}
          />
        )}
      </Section>
      {formError && (
        <View id="consult-error" className="notice notice--error" role="alert">
          {formError}
        </View>
      )}
      <Button id="consult-submit" className="button" disabled={busy || undefined} onClick={submit}>
        {busy ? '正在提交…' : '提交问题'}
      </Button>
      <Button id="consult-back" className="button button--plain" onClick={goBackOrHome}>
        返回
      </Button>
    </View>
  )
}

export default function AskPage() {
  const { params } = useRouter()
  const station = stationFromLink(params.s) ?? currentStation()

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        咨询创业政策
      </View>
      {station ? (
        <AskForm key={station} station={station} />
      ) : (
        <Notice>
          <View id="consult-no-station">请先在首页选择离您近的服务点，问题会交给那里的工作人员答复。</View>
          <Button className="button" onClick={() => Taro.switchTab({ url: '/pages/index/index' })}>
            去首页选择服务点
          </Button>
        </Notice>
      )}
    </Page>
  )
}
