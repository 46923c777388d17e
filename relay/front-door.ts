/**
 * One port, two doors: a connection whose first byte opens a TLS handshake (0x16) goes to the
 * HTTPS server, anything else to the plain-HTTP one, so `http://host:9000/` (where a tablet's
 * first visit lands) and `https://host:9000/` are the same address. Hand-written rather than
 * httpolyglot, which also answers HTTP/2 — over which ws cannot upgrade.
 */
import net from 'node:net';
import type http from 'node:http';

const TLS_HANDSHAKE = 0x16;

export interface FrontDoor {
  readonly server: net.Server;
  /** Ends every connection it took, whichever door it went through (for a prompt close). */
  destroyAll(): void;
}

export function frontDoor(plain: http.Server, secure: http.Server, firstByteTimeoutMs: number): FrontDoor {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const onError = () => socket.destroy();
    socket.on('error', onError);
    // A connection that never speaks is closed rather than held.
    socket.setTimeout(firstByteTimeoutMs, () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      socket.setTimeout(0);
      socket.off('error', onError);
      (chunk[0] === TLS_HANDSHAKE ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  return { server, destroyAll: () => { for (const s of sockets) s.destroy(); } };
}
