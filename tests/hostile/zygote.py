"""Runs bomcalc commands for the hostile corpus, each in a process of its own, without paying for
Python and bomcalc to start each time.

This process imports bomcalc's command line once, then reads one JSON request per line on
stdin (``{"id", "arguments", "stdout", "stderr"}``) and forks a child per request. The child
caps its address space, points its standard streams at /dev/null and the two files named, and
runs ``bomcalc ARGUMENTS`` as the console script would, exit handlers included; a child still
running after the time limit is killed. For every child one JSON line
(``{"id", "returncode"}``) is written on stdout: the exit status, minus the signal number when
a signal ended it, ``null`` when it was killed for time. Used by the tests only.

    python zygote.py MEMORY_BYTES SECONDS
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import select
import signal
import sys
import time
import traceback


def _child(request: dict, memory: int) -> None:
    """In the forked child: run one command and leave with its exit status (never returns)."""
    code = 1
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        for fd, path, flags in ((0, os.devnull, os.O_RDONLY), (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                                (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
            opened = os.open(path, flags, 0o644)
            os.dup2(opened, fd)
            os.close(opened)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 (the process's own streams)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 (as PYTHONIOENCODING=utf-8)
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        sys.argv = ["bomcalc", *request["arguments"]]
        from bomcalc.cli import main

        try:
            main()
            code = 0
        except SystemExit as exit_:
            if exit_.code is None or isinstance(exit_.code, int):
                code = exit_.code or 0
            else:
                print(exit_.code, file=sys.stderr)
        except BaseException:  # what Python would print for an uncaught exception
            traceback.print_exc()
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def main() -> None:
    memory, seconds = int(sys.argv[1]), float(sys.argv[2])
    import bomcalc.cli  # noqa: F401  (once, here: every child starts with it loaded)

    running: dict[int, list] = {}  # pid -> [request id, start, killed]
    pending = b""
    open_input = True
    while open_input or running:
        ready, _, _ = select.select([0] if open_input else [], [], [], 0.02 if running else None)
        if ready:
            data = os.read(0, 1 << 16)
            open_input = bool(data)
            pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    _child(request, memory)
                running[pid] = [request["id"], time.monotonic(), False]
        now = time.monotonic()
        for pid, (_, started, killed) in running.items():
            if not killed and now - started > seconds:
                os.kill(pid, signal.SIGKILL)
                running[pid][2] = True
        while running:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            request_id, _, killed = running.pop(pid)
            returncode = None if killed else os.waitstatus_to_exitcode(status)
            os.write(1, json.dumps({"id": request_id, "returncode": returncode}).encode() + b"\n")


if __name__ == "__main__":
    main()
