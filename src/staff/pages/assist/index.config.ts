export default definePageConfig({ navigationBarTitleText: '帮办申请' })
