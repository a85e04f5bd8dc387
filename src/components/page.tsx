import { View } from '@tarojs/components'
import type { PropsWithChildren } from 'react'
import { usePreferences } from './preferences'

/**
 * The root of every page. It carries the large-font class, so one switch on 我的 changes type
 * size and touch targets everywhere (styles in app.css read the CSS variables it sets).
 */
export function Page({ children, className }: PropsWithChildren<{ className?: string }>) {
  const { largeFont } = usePreferences()
  const classes = ['page', largeFont ? 'page--large' : '', className ?? ''].filter(Boolean).join(' ')
  return (
    <View className={classes} data-large-font={largeFont ? 'on' : 'off'}>
      {children}
    </View>
  )
}

export function Section({ title, children }: PropsWithChildren<{ title: string }>) {
  return (
    <View className="section">
      <View className="section__title" role="heading" aria-level={2}>
        {title}
      </View>
      {children}
    </View>
  )
}

/** A calm, readable notice for empty, loading and error states: never a blank page. */
export function Notice({ tone = 'info', children }: PropsWithChildren<{ tone?: 'info' | 'error' }>) {
  return (
    <View className={`notice notice--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </View>
  )
}
