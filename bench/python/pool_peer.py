#!/usr/bin/env python3
"""Python's multiprocessing.Pool, the peer of Ringfork's pool in PoolBench's side-by-side section.

Reads one command a line from stdin and answers one JSON line on stdout, so the caller can interleave its
rounds with Ringfork's while the Python pools stay warm:

  imap ITEMS CHUNK    Pool(2).imap(double, a lazy generator of 0..ITEMS-1, chunksize=CHUNK), results
                      consumed in order and summed (checked) -> {"seconds": s, "items": n}
  primes WORKERS      primes below 3,000,000 in 64 ranges, Pool(WORKERS).map(count_range, ranges, chunksize=1)
                      (bench_primes' workload) -> {"seconds": s, "primes": count}
  startup WORKERS     seconds from ProcessPoolExecutor(max_workers=WORKERS) to the first submit(one).result(),
                      then the executor is shut down (not timed) -> {"seconds": s}
  quit

Each pool is made on first use and warmed: an imap or a small primes job runs before the first timed one.
"""
import concurrent.futures
import json
import multiprocessing
import sys
import time

LIMIT = 3_000_000
RANGES = 64


def double(x):
    return 2 * x


def is_prime(n):
    if n < 4:
        return n >= 2
    if n % 2 == 0:
        return False
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_range(bounds):
    start, end = bounds
    return sum(1 for n in range(start, end) if is_prime(n))


def one():
    return 1


def numbers(n):
    i = 0
    while i < n:
        yield i
        i += 1


pools = {}


def pool(workers):
    if workers not in pools:
        p = multiprocessing.Pool(workers)
        sum(p.imap(double, numbers(100_000), chunksize=1000))  # warm-up job
        p.map(count_range, [(i * 1000, (i + 1) * 1000) for i in range(16)], chunksize=1)
        pools[workers] = p
    return pools[workers]


def imap(items, chunk):
    p = pool(2)
    started = time.perf_counter()
    total = sum(p.imap(double, numbers(items), chunksize=chunk))
    seconds = time.perf_counter() - started
    if total != items * (items - 1):
        raise SystemExit(f"imap sum {total}, expected {items * (items - 1)}")
    return {"seconds": seconds, "items": items}


def primes(workers):
    p = pool(workers)
    step = LIMIT // RANGES
    ranges = [(i * step, LIMIT if i == RANGES - 1 else (i + 1) * step) for i in range(RANGES)]
    started = time.perf_counter()
    count = sum(p.map(count_range, ranges, chunksize=1))
    return {"seconds": time.perf_counter() - started, "primes": count}


def startup(workers):
    started = time.perf_counter()
    executor = concurrent.futures.ProcessPoolExecutor(max_workers=workers)
    value = executor.submit(one).result()
    seconds = time.perf_counter() - started
    executor.shutdown(wait=True)
    if value != 1:
        raise SystemExit(f"submit returned {value}")
    return {"seconds": seconds}


def main():
    print(json.dumps({"python": sys.version.split()[0], "start_method": multiprocessing.get_start_method()}), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "imap":
            answer = imap(int(words[1]), int(words[2]))
        elif words[0] == "primes":
            answer = primes(int(words[1]))
        elif words[0] == "startup":
            answer = startup(int(words[1]))
        else:
            answer = {"error": "unknown command " + words[0]}
        print(json.dumps(answer), flush=True)
    for p in pools.values():
        p.close()
        p.join()


if __name__ == "__main__":
    main()
