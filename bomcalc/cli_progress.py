"""The progress bar of the command line (interface layer).

Long commands take a ``progress(stage, done, total)`` callback (:mod:`bomcalc.core.progress`);
this module draws it as a bar on standard error, and only when standard error is a terminal:
piped or redirected output, and ``--quiet``, get nothing. The bar appears only once the work has
taken :data:`DELAY` seconds, so small files never flicker; a background tick keeps the elapsed
time (since the command started, not since its stage did) moving while one long step runs. The
bar is cleared when the work ends, before the command writes its results.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time

from .report.safe_text import terminal_text

#: Seconds of work before the bar is shown.
DELAY = 2.0
#: Seconds between redraws while a step runs.
TICK = 0.5


class TerminalProgress:
    """A ``progress(stage, done, total)`` callback that draws a bar on ``stream`` after ``delay`` seconds.

    ``clock``: seconds, rising (``time.monotonic``); tests give their own. Call :meth:`tick`
    to redraw (the command line's background thread does, every :data:`TICK` seconds) and
    :meth:`close` at the end.
    """

    def __init__(self, stream, clock=None, delay: float = DELAY):
        clock = clock or _clock
        self.stream, self.clock, self.delay = stream, clock, delay
        self.started = clock()
        self.state: tuple[str, int, int] | None = None
        self.bar = None
        self._lock = threading.Lock()

    def __call__(self, stage: str, done: int, total: int) -> None:
        with self._lock:
            self.state = (stage, done, total)
        self.tick()

    def tick(self) -> None:
        """Draw the latest state, once ``delay`` seconds have passed since the start."""
        with self._lock:
            if self.state is None or self.clock() - self.started < self.delay:
                return
            stage, done, total = self.state
            stage = terminal_text(stage, layout=False)  # a file name is shown as text, never acted on
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=total, desc=stage, file=self.stream, leave=False, dynamic_ncols=True, mininterval=0,
                                delay=self.delay, bar_format="{desc}: {percentage:3.0f}%|{bar}| {n}/{total} [{elapsed}]")
            bar = self.bar  # drawn only here (``delay``: not when made), with the elapsed time of the command
            bar.set_description_str(stage, refresh=False)
            bar.total, bar.n = total, done
            bar.start_t = time.time() - (self.clock() - self.started)  # tqdm times with time.time
            bar.refresh()

    def close(self) -> None:
        with self._lock:
            if self.bar is not None:
                self.bar.close()
                self.bar = None


def _stderr():
    return sys.stderr


def _clock() -> float:
    return time.monotonic()


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


@contextlib.contextmanager
def progress_bar(quiet: bool = False, stream=None, clock=None, ticking: bool = True):
    """Yield a progress callback drawing on ``stream`` (standard error), or ``None`` when
    ``quiet`` or when the stream is not a terminal. ``clock``: seconds, rising (default
    ``time.monotonic``); ``ticking``: redraw in a background thread."""
    stream = _stderr() if stream is None else stream
    if quiet or not _is_terminal(stream):
        yield None
        return
    progress = TerminalProgress(stream, clock)
    stop = threading.Event()
    thread = None
    if ticking:
        def run():
            while not stop.wait(TICK):
                progress.tick()

        thread = threading.Thread(target=run, name="bomcalc-progress", daemon=True)
        thread.start()
    try:
        yield progress
    finally:
        stop.set()
        if thread is not None:
            thread.join()
        progress.close()
