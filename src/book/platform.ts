/**
 * The book pages' link to the platform beyond the offline copy (`services/use-pocketbook.ts`):
 * station names for “去哪里办”, kept on the device so an entry reads fully offline.
 *
 * Storage key: `doorstep.book.stations.v1` → `{ [station code]: station name }`.
 */
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { api } from '../services'
import type { StationList } from '../shared/schemas/station'

const STATIONS_KEY = 'doorstep.book.stations.v1'

function storedNames(): Record<string, string> {
  try {
    const raw: unknown = Taro.getStorageSync(STATIONS_KEY)
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      return Object.fromEntries(
        Object.entries(raw).filter((pair): pair is [string, string] => typeof pair[1] === 'string'),
      )
    }
  } catch {
    // Unreadable storage: the codes are shown instead of names.
  }
  return {}
}

/** Station code → name: the stored list at once, then the server's. */
export function useStationNames(): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>(storedNames)
  useEffect(() => {
    api
      .get<StationList>('/api/v1/stations')
      .then((list) => {
        const fresh = Object.fromEntries(list.items.map((station) => [station.code, station.name]))
        setNames(fresh)
        try {
          Taro.setStorageSync(STATIONS_KEY, fresh)
        } catch {
          // Only the offline names are lost.
        }
      })
      .catch(() => undefined)
  }, [])
  return names
}
