/** pg-boss (CommonJS `export =`) as a named ESM export. */
import PgBossModule from 'pg-boss';

/** The pg-boss class. */
export const PgBoss = PgBossModule;
