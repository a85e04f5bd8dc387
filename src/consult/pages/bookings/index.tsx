import { Button, Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { Notice, Page } from '../../../components/page'
import { api } from '../../../services'
import { currentStation } from '../../../services/station'
import { BOOKING_STATUSES, chinaToday, dayLabel, timeRange } from '../../../shared/appointments'
import type { BookingView } from '../../../shared/schemas/consult'
import { ensureSession } from '../../platform'
import { bookUrl } from '../../urls'
import '../../consult.css'

type Load =
  | { state: 'loading' }
  | { state: 'ready'; items: BookingView[] }
  | { state: 'error'; message: string }

const errorText = (error: unknown, fallback: string) => (error instanceof Error ? error.message : fallback)

function BookingRow({
  booking,
  onCancel,
}: {
  booking: BookingView
  onCancel: (booking: BookingView) => void
}) {
  const upcoming = booking.status === 'booked' && booking.date >= chinaToday()
  return (
    <View className="card" id={`booking-${booking.id}`} data-status={booking.status}>
      <View className="consult-row__head">
        <Text className="card__title">
          {dayLabel(booking.date)} {timeRange(booking.start, booking.end)}
        </Text>
        <Text className={`consult-status consult-status--${booking.status === 'booked' ? 'open' : 'closed'}`}>
          {BOOKING_STATUSES[booking.status]}
        </Text>
      </View>
      <View className="card__meta">{booking.station.name}</View>
      {upcoming && (
        <Button
          className="button button--plain"
          id={`cancel-${booking.id}`}
          onClick={() => onCancel(booking)}
        >
          取消
        </Button>
      )}
    </View>
  )
}

/** 我的预约: upcoming and past appointments, newest first, each upcoming one cancellable. */
export default function MyBookingsPage() {
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [message, setMessage] = useState<{ tone: 'info' | 'error'; text: string } | null>(null)

  const refresh = useCallback(async () => {
    try {
      await ensureSession()
      const list = await api.get<{ items: BookingView[] }>('/api/v1/bookings/mine')
      setLoad({ state: 'ready', items: list.items })
    } catch (error) {
      setLoad({ state: 'error', message: errorText(error, '加载失败，请稍后再试') })
    }
  }, [])

  useDidShow(() => {
    refresh()
  })
  usePullDownRefresh(() => {
    refresh().finally(() => Taro.stopPullDownRefresh())
  })

  const cancel = (booking: BookingView) => {
    setMessage(null)
    Taro.showModal({
      title: '取消预约',
      content: `确定取消 ${dayLabel(booking.date)} ${timeRange(booking.start, booking.end)} 的预约吗？`,
      confirmText: '取消预约',
      cancelText: '不取消',
    })
      .then(({ confirm }) => {
        if (!confirm) return
        return api
          .post<BookingView>(`/api/v1/bookings/${encodeURIComponent(booking.id)}/cancel`, undefined)
          .then(() => setMessage({ tone: 'info', text: '已取消，名额已让给其他人。' }))
      })
      .catch((error: unknown) => setMessage({ tone: 'error', text: errorText(error, '取消没有成功') }))
      .finally(() => refresh())
  }

  const station = currentStation()

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        我的预约
      </View>
      {message && (
        <View className={`notice notice--${message.tone}`} id="bookings-message" role="status">
          {message.text}
        </View>
      )}
      {load.state === 'loading' && <Notice>正在加载…</Notice>}
      {load.state === 'error' && (
        <Notice tone="error">
          <View id="bookings-error">{load.message}</View>
          <Button className="button" onClick={refresh}>
            重新加载
          </Button>
        </Notice>
      )}
      {load.state === 'ready' && load.items.length === 0 && (
        <Notice>
          <View id="bookings-empty">您还没有预约。</View>
        </Notice>
      )}
      {load.state === 'ready' && load.items.length > 0 && (
        <View id="bookings-list" className="section">
          {load.items.map((booking) => (
            <BookingRow key={booking.id} booking={booking} onCancel={cancel} />
          ))}
        </View>
      )}
      {station && (
        <Button
          id="bookings-new"
          className="button"
          onClick={() => Taro.navigateTo({ url: bookUrl(station) })}
        >
          预约办理
        </Button>
      )}
    </Page>
  )
}
