import { z } from 'zod'
import { ERROR_TABLE } from '../../src/shared/errors'
import { env } from './env'
import { POLICY } from './policy'
import type { Route } from './route'

/**
 * OpenAPI 3.1 from the route table and the shared zod schemas (zod's own JSON Schema output is
 * draft 2020-12, the dialect OpenAPI 3.1 uses). Named schemas (`.meta({ id })`) become
 * components; everything else is inlined.
 */
type Json = Record<string, unknown>

const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_TABLE) as [string, ...string[]]),
      message: z.string().meta({ description: '给用户看的中文说明' }),
      fields: z.record(z.string(), z.array(z.string())).optional().meta({ description: '字段 → 错误说明' }),
    }),
  })
  .meta({ id: 'ErrorBody' })

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs)
  if (node && typeof node === 'object') {
    const out: Json = {}
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string')
        out[key] = value.replace('#/$defs/', '#/components/schemas/')
      else out[key] = rewriteRefs(value)
    }
    return out
  }
  return node
}

function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Json): Json {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json
  const { $schema: _dialect, $defs, ...rest } = json
  if ($defs && typeof $defs === 'object') {
    for (const [name, def] of Object.entries($defs as Json)) components[name] ??= rewriteRefs(def)
  }
  const id = z.globalRegistry.get(schema)?.id
  if (typeof id === 'string') {
    components[id] ??= rewriteRefs(rest)
    return { $ref: `#/components/schemas/${id}` }
  }
  return rewriteRefs(rest) as Json
}

function parametersOf(
  schema: z.ZodType | undefined,
  where: 'path' | 'query' | 'header',
  components: Json,
): Json[] {
  if (!(schema instanceof z.ZodObject)) return []
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, property]) => {
    const optional = property.safeParse(undefined).success
    const described = toSchema(property, 'input', components)
    return {
      name,
      in: where,
      required: where === 'path' ? true : !optional,
      schema: described,
      ...(typeof described.description === 'string' ? { description: described.description } : {}),
    }
  })
}

function isPublic(route: Route): boolean {
  return POLICY[route.operationId]?.anonymous === 'public'
}

function errorResponses(route: Route): Json {
  const codes = new Set<string>(['internal', 'unavailable', ...(route.errors ?? [])])
  const bodyCodes = ['validation_failed', 'invalid_json', 'payload_too_large', 'unsupported_media_type']
  if (route.body) for (const code of bodyCodes) codes.add(code)
  if (route.params || route.query || route.headers) codes.add('validation_failed')
  if (!isPublic(route)) for (const code of ['unauthenticated', 'forbidden']) codes.add(code)
  const byStatus = new Map<number, string[]>()
  for (const code of codes) {
    const entry = ERROR_TABLE[code as keyof typeof ERROR_TABLE]
    if (!entry) continue
    byStatus.set(entry.status, [...(byStatus.get(entry.status) ?? []), code])
  }
  const out: Json = {}
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: list.join(', '),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    }
  }
  return out
}

export function buildOpenApi(routes: readonly Route[]): Json {
  const components: Json = {}
  toSchema(ErrorBodySchema, 'output', components)
  const paths: Record<string, Json> = {}
  for (const route of routes) {
    const operation: Json = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      parameters: [
        ...parametersOf(route.params, 'path', components),
        ...parametersOf(route.query, 'query', components),
        ...parametersOf(route.headers, 'header', components),
      ],
      responses: {
        [String(route.status ?? 200)]: {
          description: 'OK',
          content: route.produces
            ? { [route.produces]: { schema: { type: 'string', contentMediaType: route.produces } } }
            : { 'application/json': { schema: toSchema(route.response, 'output', components) } },
        },
        ...errorResponses(route),
      },
    }
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: toSchema(route.body, 'input', components) } },
      }
    }
    if (!isPublic(route)) operation.security = [{ bearerAuth: [] }]
    operation['x-access'] = POLICY[route.operationId] ?? {}
    const item = paths[route.path] ?? {}
    item[route.method.toLowerCase()] = operation
    paths[route.path] = item
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '家门口创业服务 API',
      version: env().APP_VERSION,
      description:
        '就享家服务站与助创驿站的创业政策服务接口。错误统一为 { error: { code, message, fields? } }。',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'system', description: '健康检查与接口描述' },
      { name: 'registry', description: '地区、服务站与助创驿站' },
      { name: 'auth', description: '登录与身份' },
    ],
    paths,
    components: {
      schemas: components,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  }
}
