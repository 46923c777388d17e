import { readFileSync } from 'node:fs';
import net from 'node:net';

/**
 * Where the system takes the local ports of outgoing connections. A CARLA server's agent
 * ports are W+1 and W+2, so W must not be a port 0 choice (that lies in this range, where
 * the tests' own client sockets take W+1 or W+2: seen as EpisodeReady(false)). Triples are
 * probed below it instead; single-port servers (the relay) bind port 0.
 */
function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A world port W on loopback such that W, W+1 and W+2 are all free right now, below the ephemeral range. */
export async function freePortTriple(): Promise<number> {
  const top = Math.max(12000, ephemeralLow() - 3);
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 10000 + Math.floor(Math.random() * (top - 10000));
    if ((await canListen(base)) && (await canListen(base + 1)) && (await canListen(base + 2))) return base;
  }
  throw new Error('no free port triple found on loopback');
}

/** Whether a TCP connection to host:port is accepted right now. */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host, () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}
