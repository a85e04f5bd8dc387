import { z } from 'zod'
import { diff } from '../../../src/shared/diff'
import { matchPolicies } from '../../../src/shared/matcher'
import { isWithin } from '../../../src/shared/regions'
import { LOAN_PARAMETERS } from '../../../src/shared/rules/loan'
import {
  MatcherAnswersSchema,
  MatchResultSchema,
  PocketbookQuerySchema,
  PocketbookSchema,
  PolicyActionSchema,
  type PolicyContent,
  PolicyCreateSchema,
  PolicyDraftSchema,
  type PolicyEntry,
  PolicyEntrySchema,
  PolicyListSchema,
  PolicyParamsSchema,
  PolicyVersionsSchema,
  SearchQuerySchema,
  SearchResultSchema,
} from '../../../src/shared/schemas/policy'
import { search } from '../../../src/shared/search'
import { chinaDate } from '../../../src/shared/working-days'
import { audit } from '../audit'
import { AppError } from '../errors'
import type { AccessScope } from '../policy'
import { cardPng, cardSvg } from '../poster/card'
import { policies } from '../repos/policies'
import { BinaryBody, defineRoute, type Route } from '../route'
import { seedPocketbook } from '../seed'

const NATIONAL = '000000'
const binary = z.custom<BinaryBody>((value) => value instanceof BinaryBody)

let seeded: Promise<unknown> | undefined
/** A fresh deployment loads the shipped pocket-book on its first read (cheap once loaded). */
async function ready() {
  seeded ??= seedPocketbook().catch((error: unknown) => {
    seeded = undefined
    throw error
  })
  await seeded
  return policies.searchable()
}

function summaryOf(entry: PolicyEntry) {
  return {
    id: entry.id,
    title: entry.title,
    summary: entry.summary,
    category: entry.category,
    regions: entry.regions,
    groups: entry.groups,
    source: {
      title: entry.source.title,
      documentNumber: entry.source.documentNumber,
      clause: entry.source.clause,
    },
  }
}

/** Whether a place (a resident's district) falls under an entry's regions. */
function covers(entry: PolicyEntry, region: string): boolean {
  return entry.regions.some((code) => code === NATIONAL || isWithin(region, code) || isWithin(code, region))
}

/** Officials edit entries whose every region lies within theirs; national entries are for administrators. */
function mayEdit(access: AccessScope, content: Pick<PolicyContent, 'regions'>): boolean {
  if (access.rule === 'all') return true
  if (access.rule !== 'region') return false
  return content.regions.every((code) => code !== NATIONAL && isWithin(code, access.region))
}

async function editable(access: AccessScope, id: string): Promise<PolicyEntry> {
  const entry = await policies.get(id)
  if (!entry || !mayEdit(access, entry)) throw new AppError('not_found', { message: '没有找到这条政策' })
  return entry
}

async function publishedEntry(id: string): Promise<PolicyEntry> {
  const { entries } = await ready()
  const entry = entries.get(id)
  if (!entry) throw new AppError('not_found', { message: '没有找到这条政策，可能已下架' })
  return entry
}

function conflict(): AppError {
  return new AppError('conflict', {
    message: '内容已被他人修改，请刷新后再编辑',
    fields: { version: ['版本已过期'] },
  })
}

