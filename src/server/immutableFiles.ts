// Files that never change once written — a stored submission's validation report — kept in memory after their
// first read, so that a report asked for again and again (a provider's portal, a client polling) costs no file
// system calls. Least recently used first out, within a byte budget; a file larger than a tenth of the budget is
// read each time.
import { readFile } from 'node:fs/promises';

export class ImmutableFiles {
  private readonly files = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly budgetBytes: number) {}

  /** The file's bytes; rejects as readFile does (ENOENT for a missing file). */
  async read(path: string): Promise<Buffer> {
    const kept = this.files.get(path);
    if (kept) {
      this.files.delete(path); // to the back of the Map's order: most recently used
      this.files.set(path, kept);
      return kept;
    }
    const content = await readFile(path);
    if (content.length <= this.budgetBytes / 10 && !this.files.has(path)) {
      this.files.set(path, content);
      this.bytes += content.length;
      for (const [oldest, buffer] of this.files) {
        if (this.bytes <= this.budgetBytes) break;
        this.files.delete(oldest);
        this.bytes -= buffer.length;
      }
    }
    return content;
  }

  get size(): { files: number; bytes: number } {
    return { files: this.files.size, bytes: this.bytes };
  }
}
