// The HTTP server's life: listen, close, and the connection-refused window
// (--down-after-ms / --down-for-ms) in between, when the server stops
// listening and drops every connection, then listens again on the same port.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockConfig } from './config.ts';

/** Where the server listens: the bound address and the /v1 base URL. */
export interface ListenAddress {
  port: number;
  host: string;
  url: string;
}

// A port just released may be briefly busy: relisten retries this often.
const RELISTEN_TRIES = 20;
const RELISTEN_RETRY_MS = 50;

/** Listening state and the down window's timers of one server. */
export class Lifecycle {
  private listening = false;
  private closing = false;
  private boundPort = 0;
  private downTimer: NodeJS.Timeout | null = null;
  private upTimer: NodeJS.Timeout | null = null;

  /** `config()` is read when each step runs; `onDownWindow` counts a window that starts. */
  constructor(
    private readonly server: Server,
    private readonly tls: boolean,
    private readonly config: () => Readonly<MockConfig>,
    private readonly onDownWindow: () => void,
  ) {}

  /** Whether listen() succeeded and close() has not been called (down windows included). */
  get isListening(): boolean {
    return this.listening;
  }

  /** Starts listening on the config's host and port and arms the down window. */
  listen(): Promise<ListenAddress> {
    const { server } = this;
    const { port, host: bindHost } = this.config();
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen(port, bindHost, () => {
        server.off('error', onError);
        this.listening = true;
        const address = server.address() as AddressInfo;
        this.boundPort = address.port;
        const host = this.config().host;
        const urlHost = host.includes(':') ? `[${host}]` : host;
        this.armDownWindow();
        resolve({ port: address.port, host, url: `${this.tls ? 'https' : 'http'}://${urlHost}:${address.port}/v1` });
      });
    });
  }

  /** Arms the connection-refused window of the current config, from now (replacing an armed one). */
  armDownWindow(): void {
    if (this.downTimer !== null) clearTimeout(this.downTimer);
    this.downTimer = null;
    const config = this.config();
    if (config.downForMs <= 0) return;
    this.downTimer = setTimeout(() => {
      this.downTimer = null;
      this.goDown(this.config().downForMs);
    }, config.downAfterMs);
  }

  /** Stops the down window and closes every connection; resolves when the server is closed. */
  close(): Promise<void> {
    this.closing = true;
    if (this.downTimer !== null) clearTimeout(this.downTimer);
    if (this.upTimer !== null) clearTimeout(this.upTimer);
    this.downTimer = this.upTimer = null;
    if (!this.listening) return Promise.resolve();
    this.listening = false;
    return new Promise((resolve) => {
      // During a down window the server is not listening: close() then only reports that.
      this.server.close(() => resolve());
      // Streams and idle keep-alive connections would otherwise hold close() open.
      this.server.closeAllConnections();
    });
  }

  /** Stops listening and drops every connection for `ms`: clients get "connection refused". */
  private goDown(ms: number): void {
    if (!this.listening || this.closing) return;
    this.onDownWindow();
    this.server.close();
    this.server.closeAllConnections();
    this.upTimer = setTimeout(() => this.relisten(RELISTEN_TRIES), ms);
  }

  /** Listens again on the same port after a down window (a few tries if the port is briefly busy). */
  private relisten(triesLeft: number): void {
    this.upTimer = null;
    if (this.closing) return;
    const onError = (): void => {
      if (triesLeft > 0 && !this.closing) this.upTimer = setTimeout(() => this.relisten(triesLeft - 1), RELISTEN_RETRY_MS);
    };
    this.server.once('error', onError);
    this.server.listen(this.boundPort, this.config().host, () => this.server.off('error', onError));
  }
}
