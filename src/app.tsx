import type { PropsWithChildren } from 'react'
import { PreferencesProvider } from './components/preferences'
import './app.css'

function App({ children }: PropsWithChildren) {
  return <PreferencesProvider>{children}</PreferencesProvider>
}

export default App
