import { runCli } from '../../src/main/host/cli'

/**
 * Runs `delivery-desk ARGS --data DIR` in-process with stdout and stderr captured, as the CLI tests need it; `json`
 * is the last line of stdout parsed, when the command was asked for --json and printed something.
 */
export async function runCliCaptured(args: string[], dataDir: string) {
  let out = ''
  let err = ''
  const code = await runCli(
    [...args, '--data', dataDir],
    { write: (s) => void (out += s) },
    { write: (s) => void (err += s) }
  )
  const last = out.trim().split('\n').at(-1)
  return { code, out, err, json: args.includes('--json') && last ? JSON.parse(last) : undefined }
}
