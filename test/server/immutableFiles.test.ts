// The in-memory copy of files that never change (stored submissions' reports): read once, least recently used out
// first within the byte budget, large files never kept.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImmutableFiles } from '../../src/server/immutableFiles.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-immutable-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const file = (name: string, bytes: number) => {
  const path = join(root, name);
  writeFileSync(path, 'x'.repeat(bytes));
  return path;
};

describe('ImmutableFiles', () => {
  it('answers a second read from memory, even once the file is gone', async () => {
    const files = new ImmutableFiles(1000);
    const a = file('a', 50);
    expect((await files.read(a)).length).toBe(50);
    rmSync(a);
    expect((await files.read(a)).length).toBe(50);
    expect(files.size).toEqual({ files: 1, bytes: 50 });
  });

  it('keeps within its budget by dropping the least recently used file', async () => {
    const files = new ImmutableFiles(1000); // files of at most 100 bytes are kept
    const [a, b, c, d] = ['a1', 'b1', 'c1', 'd1'].map((n) => file(n, 100));
    for (const p of [a, b, c, d]) await files.read(p!);
    for (let i = 0; i < 6; i++) await files.read(file(`filler${i}`, 100)); // 10 files: 1,000 bytes, the budget
    await files.read(a!); // a used again: b is now the least recent
    await files.read(file('e1', 100)); // 1,100 bytes: one must go
    expect(files.size).toEqual({ files: 10, bytes: 1000 });
    rmSync(a!);
    rmSync(b!);
    await expect(files.read(a!)).resolves.toHaveLength(100);
    await expect(files.read(b!)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('never keeps a file larger than a tenth of the budget', async () => {
    const files = new ImmutableFiles(1000);
    const big = file('big', 101);
    await files.read(big);
    expect(files.size).toEqual({ files: 0, bytes: 0 });
  });
});
