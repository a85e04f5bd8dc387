import { View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { api } from '../../../services'
import { STATION_KINDS } from '../../../shared/catalog'
import type { Me } from '../../../shared/schemas/auth'
import type { StationList, StationSummary } from '../../../shared/schemas/station'

function RegionStations({ me }: { me: Me }) {
  const [stations, setStations] = useState<StationSummary[]>([])
  const region = me.scope.type === 'region' ? me.scope.code : undefined
  useEffect(() => {
    api
      .get<StationList>('/api/v1/stations', { query: { region } })
      .then((list) => setStations(list.items))
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
      <RoleGate roles={['official', 'admin']}>{(me) => <RegionStations me={me} />}</RoleGate>
    </Page>
  )
}
