// One holder at a time per catalog file within a process (src/store/fileMutex.ts): turns in arrival order; a taker
// that waits longer than its waitMs gets null and its turn, when it comes, is passed straight on.
import { describe, expect, it } from 'vitest';
import { takeTurn } from '../../src/store/fileMutex.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('takeTurn', () => {
  it('gives turns one at a time, in the order asked', async () => {
    const order: string[] = [];
    const holder = async (name: string) => {
      const end = (await takeTurn('/test/a.duckdb'))!;
      order.push(`${name} in`);
      await tick(10);
      order.push(`${name} out`);
      end();
    };
    await Promise.all([holder('first'), holder('second'), holder('third')]);
    expect(order).toEqual(['first in', 'first out', 'second in', 'second out', 'third in', 'third out']);
  });

  it('answers null after waitMs while the file is held, and passes that turn on to the next taker', async () => {
    const end = (await takeTurn('/test/b.duckdb'))!;
    const started = Date.now();
    expect(await takeTurn('/test/b.duckdb', { waitMs: 50 })).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    const next = takeTurn('/test/b.duckdb', { waitMs: 5_000 });
    end();
    const endNext = await next; // not stuck behind the abandoned turn
    expect(endNext).toBeTypeOf('function');
    endNext!();
  });

  it('tells the holder when another asks for the file', async () => {
    let wanted = 0;
    const end = (await takeTurn('/test/c.duckdb', { onWanted: () => void (wanted += 1) }))!;
    const other = takeTurn('/test/c.duckdb');
    expect(wanted).toBe(1);
    end();
    (await other)!();
  });
});
