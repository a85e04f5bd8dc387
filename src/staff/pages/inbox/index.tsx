import { Button, Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Notice, Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { api } from '../../../services'
import type { Me } from '../../../shared/schemas/auth'
import type { ConsultationView } from '../../../shared/schemas/consult'
import {
  CONSULT_CHANGED_EVENT,
  type ConsultStatus,
  consultStatusLabel,
  consultUrl,
  dueOf,
  filterLabel,
  INBOX_FILTERS,
  questionExcerpt,
  topicName,
} from '../../consult-view'
import { Chip } from '../../intake-ui'
import { formatTime } from '../../intake-view'
import '../../consult.css'

type Load =
  | { state: 'loading' }
  | { state: 'ready'; items: ConsultationView[] }
  | { state: 'error'; message: string }

function InboxRow({ item }: { item: ConsultationView }) {
  const due = dueOf(item)
  return (
    <View className="card queue-item" id={`inbox-${item.id}`} data-status={item.status}>
      <View className="queue-item__head">
        <Text className="card__title">{topicName(item.topic)}</Text>
        <Text className={`status status--consult-${item.status}`} data-status={item.status}>
          {consultStatusLabel(item.status)}
        </Text>
      </View>
      <View>{questionExcerpt(item)}</View>
      <View className="card__meta">
        提问于 {formatTime(item.createdAt)} · {item.messages.length} 条往来
        {item.contact === 'phone' ? ' · 要求电话答复' : ''}
        {item.rating ? ` · 评价：${item.rating.label}` : ''}
      </View>
      {due && (
        <Text className={`sla sla--${due.tone}`} data-due={due.tone}>
          {due.text}
        </Text>
      )}
      {item.dueAt && <View className="card__meta">答复期限 {formatTime(item.dueAt)}</View>}
      <Button
        className="button button--plain"
        id={`open-consult-${item.id}`}
        onClick={() => Taro.navigateTo({ url: consultUrl(item.id) })}
      >
        查看并答复
      </Button>
    </View>
  )
}

function Inbox({ me }: { me: Me }) {
  const [filter, setFilter] = useState<ConsultStatus | 'all'>('all')
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  // Answers to an older filter choice may arrive late; only the latest may land.
  const latest = useRef(0)

  const reload = useCallback(() => {
    const ticket = ++latest.current
    setLoad((current) => (current.state === 'ready' ? current : { state: 'loading' }))
    return api
      .get<{ items: ConsultationView[] }>('/api/v1/inbox', {
        query: { status: filter === 'all' ? undefined : filter },
      })
      .then((list) => {
        if (ticket === latest.current) setLoad({ state: 'ready', items: list.items })
      })
      .catch((error: unknown) => {
        if (ticket !== latest.current) return
        setLoad({ state: 'error', message: error instanceof Error ? error.message : '收件箱加载失败' })
      })
  }, [filter])

  useEffect(() => {
    reload()
  }, [reload])

  // A reply or a transfer on the thread page: the row has moved or changed.
  useEffect(() => {
    const listener = () => {
      reload()
    }
    Taro.eventCenter.on(CONSULT_CHANGED_EVENT, listener)
    return () => {
      Taro.eventCenter.off(CONSULT_CHANGED_EVENT, listener)
    }
  }, [reload])

  // Back from a thread, or back to the app: new questions may have arrived meanwhile. (This
  // component mounts after RoleGate's check, so the page's first show may come before it.)
  useDidShow(() => {
    reload()
  })

  usePullDownRefresh(() => {
    reload().finally(() => Taro.stopPullDownRefresh())
  })

  const waiting =
    load.state === 'ready'
      ? load.items.filter((item) => item.status === 'open' || item.status === 'reopened').length
      : 0

  return (
    <>
      <View className="muted" id="inbox-station">
        {me.scopeName}
      </View>
      <Section title="筛选">
        <View className="chips" id="inbox-filter">
          {INBOX_FILTERS.map((status) => (
            <Chip
              key={status}
              id={`inbox-status-${status}`}
              on={filter === status}
              onTap={() => {
                setLoad({ state: 'loading' })
                setFilter(status)
              }}
            >
              {filterLabel(status)}
            </Chip>
          ))}
        </View>
      </Section>
      <Section title="咨询">
        {load.state === 'loading' && <Notice>正在加载…</Notice>}
        {load.state === 'error' && (
          <Notice tone="error">
            <View>{load.message}</View>
            <Button className="button" id="inbox-retry" onClick={reload}>
              重试
            </Button>
          </Notice>
        )}
        {load.state === 'ready' && (
          <View id="inbox-list" data-count={load.items.length}>
            {waiting > 0 && (
              <View className="muted" id="inbox-waiting">
                {waiting} 条待答复，期限最近的排在前面。
              </View>
            )}
            {load.items.length === 0 && <Notice>没有符合条件的咨询。</Notice>}
            {load.items.map((item) => (
              <InboxRow key={item.id} item={item} />
            ))}
          </View>
        )}
      </Section>
    </>
  )
}

export default function StaffInbox() {
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        咨询收件箱
      </View>
      <RoleGate roles={['station_staff', 'bank_staff']}>{(me) => <Inbox me={me} />}</RoleGate>
    </Page>
  )
}
