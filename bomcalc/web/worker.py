"""Run a job in a worker process with a time and memory limit (interface layer).

Every job runs in a fresh process forked from a small server process that has bomcalc already
imported (``forkserver``), so that a start costs milliseconds, not the import of pandas. The
worker's address space is capped (``RLIMIT_AS``) and the job is given ``seconds`` to finish; a
worker that runs out of either, or dies, is killed and the caller gets a clear status and
message. The server itself never runs a job and keeps serving.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.spawn
import resource
import threading
from dataclasses import dataclass

from .jobs import Job, Outcome, problem
from ..io.writers import json_text

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["bomcalc.web.jobs"])
#: The name of every worker process: what :func:`_preparation` knows them by.
WORKER_NAME = "bomcalc-web-worker"
_prepared = multiprocessing.spawn.get_preparation_data


def _preparation(name: str) -> dict:
    """What a new process is told to prepare; a worker is not told to import the program's main
    module (``multiprocessing`` would run the script that started the server again in every
    worker: slow, and wrong for a script without a ``__main__`` guard). Its job needs only bomcalc."""
    data = _prepared(name)
    if name == WORKER_NAME:
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


multiprocessing.spawn.get_preparation_data = _preparation


@dataclass(frozen=True)
class Limits:
    """What one job may use: ``seconds`` of wall time and ``memory`` bytes of address space;
    ``workers``: how many jobs run at a time (more wait their turn)."""

    seconds: float = 120.0
    memory: int = 2 * 1024 ** 3
    workers: int = 2


def _size(count: int) -> str:
    return f"{count / 1024 ** 3:g} GiB" if count >= 1024 ** 3 else f"{count / 1024 ** 2:g} MiB"


def _failure(status: int, code: str, message: str) -> Outcome:
    return Outcome(status, text=json_text(problem(message, code=code)))


def _work(job: Job, memory: int, connection) -> None:
    """The worker process: cap the memory, do the job, send the outcome."""
    from . import jobs

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        outcome = jobs.run(job)
    except MemoryError:
        outcome = _failure(507, "out_of_memory", f"the work needed more memory than the server allows each request "
                           f"({_size(memory)}); check this BOM on the command line (bomcalc check), or start the "
                           "server with a larger --max-memory")
    except Exception as exc:  # a fault of bomcalc: one clear record, never a traceback
        outcome = Outcome(500, text=json_text(problem(
            f"internal error: {type(exc).__name__}: {exc}. This is a fault in bomcalc, not in your data; "
            "run bomcalc check on the same files with BOMCALC_DEBUG=1 for the details and report them.",
            code="internal_error")))
    try:
        connection.send(outcome)
    finally:
        connection.close()


class Worker:
    """Runs jobs, each in a process of its own, at most ``limits.workers`` at a time."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits()
        self._slots = threading.BoundedSemaphore(self.limits.workers)

    def warm_up(self) -> None:
        """Start the server process that workers are forked from (else the first job starts it)."""
        process = _CONTEXT.Process(target=resource.getrlimit, args=(resource.RLIMIT_AS,), name=WORKER_NAME, daemon=True)
        process.start()
        process.join()

    def run(self, job: Job) -> Outcome:
        """Run ``job`` in a new worker process; blocks (call it from a thread)."""
        with self._slots:
            return self._run(job)

    def _run(self, job: Job) -> Outcome:
        receiver, sender = _CONTEXT.Pipe(duplex=False)
        process = _CONTEXT.Process(target=_work, args=(job, self.limits.memory, sender), name=WORKER_NAME, daemon=True)
        process.start()
        sender.close()
        try:
            if not receiver.poll(self.limits.seconds):
                return _failure(504, "timeout", f"the work took longer than the server allows ({self.limits.seconds:g} s); "
                                     "check this BOM on the command line (bomcalc check), or start the server with a longer --timeout")
            try:
                outcome = receiver.recv()
            except EOFError:  # the worker died before it could answer
                outcome = None
        finally:
            receiver.close()
            if process.is_alive():
                process.kill()
            process.join()
        if outcome is None:  # killed (by the system, or a signal) or crashed before it could answer
            return _failure(503, "worker_stopped", f"the worker process stopped before it finished (exit code "
                            f"{process.exitcode}), most likely out of memory; the server is still running: try again, "
                            "or check this BOM on the command line (bomcalc check)")
        return outcome
