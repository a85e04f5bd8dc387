import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { policyEntryUrl } from '../consult/urls'
import { api } from '../services'

/**
 * The titles of pocket-book entries attached to an answer (`GET /api/v1/policies/{id}`, public
 * and cached). Until a title arrives, or when an entry was archived, the link says so plainly.
 */
function usePolicyTitles(ids: readonly string[]): Record<string, string> {
  const [titles, setTitles] = useState<Record<string, string>>({})
  const key = [...new Set(ids)].sort().join(',')
  useEffect(() => {
    if (!key) return
    for (const id of key.split(',')) {
      api
        .get<{ title: string }>(`/api/v1/policies/${encodeURIComponent(id)}`)
        .then((entry) => setTitles((current) => ({ ...current, [id]: entry.title })))
        .catch(() => {})
    }
  }, [key])
  return titles
}

/** Links to the entries an answer points to; each opens the entry page of the pocket-book. */
export function PolicyLinks({ ids, idPrefix }: { ids: readonly string[]; idPrefix: string }) {
  const titles = usePolicyTitles(ids)
  if (ids.length === 0) return null
  return (
    <View className="consult-links">
      {ids.map((id) => (
        <View
          key={id}
          id={`${idPrefix}-${id}`}
          className="policy-link"
          role="link"
          onClick={() => Taro.navigateTo({ url: policyEntryUrl(id) })}
        >
          查看政策：{titles[id] ?? '口袋书条目'}
        </View>
      ))}
    </View>
  )
}
