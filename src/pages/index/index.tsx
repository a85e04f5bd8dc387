import { Button, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Notice, Page, Section } from '../../components/page'
import { askUrl, bookUrl } from '../../consult/urls'
import { formUrl } from '../../intake/urls'
import { api } from '../../services'
import { TARGET } from '../../services/config'
import { chooseStation, currentStation } from '../../services/station'
import { STATION_KINDS, STATION_SERVICES } from '../../shared/catalog'
import { type Arrival, arrivalFromLaunch } from '../../shared/entry'
import type { CodeResolution, StationList, StationSummary } from '../../shared/schemas/station'

type Load =
  | { state: 'loading' }
  | { state: 'ready'; stations: StationSummary[] }
  | { state: 'error'; message: string }

function StationCard({ station, onChoose }: { station: StationSummary; onChoose?: (code: string) => void }) {
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
      {onChoose && (
        <Button
          className="button button--plain"
          data-choose={station.code}
          onClick={() => onChoose(station.code)}
        >
          选这个服务点
        </Button>
      )}
    </View>
  )
}

/** How this page was reached: its own parameters, or how the mini-program was launched. */
function arrivedFrom(params: Record<string, string | undefined>): Arrival | null {
  const fromPage = arrivalFromLaunch(params)
  if (fromPage) return fromPage
  if (TARGET === 'h5') return null
  try {
    return arrivalFromLaunch(Taro.getLaunchOptionsSync().query as Record<string, string>)
  } catch {
    return null
  }
}

/** Stations grouped by district, districts in code order (the list is already in code order). */
function byDistrict(stations: StationSummary[]): [string, StationSummary[]][] {
  const groups = new Map<string, StationSummary[]>()
  for (const station of stations) {
    const group = groups.get(station.districtName) ?? []
    group.push(station)
    groups.set(station.districtName, group)
  }
  return [...groups]
}

export default function Home() {
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const { params } = useRouter()
  const [stationCode, setStationCode] = useState<string | null>(() => currentStation())
  const [arrivalNote, setArrivalNote] = useState<string | null>(null)
  /**
   * A QR landing's “办理创业担保贷款受理” (`next=intake`) opens the loan form, its “咨询创业政策”
   * (`next=consult`) the question form — once, for the resolved station.
   */
  const forwarded = useRef(false)

  /**
   * A scanned code is a poster code, which may have been replaced since it was printed: ask the
   * server which station it belongs to (this also counts the scan), then bind that station.
   */
  useEffect(() => {
    const arrival = arrivedFrom(params)
    if (arrival) {
      api
        .post<CodeResolution>(`/api/v1/poster-codes/${encodeURIComponent(arrival.code)}`, {
          via: arrival.via,
        })
        .then((resolution) => {
          chooseStation(resolution.station.code)
          setStationCode(resolution.station.code)
          setArrivalNote(
            resolution.status === 'revoked' ? '您扫描的海报已经换新，服务点仍在为您服务。' : null,
          )
          const next = params.next === 'intake' ? formUrl : params.next === 'consult' ? askUrl : null
          if (next && !forwarded.current) {
            forwarded.current = true
            Taro.navigateTo({ url: next(resolution.station.code) })
          }
        })
        .catch(() => setArrivalNote('没有找到二维码上的服务点，请在下面选择。'))
    }
    if (params.next === 'policies') Taro.switchTab({ url: '/pages/policies/index' })
  }, [params])

  const choose = (code: string) => {
    chooseStation(code)
    setStationCode(code)
    setArrivalNote(null)
    Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined)
  }

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
                {arrivalNote && <Notice>{arrivalNote}</Notice>}
                <StationCard station={chosen} />
                <View className="muted">接下来的咨询、创贷受理都会交给这个服务点办理。</View>
                {chosen.services.includes('intake') && (
                  <Button
                    id="start-intake"
                    className="button"
                    onClick={() => Taro.navigateTo({ url: formUrl(chosen.code) })}
                  >
                    办理创业担保贷款
                  </Button>
                )}
                {chosen.services.includes('consult') && (
                  <Button
                    id="start-consult"
                    className="button button--plain"
                    onClick={() => Taro.navigateTo({ url: askUrl(chosen.code) })}
                  >
                    咨询政策
                  </Button>
                )}
                {chosen.services.includes('appointment') && (
                  <Button
                    id="start-booking"
                    className="button button--plain"
                    onClick={() => Taro.navigateTo({ url: bookUrl(chosen.code) })}
                  >
                    预约办理
                  </Button>
                )}
              </Section>
            </View>
          ) : arrivalNote ? (
            <Notice tone="error">{arrivalNote}</Notice>
          ) : null
        })()}
      {load.state === 'ready' &&
        (near ? (
          <Section title="离我最近">
            {load.stations.map((station) => (
              <StationCard key={station.code} station={station} onChoose={choose} />
            ))}
          </Section>
        ) : (
          byDistrict(load.stations).map(([district, stations]) => (
            <Section key={district} title={district}>
              {stations.map((station) => (
                <View key={station.code}>
                  <View className="muted">{STATION_KINDS[station.kind]}</View>
                  <StationCard station={station} onChoose={choose} />
                </View>
              ))}
            </Section>
          ))
        ))}
    </Page>
  )
}
