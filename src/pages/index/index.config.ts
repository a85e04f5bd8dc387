export default definePageConfig({ navigationBarTitleText: '家门口创业服务' })
