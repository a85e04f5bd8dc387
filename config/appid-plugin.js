// Taro copies the root project.config.json (WeChat) into dist/weapp. The appid there comes
// from the build environment — TARO_APP_WECHAT_APPID — so a real appid never lives in the repo;
// without it the build keeps WeChat's tourist appid ("touristappid"), which DevTools accepts
// for local preview.
const fs = require('node:fs')
const path = require('node:path')

module.exports = (ctx) => {
  ctx.onBuildComplete(() => {
    if (process.env.TARO_ENV !== 'weapp') return
    const file = path.join(ctx.paths.outputPath, 'project.config.json')
    if (!fs.existsSync(file)) return
    const config = JSON.parse(fs.readFileSync(file, 'utf8'))
    config.appid = process.env.TARO_APP_WECHAT_APPID || 'touristappid'
    fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`)
  })
}
