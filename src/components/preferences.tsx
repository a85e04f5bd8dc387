import Taro from '@tarojs/taro'
import { createContext, type PropsWithChildren, useCallback, useContext, useMemo, useState } from 'react'

/** Resident display preferences, kept on the device so they survive restarts and reloads. */
export interface Preferences {
  /** 适老化 large-font mode: bigger type, bigger touch targets, on every page. */
  largeFont: boolean
}

const STORAGE_KEY = 'doorstep.preferences'
const DEFAULTS: Preferences = { largeFont: false }

function readStored(): Preferences {
  try {
    const raw: unknown = Taro.getStorageSync(STORAGE_KEY)
    if (raw && typeof raw === 'object' && 'largeFont' in raw) {
      return { largeFont: (raw as { largeFont: unknown }).largeFont === true }
    }
  } catch {
    // Storage can be unavailable (private browsing, quota); the defaults still work.
  }
  return DEFAULTS
}

interface PreferencesValue extends Preferences {
  setLargeFont(on: boolean): void
}

const PreferencesContext = createContext<PreferencesValue>({ ...DEFAULTS, setLargeFont: () => {} })

export function PreferencesProvider({ children }: PropsWithChildren) {
  const [prefs, setPrefs] = useState<Preferences>(readStored)
  const setLargeFont = useCallback((on: boolean) => {
    const next = { largeFont: on }
    setPrefs(next)
    try {
      Taro.setStorageSync(STORAGE_KEY, next)
    } catch {
      // Keeping the choice for this visit is better than failing the switch.
    }
  }, [])
  const value = useMemo(() => ({ ...prefs, setLargeFont }), [prefs, setLargeFont])
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>
}

export function usePreferences(): PreferencesValue {
  return useContext(PreferencesContext)
}
