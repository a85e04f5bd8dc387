import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Notice, Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { api } from '../../../services'
import { openProtectedFile } from '../../../services/files'
import { INTAKE_STATUSES, type IntakeStatus } from '../../../shared/intake-workflow'
import type { Me } from '../../../shared/schemas/auth'
import { type QueueItem, type QueuePage, QueuePageSchema } from '../../../shared/schemas/intake'
import { Chip, SlaBadge, StatusTag, useGroupLabels } from '../../intake-ui'
import {
  AGE_FILTERS,
  ageLabel,
  chinaToday,
  formatWan,
  type GroupLabels,
  groupOrder,
  groupsLabel,
  INTAKE_CHANGED_EVENT,
  intakeUrl,
  slaOf,
} from '../../intake-view'

const PAGE_SIZE = 20

interface Filters {
  status?: IntakeStatus
  group?: string
  olderThanDays?: number
}

type Load =
  | { state: 'loading' }
  | { state: 'ready'; items: QueueItem[]; next: string | null; more: 'idle' | 'loading' }
  | { state: 'error'; message: string }

const STATUS_ORDER = Object.keys(INTAKE_STATUSES) as IntakeStatus[]

function QueueRow({ item, labels }: { item: QueueItem; labels: GroupLabels }) {
  const open = () => Taro.navigateTo({ url: intakeUrl(item.id) })
  return (
    <View className="card queue-item" id={`queue-${item.id}`} data-receipt={item.receipt}>
      <View className="queue-item__head">
        <Text className="card__title">回执 {item.receipt}</Text>
        <StatusTag status={item.status} />
      </View>
      <View className="card__meta">
        {item.name} · 身份证 <Text className="masked-id">{item.idNumber}</Text> · 手机 {item.mobile}
      </View>
      <View className="card__meta">{groupsLabel(item.groups, labels)}</View>
      <View className="card__meta">
        申请 {formatWan(item.amount)} · {item.termMonths} 个月 · {ageLabel(item.createdAt)}
        {item.assisted ? ' · 帮办' : ''}
      </View>
      <SlaBadge sla={slaOf(item)} />
      <Button className="button button--plain" id={`open-${item.id}`} onClick={open}>
        查看详情
      </Button>
    </View>
  )
}

