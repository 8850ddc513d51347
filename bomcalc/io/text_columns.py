"""Delimited text of equal-width lines split straight into columns (I/O layer).

A canonical CSV folder of hundreds of thousands of lines is read column by column: splitting
every line into a list of cells, then gathering those lists back into columns, spends most of
the reading time building lists that are thrown away. :func:`split_columns` splits a text
whose lines all have the same number of fields (and no quotes, lone carriage returns or NUL
characters) into one list per column, at C speed. :class:`ColumnRows` holds those columns and
still reads as the list of rows :func:`bomcalc.io.sniff.read_text_table` gives (``rows[i]`` is
the file's row ``i + 1``), building a row only when one is asked for, so the checks that look
at the header or count the rows work unchanged; it also says whether every cell is printable
ASCII (told from the text's bytes in one pass), so a reader need not look for look-alike
characters cell by cell. Any other text returns ``None`` and is read row by row, exactly as before.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..core.column_cells import PRINTABLE_ASCII
from .limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS


class ColumnRows(Sequence):
    """Rows of equal width kept as columns: ``columns[j][i]`` is cell ``j`` of row ``i``.

    Reads as a list of rows (each a new ``list`` of ``str``): ``len``, indexing, slicing (a
    slice is again a :class:`ColumnRows`, sharing the columns) and iteration. ``width`` is the
    number of cells of every row. ``printable`` is True when every cell of the columns is known to
    be printable ASCII (``str.isascii() and str.isprintable()``): nothing in it can look like
    something it is not.
    """

    def __init__(self, columns: list[list[str]], start: int = 0, stop: int | None = None, printable: bool = False):
        self._columns = columns
        size = len(columns[0]) if columns else 0
        self._start = start
        self._stop = size if stop is None else stop
        self.printable = printable

    @property
    def width(self) -> int:
        return len(self._columns)

    def column(self, index: int, copy: bool = False) -> list[str]:
        """The cells of column ``index`` (0-based) of every row, top to bottom (a list of one's own
        with ``copy``; else the one held, when these rows are all of them)."""
        cells = self._columns[index]
        if self._start == 0 and self._stop == len(cells):
            return list(cells) if copy else cells
        return cells[self._start:self._stop]

    def __len__(self) -> int:
        return self._stop - self._start

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return ColumnRows(self._columns, self._start + start, self._start + max(start, stop), self.printable)
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("row index out of range")
        row = self._start + index
        return [column[row] for column in self._columns]

    def __iter__(self):
        return map(list, zip(*(self.column(j) for j in range(self.width))))

    def __eq__(self, other) -> bool:
        if isinstance(other, (ColumnRows, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"ColumnRows({len(self)} rows of {self.width} cells)"


def plain_text(text: str) -> str | None:
    """``text`` with ``\r\n`` line breaks made ``\n``, when string methods split it as the csv module
    would: no quote, no NUL, no carriage return but in a ``\r\n``; else ``None``."""
    if '"' in text or "\x00" in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    return text


def split_columns(text: str, delimiter: str) -> ColumnRows | None:
    """The rows of ``text`` as columns when every line splits into the same number (two or more)
    of cells: a text without quotes, NUL characters or carriage returns but in ``\\r\\n`` line
    breaks, with no empty line and no line longer than a cell may be, within the row and
    column limits. Cells are exactly what the csv module splits. ``None`` for any other text."""
    text = plain_text(text)
    if text is None:
        return None
    if text.endswith("\n"):
        text = text[:-1]  # the line break that ends the last row
    data = text.encode("utf-8", "surrogatepass")
    width = _common_width(data, delimiter)
    if width is None or width < 2 or width > MAX_COLUMNS:
        return None  # one column (where an empty line is a row of no cells) or too many: read row by row
    printable = _printable_cells(text, data, delimiter)
    del data  # before the cells are made: the bytes are not held with them
    cells = text.replace("\n", delimiter).split(delimiter)
    return ColumnRows([cells[j::width] for j in range(width)], printable=printable)


def _printable_cells(text: str, data: bytes, delimiter: str) -> bool:
    """Whether every cell of ``text`` (``data``: its UTF-8 bytes, lines split at ``\\n``) is printable
    ASCII: an ASCII text whose bytes are all printable but its line breaks and delimiters."""
    return text.isascii() and not data.translate(None, PRINTABLE_ASCII + b"\n" + delimiter.encode("ascii"))


def _common_width(data: bytes, delimiter: str) -> int | None:
    """The number of cells every line of a text splits into, counted on its UTF-8 bytes ``data``
    (the line break and the delimiters are ASCII, so their bytes are theirs); ``None`` when
    lines differ, or there are more than :data:`MAX_ROWS`, or a line has more bytes than a
    cell may have characters.

    Every cell but the last ends at a separator (a delimiter, or the line break ending its line):
    ``lines`` lines of ``width`` cells have ``lines x width - 1`` separators, and the lines are
    all that wide when, listed in order with the text's end, every ``width``-th is a line break."""
    data = np.frombuffer(data, dtype=np.uint8)
    newline = ord("\n")
    separators = np.flatnonzero((data == newline) | (data == ord(delimiter)))
    breaks = data[separators] == newline
    lines = int(np.count_nonzero(breaks)) + 1
    if lines > MAX_ROWS or (len(separators) + 1) % lines:
        return None
    width = (len(separators) + 1) // lines
    line_ends = np.append(separators, len(data)).reshape(lines, width)[:, -1]
    if not np.append(breaks, True).reshape(lines, width)[:, -1].all():
        return None  # a line of another width (as many line breaks as lines: the rest are delimiters)
    if len(data) > MAX_CELL_CHARS and int(np.diff(line_ends, prepend=-1).max()) - 1 > MAX_CELL_CHARS:
        return None
    return width
