import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listAudit } from '../../api/_lib/audit'
import type { PolicyEntry } from '../../src/shared/schemas/policy'
import { startTestApi, type TestApi } from '../support/api-server'

/** The pocket-book through the API: offline copy, search, 一图看, matcher, and editing that takes effect at once. */
describe('the pocket-book API', () => {
  let api: TestApi
  let official: string
  beforeAll(async () => {
    api = await startTestApi('tcp')
    official = await api.login('demo-official') // 青岛 (370200)
  })
  afterAll(async () => {
    await api?.close()
  })

  const json = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' })

  it('serves the published entries with their hash, and nothing when the copy is current', async () => {
    const full = await api.call('/api/v1/pocketbook')
    const { etag, entries } = full.body as { etag: string; entries: PolicyEntry[] }
    expect(entries.length).toBeGreaterThanOrEqual(30)
    expect(full.headers.get('etag')).toBe(`"${etag}"`)
    for (const entry of entries) expect(entry.source.clause).toBeTruthy()
    const again = await api.call(`/api/v1/pocketbook?have=${etag}`)
    expect(again.body).toEqual({ etag, entries: null })
  })

  it('searches in Chinese, filtered by region', async () => {
    const all = await api.call(`/api/v1/pocketbook/search?q=${encodeURIComponent('创业担保贷款')}&limit=20`)
    const ids = (all.body as { items: { id: string }[] }).items.map((item) => item.id)
    expect(ids.some((id) => id.startsWith('cq-'))).toBe(true)
    const qingdao = await api.call(
      `/api/v1/pocketbook/search?q=${encodeURIComponent('创业担保贷款')}&region=370202&limit=20`,
    )
    const local = (qingdao.body as { items: { id: string }[] }).items.map((item) => item.id)
    expect(local.length).toBeGreaterThan(0)
    expect(local.filter((id) => id.startsWith('cq-'))).toEqual([])
    const empty = await api.call('/api/v1/pocketbook/search?q=')
    expect(empty.status).toBe(400)
    expect(JSON.stringify(empty.body)).toContain('q')
  })

  it('draws 一图看 as SVG and as a PNG with the fonts embedded', async () => {
    const svg = await api.call('/api/v1/policies/qd-jiuxiangjia/card.svg')
    expect(svg.status).toBe(200)
    expect(svg.text).toContain('就享家')
    expect(svg.text).toContain('依据')
    const png = await fetch(`${api.url}/api/v1/policies/qd-jiuxiangjia/card.png`)
    expect(png.headers.get('content-type')).toBe('image/png')
    const image = PNG.sync.read(Buffer.from(await png.arrayBuffer()))
    expect(image.width).toBe(750)
    expect(image.height).toBeGreaterThan(600)
    // Text was drawn: the red header holds light pixels (the title) among the red.
    let light = 0
    for (let y = 80; y < 200; y++) {
      for (let x = 48; x < 700; x++) {
        const i = (y * image.width + x) * 4
        if ((image.data[i] ?? 0) > 230 && (image.data[i + 1] ?? 0) > 230) light++
      }
    }
    expect(light).toBeGreaterThan(500)
    expect((await api.call('/api/v1/policies/no-such-entry/card.png')).status).toBe(404)
  })

  it('lets an official change a rule, and the matcher answers differently at once, without a deploy', async () => {
    const ask = async () => {
      const answer = await api.call('/api/v1/pocketbook/match', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ region: '370202', groups: ['other'] }),
      })
      return (answer.body as { items: { id: string; verdict: string }[] }).items.find(
        (item) => item.id === 'qd-jiuxiangjia',
      )
    }
    expect((await ask())?.verdict).toBe('met')
    const current = (await api.call('/api/v1/manage/policies', { headers: json(official) })).body as {
      items: PolicyEntry[]
    }
    const entry = current.items.find((item) => item.id === 'qd-jiuxiangjia')
    if (!entry) throw new Error('the Qingdao entry is missing')
    const { id: _id, version, status: _status, updatedAt: _updatedAt, editor: _editor, ...content } = entry
    const rules = {
      id: 'qd-jiuxiangjia.group',
      fact: 'groups',
      op: 'includesAny',
      value: ['graduate', 'migrant_returnee', 'veteran'],
      label: '属于重点群体',
    }
    const saved = await api.call('/api/v1/manage/policies/qd-jiuxiangjia', {
      method: 'PUT',
      headers: json(official),
      body: JSON.stringify({
        version,
        content: { ...content, conditions: { ...content.conditions, rules } },
      }),
    })
    expect(saved.status).toBe(200)
    const draft = saved.body as PolicyEntry
    expect(draft.status).toBe('draft')
    // A draft changes nothing residents see.
    expect((await ask())?.verdict).toBe('met')
    const stale = await api.call('/api/v1/manage/policies/qd-jiuxiangjia/publish', {
      method: 'POST',
      headers: json(official),
      body: JSON.stringify({ version }),
    })
    expect(stale.status).toBe(409)
    const published = await api.call('/api/v1/manage/policies/qd-jiuxiangjia/publish', {
      method: 'POST',
      headers: json(official),
      body: JSON.stringify({ version: draft.version }),
    })
    expect(published.status).toBe(200)
    expect((await ask())?.verdict).toBe('not_met')

    const versions = await api.call('/api/v1/manage/policies/qd-jiuxiangjia/versions', {
      headers: json(official),
    })
    const items = (
      versions.body as { items: { version: number; status: string; changes: { field: string }[] }[] }
    ).items
    expect(items.map((item) => item.status)).toEqual(['published', 'draft', 'published'])
    expect(items[1]?.changes.map((change) => change.field)).toContain('conditions.rules.fact')
    const day = new Date().toISOString().slice(0, 10)
    const trail = (await listAudit(day, 1000)).filter((event) => event.target === 'qd-jiuxiangjia')
    expect(trail.map((event) => event.action).sort()).toEqual(['policy_published', 'policy_saved'])
  })

  it('keeps officials to their region: a Chongqing entry is not theirs to edit', async () => {
    const theirs = await api.call('/api/v1/manage/policies/cq-help-points/versions', {
      headers: json(official),
    })
    expect(theirs.status).toBe(404)
    const listed = (await api.call('/api/v1/manage/policies', { headers: json(official) })).body as {
      items: PolicyEntry[]
    }
    expect(listed.items.every((item) => item.regions.every((code) => code.startsWith('37')))).toBe(true)
  })

  it('finds a newly published word in search right away', async () => {
    const current = (await api.call('/api/v1/manage/policies', { headers: json(official) })).body as {
      items: PolicyEntry[]
    }
    const entry = current.items.find((item) => item.id === 'qd-qingchuangtong')
    if (!entry) throw new Error('missing entry')
    const { id: _id, version, status: _s, updatedAt: _u, editor: _e, ...content } = entry
    const saved = (
      await api.call('/api/v1/manage/policies/qd-qingchuangtong', {
        method: 'PUT',
        headers: json(official),
        body: JSON.stringify({
          version,
          content: { ...content, keywords: [...content.keywords, '海鸥计划'] },
        }),
      })
    ).body as PolicyEntry
    await api.call('/api/v1/manage/policies/qd-qingchuangtong/publish', {
      method: 'POST',
      headers: json(official),
      body: JSON.stringify({ version: saved.version }),
    })
    const found = await api.call(`/api/v1/pocketbook/search?q=${encodeURIComponent('海鸥计划')}`)
    expect((found.body as { items: { id: string }[] }).items[0]?.id).toBe('qd-qingchuangtong')
  })
})
