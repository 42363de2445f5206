/**
 * `--profile`: where a server's CPU went during one row, from the `.cpuprofile` its process wrote
 * (`node --cpu-prof`). Self time is summed per place: a package under node_modules, a file of partnerhub,
 * Node's internals, the garbage collector. Idle time is left out, so the shares are of busy time.
 */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** The place a frame's code lives: "kysely", "fastify", "src/faces/mimecast/auth", "node:internal", "native writev", "(garbage collector)". */
export function placeOf(url: string, functionName: string): string {
  // Frames without a script are the VM's own ("(garbage collector)") or native bindings, named by the call
  // ("writev" is the socket write of responses and queries).
  if (!url) return functionName.startsWith('(') ? functionName : `native ${functionName || '(anonymous)'}`;
  // better-sqlite3 runs the statement synchronously inside this Kysely frame, and the profiler shows no
  // frame for the native call: its self time is SQLite's own work, not Kysely's.
  if (functionName === 'executeQuery' && url.includes('/dialect/sqlite/sqlite-driver')) return 'SQLite engine (native, under kysely executeQuery)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1).replace(/\.(js|ts)$/, '');
  if (url.startsWith('node:')) return url.split('/')[0] === 'node:internal' ? 'node:internal' : url;
  return url.split('/').slice(-2).join('/');
}

/** The `n` places with the most self time, as shares (0…1) of the profile's busy time. */
export function topPlaces(profile: CpuProfile, n = 6): { place: string; share: number }[] {
  const placeById = new Map(profile.nodes.map((node) => [node.id, placeOf(node.callFrame.url, node.callFrame.functionName)]));
  const time = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const place = placeById.get(id) ?? '(unknown)';
    const dt = profile.timeDeltas[i] ?? 0;
    if (place === '(idle)') return;
    busy += dt;
    time.set(place, (time.get(place) ?? 0) + dt);
  });
  if (busy === 0) return [];
  return [...time.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([place, t]) => ({ place, share: t / busy }));
}

export function formatPlaces(places: { place: string; share: number }[]): string {
  return places.map((p) => `${p.place} ${(p.share * 100).toFixed(0)} %`).join(', ');
}
