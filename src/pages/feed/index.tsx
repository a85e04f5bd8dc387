import { Button, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { Notice, Page } from '../../components/page'
import { ApiError, api } from '../../services'
import { ANNOUNCEMENT_TEMPLATE_ID } from '../../services/config'
import { categoryName, correctionMark, type Feed, feedQuery, markedRead, newsUrl } from '../../services/feed'
import { silentLogin } from '../../services/login'
import { chinaTime } from '../../services/pocketbook'
import { currentStation } from '../../services/station'
import { askToSubscribe, CAN_SUBSCRIBE } from './subscribe'
import './index.css'

type Loaded =
  | { state: 'loading' }
  | { state: 'no-station' }
  | { state: 'ready'; feed: Feed }
  | { state: 'failed'; message: string }

async function loadFeed(station: string | null): Promise<Loaded> {
  const query = feedQuery(station)
  if (!query) return { state: 'no-station' }
  try {
    if (!api.tokens.get()) await silentLogin()
    return { state: 'ready', feed: await api.get<Feed>('/api/v1/feed', { query }) }
  } catch (error) {
    if (error instanceof ApiError && error.status === 403)
      return { state: 'failed', message: '工作人员账号不接收居民消息。请在“我的”退出登录后查看。' }
    return { state: 'failed', message: '暂时连不上网络，请下拉或点“重新加载”再试。' }
  }
}

/** 订阅政策推送 (WeChat, with a template built in): one notice of the next announcement here. */
function Subscribe({ station }: { station: string }) {
  const [note, setNote] = useState<string | null>(null)
  const subscribe = async () => {
    // First thing in the tap: WeChat shows the prompt only in answer to one.
    if (!(await askToSubscribe(ANNOUNCEMENT_TEMPLATE_ID))) {
      setNote('没有订阅。需要时可以再点一次。')
      return
    }
    try {
      const place = await api.get<{ regionCode: string }>(`/api/v1/stations/${encodeURIComponent(station)}`)
      await api.post('/api/v1/subscriptions', {
        templateId: ANNOUNCEMENT_TEMPLATE_ID,
        kind: 'one_time',
        count: 1,
        station,
        region: place.regionCode,
        groups: [],
      })
      setNote('已订阅：下一条与您相关的政策会通过微信通知您一次。')
    } catch {
      setNote('订阅没有成功，请稍后再试。')
    }
  }
  return (
    <View className="section">
      <Button id="feed-subscribe" className="button button--plain" onClick={subscribe}>
        订阅政策推送
      </Button>
      {note && (
        <View id="feed-subscribe-note" className="muted" role="status">
          {note}
        </View>
      )}
    </View>
  )
}

/**
 * 消息: the announcements for the resident's chosen station, its region and the regions above
 * it, newest first, with a dot on the unread ones. The detail page is in the `news` subpackage.
 */
export default function FeedPage() {
  const [station, setStation] = useState<string | null>(currentStation)
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' })

  const reload = useCallback(async () => {
    const code = currentStation()
    setStation(code)
    setLoaded(await loadFeed(code))
  }, [])

  // A tab page stays mounted: every visit asks again (read dots, new announcements, a new station).
  useDidShow(() => {
    reload()
  })
  usePullDownRefresh(() => {
    reload().finally(() => Taro.stopPullDownRefresh())
  })

  const open = (id: string) => {
    setLoaded((current) =>
      current.state === 'ready' ? { state: 'ready', feed: markedRead(current.feed, id) } : current,
    )
    Taro.navigateTo({ url: newsUrl(id) })
  }

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        消息
      </View>
      {CAN_SUBSCRIBE && ANNOUNCEMENT_TEMPLATE_ID && station && <Subscribe station={station} />}
      {loaded.state === 'loading' && <Notice>正在加载消息…</Notice>}
      {loaded.state === 'no-station' && (
        <Notice>
          <View>在首页选择您身边的服务点后，这里会显示当地人社部门发布的创业政策消息。</View>
          <Button className="button" onClick={() => Taro.switchTab({ url: '/pages/index/index' })}>
            去选择服务点
          </Button>
        </Notice>
      )}
      {loaded.state === 'failed' && (
        <Notice tone="error">
          <View id="feed-error">{loaded.message}</View>
          <Button className="button" onClick={reload}>
            重新加载
          </Button>
        </Notice>
      )}
      {loaded.state === 'ready' && loaded.feed.items.length === 0 && (
        <Notice>
          <View id="feed-empty">暂时没有新消息。人社部门发布与您相关的创业政策时，会在这里提醒您。</View>
        </Notice>
      )}
      {loaded.state === 'ready' && loaded.feed.items.length > 0 && (
        <View className="section">
          <View id="feed-unread" className="muted">
            {loaded.feed.unread > 0 ? `${loaded.feed.unread} 条未读` : '全部已读'}
          </View>
          <View id="feed-list">
            {loaded.feed.items.map((item) => {
              const corrected = correctionMark(item.corrections)
              return (
                <View
                  key={item.id}
                  id={`feed-${item.id}`}
                  className="card"
                  data-announcement={item.id}
                  data-read={item.read ? 'yes' : 'no'}
                  role="link"
                  onClick={() => open(item.id)}
                >
                  <View className="card__title feed-item__title">
                    {!item.read && <View className="feed-dot" aria-label="未读" />}
                    <View>{item.title}</View>
                  </View>
                  <View className="card__meta">
                    {categoryName(item.category)} · {chinaTime(item.publishAt)}
                  </View>
                  {corrected && <View className="card__meta feed-corrected">{corrected}</View>}
                </View>
              )
            })}
          </View>
        </View>
      )}
    </Page>
  )
}
