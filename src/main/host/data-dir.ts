import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/**
 * Where cases live when not under Electron (whose `userData` is used there): `--data DIR`, then
 * `DELIVERY_DESK_DATA`, then the platform's per-user data directory.
 */
export function resolveDataDir(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform
): string {
  if (explicit) return resolve(explicit)
  if (env.DELIVERY_DESK_DATA) return resolve(env.DELIVERY_DESK_DATA)
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Delivery Desk')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Delivery Desk')
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'delivery-desk')
}

export const DB_FILE_NAME = 'delivery-desk.sqlite'
