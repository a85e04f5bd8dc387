import { describe, expect, it } from 'vitest'
import type { AnnouncementView } from '../shared/schemas/announce'
import type { Me } from '../shared/schemas/auth'
import {
  type AnnouncementFormValues,
  announcementOf,
  announceUrl,
  chinaTimeToIso,
  correctionOf,
  correctionValuesOf,
  deliveryLine,
  EMPTY_ANNOUNCEMENT_FORM,
  fieldKey,
  statusLine,
  targetRegionOptions,
  toPoll,
  withdrawalOf,
} from './announce-form'

const NOW = new Date('2026-11-23T02:00:00.000Z') // 2026-11-23 10:00 in Beijing

const filled: AnnouncementFormValues = {
  ...EMPTY_ANNOUNCEMENT_FORM,
  title: '  重庆市创业担保贷款贴息调整  ',
  body: '# 要点\n\n- 个人最高 50 万元\n- [原文](https://rlsbj.cq.gov.cn/)',
  category: 'loan',
  links: 'cq-loan-cap，QD-venue-subsidy',
  regions: ['500000'],
}

const published: AnnouncementView = {
  id: '0b6a0c9e-1c1d-4e8b-9b57-2f6f5c7d8e90',
  title: '重庆市创业担保贷款贴息调整',
  body: '个人最高 50 万元',
  category: 'loan',
  links: [],
  target: { regions: ['500000'], stations: [], groups: [] },
  status: 'published',
  version: 2,
  publishAt: '2026-11-22T01:30:00.000Z',
  corrections: [],
}

const me = (scope: Me['scope']): Pick<Me, 'scope'> => ({ scope })

describe('the announcement form', () => {
  it('turns what the official typed into the request the API takes, trimmed', () => {
    const checked = announcementOf(filled, NOW)
    expect(checked).toEqual({
      ok: true,
      input: {
        title: '重庆市创业担保贷款贴息调整',
        body: filled.body,
        category: 'loan',
        links: ['cq-loan-cap', 'qd-venue-subsidy'],
        target: { regions: ['500000'], stations: [], groups: [] },
      },
    })
  })

  it('says in Chinese, beside each field, what is missing or wrong', () => {
    const checked = announcementOf({ ...EMPTY_ANNOUNCEMENT_FORM, title: '补', links: 'Bad_id!' }, NOW)
    expect(checked.ok).toBe(false)
    if (checked.ok) return
    expect(checked.errors.title).toEqual(['标题至少 2 个字'])
    expect(checked.errors.body).toEqual(['正文至少 2 个字'])
    expect(checked.errors.category).toEqual(['请选择类别'])
    expect(checked.errors['target.regions']).toEqual(['请至少选择一个地区或服务点'])
    expect(checked.errors.links?.[0]).toContain('关联政策请填口袋书条目的编号')
    // Nothing in English reaches the official.
    for (const messages of Object.values(checked.errors))
      for (const message of messages) expect(message).toMatch(/[\u4e00-\u9fff]/)
  })

  it('caps the linked entries at five', () => {
    const checked = announcementOf({ ...filled, links: 'a-1 a-2 a-3 a-4 a-5 a-6' }, NOW)
    expect(checked.ok ? [] : checked.errors.links).toEqual(['关联政策最多 5 项'])
  })

  it('takes a station alone as a target', () => {
    const checked = announcementOf({ ...filled, regions: [], stations: ['CQ0001'] }, NOW)
    expect(checked.ok && checked.input.target).toEqual({ regions: [], stations: ['CQ0001'], groups: [] })
  })

  it('reads a publication time as Beijing time and wants it ahead', () => {
    const later = announcementOf({ ...filled, publishAt: '2026-12-01 09:00' }, NOW)
    expect(later.ok && later.input.publishAt).toBe('2026-12-01T01:00:00.000Z')
    const past = announcementOf({ ...filled, publishAt: '2026-11-23 09:59' }, NOW)
    expect(past.ok ? [] : past.errors.publishAt).toEqual(['这个时间已经过了；立即发布请留空'])
    const garbled = announcementOf({ ...filled, publishAt: '明天上午' }, NOW)
    expect(garbled.ok ? [] : garbled.errors.publishAt).toEqual(['请按“2026-12-01 09:00”的格式填写北京时间'])
  })

  it('converts Beijing wall-clock times and refuses ones that do not exist', () => {
    expect(chinaTimeToIso('2026-01-01 00:30')).toBe('2025-12-31T16:30:00.000Z')
    expect(chinaTimeToIso('2026/3/5T8:05:30')).toBe('2026-03-05T00:05:30.000Z')
    expect(chinaTimeToIso('2026-02-30 09:00')).toBeNull()
    expect(chinaTimeToIso('2026-12-01 24:00')).toBeNull()
    expect(chinaTimeToIso('2026-12-01')).toBeNull()
  })

  it('keys an item’s message to its field', () => {
    expect(fieldKey(['target', 'stations', 1])).toBe('target.stations')
    expect(fieldKey(['links', 0])).toBe('links')
    expect(fieldKey([])).toBe('_')
  })
})

