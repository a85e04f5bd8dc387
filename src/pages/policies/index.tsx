import { Button, Input, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useRef, useState } from 'react'
import { entryUrl, MATCHER_URL, searchUrl } from '../../book/urls'
import { Chip } from '../../components/chip'
import { Notice, Page, Section } from '../../components/page'
import { filterEntries, offlineNote, sourceLine } from '../../services/pocketbook'
import { currentStation } from '../../services/station'
import { usePocketbook, useStationPlace } from '../../services/use-pocketbook'
import { POLICY_CATEGORIES, type PolicyCategory, TARGET_GROUPS } from '../../shared/catalog'
import './index.css'

const CATEGORY_KEYS = Object.keys(POLICY_CATEGORIES) as PolicyCategory[]
/** “以上都不是” is an answer in a form, not a filter. */
const GROUP_KEYS = (Object.keys(TARGET_GROUPS) as (keyof typeof TARGET_GROUPS)[]).filter(
  (key) => key !== 'other',
)

/**
 * 口袋书: the published pocket-book, kept on the device (it paints at once and works offline),
 * filtered by category, target group and the resident's region, with search and the 政策计算器.
 * Only plain modules here: the entry, search and matcher pages live in the `book` subpackage.
 */
export default function Policies() {
  const book = usePocketbook()
  const [station, setStation] = useState<string | null>(currentStation)
  const place = useStationPlace(station)
  const [category, setCategory] = useState<PolicyCategory | ''>('')
  const [group, setGroup] = useState('')
  const [localOnly, setLocalOnly] = useState(true)
  const [query, setQuery] = useState('')

  // A tab page stays mounted: each later visit asks again (the first is the hook's own load).
  const shown = useRef(false)
  useDidShow(() => {
    if (!shown.current) {
      shown.current = true
      return
    }
    setStation(currentStation())
    book.refresh()
  })

  const region = localOnly && place ? place.regionCode : undefined
  const entries = filterEntries(book.copy?.entries ?? [], { category, group, region })

  const search = () => {
    const q = query.trim()
    if (q) Taro.navigateTo({ url: searchUrl(q, { category, group, region }) })
  }

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        创业政策口袋书
      </View>
      <View className="muted">创业扶持政策一本通，每一条都注明出处。</View>
      <View className="book-search">
        <Input
          id="policy-search"
          className="field book-search__input"
          value={query}
          confirmType="search"
          placeholder="搜政策，如：返乡创业补贴"
          aria-label="搜索政策"
          onInput={(e) => setQuery(e.detail.value)}
          onConfirm={search}
        />
        <Button id="policy-search-submit" className="button book-search__button" onClick={search}>
          搜索
        </Button>
      </View>
      <Button id="open-matcher" className="button" onClick={() => Taro.navigateTo({ url: MATCHER_URL })}>
        政策计算器：看看我能享受哪些政策
      </Button>

      <Section title="筛选">
        <View className="muted">政策类别</View>
        <View className="chips" id="filter-category">
          <Chip id="category-all" on={category === ''} label="全部" onTap={() => setCategory('')} />
          {CATEGORY_KEYS.map((key) => (
            <Chip
              key={key}
              id={`category-${key}`}
              on={category === key}
              label={POLICY_CATEGORIES[key].name}
              onTap={() => setCategory(category === key ? '' : key)}
            />
          ))}
        </View>
        <View className="muted">适用人群</View>
        <View className="chips" id="filter-group">
          <Chip id="group-all" on={group === ''} label="全部人群" onTap={() => setGroup('')} />
          {GROUP_KEYS.map((key) => (
            <Chip
              key={key}
              id={`group-${key}`}
              on={group === key}
              label={TARGET_GROUPS[key]}
              onTap={() => setGroup(group === key ? '' : key)}
            />
          ))}
        </View>
        <View className="muted">地区</View>
        {place ? (
          <View className="chips" id="filter-region">
            <Chip
              id="region-local"
              on={localOnly}
              label={`${place.districtName}（含全国政策）`}
              onTap={() => setLocalOnly(true)}
            />
            <Chip id="region-all" on={!localOnly} label="全部地区" onTap={() => setLocalOnly(false)} />
          </View>
        ) : (
          <View className="muted" id="filter-region">
            全部地区。在首页选择服务点后，可以只看本地政策。
          </View>
        )}
      </Section>

      {book.state === 'offline' && book.copy && (
        <View id="pocketbook-offline" className="notice notice--offline" role="status">
          {offlineNote(book.copy)}
        </View>
      )}
      {!book.copy && book.state === 'loading' && <Notice>正在加载口袋书…</Notice>}
      {!book.copy && book.state === 'offline' && (
        <Notice tone="error">
          <View>暂时连不上网络，口袋书还没有下载到手机上。请联网后重新加载。</View>
          <Button id="pocketbook-reload" className="button" onClick={book.refresh}>
            重新加载
          </Button>
        </Notice>
      )}
      {book.copy && (
        <Section title={`政策（${entries.length} 条）`}>
          <View id="policy-list">
            {entries.length === 0 && <Notice>没有符合筛选条件的政策，请换个类别或人群看看。</Notice>}
            {entries.map((entry) => (
              <View
                key={entry.id}
                id={`policy-${entry.id}`}
                className="card book-entry"
                data-policy={entry.id}
                role="link"
                onClick={() => Taro.navigateTo({ url: entryUrl(entry.id) })}
              >
                <View className="card__title">{entry.title}</View>
                <View className="book-entry__summary">{entry.summary}</View>
                <View className="card__meta">出处：{sourceLine(entry.source)}</View>
              </View>
            ))}
          </View>
        </Section>
      )}
    </Page>
  )
}