export const policyRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/pocketbook',
    operationId: 'getPocketbook',
    summary: '已发布的全部口袋书条目（离线副本）；带上本地哈希且未变化时不重发内容',
    tag: 'pocketbook',
    query: PocketbookQuerySchema,
    response: PocketbookSchema,
    async handler({ query, setHeader }) {
      const { etag, entries } = await ready()
      setHeader('ETag', `"${etag}"`)
      setHeader('Cache-Control', 'public, max-age=60')
      return { etag, entries: query.have === etag ? null : [...entries.values()] }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/pocketbook/search',
    operationId: 'searchPocketbook',
    summary: '中文检索口袋书（容错：同义词、错别字），可按类别、群体、地区筛选',
    tag: 'pocketbook',
    query: SearchQuerySchema,
    response: SearchResultSchema,
    async handler({ query, setHeader }) {
      const { etag, index, entries } = await ready()
      setHeader('Cache-Control', 'public, max-age=60')
      const limit = query.limit ?? 10
      const hits = search(index, query.q, limit * 4)
      const items = hits
        .map((hit) => ({ hit, entry: entries.get(hit.id) }))
        .filter((row): row is { hit: typeof row.hit; entry: PolicyEntry } => row.entry !== undefined)
        .filter(({ entry }) => !query.category || entry.category === query.category)
        .filter(
          ({ entry }) => !query.group || entry.groups.length === 0 || entry.groups.includes(query.group),
        )
        .filter(({ entry }) => !query.region || covers(entry, query.region))
        .slice(0, limit)
        .map(({ hit, entry }) => ({ ...summaryOf(entry), score: Math.round(hit.score * 1000) / 1000 }))
      return { etag, items }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/pocketbook/match',
    operationId: 'matchPolicies',
    summary: '政策计算器：按回答列出适用的政策，逐条说明符合、不符合或待确认及原因',
    tag: 'pocketbook',
    body: MatcherAnswersSchema,
    response: MatchResultSchema,
    async handler({ body }) {
      const { entries } = await ready()
      return matchPolicies([...entries.values()], body, chinaDate(new Date()), LOAN_PARAMETERS)
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/policies/{id}',
    operationId: 'getPolicy',
    summary: '一条已发布的口袋书条目，含出处',
    tag: 'pocketbook',
    params: PolicyParamsSchema,
    response: PolicyEntrySchema,
    errors: ['not_found'],
    async handler({ params, setHeader }) {
      setHeader('Cache-Control', 'public, max-age=60')
      return publishedEntry(params.id)
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/policies/{id}/card.svg',
    operationId: 'getPolicyCardSvg',
    summary: '一图看（SVG）',
    tag: 'pocketbook',
    params: PolicyParamsSchema,
    response: binary,
    produces: 'image/svg+xml',
    errors: ['not_found'],
    async handler({ params, setHeader }) {
      setHeader('Cache-Control', 'public, max-age=300')
      const entry = await publishedEntry(params.id)
      return new BinaryBody('image/svg+xml; charset=utf-8', cardSvg(entry))
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/policies/{id}/card.png',
    operationId: 'getPolicyCardPng',
    summary: '一图看（PNG，可保存到相册或转发）',
    tag: 'pocketbook',
    params: PolicyParamsSchema,
    response: binary,
    produces: 'image/png',
    errors: ['not_found'],
    async handler({ params, setHeader }) {
      setHeader('Cache-Control', 'public, max-age=300')
      const entry = await publishedEntry(params.id)
      return new BinaryBody('image/png', await cardPng(entry))
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/manage/policies',
    operationId: 'listManagedPolicies',
    summary: '可编辑的口袋书条目（含草稿、已归档）',
    tag: 'pocketbook',
    response: PolicyListSchema,
    async handler({ access }) {
      await ready()
      return { items: (await policies.all()).filter((entry) => mayEdit(access, entry)) }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/manage/policies',
    operationId: 'createPolicy',
    summary: '新建口袋书条目（草稿）',
    tag: 'pocketbook',
    body: PolicyCreateSchema,
    response: PolicyEntrySchema,
    status: 201,
    errors: ['conflict'],
    async handler({ body, access, caller, requestId }) {
      if (!caller) throw new AppError('unauthenticated')
      if (!mayEdit(access, body.content)) {
        throw new AppError('forbidden', {
          message: '只能为本地区新建条目',
          fields: { 'content.regions': ['超出本地区'] },
        })
      }
      const entry: PolicyEntry = {
        ...body.content,
        id: body.id,
        version: 1,
        status: 'draft',
        updatedAt: new Date().toISOString(),
        editor: caller.account.id,
      }
      if ((await policies.save(entry, null)) !== 'ok') {
        throw new AppError('conflict', { message: '这个编号已被使用', fields: { id: ['编号已被使用'] } })
      }
      await audit({
        action: 'policy_saved',
        actor: caller.account.id,
        target: entry.id,
        requestId,
        detail: { version: 1 },
      })
      return entry
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/api/v1/manage/policies/{id}',
    operationId: 'savePolicyDraft',
    summary: '保存草稿（新版本；基于过期版本保存答 409）',
    tag: 'pocketbook',
    params: PolicyParamsSchema,
    body: PolicyDraftSchema,
    response: PolicyEntrySchema,
    errors: ['not_found', 'conflict'],
    async handler({ params, body, access, caller, requestId }) {
      if (!caller) throw new AppError('unauthenticated')
      const current = await editable(access, params.id)
      if (!mayEdit(access, body.content)) {
        throw new AppError('forbidden', {
          message: '只能编辑本地区的条目',
          fields: { 'content.regions': ['超出本地区'] },
        })
      }
      if (body.version !== current.version) throw conflict()
      const entry: PolicyEntry = {
        ...body.content,
        id: current.id,
        version: current.version + 1,
        status: 'draft',
        updatedAt: new Date().toISOString(),
        editor: caller.account.id,
      }
      if ((await policies.save(entry, current.version)) !== 'ok') throw conflict()
      await audit({
        action: 'policy_saved',
        actor: caller.account.id,
        target: entry.id,
        requestId,
        detail: { version: entry.version },
      })
      return entry
    },
  }),
  ...(['publish', 'archive'] as const).map((action) =>
    defineRoute({
      method: 'POST',
      path: `/api/v1/manage/policies/{id}/${action}`,
      operationId: action === 'publish' ? 'publishPolicy' : 'archivePolicy',
      summary: action === 'publish' ? '发布（居民立即看到，检索和计算器随之更新）' : '归档（下架）',
      tag: 'pocketbook',
      params: PolicyParamsSchema,
      body: PolicyActionSchema,
      response: PolicyEntrySchema,
      errors: ['not_found', 'conflict'],
      async handler({ params, body, access, caller, requestId }) {
        if (!caller) throw new AppError('unauthenticated')
        const current = await editable(access, params.id)
        if (body.version !== current.version) throw conflict()
        const status = action === 'publish' ? 'published' : 'archived'
        if (current.status === status) throw new AppError('conflict', { message: '已经是这个状态' })
        const entry: PolicyEntry = {
          ...current,
          version: current.version + 1,
          status,
          updatedAt: new Date().toISOString(),
          editor: caller.account.id,
        }
        if ((await policies.save(entry, current.version)) !== 'ok') throw conflict()
        await audit({
          action: action === 'publish' ? 'policy_published' : 'policy_archived',
          actor: caller.account.id,
          target: entry.id,
          requestId,
          detail: { version: entry.version },
        })
        return entry
      },
    }),
  ),
  defineRoute({
    method: 'GET',
    path: '/api/v1/manage/policies/{id}/versions',
    operationId: 'listPolicyVersions',
    summary: '全部版本及每个版本改了什么',
    tag: 'pocketbook',
    params: PolicyParamsSchema,
    response: PolicyVersionsSchema,
    errors: ['not_found'],
    async handler({ params, access }) {
      await editable(access, params.id)
      const versions = await policies.versions(params.id)
      return {
        items: versions.map((entry, i) => ({
          version: entry.version,
          status: entry.status,
          updatedAt: entry.updatedAt,
          editor: entry.editor,
          changes: diff(i > 0 ? versions[i - 1] : {}, entry, ['updatedAt', 'editor', 'version']),
        })),
      }
    },
  }),
]
