/**
 * The pocket-book pages' link to the platform: Taro storage and the API behind the plain logic
 * of `pocketbook.ts`. Used by the 口袋书 tab (main package) and the `book` subpackage's pages.
 */
import Taro from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { StationSummary } from '../shared/schemas/station'
import { api } from './index'
import {
  type KeyValueStorage,
  PLACE_KEY,
  type Place,
  type PocketbookAnswer,
  type PocketbookCopy,
  readCopy,
  refreshCopy,
  revivePlace,
} from './pocketbook'

export const taroStorage: KeyValueStorage = {
  get: (key) => Taro.getStorageSync(key),
  set: (key, value) => Taro.setStorageSync(key, value),
}

export type PocketbookState =
  | { state: 'loading'; copy: PocketbookCopy | null }
  /** The server confirmed or replaced the copy. */
  | { state: 'fresh'; copy: PocketbookCopy }
  /** No answer: the stored copy (if any) is shown with 离线内容. */
  | { state: 'offline'; copy: PocketbookCopy | null; message: string }

const fetchBook = (have: string | undefined) =>
  api.get<PocketbookAnswer>('/api/v1/pocketbook', { query: { have } })

/**
 * The published pocket-book: the stored copy at once, then the server's answer (entries cross the
 * network only when they changed). `refresh` asks again, e.g. when the tab is shown once more.
 */
export function usePocketbook(): PocketbookState & { refresh: () => void } {
  const [state, setState] = useState<PocketbookState>(() => ({
    state: 'loading',
    copy: readCopy(taroStorage),
  }))
  const latest = useRef(state.copy)
  latest.current = state.copy

  const refresh = useCallback(() => {
    refreshCopy(taroStorage, latest.current ?? readCopy(taroStorage), fetchBook).then((result) => {
      if (result.status === 'offline') {
        const message = result.error instanceof Error ? result.error.message : '网络连接不稳定'
        setState({ state: 'offline', copy: result.copy, message })
      } else {
        setState({ state: 'fresh', copy: result.copy })
      }
    })
  }, [])

  useEffect(refresh, [refresh])
  return { ...state, refresh }
}

/** The kept place of this station, if that is the one kept. */
function keptPlace(code: string | null): Place | null {
  try {
    const kept = revivePlace(Taro.getStorageSync(PLACE_KEY))
    return code && kept?.code === code ? kept : null
  } catch {
    return null
  }
}

/**
 * Where the resident's chosen station is (region and district), kept on the device so the
 * region filter works offline; null when no station has been chosen.
 */
export function useStationPlace(code: string | null): Place | null {
  // The kept place paints the first frame already filtered; the server's answer then confirms it.
  const [place, setPlace] = useState<Place | null>(() => keptPlace(code))
  useEffect(() => {
    setPlace(keptPlace(code))
    if (!code) return
    api
      .get<StationSummary>(`/api/v1/stations/${encodeURIComponent(code)}`)
      .then((station) => {
        const found: Place = {
          code: station.code,
          regionCode: station.regionCode,
          districtName: station.districtName,
        }
        try {
          Taro.setStorageSync(PLACE_KEY, found)
        } catch {
          // Only the offline region filter is lost.
        }
        setPlace(found)
      })
      .catch(() => undefined)
  }, [code])
  return place
}
