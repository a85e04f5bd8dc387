import { Button, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { regionsText } from '../../../book/places'
import { Notice, Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { api } from '../../../services'
import { categoryName } from '../../../services/feed'
import type { AnnouncementView } from '../../../shared/schemas/announce'
import type { Me } from '../../../shared/schemas/auth'
import { announceUrl, deliveryLine, statusLine } from '../../announce-form'
import { useDeliveries } from '../../use-deliveries'
import '../announce/index.css'

type Listing =
  | { state: 'loading' }
  | { state: 'loaded'; items: AnnouncementView[] }
  | { state: 'failed'; message: string }

/** “重庆市、渝中助创驿站（CQ0001）”: where an announcement goes. */
function targetText(target: AnnouncementView['target']): string {
  return [regionsText(target.regions), ...target.stations].filter(Boolean).join('、')
}

function ManagedAnnouncements({ me }: { me: Me }) {
  const [listing, setListing] = useState<Listing>({ state: 'loading' })
  const load = useCallback(() => {
    api
      .get<{ items: AnnouncementView[] }>('/api/v1/manage/announcements')
      .then((list) => setListing({ state: 'loaded', items: list.items }))
      .catch((error: unknown) =>
        setListing({ state: 'failed', message: error instanceof Error ? error.message : '推送列表加载失败' }),
      )
  }, [])
  // This mounts after the page's first show (behind RoleGate): load now, and again on the way
  // back from composing or correcting.
  useEffect(load, [load])
  useDidShow(load)
  const items = listing.state === 'loaded' ? listing.items : []
  const deliveries = useDeliveries(items.map((item) => item.id))

  return (
    <Section title={`政策推送（${me.scopeName}）`}>
      <Button
        id="new-announcement"
        className="button"
        onClick={() => Taro.navigateTo({ url: announceUrl() })}
      >
        发布新推送
      </Button>
      {listing.state === 'loading' && <Notice>正在加载…</Notice>}
      {listing.state === 'failed' && <Notice tone="error">{listing.message}</Notice>}
      {listing.state === 'loaded' && items.length === 0 && <Notice>还没有发布过推送。</Notice>}
      <View id="announcement-list">
        {items.map((item) => {
          const stats = deliveries[item.id]
          return (
            <View
              key={item.id}
              id={`announcement-${item.id}`}
              className="card announcement"
              data-status={item.status}
            >
              <View className="card__title">{item.title}</View>
              <View className="card__meta">
                {categoryName(item.category)} · 发往 {targetText(item.target)}
              </View>
              <View className="announcement__footer">
                <View className={`tag tag--${item.status}`}>{statusLine(item)}</View>
                <Button
                  id={`manage-announcement-${item.id}`}
                  className="announcement__edit"
                  aria-label={`更正或撤回 ${item.title}`}
                  onClick={() => Taro.navigateTo({ url: announceUrl(item.id) })}
                >
                  {item.status === 'withdrawn' ? '查看' : '更正 / 撤回'}
                </Button>
              </View>
              {stats && (
                <View
                  className="card__meta"
                  data-deliveries
                  data-pending={stats.pending}
                  data-sent={stats.sent}
                >
                  {deliveryLine(stats)}
                </View>
              )}
            </View>
          )
        })}
      </View>
    </Section>
  )
}

/** 管理台 → 政策推送: what this region sent, its status and how far the WeChat notices got. */
export default function AnnouncementsPage() {
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        政策推送
      </View>
      <RoleGate roles={['official', 'admin']}>{(me) => <ManagedAnnouncements me={me} />}</RoleGate>
    </Page>
  )
}
