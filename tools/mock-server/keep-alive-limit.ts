// Keep-alive limits as servers built on cpp-httplib (llama.cpp's server among
// them) have them: a connection serves at most --keep-alive-max requests and
// is closed once idle for --keep-alive-idle-ms. Such a server closes the
// connection on its own schedule, and a client that writes its next request
// onto it at that moment gets the connection closed under it with no answer.
// The mock plays that race every time, so a test can count on it: a request
// that arrives on a connection past either limit is not read, routed,
// counted or answered; the connection is closed under it (FIN), as if the
// server had closed it just before the request came.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { MockConfig } from './config.ts';

/** What the mock knows of one kept-alive connection. */
interface ConnectionUse {
  /** Requests answered on it. */
  served: number;
  /** When its last answer ended (performance.now() ms); null while one is in progress. */
  idleSince: number | null;
}

/** The keep-alive limits of one server. */
export class KeepAliveLimit {
  private readonly connections = new WeakMap<Socket, ConnectionUse>();

  /** `config()` is read per request; `onClose` counts a request refused this way; `now` is the clock (ms). */
  constructor(
    private readonly config: () => Readonly<Pick<MockConfig, 'keepAliveMax' | 'keepAliveIdleMs'>>,
    private readonly onClose: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * True when the request may be served (and its end is then watched); false
   * when its connection was past a limit and has been closed under it.
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean {
    const socket = req.socket;
    let use = this.connections.get(socket);
    if (use === undefined) {
      use = { served: 0, idleSince: null };
      this.connections.set(socket, use);
    }
    if (this.pastLimit(use, this.now())) {
      this.onClose();
      socket.destroy();
      return false;
    }
    use.idleSince = null;
    const ended = use;
    res.once('finish', () => {
      ended.served += 1;
      ended.idleSince = this.now();
    });
    return true;
  }

  /** Whether a request arriving now finds the connection already closed by the server's limits. */
  private pastLimit(use: ConnectionUse, nowMs: number): boolean {
    const { keepAliveMax, keepAliveIdleMs } = this.config();
    if (keepAliveMax > 0 && use.served >= keepAliveMax) return true;
    return keepAliveIdleMs > 0 && use.idleSince !== null && nowMs - use.idleSince > keepAliveIdleMs;
  }
}
