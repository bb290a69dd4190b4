// The mock server's --help text: every flag with its default, grouped as
// docs/mock-server.md groups them.

import { FAULT_KINDS } from './config.ts';

/** Usage text for --help. */
export const MOCK_USAGE = `Usage: mock-server [flags]

Mock LLM server (OpenAI chat, completions and responses, Anthropic messages, TGI) with exact, measured token timing.
Every flag has a MOCK_* environment variable equivalent (e.g. MOCK_ITL_MS); flags win.

  --host <addr>              interface to bind (default 127.0.0.1)
  --port <n>                 TCP port, 0 = free port (default 0)
  --ttft-ms <ms>             time to first token (default 200)
  --itl-ms <ms>              inter-token latency (default 20)
  --output-tokens <n>        tokens per response before max_tokens (default 64)
  --tokens-per-chunk <n>     tokens per SSE content chunk (default 1)
  --jitter-ms <ms>           uniform per-token jitter in [-ms, +ms] (default 0)
  --seed <n>                 jitter PRNG seed (default 1)
  --keepalive-every <n>      ': keep-alive' comment every Nth chunk, 0 = off (default 16)
  --crlf                     CRLF SSE line framing instead of LF
  --api-key <key>            require 'Authorization: Bearer <key>' on /v1/*
  --quiet                    no shutdown stats line
  --length-control=<bool>    honour ignore_eos (exactly max_tokens) and min_tokens (default true)
  --reasoning-tokens <n>     the first n tokens of every answer are reasoning (default 0)
  --reasoning-field <name>   the chat delta field of reasoning: reasoning_content or reasoning (default reasoning_content)
  --tool-calls               answer a request that offers tools with a call to its first tool

Prompts (prefill, images, prefix cache; see the README's "The mock server"):
  --prefill-ms-per-token <ms>   prefill per prompt token not supplied by the prefix cache, added to the TTFT (default 0)
  --image-ms-per-kpixel <ms>    prefill per 1000 pixels of each image outside the cached prefix (default 0)
  --image-pixels-per-token <n>  an image is ceil(width x height / n) prompt tokens (default 784: 28 x 28)
  --prefix-cache-blocks <n>     prefix cache of n blocks of 16 tokens; usage then reports cached tokens (default 0 = off)

Faults (seeded by --seed; exactly rate × requests faults, evenly spread, kinds in seeded order):
  --fault-rate <0..1>        share of chat requests given a fault (default 0)
  --faults <list>            mix, e.g. 429:2,503,reset (default: all of
                             ${FAULT_KINDS.join(', ')})
  --retry-after-s <s>        Retry-After of 429/503 answers (default 1)
  --fault-after-tokens <k>   tokens before reset/stall/malformed/stream_error (default 4)
  --stall-ms <ms>            silence of a stall fault (default 5000)
  --down-after-ms <ms>       connection-refused window starts this long after start (default 0)
  --down-for-ms <ms>         length of that window, 0 = none (default 0)
  --scale-to-zero-ms <ms>    scale to zero after this idle gap, 0 = off (starts cold) (default 0)
  --cold-start-ms <ms>       delay of the first request after scaling to zero (default 0)
  --cold-start-503           answer 503 + Retry-After while warming up instead of waiting
  --keep-alive-max <n>       a connection serves n requests; the next one on it finds it closed, unanswered (default 0 = no limit)
  --keep-alive-idle-ms <ms>  a connection idle longer than this is closed under its next request (default 0 = never)
  --tls-cert <file>          serve HTTPS with this PEM certificate (with --tls-key)
  --tls-key <file>           the certificate's PEM private key
  --help                     show this text

Capacity model (continuous batching; off unless --slots is set):
  --slots <n>                decode slots; requests beyond wait in FIFO order, TTFT includes the wait (default 0 = off)
  --batch-slowdown <x>       each decode step takes itl × (1 + x × (running − 1)) (default 0)
  --max-concurrent <n>       refuse with 429 when n requests are in (running + waiting), 0 = no limit (default 0)
`;
