import { Button, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { api } from '../../../services'
import { openProtectedFile } from '../../../services/files'
import { STATION_KINDS, STATION_SERVICES } from '../../../shared/catalog'
import type { Me } from '../../../shared/schemas/auth'
import type { StationSummary } from '../../../shared/schemas/station'
import { INBOX_URL, SCHEDULE_URL } from '../../consult-view'
import { ASSIST_URL, QUEUE_URL } from '../../intake-view'

interface ScanStats {
  today: number
  week: number
}

function MyStation({ me }: { me: Me }) {
  const [station, setStation] = useState<StationSummary | null>(null)
  const [stats, setStats] = useState<ScanStats | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const code = me.scope.type === 'station' ? me.scope.code : null

  const load = useCallback(() => {
    if (!code) return
    const path = `/api/v1/stations/${encodeURIComponent(code)}`
    api
      .get<StationSummary>(path)
      .then(setStation)
      .catch(() => setStation(null))
    api
      .get<ScanStats>(`${path}/scans`)
      .then(setStats)
      .catch(() => setStats(null))
  }, [code])

  useEffect(load, [load])

  const downloadPoster = () => {
    if (!code) return
    setMessage(null)
    openProtectedFile(`/api/v1/stations/${encodeURIComponent(code)}/poster.pdf`, 'pdf').catch(
      (error: unknown) => setMessage(error instanceof Error ? error.message : '下载失败'),
    )
  }

  const reissue = () => {
    if (!code) return
    Taro.showModal({
      title: '换发二维码',
      content: '换发后旧海报上的二维码立即作废，需要重新打印张贴。确定换发吗？',
    }).then(({ confirm }) => {
      if (!confirm) return
      api
        .post<StationSummary>(`/api/v1/stations/${encodeURIComponent(code)}/poster-code`, undefined)
        .then((next) => {
          setStation(next)
          setMessage(`已换发，新短码 ${next.posterCode}。请下载新海报重新张贴。`)
        })
        .catch((error: unknown) => setMessage(error instanceof Error ? error.message : '换发失败'))
    })
  }

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
      {station && (
        <>
          <View className="card" id="scan-stats">
            <View className="card__title">扫码次数</View>
            <View className="card__meta">
              今天 {stats?.today ?? '—'} 次 · 近 7 天 {stats?.week ?? '—'} 次
            </View>
            <View className="card__meta">海报短码 {station.posterCode}</View>
          </View>
          <Button className="button" id="download-poster" onClick={downloadPoster}>
            下载打印海报（A4）
          </Button>
          <Button className="card" id="reissue-code" onClick={reissue}>
            换发二维码（旧海报作废）
          </Button>
          {message && <View className="notice">{message}</View>}
        </>
      )}
    </Section>
  )
}

/** 创贷受理: the point's queue, and filing for a resident who is at the counter (帮办). */
function IntakeWork() {
  return (
    <Section title="创贷受理">
      <Button className="button" id="open-queue" onClick={() => Taro.navigateTo({ url: QUEUE_URL })}>
        受理队列
      </Button>
      <Button
        className="button button--plain"
        id="open-assist"
        onClick={() => Taro.navigateTo({ url: ASSIST_URL })}
      >
        帮办申请（为到场居民填写）
      </Button>
    </Section>
  )
}

/** 政策咨询 and 预约: the station's questions, unanswered first, and its appointment slots. */
function ConsultWork() {
  return (
    <Section title="咨询与预约">
      <Button className="button" id="open-inbox" onClick={() => Taro.navigateTo({ url: INBOX_URL })}>
        咨询收件箱
      </Button>
      <Button
        className="button button--plain"
        id="open-schedule"
        onClick={() => Taro.navigateTo({ url: SCHEDULE_URL })}
      >
        预约管理
      </Button>
    </Section>
  )
}

export default function StaffHome() {
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        工作台
      </View>
      <RoleGate roles={['station_staff', 'bank_staff']}>
        {(me) => (
          <>
            <IntakeWork />
            <ConsultWork />
            <MyStation me={me} />
          </>
        )}
      </RoleGate>
    </Page>
  )
}
