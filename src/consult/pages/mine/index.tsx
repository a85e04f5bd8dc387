import { Button, Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { Notice, Page } from '../../../components/page'
import { api } from '../../../services'
import { currentStation } from '../../../services/station'
import { refreshUnreadBadge } from '../../../services/unread'
import type { ConsultationView } from '../../../shared/schemas/consult'
import { ensureSession } from '../../platform'
import { chinaTime, excerpt, questionOf, statusLabel, topicLabel } from '../../thread'
import { askUrl, threadUrl } from '../../urls'
import '../../consult.css'

type Load =
  | { state: 'loading' }
  | { state: 'ready'; items: ConsultationView[]; unread: number }
  | { state: 'error'; message: string }

function ConsultRow({ item }: { item: ConsultationView }) {
  return (
    <View
      className="card"
      id={`consult-${item.id}`}
      data-status={item.status}
      data-unread={item.unread ? 'yes' : 'no'}
      role="link"
      onClick={() => Taro.navigateTo({ url: threadUrl(item.id) })}
    >
      <View className="consult-row__head">
        <Text className="card__title">{topicLabel(item.topic)}</Text>
        <Text className={`consult-status consult-status--${item.status}`}>{statusLabel(item.status)}</Text>
      </View>
      {item.unread && (
        <View className="unread-dot" id={`consult-${item.id}-unread`}>
          有新答复
        </View>
      )}
      <View>{excerpt(questionOf(item))}</View>
      <View className="card__meta">
        {item.station.name} · {chinaTime(item.createdAt)}
      </View>
    </View>
  )
}

/** 我的咨询: the questions asked from this account (this WeChat / Alipay account, or this browser). */
export default function MyConsultsPage() {
  const [load, setLoad] = useState<Load>({ state: 'loading' })

  const refresh = useCallback(async () => {
    try {
      await ensureSession()
      const list = await api.get<{ items: ConsultationView[]; unread: number }>('/api/v1/consultations/mine')
      setLoad({ state: 'ready', items: list.items, unread: list.unread })
      refreshUnreadBadge()
    } catch (error) {
      setLoad({ state: 'error', message: error instanceof Error ? error.message : '加载失败，请稍后再试' })
    }
  }, [])

  useDidShow(() => {
    refresh()
  })
  usePullDownRefresh(() => {
    refresh().finally(() => Taro.stopPullDownRefresh())
  })

  const station = currentStation()

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        我的咨询
      </View>
      {load.state === 'loading' && <Notice>正在加载…</Notice>}
      {load.state === 'error' && (
        <Notice tone="error">
          <View id="consults-error">{load.message}</View>
          <Button className="button" onClick={refresh}>
            重新加载
          </Button>
        </Notice>
      )}
      {load.state === 'ready' && load.unread > 0 && (
        <View className="muted" id="consults-unread" role="status">
          有 {load.unread} 条咨询收到了新答复。
        </View>
      )}
      {load.state === 'ready' && load.items.length === 0 && (
        <Notice>
          <View id="consults-empty">您还没有咨询过。</View>
        </Notice>
      )}
      {load.state === 'ready' && load.items.length > 0 && (
        <View id="consults-list" className="section">
          {load.items.map((item) => (
            <ConsultRow key={item.id} item={item} />
          ))}
        </View>
      )}
      {station && (
        <Button
          id="consults-ask"
          className="button"
          onClick={() => Taro.navigateTo({ url: askUrl(station) })}
        >
          我要咨询
        </Button>
      )}
    </Page>
  )
}
