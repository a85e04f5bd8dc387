import { Button, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { api } from '../../../services'
import { STATION_KINDS } from '../../../shared/catalog'
import type { Me } from '../../../shared/schemas/auth'
import type { StationList, StationSummary } from '../../../shared/schemas/station'
import { ANNOUNCEMENTS_URL } from '../../announce-form'
import { POLICY_LIST_URL } from '../../policy-form'
import { STATION_LIST_URL } from '../../station-form'

interface ScanStats {
  code: string
  today: number
  week: number
}

function RegionStations({ me }: { me: Me }) {
  const [stations, setStations] = useState<StationSummary[]>([])
  const [scans, setScans] = useState<Record<string, ScanStats>>({})
  const region = me.scope.type === 'region' ? me.scope.code : undefined
  useEffect(() => {
    api
      .get<StationList>('/api/v1/stations', { query: { region } })
      .then((list) => {
        setStations(list.items)
        return Promise.all(
          list.items.map((station) =>
            api
              .get<ScanStats>(`/api/v1/stations/${encodeURIComponent(station.code)}/scans`)
              .catch(() => null),
          ),
        )
      })
      .then((stats) => {
        const byCode: Record<string, ScanStats> = {}
        for (const stat of stats) if (stat) byCode[stat.code] = stat
        setScans(byCode)
      })
      .catch(() => setStations([]))
  }, [region])

  return (
    <Section title={`服务点（${me.scopeName}）`}>
      {stations.map((station) => (
        <View key={station.code} className="card">
          <View className="card__title">{station.name}</View>
          <View className="card__meta">
            {STATION_KINDS[station.kind]} · {station.code} · {station.districtName}
          </View>
          <View className="card__meta">
            扫码：今天 {scans[station.code]?.today ?? '—'} 次 · 近 7 天 {scans[station.code]?.week ?? '—'} 次
          </View>
        </View>
      ))}
    </Section>
  )
}

export default function OfficialHome() {
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        管理台
      </View>
      <RoleGate roles={['official', 'admin']}>
        {(me) => (
          <>
            <Button
              id="manage-stations"
              className="button"
              onClick={() => Taro.navigateTo({ url: STATION_LIST_URL })}
            >
              管理服务点
            </Button>
            <Button
              id="manage-policies"
              className="button"
              onClick={() => Taro.navigateTo({ url: POLICY_LIST_URL })}
            >
              管理政策口袋书
            </Button>
            <Button
              id="manage-announcements"
              className="button"
              onClick={() => Taro.navigateTo({ url: ANNOUNCEMENTS_URL })}
            >
              政策推送
            </Button>
            <RegionStations me={me} />
          </>
        )}
      </RoleGate>
    </Page>
  )
}
