"""Problems found in inputs: the one way every stage reports what is wrong.

A problem always names the file, the sheet and the cell (A1 notation) so that a
clerk can open the workbook and go straight to it.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, asdict

ERROR = "error"
WARNING = "warning"


def human_name(name: str) -> str:
    """A file or folder name as a clerk reads it. Unzipping a Windows zip leaves names in
    GBK bytes, which Python hands over as undecodable surrogates (and printing them stops
    with an error): read them as GBK (else UTF-8 with replacements)."""
    if not isinstance(name, str):
        return name
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    for enc in ("gb18030", "big5"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


@functools.lru_cache(maxsize=1024)  # every entry's cells are named (C5): the same few columns
def col_letter(col: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """Excel letters -> 0-based column index (A -> 0, AA -> 26); the inverse of col_letter."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) -> 'C5'."""
    return f"{col_letter(col)}{row + 1}"


@dataclass
class Problem:
    file: str
    sheet: str | None
    cell: str | None
    level: str  # ERROR or WARNING
    message: str

    def __post_init__(self):
        self.file = human_name(self.file)
        self.message = human_name(self.message)

    def to_dict(self) -> dict:
        return asdict(self)

    def where(self) -> str:
        """'文件 X，工作表 Y，单元格 C5' — the place, in the words a clerk uses."""
        # the input folder itself (no input/, no such month) is a folder, not a file
        if not self.file:  # about the workspace as a whole (its folder is named in the message)
            return ""
        if self.file.startswith("-"):  # a command-line option (--month): not a file
            return f"参数 {self.file}"
        folder = self.file == "input" or (self.file.startswith("input/") and not self.file.lower().endswith(
            (".xlsx", ".xls", ".xlsm", ".et", ".csv", ".json", ".zip", ".rar", ".7z", ".txt")))
        parts = [f"文件夹「{self.file}」" if folder else f"文件「{self.file}」"]
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.cell:
            parts.append(f"单元格 {self.cell}")
        return "，".join(parts)

    def __str__(self) -> str:
        tag = "错误" if self.level == ERROR else "提示"
        if not self.file or (not self.sheet and not self.cell and self.message.startswith(self.file)):
            return f"[{tag}] {self.message}"  # 「kaohe.toml 中…」 names its file already
        return f"[{tag}] {self.where()}：{self.message}"


class InputError(Exception):
    """A whole file cannot be used; carries the problem that says why."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem
