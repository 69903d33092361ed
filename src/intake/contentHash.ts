// The identity of a submission's bytes (the report's sha256; the store recognises a file sent twice by it). A
// file: sha256 of its bytes. A folder of CSV files: sha256 over its files in sorted order of relative name (with "/"
// separators), each as name, byte length and bytes, under a domain-separating prefix, so that two folders hash
// alike exactly when they hold the same files with the same bytes.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

async function feed(hash: Hash, path: string): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

function filesOf(root: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    const stat = statSync(join(root, rel));
    if (stat.isDirectory()) out.push(...filesOf(root, rel));
    else if (stat.isFile()) out.push(rel);
  }
  return out;
}

export async function contentHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  if (!statSync(path).isDirectory()) {
    await feed(hash, path);
    return hash.digest('hex');
  }
  hash.update('iapt-folder-v1\0');
  const names = filesOf(path).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const full = join(path, ...name.split('/'));
    hash.update(`${Buffer.byteLength(name)}:${name}\0${statSync(full).size}\0`);
    await feed(hash, full);
  }
  return hash.digest('hex');
}
