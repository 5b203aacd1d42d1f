// PostgreSQL's own client, psql, for the store benchmark's limit (`\copy`): Debian's
// `postgresql-client`, installed with apt-get when missing (root), else the benchmark says why not.

import { aptInstall } from '../apt.js';
import { existsSync } from 'node:fs';

const PATH = '/usr/bin/psql';

export async function psqlPath(): Promise<{ path: string } | { skipped: string }> {
  if (existsSync(PATH)) return { path: PATH };
  if (process.getuid?.() !== 0)
    return { skipped: 'psql is missing and this user cannot install it (apt-get install postgresql-client)' };
  try {
    aptInstall('postgresql-client');
  } catch (err) {
    return { skipped: `apt-get install postgresql-client failed: ${(err as Error).message.split('\n')[0]}` };
  }
  return existsSync(PATH) ? { path: PATH } : { skipped: 'postgresql-client installed but no psql found' };
}
