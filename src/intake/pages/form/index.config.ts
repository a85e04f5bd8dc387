export default definePageConfig({ navigationBarTitleText: '创业担保贷款预受理' })