function Queue({ me }: { me: Me }) {
  const [filters, setFilters] = useState<Filters>({})
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [message, setMessage] = useState<string | null>(null)
  const [moreError, setMoreError] = useState<string | null>(null)
  const [filtersOpen, setFiltersOpen] = useState(false)
  const labels = useGroupLabels()
  // Answers to an older filter choice arrive late sometimes; only the latest request may land.
  const latest = useRef(0)

  const fetchPage = useCallback(
    (cursor?: string) =>
      api.get<QueuePage>('/api/v1/queue', {
        query: { ...filters, cursor, limit: PAGE_SIZE },
        parse: (data) => QueuePageSchema.parse(data),
      }),
    [filters],
  )

  const reload = useCallback(() => {
    const ticket = ++latest.current
    setMoreError(null)
    setLoad({ state: 'loading' })
    fetchPage()
      .then((page) => {
        if (ticket === latest.current) setLoad({ state: 'ready', ...page, more: 'idle' })
      })
      .catch((error: unknown) => {
        if (ticket !== latest.current) return
        setLoad({ state: 'error', message: error instanceof Error ? error.message : '队列加载失败' })
      })
  }, [fetchPage])

  useEffect(reload, [reload])

  // A status changed on the detail page: the row may have moved out of this filter.
  useEffect(() => {
    Taro.eventCenter.on(INTAKE_CHANGED_EVENT, reload)
    return () => {
      Taro.eventCenter.off(INTAKE_CHANGED_EVENT, reload)
    }
  }, [reload])

  const loadMore = () => {
    if (load.state !== 'ready' || !load.next || load.more === 'loading') return
    const ticket = latest.current
    setMoreError(null)
    setLoad({ ...load, more: 'loading' })
    fetchPage(load.next)
      .then((page) => {
        if (ticket !== latest.current) return
        setLoad((current) =>
          current.state === 'ready'
            ? { state: 'ready', items: [...current.items, ...page.items], next: page.next, more: 'idle' }
            : current,
        )
      })
      .catch((error: unknown) => {
        if (ticket !== latest.current) return
        setLoad((current) => (current.state === 'ready' ? { ...current, more: 'idle' } : current))
        setMoreError(error instanceof Error ? error.message : '加载失败，请再试一次')
      })
  }

  /** The export follows the filters on screen; names, ID numbers and mobiles stay masked. */
  const exportAs = (format: 'csv' | 'xlsx') => {
    setMessage(null)
    const query = Object.entries({ format, ...filters })
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
      .join('&')
    openProtectedFile(`/api/v1/queue/export?${query}`, format, `受理队列-${chinaToday()}.${format}`)
      .then(() => setMessage('已导出。导出的个人信息已脱敏。'))
      .catch((error: unknown) => setMessage(error instanceof Error ? error.message : '导出失败'))
  }

  const set = (next: Filters) => {
    setMessage(null)
    setFilters(next)
  }

  const summary = [
    filters.status ? INTAKE_STATUSES[filters.status] : '全部状态',
    filters.group ? (labels[filters.group] ?? filters.group) : '全部群体',
    AGE_FILTERS.find((age) => age.days === filters.olderThanDays)?.label ?? '不限等待时间',
  ].join(' · ')

  return (
    <>
      <View className="muted" id="queue-point">
        {me.scopeName}
      </View>
      <Section title="筛选">
        {/* Folded by default: on a phone the filters would fill the first screen, above the queue. */}
        <View className="row">
          <View className="muted filter-summary" id="filter-summary">
            {summary}
          </View>
          <Button
            className="button button--plain button--inline"
            id="toggle-filters"
            aria-expanded={filtersOpen}
            onClick={() => setFiltersOpen(!filtersOpen)}
          >
            {filtersOpen ? '收起' : '更改'}
          </Button>
        </View>
        {filtersOpen && (
          <View id="filters">
            <View className="muted">状态</View>
            <View className="chips" id="filter-status">
              <Chip
                id="filter-status-all"
                on={!filters.status}
                onTap={() => set({ ...filters, status: undefined })}
              >
                全部
              </Chip>
              {STATUS_ORDER.map((status) => (
                <Chip
                  key={status}
                  id={`filter-status-${status}`}
                  on={filters.status === status}
                  onTap={() => set({ ...filters, status })}
                >
                  {INTAKE_STATUSES[status]}
                </Chip>
              ))}
            </View>
            <View className="muted">所属群体</View>
            <View className="chips" id="filter-group">
              <Chip
                id="filter-group-all"
                on={!filters.group}
                onTap={() => set({ ...filters, group: undefined })}
              >
                全部
              </Chip>
              {groupOrder(labels).map((group) => (
                <Chip
                  key={group}
                  id={`filter-group-${group}`}
                  on={filters.group === group}
                  onTap={() => set({ ...filters, group })}
                >
                  {labels[group]}
                </Chip>
              ))}
            </View>
            <View className="muted">等待时间</View>
            <View className="chips" id="filter-age">
              <Chip
                id="filter-age-all"
                on={filters.olderThanDays === undefined}
                onTap={() => set({ ...filters, olderThanDays: undefined })}
              >
                不限
              </Chip>
              {AGE_FILTERS.map((age) => (
                <Chip
                  key={age.days}
                  id={`filter-age-${age.days}`}
                  on={filters.olderThanDays === age.days}
                  onTap={() => set({ ...filters, olderThanDays: age.days })}
                >
                  {age.label}
                </Chip>
              ))}
            </View>
          </View>
        )}
      </Section>
      <Section title="申请">
        {load.state === 'loading' && <Notice>正在加载…</Notice>}
        {load.state === 'error' && (
          <Notice tone="error">
            <View>{load.message}</View>
            <Button className="button" id="queue-retry" onClick={reload}>
              重试
            </Button>
          </Notice>
        )}
        {load.state === 'ready' && (
          <View id="queue-list" data-count={load.items.length}>
            {load.items.length === 0 && <Notice>没有符合条件的申请。</Notice>}
            {load.items.map((item) => (
              <QueueRow key={item.id} item={item} labels={labels} />
            ))}
            {load.next && (
              <Button
                className="button button--plain"
                id="queue-more"
                disabled={load.more === 'loading'}
                onClick={loadMore}
              >
                {load.more === 'loading' ? '正在加载…' : '加载更多'}
              </Button>
            )}
            {moreError && <Notice tone="error">{moreError}</Notice>}
          </View>
        )}
      </Section>
      <Section title="导出">
        <View className="muted">按当前筛选导出；姓名、身份证号、手机号均已脱敏。</View>
        <View className="button-row">
          <Button className="button button--plain" id="export-csv" onClick={() => exportAs('csv')}>
            导出 CSV
          </Button>
          <Button className="button button--plain" id="export-xlsx" onClick={() => exportAs('xlsx')}>
            导出 Excel
          </Button>
        </View>
        {message && (
          <View className="notice" id="queue-message" role="status">
            {message}
          </View>
        )}
      </Section>
    </>
  )
}

export default function StaffQueue() {
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        受理队列
      </View>
      <RoleGate roles={['bank_staff', 'station_staff']}>{(me) => <Queue me={me} />}</RoleGate>
    </Page>
  )
}
