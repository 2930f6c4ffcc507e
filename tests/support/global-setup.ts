/** Vitest global setup: one PostgreSQL cluster for the whole run, stopped at the end. */
import type { TestProject } from 'vitest/node';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';

let cluster: PostgresCluster | undefined;

export async function setup(project: TestProject) {
  cluster = await startPostgresCluster({
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      deadlock_timeout: '100ms',
    },
  });
  project.provide('pgAdminUrl', cluster.adminUrl);
}

export async function teardown() {
  await cluster?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}
