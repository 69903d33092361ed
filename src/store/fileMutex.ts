// One holder at a time per catalog file within this process. DuckDB's file lock keeps other processes out, but two
// DuckDB instances of one process on the same file are not kept apart (the lock is the process's), and would
// corrupt it: the server runs requests and jobs side by side in one process, each opening the catalog. Catalog.open
// takes the file's turn here first; close() gives it back.
const tails = new Map<string, Promise<void>>();

/** Waits for the file's turn; resolves to the function that ends it. */
export async function takeTurn(file: string): Promise<() => void> {
  const before = tails.get(file) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = before.then(() => mine);
  tails.set(file, tail);
  await before;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
    if (tails.get(file) === tail) tails.delete(file);
  };
}
