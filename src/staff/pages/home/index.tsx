import { View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { api } from '../../../services'
import { STATION_KINDS, STATION_SERVICES } from '../../../shared/catalog'
import type { Me } from '../../../shared/schemas/auth'
import type { StationSummary } from '../../../shared/schemas/station'

function MyStation({ me }: { me: Me }) {
  const [station, setStation] = useState<StationSummary | null>(null)
  const code = me.scope.type === 'station' ? me.scope.code : null
  useEffect(() => {
    if (!code) return
    api
      .get<StationSummary>(`/api/v1/stations/${encodeURIComponent(code)}`)
      .then(setStation)
      .catch(() => setStation(null))
  }, [code])

  return (
    <Section title="我的服务点">
      {station ? (
        <View className="card">
          <View className="card__title">{station.name}</View>
          <View className="card__meta">
            {STATION_KINDS[station.kind]} · {station.code}
          </View>
          <View className="card__meta">{station.address}</View>
          <View className="card__meta">
            {station.services.map((service) => STATION_SERVICES[service]).join('、')}
          </View>
        </View>
      ) : (
        <View className="muted">{me.scopeName}</View>
      )}
    </Section>
  )
}

export default function StaffHome() {
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        工作台
      </View>
      <RoleGate roles={['station_staff', 'bank_staff']}>{(me) => <MyStation me={me} />}</RoleGate>
    </Page>
  )
}
