export default definePageConfig({ navigationBarTitleText: '确认帮办申请' })
