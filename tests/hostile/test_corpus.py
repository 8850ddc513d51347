"""Every case of the hostile corpus, run as a user runs bomcalc: each command in a process of its
own, bounded (forked from one that imported bomcalc once: see zygote.py).

The corpus is written by :mod:`tests.hostile.make_corpus` into a temporary folder; what each
case must give is in ``manifest.toml``. All commands are started together (as many at once as
there are processors) before the first case is judged, so that the whole corpus takes well
under a minute. Each command's process runs under a 2 GiB address-space limit and is killed after 60 s
(a time-out fails its case). Whatever a case expects, it must not crash (a signal), print a
traceback or end in an internal error (exit 70); an error leaves no output file; a result is
complete and ``validate`` accounts for every row read.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import itertools
import json
import os
import re
import subprocess
import sys
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from .make_corpus import CASES, make_corpus

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = tomllib.loads((Path(__file__).with_name("manifest.toml")).read_text(encoding="utf-8"))
COMMANDS = MANIFEST["commands"]
ENTRIES = {entry["name"]: entry for entry in MANIFEST["case"]}

#: Per process: seconds before it is killed, and its address-space limit [bytes].
TIME_LIMIT = 60
MEMORY_LIMIT = 2 * 1024 ** 3

#: The process every command is forked from (bomcalc imported once: most cases take less time than Python's start).
ZYGOTE = Path(__file__).with_name("zygote.py")


@dataclass(frozen=True)
class Run:
    returncode: int | None  # None: killed after TIME_LIMIT
    stdout: str
    stderr: str

    @property
    def messages(self) -> str:
        return self.stdout + self.stderr


@dataclass(frozen=True)
class Outcome:
    run: Run
    out_folder: Path
    out: Path
    output_text: str | None
    validation: Run | None
    input_before: str
    input_after: str


class _Runner:
    """Runs ``bomcalc ARGUMENTS`` in a process of its own, bounded in time and memory (see zygote.py)."""

    def __init__(self, folder: Path):
        environment = {key: value for key, value in os.environ.items() if key != "BOMCALC_DEBUG"}
        environment["PYTHONIOENCODING"] = "utf-8"
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
        self.folder = folder
        self.process = subprocess.Popen([sys.executable, str(ZYGOTE), str(MEMORY_LIMIT), str(TIME_LIMIT)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment)
        self.lock = threading.Lock()
        self.numbers = itertools.count()
        self.answers: dict[int, concurrent.futures.Future] = {}
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            answer = json.loads(line)
            self.answers.pop(answer["id"]).set_result(answer["returncode"])
        for future in list(self.answers.values()):  # the zygote ended: nothing more will answer
            future.set_exception(RuntimeError(f"the command runner stopped (exit {self.process.wait()})"))

    def __call__(self, arguments: list[str]) -> Run:
        with self.lock:
            number = next(self.numbers)
            out, err = self.folder / f"{number}.out", self.folder / f"{number}.err"
            out.touch()
            future = self.answers[number] = concurrent.futures.Future()
            self.process.stdin.write(json.dumps({"id": number, "arguments": arguments, "stdout": str(out),
                                                 "stderr": str(err)}).encode() + b"\n")
            self.process.stdin.flush()
        returncode = future.result()
        return Run(returncode, out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace"))

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()
        self.reader.join()


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    members = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for member in members:
        digest.update(str(member).encode() + b"\0" + member.read_bytes())
    return digest.hexdigest()


def _run_case(bomcalc: _Runner, name: str, path: Path, folder: Path) -> Outcome:
    entry = ENTRIES[name]
    out_folder = folder / "out" / name
    out_folder.mkdir(parents=True)
    out = out_folder / ("report.html" if entry["command"] == "html" else "result.json")
    arguments = [part.replace("{path}", str(path)).replace("{out}", str(out)) for part in COMMANDS[entry["command"]]]
    before = _digest(path)
    run = bomcalc(arguments)
    after = _digest(path)
    output_text = out.read_text(encoding="utf-8", errors="replace") if out.is_file() else None
    validation = None
    if entry["expect"] == "result":
        validation = bomcalc([part.replace("{path}", str(path)) for part in COMMANDS["validate"]])
    return Outcome(run, out_folder, out, output_text, validation, before, after)


@pytest.fixture(scope="session")
def corpus_outcomes(tmp_path_factory) -> dict[str, Outcome]:
    folder = tmp_path_factory.mktemp("hostile")
    written = make_corpus(folder / "corpus")
    assert set(written) == set(ENTRIES), "the manifest and the generator must name the same cases"
    # The biggest cases start first, so that they do not finish last on their own.
    order = sorted(written, key=lambda name: (not name.startswith(("fan_out", "rows_", "html")), name))
    order.sort(key=lambda name: ENTRIES[name]["command"] != "html")
    (folder / "runs").mkdir()
    bomcalc = _Runner(folder / "runs")
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            futures = {name: pool.submit(_run_case, bomcalc, name, written[name], folder) for name in order}
            return {name: future.result() for name, future in futures.items()}
    finally:
        bomcalc.close()


def _params():
    for name, entry in ENTRIES.items():
        marks = [pytest.mark.xfail(strict=True, reason=entry["pending"])] if "pending" in entry else []
        yield pytest.param(name, marks=marks, id=name)


def test_manifest_covers_the_corpus():
    """At least 50 cases, each in both the generator and the manifest, each with a known outcome."""
    assert len(CASES) >= 50
    assert set(CASES) == set(ENTRIES)
    for entry in ENTRIES.values():
        assert entry["command"] in COMMANDS and entry["expect"] in ("result", "error", "any"), entry["name"]
        assert entry["expect"] != "error" or "fragment" in entry or entry.get("input_unchanged"), entry["name"]


@pytest.mark.parametrize("name", list(_params()))
def test_hostile_case(name, corpus_outcomes):
    entry = ENTRIES[name]
    outcome = corpus_outcomes[name]
    run = outcome.run
    assert run.returncode is not None, f"still running after {TIME_LIMIT} s"
    assert run.returncode >= 0, f"killed by signal {-run.returncode}: {run.stderr[-2000:]}"
    assert "Traceback" not in run.messages, run.messages[-3000:]
    assert run.returncode != 70, run.messages[-2000:]
    expected_exit = {"result": [0], "error": [1]}.get(entry["expect"], entry.get("exit"))
    assert run.returncode in expected_exit, run.messages[-2000:]
    if "fragment" in entry:
        assert entry["fragment"] in run.messages, run.messages[-2000:]
    for text in entry.get("present", ()):
        assert text in run.messages, run.messages[-2000:]
    for pattern in entry.get("absent", ()):
        for where, text in (("messages", run.messages), ("output", outcome.output_text or "")):
            found = re.search(pattern, text, re.IGNORECASE)
            assert found is None, f"{pattern!r} in the {where}: ...{text[max(found.start() - 80, 0):found.end() + 80]}..."
    if entry.get("input_unchanged"):
        assert outcome.input_after == outcome.input_before, "the input was changed"
    left = sorted(p.name for p in outcome.out_folder.iterdir())
    if run.returncode != 0:
        assert left == [], f"partial output left: {left}"
    elif "{out}" in " ".join(COMMANDS[entry["command"]]):
        assert outcome.output_text, "no output written"
        assert left == [outcome.out.name], f"stray files beside the output: {left}"
    if "statuses" in entry:
        items = {item["part_id"]: item["status"] for item in json.loads(outcome.output_text)["items"]}
        assert {part: items.get(part) for part in entry["statuses"]} == entry["statuses"]
    if outcome.validation is not None:
        validation = outcome.validation
        assert validation.returncode == 0 and "Traceback" not in validation.messages, validation.messages[-2000:]
        accounts = json.loads(validation.stdout)["accounts"]
        assert accounts, "validate accounted for no file"
        for account in accounts:
            assert account["stopped"] is None, account
            assert account["read"] == account["used"] + account["merged"] + account["skipped"] + account["rejected"], account
