/**
 * The intake pages' link to the platform: device storage, the config and station loaders, the
 * receipt hand-over between pages and the resident's session. Everything testable without Taro
 * lives in `draft.ts`, `steps.ts` and `config.ts`.
 */
import Taro from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { api } from '../services'
import { silentLogin } from '../services/login'
import type { Receipt } from '../shared/schemas/intake'
import type { StationSummary } from '../shared/schemas/station'
import { type IntakeConfig, OFFLINE_CONFIG, reviveConfig } from './config'
import type { DraftStorage } from './draft'

export const taroStorage: DraftStorage = {
  get: (key) => Taro.getStorageSync(key),
  set: (key, value) => Taro.setStorageSync(key, value),
  remove: (key) => Taro.removeStorageSync(key),
}

function stored(key: string): unknown {
  try {
    return Taro.getStorageSync(key)
  } catch {
    return undefined
  }
}

function store(key: string, value: unknown): void {
  try {
    Taro.setStorageSync(key, value)
  } catch {
    // A full or private store only costs the cache.
  }
}

const CONFIG_KEY = 'doorstep.intake.config'

export type ConfigState = { config: IntakeConfig; source: 'loading' | 'server' | 'cache' | 'offline' }

/**
 * The intake config: the last answer kept on the device first (so the form paints at once and
 * works offline), then the server's. Nothing in it is personal.
 */
export function useIntakeConfig(): ConfigState & { reload: () => void } {
  const [state, setState] = useState<ConfigState>(() => {
    const cached = stored(CONFIG_KEY)
    return { config: cached ? reviveConfig(cached) : OFFLINE_CONFIG, source: 'loading' }
  })
  const reload = useCallback(() => {
    api
      .get<unknown>('/api/v1/intake-config')
      .then((raw) => {
        store(CONFIG_KEY, raw)
        setState({ config: reviveConfig(raw), source: 'server' })
      })
      .catch(() =>
        setState((current) => ({
          config: current.config,
          source: current.config === OFFLINE_CONFIG ? 'offline' : 'cache',
        })),
      )
  }, [])
  useEffect(reload, [reload])
  return { ...state, reload }
}

export type StationState =
  | { state: 'loading' }
  | { state: 'ready'; station: StationSummary }
  | { state: 'failed'; message: string }

/** The public record of a station (name, bank and branch, region), kept for offline use. */
export function useStation(code: string | null): StationState & { reload: () => void } {
  const cacheKey = code ? `doorstep.intake.station.${code}` : ''
  const [state, setState] = useState<StationState>(() => {
    const cached = cacheKey ? stored(cacheKey) : undefined
    return cached && typeof cached === 'object'
      ? { state: 'ready', station: cached as StationSummary }
      : { state: 'loading' }
  })
  const reload = useCallback(() => {
    if (!code) return
    api
      .get<StationSummary>(`/api/v1/stations/${encodeURIComponent(code)}`)
      .then((station) => {
        store(cacheKey, station)
        setState({ state: 'ready', station })
      })
      .catch((error: unknown) =>
        setState((current) =>
          current.state === 'ready'
            ? current
            : { state: 'failed', message: error instanceof Error ? error.message : '服务点信息加载失败' },
        ),
      )
  }, [code, cacheKey])
  useEffect(reload, [reload])
  return { ...state, reload }
}

/**
 * The receipt travels to the receipt page through device storage, never the URL (no personal
 * data in links; the receipt itself holds none, but the habit is cheap).
 */
const RECEIPT_KEY = 'doorstep.intake.receipt'

export function keepReceipt(receipt: Receipt): void {
  store(RECEIPT_KEY, receipt)
}

export function lastReceipt(): Receipt | null {
  const value = stored(RECEIPT_KEY)
  return value && typeof value === 'object' && 'receipt' in value ? (value as Receipt) : null
}

/** Residents are signed in silently at launch; if that has not happened (yet), do it now. */
export async function ensureSession(): Promise<void> {
  if (!api.tokens.get()) await silentLogin()
}
