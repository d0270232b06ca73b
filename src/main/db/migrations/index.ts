import type { Migration } from './types'
import m0001 from './0001-init'
import m0002 from './0002-workflow'
import m0003 from './0003-auto-title'
import m0004 from './0004-hygiene'
import m0005 from './0005-dmarc-reports'
import m0006 from './0006-watch'
import m0007 from './0007-search-terms'

/** Every migration, in order. Append only: the app refuses to open a database whose history differs. */
export const migrations: Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007]
export type { Migration }
