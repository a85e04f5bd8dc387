import { Button, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { Notice, Page } from '../../../components/page'
import { api } from '../../../services'
import { currentStation } from '../../../services/station'
import type { IntakeStatusView } from '../../../shared/schemas/intake'
import { ensureSession } from '../../platform'
import { IntakeStatusCard } from '../../status-view'
import { formUrl, LOOKUP_URL } from '../../urls'
import '../../intake.css'

type Load =
  | { state: 'loading' }
  | { state: 'ready'; items: IntakeStatusView[] }
  | { state: 'error'; message: string }

/** 我的申请: the intakes filed from this account (this WeChat / Alipay account, or this browser). */
export default function MyIntakesPage() {
  const [load, setLoad] = useState<Load>({ state: 'loading' })

  const refresh = useCallback(async () => {
    try {
      await ensureSession()
      const list = await api.get<{ items: IntakeStatusView[] }>('/api/v1/intakes/mine')
      setLoad({ state: 'ready', items: list.items })
    } catch (error) {
      setLoad({ state: 'error', message: error instanceof Error ? error.message : '加载失败，请稍后再试' })
    }
  }, [])

  useDidShow(() => {
    refresh()
  })
  usePullDownRefresh(() => {
    refresh().finally(() => Taro.stopPullDownRefresh())
  })

  const station = currentStation()

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        我的申请
      </View>
      {load.state === 'loading' && <Notice>正在加载…</Notice>}
      {load.state === 'error' && (
        <Notice tone="error">
          <View id="mine-error">{load.message}</View>
          <Button className="button" onClick={refresh}>
            重新加载
          </Button>
        </Notice>
      )}
      {load.state === 'ready' && load.items.length === 0 && (
        <Notice>
          <View id="mine-empty">您还没有提交过创业担保贷款申请。</View>
          {station && (
            <Button className="button" onClick={() => Taro.navigateTo({ url: formUrl(station) })}>
              去申请
            </Button>
          )}
        </Notice>
      )}
      {load.state === 'ready' && (
        <View id="mine-list">
          {load.items.map((intake) => (
            <IntakeStatusCard key={intake.id} intake={intake} />
          ))}
        </View>
      )}
      <View className="muted">在别的手机或浏览器上提交的申请，请用回执码查询。</View>
      <Button
        id="mine-lookup"
        className="button button--plain"
        onClick={() => Taro.navigateTo({ url: LOOKUP_URL })}
      >
        查询办理进度
      </Button>
    </Page>
  )
}
