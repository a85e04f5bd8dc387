/**
 * Build-time settings. Taro replaces `process.env.TARO_APP_*` literally when it bundles, so read
 * each one here, by its full name, and nowhere else (config/index.ts always defines them).
 */
export const API_BASE: string = process.env.TARO_APP_API_BASE ?? ''

/** Which target this bundle was built for. */
export const TARGET: 'weapp' | 'alipay' | 'h5' = process.env.TARO_ENV

/** WeChat subscribe-message template of announcements (消息 → 订阅政策推送); empty: not offered. */
export const ANNOUNCEMENT_TEMPLATE_ID: string = process.env.TARO_APP_ANNOUNCEMENT_TEMPLATE_ID ?? ''
