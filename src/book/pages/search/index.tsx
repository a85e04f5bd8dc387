import { Button, Input, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { Notice, Page } from '../../../components/page'
import { ApiError, api } from '../../../services'
import { type EntryFilter, offlineNote, readCopy, sourceLine } from '../../../services/pocketbook'
import { taroStorage } from '../../../services/use-pocketbook'
import { POLICY_CATEGORIES, type PolicyCategory, TARGET_GROUPS } from '../../../shared/catalog'
import type { PolicySummary } from '../../../shared/schemas/policy'
import { searchCopy } from '../../offline-search'
import { regionName } from '../../places'
import { entryUrl } from '../../urls'
import '../../book.css'

type Item = Pick<PolicySummary, 'id' | 'title' | 'summary' | 'source'>

type Results =
  | { state: 'idle' }
  | { state: 'searching' }
  | { state: 'done'; items: Item[]; offline: string | null }
  | { state: 'failed'; message: string }

/** Router parameters arrive encoded on some targets and decoded on others. */
function param(value: string | undefined): string {
  if (!value) return ''
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

function filterText(filter: EntryFilter): string {
  return [
    filter.category ? POLICY_CATEGORIES[filter.category as PolicyCategory]?.name : '',
    filter.group ? TARGET_GROUPS[filter.group as keyof typeof TARGET_GROUPS] : '',
    filter.region ? `${regionName(filter.region)}及全国` : '',
  ]
    .filter(Boolean)
    .join(' · ')
}

/**
 * 搜索政策, `?q=` (and the tab's filters). The API searches the published pocket-book; without a
 * network, the copy on the device is searched with the same index and scoring.
 */
export default function SearchPage() {
  const { params } = useRouter()
  const [query, setQuery] = useState(() => param(params.q))
  const [filter, setFilter] = useState<EntryFilter>(() => ({
    category: param(params.category) || undefined,
    group: param(params.group) || undefined,
    region: param(params.region) || undefined,
  }))
  const [results, setResults] = useState<Results>({ state: 'idle' })

  const run = useCallback((q: string, current: EntryFilter) => {
    const text = q.trim()
    if (!text) {
      setResults({ state: 'idle' })
      return
    }
    setResults({ state: 'searching' })
    api
      .get<{ etag: string; items: (PolicySummary & { score: number })[] }>('/api/v1/pocketbook/search', {
        query: { q: text, ...current, limit: 20 },
      })
      .then((answer) => setResults({ state: 'done', items: answer.items, offline: null }))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status < 500) {
          setResults({ state: 'failed', message: error.message })
          return
        }
        const copy = readCopy(taroStorage)
        if (!copy) {
          setResults({ state: 'failed', message: '暂时连不上网络，手机上也还没有保存口袋书，请联网后再搜。' })
          return
        }
        const items = searchCopy(copy, text, current).map((hit) => hit.entry)
        setResults({ state: 'done', items, offline: offlineNote(copy) })
      })
  }, [])

  // On arrival and when a filter is cleared; a query typed here is searched on 搜索, not per keystroke.
  useEffect(() => run(query, filter), [run, filter])

  const described = filterText(filter)

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        搜索政策
      </View>
      <View className="book-search">
        <Input
          id="search-input"
          className="field"
          value={query}
          confirmType="search"
          placeholder="如：返乡创业补贴、大学生贷款"
          aria-label="搜索政策"
          onInput={(e) => setQuery(e.detail.value)}
          onConfirm={() => run(query, filter)}
        />
        <Button id="search-submit" className="button" onClick={() => run(query, filter)}>
          搜索
        </Button>
      </View>
      {described && (
        <View className="row" id="search-filter">
          <View className="muted">只看：{described}</View>
          <Button id="search-clear-filter" className="button button--plain" onClick={() => setFilter({})}>
            看全部
          </Button>
        </View>
      )}
      {results.state === 'searching' && <Notice>正在搜索…</Notice>}
      {results.state === 'failed' && <Notice tone="error">{results.message}</Notice>}
      {results.state === 'done' && (
        <View id="search-results" data-count={results.items.length}>
          {results.offline && (
            <View id="search-offline" className="notice notice--offline" role="status">
              {results.offline}：在手机上保存的口袋书里搜索
            </View>
          )}
          {results.items.length === 0 && (
            <Notice>没有找到相关政策。换个说法试试，比如“补贴”“贷款”“场地”。</Notice>
          )}
          {results.items.map((item) => (
            <View
              key={item.id}
              className="card"
              data-policy={item.id}
              role="link"
              onClick={() => Taro.navigateTo({ url: entryUrl(item.id) })}
            >
              <View className="card__title">{item.title}</View>
              <View>{item.summary}</View>
              <View className="card__meta">出处：{sourceLine(item.source)}</View>
            </View>
          ))}
        </View>
      )}
    </Page>
  )
}
