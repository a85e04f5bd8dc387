import { Button, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { Notice, Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { api } from '../../../services'
import { STATION_KINDS } from '../../../shared/catalog'
import type { Me } from '../../../shared/schemas/auth'
import type { StationList, StationSummary } from '../../../shared/schemas/station'
import { STATION_SAVED_EVENT, type StationSaved, stationEditUrl } from '../../station-form'
import './index.css'

type Listing =
  | { state: 'loading' }
  | { state: 'loaded'; items: StationSummary[] }
  | { state: 'failed'; message: string }

function savedMessage({ action, station }: StationSaved): string {
  const verb = action === 'created' ? '已新建' : '已保存'
  const paused = station.status === 'suspended' ? '（暂停服务）' : ''
  return `${verb}：${station.name}（${station.code}）${paused}`
}

function ManagedStations({ me }: { me: Me }) {
  const [listing, setListing] = useState<Listing>({ state: 'loading' })
  const [saved, setSaved] = useState<string | null>(null)

  // Every station the caller manages, suspended ones too (the public list hides those).
  const load = useCallback(() => {
    api
      .get<StationList>('/api/v1/manage/stations')
      .then((list) => setListing({ state: 'loaded', items: list.items }))
      .catch((error: unknown) =>
        setListing({
          state: 'failed',
          message: error instanceof Error ? error.message : '服务点列表加载失败',
        }),
      )
  }, [])

  useEffect(load, [load])
  // Back from the form: show what is stored now.
  useDidShow(load)

  useEffect(() => {
    const onSaved = (event: StationSaved) => setSaved(savedMessage(event))
    Taro.eventCenter.on(STATION_SAVED_EVENT, onSaved)
    return () => {
      Taro.eventCenter.off(STATION_SAVED_EVENT, onSaved)
    }
  }, [])

  const open = (code?: string) => {
    setSaved(null)
    Taro.navigateTo({ url: stationEditUrl(code) })
  }

  return (
    <Section title={`服务点（${me.scopeName}）`}>
      <Button id="new-station" className="button" onClick={() => open()}>
        新建服务点
      </Button>
      {saved && (
        <View id="station-saved" className="notice" role="status">
          {saved}
        </View>
      )}
      {listing.state === 'loading' && <Notice>正在加载服务点…</Notice>}
      {listing.state === 'failed' && <Notice tone="error">{listing.message}</Notice>}
      {listing.state === 'loaded' && listing.items.length === 0 && <Notice>还没有服务点。</Notice>}
      {listing.state === 'loaded' &&
        listing.items.map((station) => (
          <View
            key={station.code}
            id={`managed-${station.code}`}
            className="card managed-station"
            data-status={station.status}
          >
            <View className="card__title">{station.name}</View>
            <View className="card__meta">
              {STATION_KINDS[station.kind]} · {station.code} · {station.districtName}
            </View>
            <View className="managed-station__footer">
              {station.status === 'suspended' ? (
                <View className="tag tag--suspended">暂停服务</View>
              ) : (
                <View className="tag tag--active">正常服务</View>
              )}
              <Button
                id={`edit-${station.code}`}
                className="managed-station__edit"
                aria-label={`编辑 ${station.name}`}
                onClick={() => open(station.code)}
              >
                编辑
              </Button>
            </View>
          </View>
        ))}
    </Section>
  )
}

export default function StationsPage() {
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        管理服务点
      </View>
      <RoleGate roles={['official', 'admin']}>{(me) => <ManagedStations me={me} />}</RoleGate>
    </Page>
  )
}
