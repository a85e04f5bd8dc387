import { randomBytes } from 'node:crypto'
import { DEMO_ACCOUNTS, DEMO_SEED_VERSION, DEMO_STATIONS } from './demo-data'
import { hashPassword } from './passwords'
import { POCKETBOOK_ENTRIES } from './pocketbook-data'
import { accounts } from './repos/accounts'
import { policies } from './repos/policies'
import { stations } from './repos/stations'
import { store } from './store'
import { keys } from './store/keys'

/**
 * Writes the demo stations once per data version. Run again after a crash half-way, it simply
 * writes them again (each write is a whole-record replace), then marks the version.
 */
export async function seedDemoStations(): Promise<{ seeded: boolean }> {
  const { redis } = store()
  const current = await redis.get<string>(keys.seedVersion())
  if (current !== null && String(current) === DEMO_SEED_VERSION) return { seeded: false }
  for (const station of DEMO_STATIONS) await stations.put(station)
  await redis.set(keys.seedVersion(), DEMO_SEED_VERSION)
  return { seeded: true }
}

export interface DemoLogin {
  username: string
  password: string
  role: string
  displayName: string
}

/** A password that passes any reasonable strength rule: 16 characters from 4 classes. */
export function generateDemoPassword(): string {
  const body = randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')
  return `Ds-${body}7a`
}

/**
 * Ensures one demo account per role with the given passwords (creating or resetting them), and
 * returns the logins to print. Only `npm start` calls this, and only for an embedded store
 * outside production.
 */
export async function ensureDemoAccounts(passwords: Record<string, string>): Promise<DemoLogin[]> {
  const logins: DemoLogin[] = []
  for (const demo of DEMO_ACCOUNTS) {
    const password = passwords[demo.username] ?? generateDemoPassword()
    const passwordHash = await hashPassword(password)
    const existing = await accounts.findByUsername(demo.username)
    if (existing) {
      await accounts.replace({ ...existing, ...demo, passwordHash, disabled: false })
    } else {
      await accounts.create({ ...demo, passwordHash })
    }
    logins.push({ username: demo.username, password, role: demo.role, displayName: demo.displayName })
  }
  return logins
}

/**
 * The pocket-book's shipped content (real policy text with sources, not demo data): loaded in
 * every environment, production included, for entries not stored yet. Edits are never overwritten.
 */
export async function seedPocketbook(): Promise<{ added: number }> {
  return { added: await policies.seedMissing(POCKETBOOK_ENTRIES) }
}
