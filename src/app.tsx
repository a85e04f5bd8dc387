import { useLaunch } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import { PreferencesProvider } from './components/preferences'
import { api } from './services'
import { silentLogin } from './services/login'
import { refreshUnreadBadge } from './services/unread'
import './app.css'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // Residents are signed in silently where the platform allows it; a failure leaves the
    // public pages working and is retried on the next launch.
    const signedIn = api.tokens.get() ? Promise.resolve() : silentLogin()
    // Then the 我的 tab shows how many answers to the resident's questions are unread.
    signedIn.then(refreshUnreadBadge).catch(() => {})
  })
  return <PreferencesProvider>{children}</PreferencesProvider>
}

export default App
