import { Button, Picker, Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { Field, FieldErrors } from '../../../components/field'
import { Notice, Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { ApiError, api } from '../../../services'
import {
  addDays,
  BOOKING_STATUSES,
  chinaToday,
  dayLabel,
  timeRange,
  WEEKDAY_NAMES,
  weekdayName,
} from '../../../shared/appointments'
import type { Me } from '../../../shared/schemas/auth'
import type { BookingView } from '../../../shared/schemas/consult'
import { Chip } from '../../intake-ui'
import {
  buildSchedule,
  type ExceptionRow,
  formFromSlots,
  newExceptionRow,
  newWeeklyRow,
  type ScheduleErrors,
  type ScheduleForm,
  type WeeklyRow,
  workdayPreset,
} from '../../schedule-form'
import '../../consult.css'

/** How far the schedule is read back from the published slots (the API lists up to 31 days). */
const READ_BACK_DAYS = 28

const errorText = (error: unknown, fallback: string) => (error instanceof Error ? error.message : fallback)

type Load =
  | { state: 'loading' }
  | { state: 'ready'; form: ScheduleForm; readBack: boolean }
  | { state: 'error'; message: string }

function WeeklyEditor({
  rows,
  errors,
  onChange,
}: {
  rows: WeeklyRow[]
  errors: ScheduleErrors
  onChange: (rows: WeeklyRow[]) => void
}) {
  const set = (i: number, change: Partial<WeeklyRow>) =>
    onChange(rows.map((row, j) => (j === i ? { ...row, ...change } : row)))
  return (
    <View id="weekly">
      {rows.length === 0 && (
        <View className="muted" id="weekly-empty">
          还没有可预约的时段。
        </View>
      )}
      {rows.map((row, i) => (
        <View key={i} className="schedule-row" id={`week-${i}`} data-weekday={row.weekday}>
          <View className="muted">每周{weekdayName(row.weekday)}</View>
          <View className="chips weekday-chips" id={`week-${i}-weekday`}>
            {WEEKDAY_NAMES.map((name, n) => (
              <Chip
                key={name}
                id={`week-${i}-day-${n + 1}`}
                on={row.weekday === n + 1}
                onTap={() => set(i, { weekday: n + 1 })}
              >
                {name}
              </Chip>
            ))}
          </View>
          <View className="schedule-row__times">
            <View className="schedule-cell">
              <Field
                id={`week-${i}-start`}
                label="开始"
                placeholder="09:00"
                maxlength={5}
                value={row.start}
                onChange={(start) => set(i, { start })}
                errors={errors[`weekly.${i}.start`]}
              />
            </View>
            <View className="schedule-cell">
              <Field
                id={`week-${i}-end`}
                label="结束"
                placeholder="12:00"
                maxlength={5}
                value={row.end}
                onChange={(end) => set(i, { end })}
                errors={errors[`weekly.${i}.end`]}
              />
            </View>
            <View className="schedule-cell">
              <Field
                id={`week-${i}-capacity`}
                label="名额"
                type="number"
                maxlength={2}
                value={row.capacity}
                onChange={(capacity) => set(i, { capacity })}
                errors={errors[`weekly.${i}.capacity`]}
              />
            </View>
          </View>
          <FieldErrors id={`week-${i}-row`} errors={errors[`weekly.${i}`] ?? errors[`weekly.${i}.weekday`]} />
          <Button
            className="button button--plain"
            id={`week-${i}-remove`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            删除这个时段
          </Button>
        </View>
      ))}
      <View className="button-row">
        <Button
          className="button button--plain"
          id="week-add"
          onClick={() => onChange([...rows, newWeeklyRow(rows.at(-1))])}
        >
          添加时段
        </Button>
        {rows.length === 0 && (
          <Button className="button button--plain" id="week-preset" onClick={() => onChange(workdayPreset())}>
            工作日上午、下午各一段
          </Button>
        )}
      </View>
    </View>
  )
}

function ExceptionEditor({
  rows,
  errors,
  onChange,
}: {
  rows: ExceptionRow[]
  errors: ScheduleErrors
  onChange: (rows: ExceptionRow[]) => void
}) {
  const today = chinaToday()
  const set = (i: number, change: Partial<ExceptionRow>) =>
    onChange(rows.map((row, j) => (j === i ? { ...row, ...change } : row)))
  return (
    <View id="exceptions">
      {rows.length === 0 && (
        <View className="muted">没有特殊日期。节假日闭馆、临时调整名额，在这里添加。</View>
      )}
      {rows.map((row, i) => (
        <View key={i} className="schedule-row" id={`except-${i}`}>
          <View className="muted">日期</View>
          <Picker
            mode="date"
            value={row.date}
            start={today}
            onChange={(e) => set(i, { date: e.detail.value })}
          >
            <View className="field" id={`except-${i}-date`}>
              {row.date ? dayLabel(row.date) : '选择日期'}
            </View>
          </Picker>
          <FieldErrors id={`except-${i}-date`} errors={errors[`exceptions.${i}.date`]} />
          <View className="chips">
            <Chip id={`except-${i}-closed`} on={row.closed} onTap={() => set(i, { closed: true })}>
              当天闭馆
            </Chip>
            <Chip id={`except-${i}-open`} on={!row.closed} onTap={() => set(i, { closed: false })}>
              开放，名额改为
            </Chip>
          </View>
          {!row.closed && (
            <Field
              id={`except-${i}-capacity`}
              label="当天每个时段的名额（0 为不接受预约）"
              type="number"
              maxlength={2}
              value={row.capacity}
              onChange={(capacity) => set(i, { capacity })}
              errors={errors[`exceptions.${i}.capacity`]}
            />
          )}
          <Field
            id={`except-${i}-note`}
            label="说明（选填，如：国庆假期）"
            maxlength={60}
            value={row.note}
            onChange={(note) => set(i, { note })}
            errors={errors[`exceptions.${i}.note`]}
          />
          <Button
            className="button button--plain"
            id={`except-${i}-remove`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            删除这个日期
          </Button>
        </View>
      ))}
      <Button
        className="button button--plain"
        id="except-add"
        onClick={() => onChange([...rows, newExceptionRow(addDays(today, 1))])}
      >
        添加特殊日期
      </Button>
    </View>
  )
}

function ScheduleEditor({ code }: { code: string }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [errors, setErrors] = useState<ScheduleErrors>({})
  const [flash, setFlash] = useState<{ tone: 'info' | 'error'; text: string } | null>(null)
  const [busy, setBusy] = useState(false)

  const fetchForm = useCallback(() => {
    const from = chinaToday()
    api
      .get<{ items: { date: string; start: string; end: string; capacity: number }[] }>(
        `/api/v1/stations/${encodeURIComponent(code)}/slots`,
        { query: { from, days: READ_BACK_DAYS } },
      )
      .then((list) =>
        setLoad({
          state: 'ready',
          form: formFromSlots(list.items, from, READ_BACK_DAYS),
          readBack: list.items.length > 0,
        }),
      )
      .catch((error: unknown) => setLoad({ state: 'error', message: errorText(error, '时段加载失败') }))
  }, [code])

  useEffect(fetchForm, [fetchForm])

  if (load.state === 'loading') return <Notice>正在读取预约时段…</Notice>
  if (load.state === 'error') {
    return (
      <Notice tone="error">
        <View>{load.message}</View>
        <Button className="button" onClick={fetchForm}>
          重新加载
        </Button>
      </Notice>
    )
  }
  const { form } = load
  const change = (next: Partial<ScheduleForm>) => {
    setFlash(null)
    setErrors({})
    setLoad({ ...load, form: { ...form, ...next } })
  }

  const save = () => {
    setFlash(null)
    const built = buildSchedule(form)
    if (!built.ok) {
      setErrors(built.errors)
      setFlash({ tone: 'error', text: '请按红字提示修改后再保存' })
      return
    }
    setErrors({})
    setBusy(true)
    api
      .request('PUT', `/api/v1/stations/${encodeURIComponent(code)}/slots`, { body: built.schedule })
      .then(() => setFlash({ tone: 'info', text: '已保存。居民现在可以按新的时段预约。' }))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.fields) setErrors(error.fields)
        setFlash({ tone: 'error', text: errorText(error, '保存没有成功，请稍后再试') })
      })
      .finally(() => setBusy(false))
  }

  return (
    <View id="schedule-editor">
      {load.readBack && (
        <View className="muted" id="schedule-read-back">
          以下是按近四周已开放的时段读回的设置；特殊日期的说明不会读回。
        </View>
      )}
      <Section title="每周时段">
        <WeeklyEditor rows={form.weekly} errors={errors} onChange={(weekly) => change({ weekly })} />
      </Section>
      <Section title="特殊日期">
        <ExceptionEditor
          rows={form.exceptions}
          errors={errors}
          onChange={(exceptions) => change({ exceptions })}
        />
      </Section>
      {flash && (
        <View
          className={`notice notice--${flash.tone}`}
          id={flash.tone === 'info' ? 'schedule-saved' : 'schedule-error'}
          role="alert"
        >
          {flash.text}
        </View>
      )}
      <Button className="button" id="schedule-save" disabled={busy || undefined} onClick={save}>
        保存预约时段
      </Button>
    </View>
  )
}

type Day =
  | { state: 'loading' }
  | { state: 'ready'; items: BookingView[] }
  | { state: 'error'; message: string }

/** The day's list at the counter: who booked which slot, and 到场 / 未到 for each. */
function DayList({ code, initialDate }: { code: string; initialDate: string }) {
  const [date, setDate] = useState(initialDate)
  const [day, setDay] = useState<Day>({ state: 'loading' })
  const [failure, setFailure] = useState<string | null>(null)

  const fetchDay = useCallback(() => {
    api
      .get<{ items: BookingView[] }>(`/api/v1/stations/${encodeURIComponent(code)}/bookings`, {
        query: { date },
      })
      .then((list) => setDay({ state: 'ready', items: list.items }))
      .catch((error: unknown) => setDay({ state: 'error', message: errorText(error, '预约名单加载失败') }))
  }, [code, date])

  useEffect(fetchDay, [fetchDay])

  const go = (next: string) => {
    setFailure(null)
    setDay({ state: 'loading' })
    setDate(next)
  }

  const mark = (booking: BookingView, attended: boolean) => {
    setFailure(null)
    api
      .post<BookingView>(`/api/v1/bookings/${encodeURIComponent(booking.id)}/attendance`, { attended })
      .then((next) =>
        setDay((current) =>
          current.state === 'ready'
            ? { state: 'ready', items: current.items.map((item) => (item.id === next.id ? next : item)) }
            : current,
        ),
      )
      .catch((error: unknown) => setFailure(errorText(error, '登记没有成功')))
  }

  const active = day.state === 'ready' ? day.items.filter((item) => item.status !== 'cancelled') : []

  return (
    <Section title="每日预约名单">
      <View className="button-row">
        <Button className="button button--plain" id="day-prev" onClick={() => go(addDays(date, -1))}>
          前一天
        </Button>
        <Button className="button button--plain" id="day-next" onClick={() => go(addDays(date, 1))}>
          后一天
        </Button>
      </View>
      <Picker mode="date" value={date} onChange={(e) => go(e.detail.value)}>
        <View className="field" id="day-date" data-date={date}>
          {dayLabel(date)}
        </View>
      </Picker>
      {day.state === 'loading' && <Notice>正在加载…</Notice>}
      {day.state === 'error' && <Notice tone="error">{day.message}</Notice>}
      {day.state === 'ready' && (
        <View id="day-list" data-count={active.length}>
          {day.items.length === 0 && <View className="muted">这一天没有预约。</View>}
          {day.items.map((booking) => (
            <View
              key={booking.id}
              className="card"
              id={`day-booking-${booking.id}`}
              data-status={booking.status}
            >
              <View className="queue-item__head">
                <Text className="card__title">{timeRange(booking.start, booking.end)}</Text>
                <Text className="status" id={`day-booking-${booking.id}-status`}>
                  {BOOKING_STATUSES[booking.status]}
                </Text>
              </View>
              <View className="card__meta">预约人：{booking.who}</View>
              {booking.status !== 'cancelled' && (
                <View className="button-row">
                  <Button
                    className={booking.status === 'attended' ? 'button' : 'button button--plain'}
                    id={`attend-${booking.id}`}
                    onClick={() => mark(booking, true)}
                  >
                    到场
                  </Button>
                  <Button
                    className={booking.status === 'absent' ? 'button' : 'button button--plain'}
                    id={`absent-${booking.id}`}
                    onClick={() => mark(booking, false)}
                  >
                    未到
                  </Button>
                </View>
              )}
            </View>
          ))}
        </View>
      )}
      {failure && <Notice tone="error">{failure}</Notice>}
    </Section>
  )
}

function Schedule({ me, date }: { me: Me; date: string }) {
  const code = me.scope.type === 'station' ? me.scope.code : null
  if (!code) return <Notice tone="error">您的账号没有绑定服务点。</Notice>
  return (
    <>
      <View className="muted" id="schedule-station">
        {me.scopeName}
      </View>
      <DayList code={code} initialDate={date} />
      <ScheduleEditor code={code} />
    </>
  )
}

export default function StaffSchedule() {
  const { params } = useRouter()
  const date = params.date && /^\d{4}-\d{2}-\d{2}$/.test(params.date) ? params.date : chinaToday()
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        预约管理
      </View>
      <RoleGate roles={['station_staff', 'bank_staff']}>{(me) => <Schedule me={me} date={date} />}</RoleGate>
    </Page>
  )
}
