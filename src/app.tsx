import { useLaunch } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import { PreferencesProvider } from './components/preferences'
import { api } from './services'
import { silentLogin } from './services/login'
import './app.css'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // Residents are signed in silently where the platform allows it; a failure leaves the
    // public pages working and is retried on the next launch.
    if (!api.tokens.get()) silentLogin().catch(() => {})
  })
  return <PreferencesProvider>{children}</PreferencesProvider>
}

export default App
