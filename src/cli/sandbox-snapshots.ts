import type { OperatorCommand } from './sandbox.js';

interface Restored {
  name: string;
  rowCount: number;
  ms: number;
}
interface Info {
  name: string;
  createdAt: string;
  rowCount: number;
}

const restored = (r: Restored) => `Restored ${r.name}: ${r.rowCount} rows in ${r.ms} ms`;
const name = ([n]: string[]) => `/snapshots/${encodeURIComponent(n)}`;

/** `sandbox reset` and `sandbox snapshot save|restore|list|delete`. */
export const sandboxSnapshotCommands: OperatorCommand[] = [
  { words: ['reset'], description: 'return the store to the loaded fixtures (or the demo), for every server process', method: 'POST', path: '/reset', print: restored },
  {
    words: ['snapshot', 'save'],
    description: 'save the whole store (credentials and the test clock included) under a name',
    args: ['<name>'],
    method: 'PUT',
    path: name,
    print: (i: Info) => `Saved ${i.name}: ${i.rowCount} rows at ${i.createdAt}`,
  },
  { words: ['snapshot', 'restore'], description: 'replace the whole store with a saved snapshot', args: ['<name>'], method: 'POST', path: (a) => `${name(a)}/restore`, print: restored },
  {
    words: ['snapshot', 'list'],
    description: 'list saved snapshots (@baseline is what reset returns to)',
    method: 'GET',
    path: '/snapshots',
    print: (list: Info[]) => list.map((i) => `${i.name.padEnd(24)} ${i.createdAt} ${i.rowCount} rows`).join('\n') || 'no snapshots',
  },
  { words: ['snapshot', 'delete'], description: 'forget a snapshot', args: ['<name>'], method: 'DELETE', path: name, print: () => 'Deleted' },
];
