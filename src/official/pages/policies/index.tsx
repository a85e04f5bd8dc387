import { Button, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { regionsText } from '../../../book/places'
import { Notice, Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { api } from '../../../services'
import { chinaTime } from '../../../services/pocketbook'
import { POLICY_CATEGORIES, type PolicyCategory } from '../../../shared/catalog'
import type { Me } from '../../../shared/schemas/auth'
import type { PolicyEntry } from '../../../shared/schemas/policy'
import { policyEditUrl, STATUS_LABELS } from '../../policy-form'
import './index.css'

type Listing =
  | { state: 'loading' }
  | { state: 'loaded'; items: PolicyEntry[] }
  | { state: 'failed'; message: string }

function ManagedPolicies({ me }: { me: Me }) {
  const [listing, setListing] = useState<Listing>({ state: 'loading' })

  // Every entry the caller may edit, drafts and archived ones too.
  const load = useCallback(() => {
    api
      .get<{ items: PolicyEntry[] }>('/api/v1/manage/policies')
      .then((list) => setListing({ state: 'loaded', items: list.items }))
      .catch((error: unknown) =>
        setListing({ state: 'failed', message: error instanceof Error ? error.message : '政策列表加载失败' }),
      )
  }, [])
  useEffect(load, [load])
  // Back from the editor: show what is stored now.
  useDidShow(load)

  return (
    <Section title={`口袋书政策（${me.scopeName}）`}>
      <Button id="new-policy" className="button" onClick={() => Taro.navigateTo({ url: policyEditUrl() })}>
        新建政策
      </Button>
      {listing.state === 'loading' && <Notice>正在加载政策…</Notice>}
      {listing.state === 'failed' && <Notice tone="error">{listing.message}</Notice>}
      {listing.state === 'loaded' && listing.items.length === 0 && <Notice>还没有政策。</Notice>}
      {listing.state === 'loaded' &&
        listing.items.map((entry) => (
          <View
            key={entry.id}
            id={`managed-policy-${entry.id}`}
            className="card managed-policy"
            data-status={entry.status}
          >
            <View className="card__title">{entry.title}</View>
            <View className="card__meta">
              {POLICY_CATEGORIES[entry.category as PolicyCategory]?.name ?? entry.category} ·{' '}
              {regionsText(entry.regions)} · 第 {entry.version} 版 · {chinaTime(entry.updatedAt)}
            </View>
            <View className="managed-policy__footer">
              <View className={`tag tag--${entry.status}`}>{STATUS_LABELS[entry.status]}</View>
              <Button
                id={`edit-policy-${entry.id}`}
                className="managed-policy__edit"
                aria-label={`编辑 ${entry.title}`}
                onClick={() => Taro.navigateTo({ url: policyEditUrl(entry.id) })}
              >
                编辑
              </Button>
            </View>
          </View>
        ))}
    </Section>
  )
}

export default function PoliciesPage() {
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        管理政策口袋书
      </View>
      <RoleGate roles={['official', 'admin']}>{(me) => <ManagedPolicies me={me} />}</RoleGate>
    </Page>
  )
}
