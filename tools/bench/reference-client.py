"""The bench's reference client: a minimal streaming client of the kind LLM
benchmarks are built on (modelled on the request function of vLLM's
benchmarks: aiohttp, one `async for` over the response lines, json.loads of
every data line, perf_counter times), run against the same mock at the same
concurrency as k6, so that the bench prints what a plain client costs per
token beside what k6-llm costs.

A closed loop: `--concurrency` workers, each sending one streamed chat
request after another until `--duration-s` has passed, every request with a
prompt of its own (`--prompt-tokens` random three-letter words, as k6-llm's
synthetic prompts). One shared session (connections kept alive, no pool
limit). Prints one JSON line of figures at the end. Loopback only.
"""

import argparse
import asyncio
import json
import random
import sys
import time

import aiohttp

WORDS = (
    "the and for are but not you all any can had her was one our out day get has him his how man new now old see "
    "two way who boy did its let put say she too use act add age ago air arm art ask bad bag bed big bit box bus buy"
).split()


def prompt_text(rng: random.Random, tokens: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(tokens))


async def one_request(session, url, model, prompt, max_tokens, out):
    payload = {
        "model": model,
        "messages": [{"role": "user", "content": prompt}],
        "max_tokens": max_tokens,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    st = time.perf_counter()
    ttft = 0.0
    last = st
    tokens = 0
    async with session.post(url, json=payload) as response:
        if response.status != 200:
            out["errors"] += 1
            await response.read()
            return
        async for line in response.content:
            line = line.strip()
            if not line or not line.startswith(b"data: "):
                continue
            chunk = line[6:].decode("utf-8")
            if chunk == "[DONE]":
                continue
            now = time.perf_counter()
            data = json.loads(chunk)
            choices = data.get("choices") or []
            if choices and choices[0].get("delta", {}).get("content"):
                if ttft == 0.0:
                    ttft = now - st
                    out["ttft"].append(ttft * 1000)
                else:
                    out["itl"].append((now - last) * 1000)
                last = now
                tokens += 1
    out["requests"] += 1
    out["tokens"] += tokens


async def worker(session, args, index, deadline, out):
    rng = random.Random(args.seed * 1_000_003 + index)
    while time.monotonic() < deadline:
        try:
            await one_request(session, args.url, args.model, prompt_text(rng, args.prompt_tokens), args.max_tokens, out)
        except (aiohttp.ClientError, asyncio.TimeoutError):
            out["errors"] += 1


def quantile(values, q):
    if not values:
        return None
    s = sorted(values)
    pos = q * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (pos - lo) * (s[hi] - s[lo])


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True, help="the chat completions URL")
    p.add_argument("--model", default="mock")
    p.add_argument("--concurrency", type=int, required=True)
    p.add_argument("--duration-s", type=float, required=True)
    p.add_argument("--prompt-tokens", type=int, default=100)
    p.add_argument("--max-tokens", type=int, default=32)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    if not args.url.startswith("http://127.0.0.1:"):
        sys.exit("invalid --url; expected http://127.0.0.1:<port>/... (loopback only)")
    out = {"requests": 0, "errors": 0, "tokens": 0, "ttft": [], "itl": []}
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=120)
    deadline = time.monotonic() + args.duration_s
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(worker(session, args, i, deadline, out) for i in range(args.concurrency)))
    print(
        json.dumps(
            {
                "requests": out["requests"],
                "errors": out["errors"],
                "tokens": out["tokens"],
                "ttftP50": quantile(out["ttft"], 0.5),
                "ttftP99": quantile(out["ttft"], 0.99),
                "itlP50": quantile(out["itl"], 0.5),
                "itlP99": quantile(out["itl"], 0.99),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    asyncio.run(main())
