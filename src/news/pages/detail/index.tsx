import { Button, View } from '@tarojs/components'
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { Notice, Page, Section } from '../../../components/page'
import { PolicyLinks } from '../../../components/policy-links'
import { ApiError, api } from '../../../services'
import { categoryName, newsUrl } from '../../../services/feed'
import { silentLogin } from '../../../services/login'
import { chinaTime } from '../../../services/pocketbook'
import type { AnnouncementView } from '../../../shared/schemas/announce'
import { MarkupView } from '../../markup-view'
import { ShareButton } from '../../share-button'
import '../../news.css'

type Loaded =
  | { state: 'loading' }
  | { state: 'ready'; item: AnnouncementView }
  | { state: 'failed'; message: string }

/**
 * 已读: the resident's feed stops showing the dot. Staff reading it are refused (the feed is the
 * residents'), and a failure only leaves the dot: neither is worth telling anyone.
 */
async function markRead(id: string): Promise<void> {
  try {
    if (!api.tokens.get()) await silentLogin()
    await api.post(`/api/v1/announcements/${encodeURIComponent(id)}/read`, undefined)
  } catch {
    // See above.
  }
}

/** One announcement, `?id=`: what a feed item, a WeChat notice and a shared card open. */
export default function NewsDetail() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' })

  useEffect(() => {
    if (!id) {
      setLoaded({ state: 'failed', message: '没有指明要看哪条消息' })
      return
    }
    setLoaded({ state: 'loading' })
    api
      .get<AnnouncementView>(`/api/v1/announcements/${encodeURIComponent(id)}`)
      .then((item) => {
        setLoaded({ state: 'ready', item })
        markRead(item.id)
      })
      .catch((error: unknown) =>
        setLoaded({
          state: 'failed',
          message:
            error instanceof ApiError && error.status === 404
              ? '这条消息已撤回或不存在。'
              : '暂时连不上网络，请稍后再看。',
        }),
      )
  }, [id])

  // WeChat “转发”: the title, opening this page.
  useShareAppMessage(() => ({
    title: loaded.state === 'ready' ? loaded.item.title : '家门口创业服务 · 政策推送',
    path: newsUrl(id),
  }))

  if (loaded.state !== 'ready') {
    return (
      <Page>
        {loaded.state === 'loading' ? (
          <Notice>正在加载…</Notice>
        ) : (
          <Notice tone="error">
            <View id="news-error">{loaded.message}</View>
            <Button className="button" onClick={() => Taro.switchTab({ url: '/pages/feed/index' })}>
              回到消息
            </Button>
          </Notice>
        )}
      </Page>
    )
  }

  const { item } = loaded
  return (
    <Page>
      <View id="news-title" className="title" role="heading" aria-level={1}>
        {item.title}
      </View>
      <View id="news-meta" className="muted">
        {categoryName(item.category)} · 发布于 {chinaTime(item.publishAt)}
      </View>
      {item.corrections.length > 0 && (
        <Section title="更正说明">
          <View id="news-corrections">
            {item.corrections.map((correction, index) => (
              <View key={index} className="news-correction">
                <View>{correction.note}</View>
                <View className="muted">{chinaTime(correction.at)}</View>
              </View>
            ))}
          </View>
        </Section>
      )}
      <Section title="正文">
        <MarkupView id="news-body" source={item.body} />
      </Section>
      {item.links.length > 0 && (
        <Section title="相关政策">
          <View className="news-links">
            <PolicyLinks ids={item.links} idPrefix="news-policy" />
          </View>
        </Section>
      )}
      <ShareButton />
    </Page>
  )
}
