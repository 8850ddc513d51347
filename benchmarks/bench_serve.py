"""Benchmark: upload-to-answer time of the upload page's API (``bomcalc serve``).

Not part of the test suite. Starts the server (uvicorn, on a free port of this machine, in a
thread of this process, as ``bomcalc serve`` does), then times ``POST /api/check`` from the
first byte sent to the last byte of the JSON answer, for the servo sample and for generated
BOMs (benchmarks/bench_check.py builds them), beside ``bomcalc.check`` on the same file in
this process. Run:

    python benchmarks/bench_serve.py                       # servo, 10k and 100k lines (xlsx)
    python benchmarks/bench_serve.py --lines 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bomcalc  # noqa: E402
from bench_check import generate, write_xlsx  # noqa: E402
from bomcalc.web.app import Settings, create_app  # noqa: E402

SERVO = Path(__file__).resolve().parent.parent / "sample_boms" / "servo_actuator.xlsx"


def _start() -> tuple[str, uvicorn.Server]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(max_upload=500 * 1000 ** 2)), host="127.0.0.1",
                                           port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def _time(client: httpx.Client, url: str, path: Path, repeat: int) -> tuple[float, int]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.post(url + "/api/check", files={"bom": (path.name, path.read_bytes())}, data={"as_of": "2026-11-11"})
        times.append(time.perf_counter() - started)
        response.raise_for_status()
    return statistics.median(times), len(response.json()["items"])


def _in_process(path: Path) -> float:
    started = time.perf_counter()
    bomcalc.check(str(path), rules=bomcalc.RuleOptions(as_of="2026-11-11"))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, action="append", help="BOM lines to generate (repeatable; default 10000, 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="uploads per file; the median is shown")
    options = parser.parse_args()
    url, server = _start()
    with tempfile.TemporaryDirectory() as folder, httpx.Client(timeout=600) as client:
        files = [("servo sample (39 parts)", SERVO)]
        for lines in options.lines or [10_000, 100_000]:
            parts, bom = generate(lines)
            files.append((f"{lines:,} lines (xlsx)", write_xlsx(Path(folder) / f"bom_{lines}.xlsx", parts, bom)))
        client.get(url + "/")  # the first request starts the worker's fork server
        _time(client, url, SERVO, 1)
        print(f"{'BOM':<28} {'size':>10} {'upload to answer':>17} {'bomcalc.check':>14} {'items':>6}")
        for name, path in files:
            seconds, items = _time(client, url, path, options.repeat)
            print(f"{name:<28} {path.stat().st_size / 1e6:>8.2f}MB {seconds:>16.2f}s {_in_process(path):>13.2f}s {items:>6}")
    server.should_exit = True


if __name__ == "__main__":
    main()
