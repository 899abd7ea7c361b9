/**
 * The index generation (table `index_state`, see src/store/schema.ts): a counter that every transaction changing
 * the index increments as its last statement, so it commits with the rows it describes. Answers computed from the
 * index can be cached under the generation read before computing them: when a writer commits, readers see a new
 * generation and recompute. Incrementing last keeps the row lock for the shortest time (writers hold it only while
 * they commit), so concurrent index writers never deadlock on it.
 */
import { sql } from 'drizzle-orm';
import { type Db, rows } from './open-store.js';

/** Increments the index generation inside the caller's transaction (call it after the index writes). */
export async function bumpIndexGeneration(tx: Db): Promise<void> {
  await tx.execute(sql`insert into index_state (id, generation) values (1, 1)
    on conflict (id) do update set generation = index_state.generation + 1`);
}

/** The committed index generation (0 before the first index write). */
export async function indexGeneration(db: Db): Promise<number> {
  const r = await rows<{ g: string | number | null }>(
    db,
    sql`select generation as g from index_state where id = 1`,
  );
  return Number(r[0]?.g ?? 0);
}
