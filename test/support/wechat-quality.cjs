// Runs WeChat's own code-quality scan (miniprogram-ci, offline) on a built dist/weapp and prints
// the result as JSON. A separate process: the scanner starts a file watcher that never ends.
const { generateKeyPairSync } = require('node:crypto')
const { mkdtempSync, writeFileSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { join } = require('node:path')
const ci = require('miniprogram-ci')

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mp-key-'))
  const keyPath = join(dir, 'throwaway.key')
  // A throwaway key: the offline checks need one to build a Project, never to upload.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  writeFileSync(keyPath, privateKey.export({ type: 'pkcs1', format: 'pem' }))
  const project = new ci.Project({
    appid: 'wx0000000000000000',
    type: 'miniProgram',
    projectPath: process.argv[2],
    privateKeyPath: keyPath,
    ignores: ['node_modules/**/*'],
  })
  const quality = await ci.checkCodeQuality(project)
  process.stdout.write(`@@RESULT@@${JSON.stringify(quality)}\n`)
  process.exit(0)
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error))
  process.exit(1)
})
