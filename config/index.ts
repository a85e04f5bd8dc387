import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

/**
 * One Taro config for the three targets. The API base URL is fixed at build time: Taro replaces
 * `process.env.TARO_APP_API_BASE` literally, so it is always defined here (empty = same origin,
 * which is what the H5 build served by `npm start` or Vercel wants). Taro reads `TARO_APP_*`
 * only from `.env` files, so the ones a deploy sets in its environment are passed on here too.
 */
export default defineConfig<'webpack5'>(async (merge) => {
  const target = process.env.TARO_ENV ?? 'h5'
  const apiBase = process.env.TARO_APP_API_BASE ?? (target === 'h5' ? '' : 'http://127.0.0.1:3000')
  const base: UserConfigExport<'webpack5'> = {
    projectName: 'doorstep',
    date: '2026-11-23',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${target}`,
    plugins: ['@tarojs/plugin-platform-alipay', require.resolve('./appid-plugin.js')],
    env: {
      TARO_APP_API_BASE: JSON.stringify(apiBase),
      // WeChat subscribe-message template of announcements; empty hides 订阅政策推送.
      TARO_APP_ANNOUNCEMENT_TEMPLATE_ID: JSON.stringify(process.env.TARO_APP_ANNOUNCEMENT_TEMPLATE_ID ?? ''),
    },
    defineConstants: {},
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      output: { filename: '[name].js', chunkFilename: '[name].js' },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      devServer: { host: '127.0.0.1', open: false },
    },
  }
  if (process.env.NODE_ENV === 'development') return merge({}, base, devConfig)
  return merge({}, base, prodConfig)
})
