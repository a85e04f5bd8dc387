/// <reference types="@tarojs/taro" />

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'alipay' | 'h5'
    TARO_APP_API_BASE?: string
    TARO_APP_ANNOUNCEMENT_TEMPLATE_ID?: string
  }
}

declare module '*.css'
