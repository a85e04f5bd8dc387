/**
 * A readable diff between two versions of a record: every changed leaf as `field: before → after`,
 * with dotted paths (`benefits.0.amount`). Enough for an editor to see what a version changed.
 */
export interface Change {
  field: string
  before: string
  after: string
}

function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, '（空）')
    for (const [i, item] of value.entries()) flatten(item, path ? `${path}.${i}` : String(i), out)
    return
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) flatten(item, path ? `${path}.${key}` : key, out)
    return
  }
  out.set(path, value === null || value === undefined ? '（空）' : String(value))
}

export function diff(before: unknown, after: unknown, ignore: readonly string[] = []): Change[] {
  const a = new Map<string, string>()
  const b = new Map<string, string>()
  flatten(before, '', a)
  flatten(after, '', b)
  const fields = [...new Set([...a.keys(), ...b.keys()])].filter(
    (field) => !ignore.some((prefix) => field === prefix || field.startsWith(`${prefix}.`)),
  )
  const changes: Change[] = []
  for (const field of fields.sort()) {
    const was = a.get(field) ?? '（无）'
    const now = b.get(field) ?? '（无）'
    if (was !== now) changes.push({ field, before: was, after: now })
  }
  return changes
}
