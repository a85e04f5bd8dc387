import { Button, Image, View } from '@tarojs/components'
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { Notice, Page, Section } from '../../../components/page'
import { ApiError, api } from '../../../services'
import { readCopy } from '../../../services/pocketbook'
import { taroStorage } from '../../../services/use-pocketbook'
import type { PolicyEntry } from '../../../shared/schemas/policy'
import { cardUrl } from '../../card'
import { CardActions } from '../../card-actions'
import { EntryView } from '../../entry-view'
import { useStationNames } from '../../platform'
import { entryUrl, MATCHER_URL } from '../../urls'
import '../../book.css'

type Loaded =
  | { state: 'loading' }
  /** `offline`: the server could not be asked; this is the copy on the device. */
  | { state: 'ready'; entry: PolicyEntry; offline: boolean }
  | { state: 'failed'; message: string }

function fromCopy(id: string): Loaded {
  const entry = readCopy(taroStorage)?.entries.find((item) => item.id === id)
  return entry ? { state: 'ready', entry, offline: false } : { state: 'loading' }
}

/** The 一图看 picture, drawn by the server from the published entry. */
function Card({ entry }: { entry: PolicyEntry }) {
  const [failed, setFailed] = useState(false)
  if (failed) return null
  return (
    <Section title="一图看懂">
      <Image
        id="policy-card"
        className="book-card__image"
        src={cardUrl(entry.id)}
        mode="widthFix"
        lazyLoad
        aria-label={`${entry.title}一图看懂`}
        onError={() => setFailed(true)}
      />
      <CardActions id={entry.id} title={entry.title} />
    </Section>
  )
}

/**
 * One pocket-book entry, `?id=`. The copy on the device answers first (so it opens with no
 * signal), then the server's published version replaces it.
 */
export default function EntryPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const [loaded, setLoaded] = useState<Loaded>(() => fromCopy(id))
  const stationNames = useStationNames()

  useEffect(() => {
    setLoaded(fromCopy(id))
    if (!id) {
      setLoaded({ state: 'failed', message: '没有指明要看哪条政策' })
      return
    }
    api
      .get<PolicyEntry>(`/api/v1/policies/${encodeURIComponent(id)}`)
      .then((entry) => setLoaded({ state: 'ready', entry, offline: false }))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) {
          setLoaded({ state: 'failed', message: '这条政策已经下架或不存在，请回到口袋书查看最新内容。' })
          return
        }
        setLoaded((current) =>
          current.state === 'ready'
            ? { ...current, offline: true }
            : { state: 'failed', message: '暂时连不上网络，这条政策还没有保存到手机上，请联网后再看。' },
        )
      })
  }, [id])

  useEffect(() => {
    if (loaded.state === 'ready') Taro.setNavigationBarTitle({ title: loaded.entry.title }).catch(() => {})
  }, [loaded])

  // WeChat “转发”: the entry's title, opening this entry.
  useShareAppMessage(() => ({
    title: loaded.state === 'ready' ? loaded.entry.title : '创业政策口袋书',
    path: entryUrl(id),
  }))

  return (
    <Page>
      {loaded.state === 'loading' && <Notice>正在加载政策…</Notice>}
      {loaded.state === 'failed' && (
        <Notice tone="error">
          <View id="policy-error">{loaded.message}</View>
          <Button className="button" onClick={() => Taro.switchTab({ url: '/pages/policies/index' })}>
            回到口袋书
          </Button>
        </Notice>
      )}
      {loaded.state === 'ready' && (
        <>
          {loaded.offline && (
            <View id="policy-offline" className="muted">
              暂时连不上网络，以下为手机上保存的内容。
            </View>
          )}
          <EntryView content={loaded.entry} stationNames={stationNames} />
          <Card entry={loaded.entry} />
          <Button
            id="entry-open-matcher"
            className="button button--plain"
            onClick={() => Taro.navigateTo({ url: MATCHER_URL })}
          >
            用政策计算器看看我是否符合
          </Button>
        </>
      )}
    </Page>
  )
}
