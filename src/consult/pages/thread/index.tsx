import { Button, Label, Text, Textarea, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Chip } from '../../../components/chip'
import { Field, FieldErrors } from '../../../components/field'
import { Notice, Page, Section } from '../../../components/page'
import { PolicyLinks } from '../../../components/policy-links'
import { ApiError, api } from '../../../services'
import { refreshUnreadBadge } from '../../../services/unread'
import {
  type ConsultationView,
  FollowUpSchema,
  isPoorRating,
  RateSchema,
} from '../../../shared/schemas/consult'
import { counterLabel, type FieldErrorMap, fieldErrors, TEXT_MAX } from '../../ask-form'
import { ensureSession } from '../../platform'
import {
  canFollowUp,
  canRate,
  chinaTime,
  RATING_CHOICES,
  speakerOf,
  statusLabel,
  topicLabel,
  waitingNote,
} from '../../thread'
import { MY_CONSULTS_URL } from '../../urls'
import '../../consult.css'

type Load =
  | { state: 'loading' }
  | { state: 'ready'; view: ConsultationView }
  | { state: 'error'; message: string }

const errorText = (error: unknown, fallback: string) => (error instanceof Error ? error.message : fallback)

function Messages({ view }: { view: ConsultationView }) {
  return (
    <View id="thread-messages">
      {view.messages.map((message, index) => (
        <View
          key={index}
          id={`message-${index}`}
          className={`consult-message consult-message--${message.from}`}
          data-from={message.from}
        >
          <View className="consult-message__who">
            {speakerOf(message)} · {chinaTime(message.at)}
          </View>
          <View className="consult-message__text">{message.text}</View>
          <PolicyLinks ids={message.links} idPrefix={`message-${index}-link`} />
        </View>
      ))}
    </View>
  )
}

/** 追问: a further question in the same thread (the case goes back to 待答复). */
function FollowUp({ view, onSent }: { view: ConsultationView; onSent: (view: ConsultationView) => void }) {
  const [text, setText] = useState('')
  const [errors, setErrors] = useState<FieldErrorMap>({})
  const [failure, setFailure] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const send = () => {
    setFailure(null)
    const checked = FollowUpSchema.safeParse({ text })
    if (!checked.success) {
      setErrors(fieldErrors(checked.error.issues))
      return
    }
    setErrors({})
    setBusy(true)
    api
      .post<ConsultationView>(`/api/v1/consultations/${encodeURIComponent(view.id)}/messages`, checked.data)
      .then((next) => {
        setText('')
        onSent(next)
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.fields) setErrors(error.fields)
        setFailure(errorText(error, '没有发送成功，请稍后再试'))
      })
      .finally(() => setBusy(false))
  }

  return (
    <Section title="追问">
      <Label for="followup-text" className="muted">
        还有不清楚的地方，可以接着问。
      </Label>
      <Textarea
        id="followup-text"
        className={errors.text?.length ? 'consult-textarea consult-textarea--invalid' : 'consult-textarea'}
        value={text}
        maxlength={TEXT_MAX}
        onInput={(e) => {
          setText(e.detail.value)
          setErrors({})
        }}
      />
      <View className="consult-counter">{counterLabel(text)}</View>
      <FieldErrors id="followup-text" errors={errors.text} />
      {failure && <Notice tone="error">{failure}</Notice>}
      <Button id="followup-submit" className="button" disabled={busy || undefined} onClick={send}>
        发送追问
      </Button>
    </Section>
  )
}

/** 好差评: the five national levels; 不满意 and 非常不满意 send the case to a supervisor. */
function Rating({ view, onRated }: { view: ConsultationView; onRated: (view: ConsultationView) => void }) {
  const [score, setScore] = useState<number | null>(null)
  const [comment, setComment] = useState('')
  const [errors, setErrors] = useState<FieldErrorMap>({})
  const [failure, setFailure] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const send = () => {
    setFailure(null)
    const checked = RateSchema.safeParse({ score: score ?? undefined, comment: comment.trim() || undefined })
    if (!checked.success) {
      setErrors(fieldErrors(checked.error.issues))
      return
    }
    setErrors({})
    setBusy(true)
    api
      .post<ConsultationView>(`/api/v1/consultations/${encodeURIComponent(view.id)}/rating`, checked.data)
      .then(onRated)
      .catch((error: unknown) => setFailure(errorText(error, '评价没有提交成功，请稍后再试')))
      .finally(() => setBusy(false))
  }

  return (
    <Section title="这次答复您满意吗">
      <View className="chips" id="rate" role="radiogroup">
        {RATING_CHOICES.map((choice) => (
          <Chip
            key={choice.score}
            id={`rate-${choice.score}`}
            on={score === choice.score}
            label={choice.label}
            onTap={() => {
              setScore(choice.score)
              setErrors({})
            }}
          />
        ))}
      </View>
      <FieldErrors id="rate" errors={errors.score} />
      {score !== null && isPoorRating(score) && (
        <View className="muted" id="rate-poor-note">
          不满意的评价会转给上级主管复核，并再次答复您。
        </View>
      )}
      <Field
        id="rate-comment"
        label="想说的话（选填，200 字以内）"
        value={comment}
        maxlength={200}
        onChange={setComment}
        errors={errors.comment}
      />
      {failure && <Notice tone="error">{failure}</Notice>}
      <Button id="rate-submit" className="button" disabled={busy || undefined} onClick={send}>
        提交评价
      </Button>
    </Section>
  )
}

