import { Button, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { Notice, Page, Section } from '../../components/page'
import { api } from '../../services'
import { TARGET } from '../../services/config'
import { chooseStation, currentStation } from '../../services/station'
import { STATION_KINDS, STATION_SERVICES } from '../../shared/catalog'
import { stationCodeFromLaunch } from '../../shared/entry'
import type { StationList, StationSummary } from '../../shared/schemas/station'

type Load =
  | { state: 'loading' }
  | { state: 'ready'; stations: StationSummary[] }
  | { state: 'error'; message: string }

function StationCard({ station }: { station: StationSummary }) {
  return (
    <View className="card" data-station={station.code}>
      <View className="card__title">{station.name}</View>
      <View className="card__meta">
        {station.districtName} · {station.address}
      </View>
      <View className="card__meta">开放时间：{station.hours}</View>
      <View>
        {station.services.map((service) => (
          <Text key={service} className="tag">
            {STATION_SERVICES[service]}
          </Text>
        ))}
      </View>
    </View>
  )
}

/** The station from this page's parameters, or from how the mini-program was launched. */
function arrivedFrom(params: Record<string, string | undefined>): string | null {
  const fromPage = stationCodeFromLaunch(params)
  if (fromPage) return fromPage
  if (TARGET === 'h5') return null
  try {
    return stationCodeFromLaunch(Taro.getLaunchOptionsSync().query as Record<string, string>)
  } catch {
    return null
  }
}

export default function Home() {
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const { params } = useRouter()
  const [stationCode, setStationCode] = useState<string | null>(() => {
    const arrived = arrivedFrom(params)
    if (arrived) chooseStation(arrived)
    return arrived ?? currentStation()
  })

  useEffect(() => {
    const arrived = stationCodeFromLaunch(params)
    if (arrived) {
      chooseStation(arrived)
      setStationCode(arrived)
    }
    if (params.next === 'policies') Taro.switchTab({ url: '/pages/policies/index' })
  }, [params])

  const [near, setNear] = useState<string | undefined>(undefined)
  const [locating, setLocating] = useState<string | null>(null)

  const fetchStations = useCallback(() => {
    setLoad({ state: 'loading' })
    api
      .get<StationList>('/api/v1/stations', { query: { near } })
      .then((list) => setLoad({ state: 'ready', stations: list.items }))
      .catch((error: unknown) =>
        setLoad({ state: 'error', message: error instanceof Error ? error.message : '加载失败' }),
      )
  }, [near])

  useEffect(fetchStations, [fetchStations])

  /** Asked only when the resident taps: no location prompt on arrival. */
  const sortByDistance = () => {
    setLocating('正在获取位置…')
    Taro.getLocation({ type: 'gcj02' })
      .then(({ latitude, longitude }) => {
        setNear(`${latitude.toFixed(5)},${longitude.toFixed(5)}`)
        setLocating(null)
      })
      .catch(() => setLocating('没有获取到位置，仍按地区显示'))
  }

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        家门口创业服务
      </View>
      <View className="muted">
        在社区就享家服务站、银行助创驿站，就近咨询创业政策、办理创业担保贷款受理。
      </View>
      <Button id="sort-nearest" className="card" onClick={sortByDistance}>
        {near ? '已按离我最近排序' : '按离我最近排序'}
      </Button>
      {locating && <View className="muted">{locating}</View>}
      {load.state === 'loading' && <Notice>正在加载服务点…</Notice>}
      {load.state === 'error' && (
        <Notice tone="error">
          <View>{load.message}</View>
          <Button className="button" onClick={fetchStations}>
            重新加载
          </Button>
        </Notice>
      )}
      {load.state === 'ready' &&
        (() => {
          const chosen = load.stations.find((station) => station.code === stationCode)
          return chosen ? (
            <View className="chosen" id="chosen-station">
              <Section title="您所在的服务点">
                <StationCard station={chosen} />
                <View className="muted">接下来的咨询、创贷受理都会交给这个服务点办理。</View>
              </Section>
            </View>
          ) : null
        })()}
      {load.state === 'ready' &&
        (Object.keys(STATION_KINDS) as (keyof typeof STATION_KINDS)[]).map((kind) => {
          const stations = load.stations.filter((station) => station.kind === kind)
          if (stations.length === 0) return null
          return (
            <Section key={kind} title={STATION_KINDS[kind]}>
              {stations.map((station) => (
                <StationCard key={station.code} station={station} />
              ))}
            </Section>
          )
        })}
    </Page>
  )
}
