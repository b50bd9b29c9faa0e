/**
 * Where a GTFS feed comes from: a directory of .txt files or a .zip of them. Both become the same thing, a
 * map from file name (e.g. `stops.txt`) to its UTF-8 text, so the parser never knows the difference.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { unzipSync } from 'fflate';

/** GTFS file name → file text. */
export type FeedFiles = ReadonlyMap<string, string>;

const decoder = new TextDecoder('utf-8');

/** Reads every .txt file of a feed directory or .zip archive. */
export async function readFeedFiles(pathOrZip: string): Promise<FeedFiles> {
  const info = await stat(pathOrZip);
  if (info.isDirectory()) return readFeedDirectory(pathOrZip);
  return unzipFeed(new Uint8Array(await readFile(pathOrZip)));
}

/** Reads the .txt files at the top of a feed directory. */
async function readFeedDirectory(dir: string): Promise<FeedFiles> {
  const files = new Map<string, string>();
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isFile() && entry.name.toLowerCase().endsWith('.txt')) {
      files.set(entry.name, decoder.decode(await readFile(join(dir, entry.name))));
    }
  }
  return files;
}

/**
 * Feed files in a zip archive. Many published feeds wrap their files in one folder, so we take the .txt
 * files of the shallowest folder that holds `trips.txt` (or of the root when none does); macOS resource
 * forks are ignored.
 */
function unzipFeed(zip: Uint8Array): FeedFiles {
  const entries = unzipSync(zip, {
    filter: (f) => f.name.toLowerCase().endsWith('.txt') && !f.name.startsWith('__MACOSX/'),
  });
  const names = Object.keys(entries);
  const folders = names
    .filter((n) => posix.basename(n) === 'trips.txt')
    .map((n) => posix.dirname(n))
    .sort((a, b) => depth(a) - depth(b));
  const folder = folders[0] ?? '.';
  const files = new Map<string, string>();
  for (const name of names.sort()) {
    if (posix.dirname(name) === folder) files.set(posix.basename(name), decoder.decode(entries[name]!));
  }
  return files;
}

function depth(folder: string): number {
  return folder === '.' ? 0 : folder.split('/').length;
}
