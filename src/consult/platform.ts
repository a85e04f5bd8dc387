/**
 * The consult pages' link to the platform: device storage, the station loader and the
 * resident's session. Everything testable without Taro lives in `ask-form.ts`, `thread.ts` and
 * `slots.ts`.
 */
import Taro from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { api } from '../services'
import { silentLogin } from '../services/login'
import type { StationSummary } from '../shared/schemas/station'
import type { DraftStorage } from './ask-form'

export const taroStorage: DraftStorage = {
  get: (key) => Taro.getStorageSync(key),
  set: (key, value) => Taro.setStorageSync(key, value),
  remove: (key) => Taro.removeStorageSync(key),
}

/** Residents are signed in silently at launch; if that has not happened (yet), do it now. */
export async function ensureSession(): Promise<void> {
  if (!api.tokens.get()) await silentLogin()
}

/** A station code from a link (`?s=`), upper-cased, or null when it is not one. */
export function stationFromLink(value: string | undefined): string | null {
  const code = value?.trim().toUpperCase()
  return code && /^[A-Z0-9]{4,12}$/.test(code) ? code : null
}

export type StationState =
  | { state: 'loading' }
  | { state: 'ready'; station: StationSummary }
  | { state: 'failed'; message: string }

/** The public record of a station: its name, services and region. */
export function useStation(code: string | null): StationState & { reload: () => void } {
  const [state, setState] = useState<StationState>({ state: 'loading' })
  const reload = useCallback(() => {
    if (!code) return
    api
      .get<StationSummary>(`/api/v1/stations/${encodeURIComponent(code)}`)
      .then((station) => setState({ state: 'ready', station }))
      .catch((error: unknown) =>
        setState({ state: 'failed', message: error instanceof Error ? error.message : '服务点信息加载失败' }),
      )
  }, [code])
  useEffect(reload, [reload])
  return { ...state, reload }
}

/** Back where the resident came from, or the home page when this page was opened directly. */
export function goBackOrHome(): void {
  if (Taro.getCurrentPages().length > 1) Taro.navigateBack()
  else Taro.switchTab({ url: '/pages/index/index' })
}
