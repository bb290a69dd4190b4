// The ground truth of a capture: per HTTP request, TTFT and every ITL gap as
// the wire saw them.
//
// Ground truth definition. Per connection, a request starts at the capture
// time of the packet carrying the last byte of the HTTP request
// (client→server). An event's wire time is the capture time of the packet
// carrying the last byte of that SSE event (server→client, after HTTP
// chunked decoding; bytes captured ahead of a gap count from when the gap
// filled, which on loopback does not happen). The same StreamMeter and
// protocol adapter k6 uses decide which events carry tokens, fed with
// (wire time − request start) for each event, so wire TTFT = first
// token-bearing event's wire time − request start and the ITL gaps are those
// between consecutive token-bearing events.

import { StreamMeter } from '../../src/measure/stream-meter.ts';
import type { RequestRecord } from '../../src/measure/request-record.ts';
import type { ProtocolAdapter } from '../../src/protocols/protocol.ts';
import { HttpWireConnection, type WireRequest } from './http-wire.ts';
import { readPcapFile, type PcapCounts, type TcpSegment } from './pcap.ts';
import { TcpFlows, type ConnectionInfo, type FlowCounts } from './tcp-flows.ts';

/** One request as the capture shows it. */
export interface WireTruth {
  connection: number;
  client: string;
  clientPort: number;
  /** The request's place on its connection, from 0. */
  index: number;
  method: string;
  target: string;
  /** Request start: capture time of its last byte (ns since the capture's base second). */
  startNs: number;
  /** Status of the response; 0 when none was captured. */
  status: number;
  eventStream: boolean;
  /** Capture time of every SSE event (ns), in order. */
  eventNs: number[];
  /** The response ended as its framing says. */
  complete: boolean;
  /** StreamMeter's figures from the wire times (ms from request start); null for a request without a streamed answer. */
  record: RequestRecord | null;
}

/** Everything the analysis of one capture found. */
export interface WireAnalysis {
  requests: WireTruth[];
  /** The Unix second capture times count from (-1 for an empty capture). */
  baseSec: number;
  pcap: PcapCounts;
  flows: FlowCounts;
  /** Connections whose bytes stopped being readable as HTTP, with the first reason. */
  unreadable: { connection: number; why: string }[];
  /** Bytes of an incomplete last record (tcpdump stopped mid-write). */
  leftoverBytes: number;
}

interface Pending {
  truth: WireTruth;
  meter: StreamMeter | null;
  headNs: number;
}

/** Builds WireTruth for every request of a stream of TCP segments. */
export class WireTruthCollector {
  private readonly adapter: ProtocolAdapter;
  readonly flows: TcpFlows;
  readonly requests: WireTruth[] = [];
  readonly unreadable: { connection: number; why: string }[] = [];

  constructor(adapter: ProtocolAdapter) {
    this.adapter = adapter;
    this.flows = new TcpFlows((info) => this.open(info));
  }

  push(segment: TcpSegment): void {
    this.flows.push(segment);
  }

  /** Ends every open connection; call once after the last segment. */
  finish(): void {
    this.flows.finish();
  }

  private open(info: ConnectionInfo): HttpWireConnection {
    const adapter = this.adapter;
    // Requests in order; responses answer them in the same order (HTTP/1.1).
    const waiting: Pending[] = [];
    const byIndex = new Map<number, Pending>();
    const done = (p: Pending, endNs: number, complete: boolean): void => {
      p.truth.complete = complete;
      if (p.meter) {
        const t0 = p.truth.startNs;
        p.truth.record = p.meter.finish({
          status: p.truth.status,
          headersMs: p.headNs < 0 ? null : (p.headNs - t0) / 1e6,
          endMs: (endNs - t0) / 1e6,
          error: complete ? null : 'reset',
          isEventStream: p.truth.status >= 200 && p.truth.status < 300 ? p.truth.eventStream : undefined,
        });
      }
      byIndex.delete(p.truth.index);
    };
    const conn: HttpWireConnection = new HttpWireConnection({
      request: (req: WireRequest) => {
        const truth: WireTruth = {
          connection: info.id,
          client: info.client,
          clientPort: info.clientPort,
          index: req.index,
          method: req.method,
          target: req.target,
          startNs: req.endNs,
          status: 0,
          eventStream: false,
          eventNs: [],
          complete: false,
          record: null,
        };
        this.requests.push(truth);
        const p: Pending = { truth, meter: null, headNs: -1 };
        waiting.push(p);
        byIndex.set(req.index, p);
      },
      responseHead: (head) => {
        const p = byIndex.get(head.index);
        if (!p) return;
        p.truth.status = head.status;
        p.truth.eventStream = head.eventStream;
        p.headNs = head.headNs;
        // Times count from the request's start, as the meter's count from its write.
        if (head.eventStream) p.meter = new StreamMeter(adapter, 0);
      },
      event: (index, ev) => {
        const p = byIndex.get(index);
        if (!p) return;
        p.truth.eventNs.push(ev.tsNs);
        p.meter?.onEvent((ev.tsNs - p.truth.startNs) / 1e6, ev.data);
      },
      responseEnd: (index, endNs, complete) => {
        const p = byIndex.get(index);
        if (p) done(p, endNs, complete);
      },
    });
    const end = conn.end.bind(conn);
    conn.end = () => {
      end();
      const problems = conn.problems;
      const why = problems.client ?? problems.server;
      if (why !== null) this.unreadable.push({ connection: info.id, why: `${problems.client !== null ? 'client' : 'server'} sent ${why}` });
      // Requests whose answer never finished (or never came).
      for (const p of waiting) if (byIndex.has(p.truth.index)) done(p, p.truth.eventNs.at(-1) ?? p.truth.startNs, false);
    };
    return conn;
  }
}

/** Reads a capture file and returns the wire truth of every request in it (streamed: memory grows with requests, not bytes). */
export function analyseCapture(path: string, adapter: ProtocolAdapter): WireAnalysis {
  const collector = new WireTruthCollector(adapter);
  const reader = readPcapFile(path, (seg) => collector.push(seg));
  collector.finish();
  return {
    requests: collector.requests,
    baseSec: reader.baseSec,
    pcap: reader.counts,
    flows: collector.flows.counts,
    unreadable: collector.unreadable,
    leftoverBytes: reader.leftover,
  };
}