describe('correcting and withdrawing', () => {
  it('sends only what changed, with the version read and a required note', () => {
    const values = correctionValuesOf(published)
    expect(correctionOf(published, values)).toEqual({
      ok: false,
      errors: { note: ['请填写更正说明：居民会看到改了什么'] },
    })
    expect(correctionOf(published, { ...values, note: '更正' })).toEqual({
      ok: true,
      input: { version: 2, note: '更正' },
    })
    expect(
      correctionOf(published, { ...values, body: '个人最高 50 万元，贴息 2 年', note: '补充贴息期限' }),
    ).toEqual({
      ok: true,
      input: { version: 2, body: '个人最高 50 万元，贴息 2 年', note: '补充贴息期限' },
    })
    const short = correctionOf(published, { ...values, note: '改' })
    expect(short.ok ? [] : short.errors.note).toEqual(['更正说明至少 2 个字'])
  })

  it('withdraws with the version read and a note', () => {
    expect(withdrawalOf(published, '政策暂停执行')).toEqual({
      ok: true,
      input: { version: 2, note: '政策暂停执行' },
    })
    const empty = withdrawalOf(published, ' ')
    expect(empty.ok ? [] : empty.errors.note).toEqual(['请填写撤回说明'])
    const short = withdrawalOf(published, '停')
    expect(short.ok ? [] : short.errors.note).toEqual(['撤回说明至少 2 个字'])
  })
})

describe('what an official may target and how progress reads', () => {
  it('offers an official their region and its districts, an administrator every province and city', () => {
    const chongqing = targetRegionOptions(me({ type: 'region', code: '500000' }))
    expect(chongqing[0]).toEqual({ code: '500000', name: '重庆市' })
    expect(chongqing.map((option) => option.code)).toContain('500103')
    expect(chongqing.every((option) => option.code.startsWith('50'))).toBe(true)
    const admin = targetRegionOptions(me({ type: 'all' })).map((option) => option.code)
    expect(admin).toEqual(expect.arrayContaining(['370000', '370200', '500000', '230100', '210100']))
    expect(admin).not.toContain('370212')
    expect(targetRegionOptions(me({ type: 'station', code: 'CQ0001' }))).toEqual([])
  })

  it('labels the status, with the time it went or will go out', () => {
    expect(statusLine(published)).toBe('已发布 · 2026-11-22 09:30')
    expect(statusLine({ status: 'scheduled', publishAt: '2026-12-01T01:00:00.000Z' })).toBe(
      '定时 · 2026-12-01 09:00',
    )
    expect(statusLine({ status: 'withdrawn', publishAt: published.publishAt })).toBe('已撤回')
  })

  it('spells out delivery progress, and asks again only about fan-outs still running', () => {
    expect(deliveryLine({ sent: 12, failed: 1, skipped: 0, pending: 30, total: 43 })).toBe(
      '微信通知：已发送 12 · 失败 1 · 待发送 30',
    )
    expect(deliveryLine({ sent: 2, failed: 0, skipped: 3, pending: 0, total: 5 })).toBe(
      '微信通知：已发送 2 · 失败 0 · 待发送 0 · 跳过 3',
    )
    expect(deliveryLine({ sent: 0, failed: 0, skipped: 0, pending: 0, total: 0 })).toBe(
      '微信通知：暂无订阅的居民',
    )
    const known = {
      done: { sent: 5, failed: 0, skipped: 0, pending: 0, total: 5 },
      running: { sent: 5, failed: 0, skipped: 0, pending: 3, total: 8 },
    }
    expect(toPoll(['done', 'running', 'new'], known)).toEqual(['running', 'new'])
  })

  it('links to the compose page, or to one announcement', () => {
    expect(announceUrl()).toBe('/official/pages/announce/index')
    expect(announceUrl(published.id)).toBe(`/official/pages/announce/index?id=${published.id}`)
  })
})
