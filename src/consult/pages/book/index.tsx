import { Button, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Chip } from '../../../components/chip'
import { Notice, Page, Section } from '../../../components/page'
import { ApiError, api } from '../../../services'
import { currentStation } from '../../../services/station'
import { dayLabel, timeRange } from '../../../shared/appointments'
import type { BookingView } from '../../../shared/schemas/consult'
import { ensureSession, goBackOrHome, stationFromLink, useStation } from '../../platform'
import { firstOpenDate, type Slot, type SlotDay, slotDays, slotId, slotLabel } from '../../slots'
import { MY_BOOKINGS_URL } from '../../urls'
import '../../consult.css'

/** How far ahead residents may book (the API takes up to 30 days). */
const DAYS_AHEAD = 14

type Load = { state: 'loading' } | { state: 'ready'; days: SlotDay[] } | { state: 'error'; message: string }

function describe(error: unknown, fallback: string): string {
  if (error instanceof ApiError && error.status !== 409 && error.fields) {
    return Object.values(error.fields).flat().join('；') || error.message
  }
  return error instanceof Error ? error.message : fallback
}

function Booker({ station }: { station: string }) {
  const point = useStation(station)
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [date, setDate] = useState<string | null>(null)
  const [chosen, setChosen] = useState<Slot | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const [done, setDone] = useState<BookingView | null>(null)
  const [busy, setBusy] = useState(false)
  const sending = useRef(false)

  const fetchSlots = useCallback(
    () =>
      api
        .get<{ items: Slot[] }>(`/api/v1/stations/${encodeURIComponent(station)}/slots`, {
          query: { days: DAYS_AHEAD },
        })
        .then((list) => {
          const days = slotDays(list.items)
          setLoad({ state: 'ready', days })
          // Keep the resident's date when it is still offered; else open on the first with a seat.
          setDate((current) =>
            current && days.some((day) => day.date === current) ? current : firstOpenDate(days),
          )
          setChosen((current) => {
            const still =
              current && list.items.find((s) => s.date === current.date && s.start === current.start)
            return still && still.available > 0 ? still : null
          })
        })
        .catch((error: unknown) => setLoad({ state: 'error', message: describe(error, '时段加载失败') })),
    [station],
  )

  useEffect(() => {
    fetchSlots()
  }, [fetchSlots])

  const book = async () => {
    if (!chosen || sending.current) return
    sending.current = true
    setBusy(true)
    setFailure(null)
    try {
      await ensureSession()
      const booking = await api.post<BookingView>('/api/v1/bookings', {
        station,
        date: chosen.date,
        start: chosen.start,
      })
      setDone(booking)
    } catch (error) {
      // 409: taken meanwhile (已约满) or already booked by this resident (已预约) — said as is.
      setFailure(describe(error, '预约没有成功，请稍后再试'))
      if (error instanceof ApiError && error.status === 409) fetchSlots()
    } finally {
      sending.current = false
      setBusy(false)
    }
  }

  const info = point.state === 'ready' ? point.station : null
  const header = (
    <View className="card" id="book-station">
      <View className="card__meta">预约到这个服务点办理</View>
      <View className="card__title">
        {info ? info.name : point.state === 'failed' ? `服务点 ${station}` : '正在加载…'}
      </View>
      {info && (
        <View className="card__meta">
          {info.address} · 开放时间：{info.hours}
        </View>
      )}
    </View>
  )

  if (done) {
    return (
      <>
        {header}
        <View className="notice" id="book-done" role="status" data-booking={done.id}>
          <View className="card__title">预约成功</View>
          <View>
            {dayLabel(done.date)} {timeRange(done.start, done.end)}
          </View>
          <View>{done.station.name}</View>
          <View className="muted">
            请按时到服务点，带上身份证。去不了请在“我的预约”里取消，把名额让给别人。
          </View>
        </View>
        <Button
          id="book-go-mine"
          className="button"
          onClick={() => Taro.redirectTo({ url: MY_BOOKINGS_URL })}
        >
          查看我的预约
        </Button>
      </>
    )
  }

  if (info && !info.services.includes('appointment')) {
    return (
      <>
        {header}
        <Notice tone="error">
          <View id="book-not-offered">
            这个服务点暂不提供线上预约，请直接在开放时间前往，或在首页选择其他服务点。
          </View>
        </Notice>
      </>
    )
  }

  const day = load.state === 'ready' ? load.days.find((item) => item.date === date) : undefined

  return (
    <>
      {header}
      {load.state === 'loading' && <Notice>正在加载可预约的时段…</Notice>}
      {load.state === 'error' && (
        <Notice tone="error">
          <View id="book-load-error">{load.message}</View>
          <Button className="button" onClick={fetchSlots}>
            重新加载
          </Button>
        </Notice>
      )}
      {load.state === 'ready' && load.days.length === 0 && (
        <Notice>
          <View id="book-no-slots">
            近 {DAYS_AHEAD} 天没有可预约的时段，请在开放时间直接前往，或过几天再来看看。
          </View>
        </Notice>
      )}
      {load.state === 'ready' && load.days.length > 0 && (
        <>
          <Section title="第一步：选日期">
            <View className="chips" id="book-dates" role="radiogroup">
              {load.days.map((item) => (
                <Chip
                  key={item.date}
                  id={`book-date-${item.date}`}
                  on={item.date === date}
                  label={item.available > 0 ? item.label : `${item.label}（约满）`}
                  onTap={() => {
                    setDate(item.date)
                    setChosen(null)
                    setFailure(null)
                  }}
                />
              ))}
            </View>
          </Section>
          {day && (
            <Section title={`第二步：选时段（${day.label}）`}>
              <View className="slot-list" id="book-slots">
                {day.slots.map((slot) => {
                  const full = slot.available <= 0
                  const on = chosen?.date === slot.date && chosen.start === slot.start
                  return (
                    <Button
                      key={slot.start}
                      id={slotId(slot.date, slot.start)}
                      className={`button button--plain ${full ? 'slot--full' : on ? 'slot--chosen' : ''}`}
                      // `disabled={false}` reaches Taro H5 as disabled="false", which its CSS greys out.
                      disabled={full || undefined}
                      data-available={slot.available}
                      aria-pressed={on}
                      onClick={() => {
                        setChosen(slot)
                        setFailure(null)
                      }}
                    >
                      {slotLabel(slot)}
                    </Button>
                  )
                })}
              </View>
            </Section>
          )}
        </>
      )}
      {failure && (
        <View className="notice notice--error" id="book-error" role="alert">
          {failure}
        </View>
      )}
      {chosen && (
        <View className="muted" id="book-chosen">
          您选的是 {dayLabel(chosen.date)} {timeRange(chosen.start, chosen.end)}
        </View>
      )}
      <Button id="book-submit" className="button" disabled={!chosen || busy || undefined} onClick={book}>
        {chosen ? '确认预约' : '请先选择时段'}
      </Button>
      <Button
        className="button button--plain"
        id="book-mine"
        onClick={() => Taro.navigateTo({ url: MY_BOOKINGS_URL })}
      >
        我的预约
      </Button>
    </>
  )
}

export default function BookPage() {
  const { params } = useRouter()
  const station = stationFromLink(params.s) ?? currentStation()
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        预约办理
      </View>
      {station ? (
        <Booker key={station} station={station} />
      ) : (
        <Notice>
          <View id="book-no-station">请先在首页选择要去办理的服务点。</View>
          <Button className="button" onClick={goBackOrHome}>
            去首页选择服务点
          </Button>
        </Notice>
      )}
    </Page>
  )
}