function Thread({ id, fresh }: { id: string; fresh: boolean }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [flash, setFlash] = useState<string | null>(
    fresh ? '您的问题已提交，工作人员答复后会显示在这里，也可以在“我的 → 我的咨询”里查看。' : null,
  )
  const marking = useRef(false)

  const reload = useCallback(async () => {
    try {
      await ensureSession()
      let view = await api.get<ConsultationView>(`/api/v1/consultations/${encodeURIComponent(id)}`)
      setLoad({ state: 'ready', view })
      // Opening the thread reads the new answer: the marker and the tab badge go away.
      if (view.unread && !marking.current) {
        marking.current = true
        view = await api
          .post<ConsultationView>(`/api/v1/consultations/${encodeURIComponent(id)}/read`, undefined)
          .finally(() => {
            marking.current = false
          })
        setLoad({ state: 'ready', view })
        refreshUnreadBadge()
      }
    } catch (error) {
      setLoad((current) =>
        current.state === 'ready' ? current : { state: 'error', message: errorText(error, '加载失败') },
      )
    }
  }, [id])

  useEffect(() => {
    reload()
  }, [reload])

  if (load.state === 'loading') return <Notice>正在加载…</Notice>
  if (load.state === 'error') {
    return (
      <Notice tone="error">
        <View id="thread-error">{load.message}</View>
        <Button className="button" onClick={reload}>
          重新加载
        </Button>
      </Notice>
    )
  }
  const { view } = load
  const waiting = waitingNote(view)
  const update = (next: ConsultationView, note: string) => {
    setLoad({ state: 'ready', view: next })
    setFlash(note)
  }

  return (
    <View id="thread" data-status={view.status} data-version={view.version}>
      <Section title={`${topicLabel(view.topic)} · ${view.station.name}`}>
        <View className="consult-row__head">
          <Text id="thread-status" className={`consult-status consult-status--${view.status}`}>
            {statusLabel(view.status)}
          </Text>
          <Text className="muted">提问于 {chinaTime(view.createdAt)}</Text>
        </View>
        {waiting && (
          <View className="muted" id="thread-waiting">
            {waiting}
          </View>
        )}
        {view.contact === 'phone' && view.mobile && (
          <View className="muted">您选择了电话答复：{view.mobile}</View>
        )}
      </Section>
      {flash && (
        <View className="notice" id="thread-flash" role="status">
          {flash}
        </View>
      )}
      <Section title="往来记录">
        <Messages view={view} />
      </Section>
      {view.rating && (
        <View className="notice" id="thread-rating" data-score={view.rating.score}>
          您的评价：{view.rating.label}
          {view.rating.comment ? `（${view.rating.comment}）` : ''}
        </View>
      )}
      {canRate(view) && (
        <Rating
          view={view}
          onRated={(next) =>
            update(
              next,
              next.rating && isPoorRating(next.rating.score)
                ? '感谢您的评价，已转给上级主管复核，会再次答复您。'
                : '感谢您的评价！',
            )
          }
        />
      )}
      {canFollowUp(view) ? (
        <FollowUp view={view} onSent={(next) => update(next, '追问已发送，工作人员答复后会显示在这里。')} />
      ) : (
        <View className="muted" id="thread-closed">
          这条咨询已办结。还有其他问题，请发起新的咨询。
        </View>
      )}
    </View>
  )
}

export default function ThreadPage() {
  const { params } = useRouter()
  const id = params.id?.trim()
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        咨询详情
      </View>
      {id ? (
        <Thread id={id} fresh={params.new === '1'} />
      ) : (
        <Notice tone="error">
          <View>缺少咨询编号，请从“我的咨询”打开。</View>
          <Button className="button" onClick={() => Taro.redirectTo({ url: MY_CONSULTS_URL })}>
            去我的咨询
          </Button>
        </Notice>
      )}
    </Page>
  )
}
