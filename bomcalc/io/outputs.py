"""Where a command may write: outputs never destroy inputs (I/O layer).

:func:`check_outputs` runs before a command does any work. It refuses, with
:class:`OutputError` (exit status 1), an output that

* resolves (after symbolic links, or as a hard link) to one of the command's input files, or
  lies inside an input folder (a CSV-folder BOM, a per-assembly folder, a folder of
  declarations);
* is the same file as another output of the same command;
* exists and is read-only (it is refused, never replaced), or is a folder where a file is
  expected (or a file where a folder is expected);
* lies in a folder that does not exist, is not a folder, or cannot be written.

:func:`os_error_message` turns an operating-system error met while writing (permissions, a
full disk, ...) into one line with the path and the fix.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..core.errors import BomError


class OutputError(BomError):
    """An output cannot or must not be written where it was asked for."""


#: What to do about an operating-system error, by ``errno``.
_FIXES = {
    errno.EACCES: "check the permissions of the file and its folder, or write somewhere else",
    errno.EPERM: "check the permissions of the file and its folder, or write somewhere else",
    errno.EROFS: "the file system is read-only; write somewhere else",
    errno.ENOSPC: "the disk is full; free some space or write to another disk",
    errno.EDQUOT: "the disk quota is used up; free some space or write to another disk",
    errno.ENOENT: "create the folder first, or correct the path",
    errno.ENOTDIR: "a part of the path is a file, not a folder; correct the path",
    errno.EISDIR: "it is a folder; give a file name",
    errno.EEXIST: "it already exists; remove it or choose another name",
    errno.ENOTEMPTY: "it already exists and is not empty; remove it or choose another name",
    errno.ENAMETOOLONG: "the name is too long; choose a shorter one",
    errno.EMFILE: "too many files are open; close some programs and try again",
}


def os_error_message(exc: OSError, path: str | os.PathLike | None = None, prefer_path: bool = False) -> str:
    """One line for an operating-system error: the path, what went wrong and how to fix it.

    The path is the one the error names, else ``path``; with ``prefer_path``, ``path`` (the
    output the user asked for, rather than a temporary file beside it).
    """
    where = path if prefer_path and path is not None else exc.filename if exc.filename is not None else path
    what = exc.strerror or str(exc) or type(exc).__name__
    fix = _FIXES.get(exc.errno, "check the path and try again")
    return f"{where}: {what}; {fix}" if where is not None else f"{what}; {fix}"


def _flatten(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, (str, os.PathLike)):
        return [value]
    return [item for item in value if item not in (None, "")]


def _resolved(path: str | os.PathLike) -> Path:
    return Path(os.path.realpath(os.path.abspath(os.fspath(path))))


def _same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def _input_overlap(output: Path, inputs: dict) -> str | None:
    """The input (``"the BOM input x.xlsx"``) that writing ``output`` would overwrite, if any."""
    target = _resolved(output)
    for role, value in inputs.items():
        for item in _flatten(value):
            source = _resolved(item)
            if not os.path.exists(source):
                continue
            if os.path.isdir(source):
                if target == source or source in target.parents:
                    return f"the {role} input folder {item}"
            elif target == source or _same_file(target, source):
                return f"the {role} input {item}"
    return None


def _writable_folder(output: Path, folder: Path, label: str) -> None:
    if not folder.exists():
        raise OutputError(f"{output}: the folder {folder} for the {label} does not exist; create it first, or correct the path")
    if not folder.is_dir():
        raise OutputError(f"{output}: {folder} is a file, not a folder; correct the path of the {label}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{output}: the folder {folder} cannot be written (permission denied); "
                          f"make it writable or write the {label} somewhere else")


def _check_file_target(output: Path, label: str) -> None:
    if output.is_dir():
        raise OutputError(f"{output}: is a folder; give a file name for the {label}")
    if output.exists():
        mode = os.stat(output).st_mode
        if not stat.S_ISREG(mode):
            raise OutputError(f"{output}: is not a regular file; give a file name for the {label}")
        if not mode & 0o222 or not os.access(output, os.W_OK):
            raise OutputError(f"{output}: the file is read-only, so it is not replaced; make it writable "
                              f"(chmod u+w) or write the {label} somewhere else")
    _writable_folder(output, Path(os.path.abspath(output)).parent, label)


def _check_folder_target(output: Path, label: str) -> None:
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output}: is a file; give a new folder for the {label}")
    if output.is_dir() and any(output.iterdir()):
        raise OutputError(f"{output}: the {label} folder exists and is not empty; give a new folder")
    _writable_folder(output, Path(os.path.abspath(output)).parent, label)


def check_outputs(outputs: dict, inputs: dict, folders: dict | None = None) -> None:
    """Refuse, before any work, outputs that would destroy an input or cannot be written.

    ``outputs`` maps a label (``"JSON output"``) to a file path or None; ``folders`` the same
    for outputs that are folders (an audit pack). ``inputs`` maps a role (``"BOM"``,
    ``"parts"``) to a path, a list of paths or None. Raises :class:`OutputError` naming the
    output and, for an overlap, the input it would overwrite.
    """
    seen: dict[Path, tuple[str, str]] = {}
    wanted = [(label, path, False) for label, path in outputs.items() if path]
    wanted += [(label, path, True) for label, path in (folders or {}).items() if path]
    for label, path, is_folder in wanted:
        output = Path(os.fspath(path))
        overlap = _input_overlap(output, inputs)
        if overlap:
            raise OutputError(f"{output}: the {label} would overwrite {overlap}; choose another "
                              f"{'folder' if is_folder else 'file'} for the {label}")
        if is_folder:
            inside = [str(item) for value in inputs.values() for item in _flatten(value)
                      if output.is_dir() and _resolved(output) in _resolved(item).parents]
            if inside:
                raise OutputError(f"{output}: the {label} folder holds the input {inside[0]}; give a new folder")
        resolved = _resolved(output)
        if resolved in seen:
            raise OutputError(f"{output}: the {label} and the {seen[resolved][0]} would be the same "
                              f"{'folder' if is_folder else 'file'}; give each its own path")
        seen[resolved] = (label, str(path))
        (_check_folder_target if is_folder else _check_file_target)(output, label)


def command_inputs(bom_path, reading: dict | None = None, **more) -> dict:
    """The inputs of a command by role: the BOM, the reading options' files and ``more`` (rules, ...)."""
    reading = reading or {}
    inputs = {"BOM": bom_path}
    for key in ("parts", "declarations", "map", "fx", "units", "prices", "profile"):
        inputs[key] = reading.get(key)
    inputs.update(more)
    return inputs
