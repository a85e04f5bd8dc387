import { Button, Label, RadioGroup, Text, Textarea, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { Field, FieldErrors } from '../../../components/field'
import { Notice, Page, Section } from '../../../components/page'
import { PolicyLinks } from '../../../components/policy-links'
import { RoleGate } from '../../../components/role-gate'
import { ApiError, api } from '../../../services'
import { STATION_KINDS } from '../../../shared/catalog'
import { CANNED_ANSWERS, type ConsultationView, TransferSchema } from '../../../shared/schemas/consult'
import type { StationList, StationSummary } from '../../../shared/schemas/station'
import {
  buildReply,
  CONSULT_CHANGED_EVENT,
  consultStatusLabel,
  dueOf,
  INBOX_URL,
  MAX_LINKS,
  staffSpeaker,
  toggleLink,
  topicName,
  transferTargets,
} from '../../consult-view'
import { Chip, Choice } from '../../intake-ui'
import { formatTime } from '../../intake-view'
import '../../consult.css'

type Load =
  | { state: 'loading' }
  | { state: 'ready'; view: ConsultationView }
  | { state: 'gone'; message: string }
  | { state: 'error'; message: string }
type Flash = { tone: 'info' | 'error'; text: string }
type FieldErrorMap = Record<string, string[]>

const CONFLICT_MESSAGE = '这条咨询已被他人处理，已为您刷新，请看过最新内容再操作'
const REPLY_MAX = 1000

const errorText = (error: unknown, fallback: string) => (error instanceof Error ? error.message : fallback)

interface EntryHit {
  id: string
  title: string
  summary: string
}

function Thread({ view }: { view: ConsultationView }) {
  return (
    <View id="consult-messages">
      {view.messages.map((message, index) => (
        <View
          key={index}
          id={`message-${index}`}
          className={`message message--${message.from}`}
          data-from={message.from}
        >
          <View className="message__who">
            {staffSpeaker(message)} · {formatTime(message.at)}
          </View>
          <View className="message__text">{message.text}</View>
          <PolicyLinks ids={message.links} idPrefix={`message-${index}-link`} />
        </View>
      ))}
    </View>
  )
}

/** Finding pocket-book entries to attach: the resident gets a link to each. */
function EntryPicker({
  links,
  titles,
  onToggle,
}: {
  links: readonly string[]
  titles: Record<string, string>
  onToggle: (entry: EntryHit) => void
}) {
  const [q, setQ] = useState('')
  const [hits, setHits] = useState<EntryHit[] | null>(null)
  const [failure, setFailure] = useState<string | null>(null)

  const search = () => {
    const query = q.trim().slice(0, 50)
    if (!query) return
    setFailure(null)
    api
      .get<{ items: EntryHit[] }>('/api/v1/pocketbook/search', { query: { q: query, limit: 5 } })
      .then((found) => setHits(found.items))
      .catch((error: unknown) => setFailure(errorText(error, '搜索失败')))
  }

  return (
    <View id="reply-entries">
      <View className="muted">附上口袋书条目（最多 {MAX_LINKS} 条）</View>
      {links.length > 0 && (
        <View id="reply-links">
          {links.map((id) => (
            <View key={id} className="entry-row" id={`attached-${id}`}>
              <Text className="entry-row__title">{titles[id] ?? id}</Text>
              <Button
                className="button button--plain entry-row__action"
                id={`detach-${id}`}
                onClick={() => onToggle({ id, title: titles[id] ?? id, summary: '' })}
              >
                移除
              </Button>
            </View>
          ))}
        </View>
      )}
      <Field id="reply-search" label="搜索口袋书" value={q} placeholder="如：创业担保贷款" onChange={setQ} />
      <Button className="button button--plain" id="reply-search-go" onClick={search}>
        搜索
      </Button>
      {failure && <Notice tone="error">{failure}</Notice>}
      {hits && hits.length === 0 && <View className="muted">没有找到相关条目，换个说法试试。</View>}
      {hits?.map((hit) => {
        const attached = links.includes(hit.id)
        return (
          <View key={hit.id} className="entry-row" id={`reply-result-${hit.id}`}>
            <View className="entry-row__title">
              <View>{hit.title}</View>
              <View className="card__meta">{hit.summary}</View>
            </View>
            <Button
              className={attached ? 'button entry-row__action' : 'button button--plain entry-row__action'}
              id={`attach-${hit.id}`}
              disabled={(!attached && links.length >= MAX_LINKS) || undefined}
              onClick={() => onToggle(hit)}
            >
              {attached ? '已附上' : '附上'}
            </Button>
          </View>
        )
      })}
    </View>
  )
}

/** Stations a case can go to: the others taking questions (GET /api/v1/stations is public). */
function useTransferTargets(current: string, wanted: boolean) {
  const [targets, setTargets] = useState<StationSummary[] | null>(null)
  const [failed, setFailed] = useState<string | null>(null)
  useEffect(() => {
    if (!wanted) return
    api
      .get<StationList>('/api/v1/stations')
      .then((list) => setTargets(transferTargets(list.items, current)))
      .catch((error: unknown) => setFailed(errorText(error, '服务点列表加载失败')))
  }, [current, wanted])
  return { targets, failed }
}

function TransferPanel(props: {
  view: ConsultationView
  onCancel: () => void
  onDone: (name: string) => void
  onConflict: () => void
}) {
  const { view } = props
  const [to, setTo] = useState('')
  const [note, setNote] = useState('')
  const [errors, setErrors] = useState<FieldErrorMap>({})
  const [failure, setFailure] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const { targets, failed } = useTransferTargets(view.station.code, true)

  const submit = () => {
    setFailure(null)
    const checked = TransferSchema.safeParse({
      version: view.version,
      to: to || undefined,
      note: note.trim() || undefined,
    })
    if (!checked.success) {
      setErrors({ to: ['请选择转交到哪个服务点'] })
      return
    }
    setErrors({})
    setBusy(true)
    api
      .post<ConsultationView>(`/api/v1/consultations/${encodeURIComponent(view.id)}/transfer`, checked.data)
      .then(() => {
        const target = targets?.find((station) => station.code === checked.data.to)
        props.onDone(target?.name ?? checked.data.to)
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 409) {
          props.onConflict()
          return
        }
        if (error instanceof ApiError && error.fields) setErrors(error.fields)
        setFailure(errorText(error, '转交没有成功，请稍后再试'))
      })
      .finally(() => setBusy(false))
  }

  return (
    <View className="panel" id="transfer-form">
      <View className="card__title">转交给另一个服务点</View>
      <View className="muted">转交后由对方答复，本服务点不再看到这条咨询。</View>
      {failed && <Notice tone="error">{failed}</Notice>}
      {!targets && !failed && <Notice>正在加载服务点…</Notice>}
      {targets && (
        <RadioGroup id="transfer-to" className="choices" onChange={(e) => setTo(e.detail.value)}>
          {targets.map((station) => (
            <Choice
              key={station.code}
              id={`transfer-${station.code}`}
              type="radio"
              value={station.code}
              checked={to === station.code}
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
      <FieldErrors id="transfer-to" errors={errors.to} />
      <Field
        id="transfer-note"
        label="转交说明（选填，居民能看到）"
        value={note}
        maxlength={200}
        onChange={setNote}
        errors={errors.note}
      />
      {failure && <Notice tone="error">{failure}</Notice>}
      <View className="button-row">
        <Button className="button button--plain" id="transfer-cancel" onClick={props.onCancel}>
          取消
        </Button>
        <Button className="button" id="transfer-confirm" disabled={busy || undefined} onClick={submit}>
          确认转交
        </Button>
      </View>
    </View>
  )
}

function ConsultScreen({ id }: { id: string }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [flash, setFlash] = useState<Flash | null>(null)
  const [text, setText] = useState('')
  const [links, setLinks] = useState<string[]>([])
  const [titles, setTitles] = useState<Record<string, string>>({})
  const [errors, setErrors] = useState<FieldErrorMap>({})
  const [busy, setBusy] = useState(false)
  const [transferring, setTransferring] = useState(false)
  /** A new picker (search cleared) for each reply. */
  const [round, setRound] = useState(0)

  const reload = useCallback(
    () =>
      api
        .get<ConsultationView>(`/api/v1/consultations/${encodeURIComponent(id)}`)
        .then((view) => setLoad({ state: 'ready', view }))
        .catch((error: unknown) => setLoad({ state: 'error', message: errorText(error, '咨询加载失败') })),
    [id],
  )

  useEffect(() => {
    reload()
  }, [reload])

  if (load.state === 'loading') return <Notice>正在加载咨询…</Notice>
  if (load.state === 'error') return <Notice tone="error">{load.message}</Notice>
  if (load.state === 'gone') {
    return (
      <>
        <View className="notice" id="consult-flash" role="status">
          {load.message}
        </View>
        <Button className="button" id="back-to-inbox" onClick={() => Taro.redirectTo({ url: INBOX_URL })}>
          回到收件箱
        </Button>
      </>
    )
  }
  const { view } = load
  const due = dueOf(view)

  const conflict = () => {
    setTransferring(false)
    setFlash({ tone: 'error', text: CONFLICT_MESSAGE })
    Taro.eventCenter.trigger(CONSULT_CHANGED_EVENT, { id: view.id })
    reload()
  }

  const send = (close: boolean) => {
    setFlash(null)
    const checked = buildReply(view, text, links, close)
    if (!checked.ok) {
      setErrors(checked.errors)
      return
    }
    setErrors({})
    setBusy(true)
    api
      .post<ConsultationView>(`/api/v1/consultations/${encodeURIComponent(view.id)}/reply`, checked.body)
      .then((next) => {
        setLoad({ state: 'ready', view: next })
        setText('')
        setLinks([])
        setRound((n) => n + 1)
        setFlash({
          tone: 'info',
          text: close
            ? '已答复并办结。居民会在“我的咨询”里看到答复。'
            : '已答复。居民会在“我的咨询”里看到答复。',
        })
        Taro.eventCenter.trigger(CONSULT_CHANGED_EVENT, { id: view.id })
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 409) {
          conflict()
          return
        }
        if (error instanceof ApiError && error.fields) setErrors(error.fields)
        setFlash({ tone: 'error', text: errorText(error, '答复没有发出，请稍后再试') })
      })
      .finally(() => setBusy(false))
  }

  const toggle = (entry: EntryHit) => {
    setTitles((current) => ({ ...current, [entry.id]: entry.title }))
    setLinks((current) => toggleLink(current, entry.id))
  }

  return (
    <View id="consult-detail" data-status={view.status} data-version={view.version}>
      <Section title={`${topicName(view.topic)}咨询`}>
        <View className="queue-item__head">
          <Text className={`status status--consult-${view.status}`} id="consult-status">
            {consultStatusLabel(view.status)}
          </Text>
          <Text className="muted">提问于 {formatTime(view.createdAt)}</Text>
        </View>
        {due && (
          <Text id="consult-due" className={`sla sla--${due.tone}`} data-due={due.tone}>
            {due.text}
          </Text>
        )}
        {view.contact === 'phone' && (
          <View className="card__meta" id="consult-contact">
            居民希望电话答复：{view.mobile ?? '（未留号码）'}
          </View>
        )}
        {view.rating && (
          <View className="card__meta" id="consult-rating">
            居民评价：{view.rating.label}
            {view.rating.comment ? `（${view.rating.comment}）` : ''}
          </View>
        )}
      </Section>
      {flash && (
        <View className={`notice notice--${flash.tone}`} id="consult-flash" role="alert">
          {flash.text}
        </View>
      )}
      <Section title="往来记录">
        <Thread view={view} />
      </Section>
      {view.status === 'closed' ? (
        <View className="muted" id="consult-closed">
          这条咨询已办结。
        </View>
      ) : (
        <Section title="答复">
          <View className="muted">常用答复（点一下填入，可再修改）</View>
          <View className="chips" id="canned">
            {CANNED_ANSWERS.map((canned) => (
              <Chip
                key={canned.id}
                id={`canned-${canned.id}`}
                on={text === canned.text}
                onTap={() => {
                  setText(canned.text)
                  setErrors({})
                }}
              >
                {canned.title}
              </Chip>
            ))}
          </View>
          <Label for="reply-text" className="muted">
            答复内容（居民能看到，{REPLY_MAX} 字以内）
          </Label>
          <Textarea
            id="reply-text"
            className={errors.text?.length ? 'reply-textarea reply-textarea--invalid' : 'reply-textarea'}
            value={text}
            maxlength={REPLY_MAX}
            onInput={(e) => {
              setText(e.detail.value)
              setErrors({})
            }}
          />
          <FieldErrors id="reply-text" errors={errors.text} />
          <EntryPicker key={round} links={links} titles={titles} onToggle={toggle} />
          <FieldErrors id="reply-links" errors={errors.links} />
          <View className="button-row">
            <Button
              className="button"
              id="reply-send"
              disabled={busy || undefined}
              onClick={() => send(false)}
            >
              答复
            </Button>
            <Button
              className="button"
              id="reply-close"
              disabled={busy || undefined}
              onClick={() => send(true)}
            >
              答复并办结
            </Button>
          </View>
          <Button
            className="button button--plain"
            id="transfer-open"
            onClick={() => {
              setFlash(null)
              setTransferring(true)
            }}
          >
            转交其他服务点
          </Button>
          {transferring && (
            <TransferPanel
              view={view}
              onCancel={() => setTransferring(false)}
              onConflict={conflict}
              onDone={(name) => {
                Taro.eventCenter.trigger(CONSULT_CHANGED_EVENT, { id: view.id })
                setLoad({ state: 'gone', message: `已转交给${name}，由对方答复。` })
              }}
            />
          )}
        </Section>
      )}
    </View>
  )
}

export default function StaffConsult() {
  const { params } = useRouter()
  const id = params.id?.trim()
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        咨询详情
      </View>
      <RoleGate roles={['station_staff', 'bank_staff']}>
        {() =>
          id ? <ConsultScreen id={id} /> : <Notice tone="error">缺少咨询编号，请从咨询收件箱打开。</Notice>
        }
      </RoleGate>
    </Page>
  )
}
