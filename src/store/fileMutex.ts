// One holder at a time per catalog file within this process. DuckDB's file lock keeps other processes out, but two
// DuckDB instances of one process on the same file are not kept apart (the lock is the process's), and would
// corrupt it: the server runs requests and jobs side by side in one process, each opening the catalog. Catalog.open
// takes the file's turn here first; close() gives it back. A holder that keeps the file open between uses (the
// server's lingering catalog, src/server/catalogLease.ts) says so with `onWanted`, and is told when another wants it.
const tails = new Map<string, Promise<void>>();
const wantedCallbacks = new Map<string, () => void>();

/**
 * Waits for the file's turn; resolves to the function that ends it, or to null when `waitMs` passed first (the turn,
 * when it comes, is then passed straight on). `onWanted` is called when another waits for it meanwhile.
 */
export async function takeTurn(file: string, options: { onWanted?: () => void; waitMs?: number } = {}): Promise<(() => void) | null> {
  wantedCallbacks.get(file)?.();
  const before = tails.get(file) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = before.then(() => mine);
  tails.set(file, tail);
  if (options.waitMs !== undefined) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), options.waitMs)));
    const first = await Promise.race([before.then(() => 'turn' as const), late]);
    clearTimeout(timer);
    if (first === 'late') {
      void before.then(() => {
        release();
        if (tails.get(file) === tail) tails.delete(file);
      });
      return null;
    }
  } else {
    await before;
  }
  const onWanted = options.onWanted;
  if (onWanted) {
    wantedCallbacks.set(file, onWanted);
    // Someone may have queued behind this turn while it was waiting for its own.
    if (tails.get(file) !== tail) queueMicrotask(onWanted);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (onWanted && wantedCallbacks.get(file) === onWanted) wantedCallbacks.delete(file);
    release();
    if (tails.get(file) === tail) tails.delete(file);
  };
}
