"""Where a printed sheet's pages end, worked out from the sheet's own page setup.

Excel has no "keep with next": a unit's heading can be left alone at a page foot and a
report can end with a page holding its last two rows. The engine knows every output
row's height, so it can place the breaks a clerk would have placed by hand: before a
`{%row keep %}` block that would be split, and, when the last page would hold only a
few rows, by letting fit-to-page take one page fewer. Measures are approximate (fonts
differ between Excel, WPS and LibreOffice), so a margin is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kaohe_excel.write._tpl_package import attrs

# paperSize codes (ECMA-376 Part 1, 18.3.1.63) -> (width, height) in millimetres
PAPER_MM = {1: (215.9, 279.4), 5: (215.9, 355.6), 8: (297.0, 420.0), 9: (210.0, 297.0),
            11: (148.0, 210.0), 12: (250.0, 354.0), 13: (182.0, 257.0), 66: (420.0, 594.0)}
SAFETY = 0.94  # of the printable height: renderers' fonts and rounding differ
KEEP_MIN_ROWS = 3  # a block longer than a page starts where at least this many of its rows fit
WIDOW_ROWS = 4  # a last page with this many rows or fewer (a total and the sign-off line count) …
WIDOW_SHARE = 0.2  # … or filled less than this, is folded back …
WIDOW_SHRINK = 0.85  # … when the sheet need not shrink below this share of its scale; else
WIDOW_PULL = 3  # … this many rows of the page before move onto it (a sign-off never prints alone)


@dataclass(frozen=True)
class PageFrame:
    height: float  # content height one page holds, in the sheet's points (scale applied, margin kept)
    fit_width_only: bool  # fit to N pages wide, any number tall: the last page may be folded back
    scale: float

    @property
    def exact(self) -> "PageFrame":
        """The same page without the safety margin: where a renderer really ends a page."""
        return PageFrame(self.height / SAFETY, self.fit_width_only, self.scale)


def _number(a: dict, key: str, default: float) -> float:
    try:
        return float(a.get(key, default))
    except ValueError:
        return default


def page_frame(prefix: str, suffix: str, widths_pt: float) -> PageFrame | None:
    """The page a sheet prints on: None when it is fitted to a fixed number of pages tall
    (nothing to place) or its setup cannot be read."""
    m = re.search(r"<pageSetup\b([^>]*?)/?>", suffix)
    setup = attrs(m.group(1)) if m else {}
    m = re.search(r"<pageMargins\b([^>]*?)/?>", suffix)
    margins = attrs(m.group(1)) if m else {}
    fit = bool(re.search(r'<pageSetUpPr\b[^>]*\bfitToPage="(1|true)"', prefix))
    try:
        paper = PAPER_MM.get(int(setup.get("paperSize", "9")), PAPER_MM[9])
    except ValueError:
        paper = PAPER_MM[9]
    w_mm, h_mm = paper
    if setup.get("orientation") == "landscape":
        w_mm, h_mm = h_mm, w_mm
    top, bottom = _number(margins, "top", 0.75), _number(margins, "bottom", 0.75)
    left, right = _number(margins, "left", 0.7), _number(margins, "right", 0.7)
    page_w = (w_mm / 25.4 - left - right) * 72
    page_h = (h_mm / 25.4 - top - bottom) * 72
    if page_w <= 0 or page_h <= 0:
        return None
    fit_w_only = False
    if fit:
        tall = int(_number(setup, "fitToHeight", 1))
        wide = int(_number(setup, "fitToWidth", 1))
        if tall != 0:
            return None  # Excel shrinks it onto a fixed number of pages itself
        scale = min(1.0, page_w * max(wide, 1) / widths_pt) if widths_pt > 0 else 1.0
        fit_w_only = True
    else:
        scale = max(10.0, min(400.0, _number(setup, "scale", 100))) / 100
    return PageFrame(page_h * SAFETY / scale, fit_w_only, scale)


def column_points(width_chars: float, digit: int = 7) -> float:
    """A column width in characters (of the default font's digit, `digit` pixels at 96 dpi)
    as printed points."""
    return int(width_chars * digit + 0.5) * 0.75 if width_chars > 0 else 0.0


def _pages(heights: list[float], frame: PageFrame, title: tuple[int, int] | None,
           manual: set[int], keeps: list = (), place: bool = False) -> tuple[list[int], list[int]]:
    """Lay rows 1..n out on pages. Returns (breaks added, rows on each page). `manual`:
    rows after which a page ends anyway; `keeps`: rows starting a block kept together,
    as (row, None) for the whole block up to the next one, or (row, k) for the row with
    its next k rows (a heading); placed only when `place`."""
    n = len(heights) - 1
    title_h = sum(heights[title[0]:title[1] + 1]) if title else 0.0
    keep_n = dict(k if isinstance(k, tuple) else (k, None) for k in keeps)
    keep_set = set(keep_n)
    ends = sorted(keep_set)
    added: list[int] = []
    counts: list[int] = []
    y, rows, first_page = 0.0, 0, True
    avail = frame.height

    def new_page():
        nonlocal y, rows, first_page, avail
        counts.append(rows)
        first_page = False
        y, rows = 0.0, 0
        avail = frame.height - title_h

    for r in range(1, n + 1):
        h = heights[r]
        if place and r in keep_set and rows:
            k = keep_n[r]
            nxt = next((e for e in ends if e > r), n + 1) if k is None else min(r + k + 1, n + 1)
            block = heights[r:nxt]
            need = sum(block)
            if need > avail - y and (need <= frame.height - title_h or sum(block[:KEEP_MIN_ROWS]) > avail - y):
                added.append(r - 1)
                new_page()
        if rows and y + h > avail:
            new_page()
        y += h
        rows += 1
        if r in manual:
            new_page()
    if rows:
        counts.append(rows)
    return added, counts


def keep_breaks(heights: list[float], frame: PageFrame, title: tuple[int, int] | None,
                manual: set[int], keeps: list) -> list[int]:
    """Rows after which to break so no kept block is split where it need not be."""
    return _pages(heights, frame, title, manual, keeps, place=True)[0]


def _widow_counts(heights: list[float], frame: PageFrame, title: tuple[int, int] | None,
                  manual: set[int]) -> list[int] | None:
    """Rows on each page where the renderer really breaks, when the last page holds only a few
    rows (a total, a note, the sign-off line); None when it holds enough or there is one page."""
    _, counts = _pages(heights, frame.exact, title, manual)
    if len(counts) < 2:
        return None
    last = heights[len(heights) - counts[-1]:]
    if counts[-1] > WIDOW_ROWS and sum(last) >= WIDOW_SHARE * frame.exact.height:
        return None
    return counts


def fold_widow(heights: list[float], frame: PageFrame, title: tuple[int, int] | None,
               manual: set[int]) -> int | None:
    """Pages tall to fit to when the last page would hold only a few rows and fitting one
    page fewer costs little scale; None to leave the sheet as it is."""
    if not frame.fit_width_only or manual:
        return None
    counts = _widow_counts(heights, frame, title, manual)
    if counts is None:
        return None
    pages = len(counts) - 1
    title_h = sum(heights[title[0]:title[1] + 1]) if title else 0.0
    total = sum(heights[1:]) + title_h * (pages - 1)  # the print titles print again on each later page
    if total * WIDOW_SHRINK > frame.exact.height * pages:
        return None
    return pages


def widow_break(heights: list[float], frame: PageFrame, title: tuple[int, int] | None,
                manual: set[int]) -> int | None:
    """The row after which to break when the last page would hold only a few rows and
    cannot be folded back: WIDOW_PULL rows of the page before go with them, so a note and the
    sign-off print under the table's last rows, never on a page of their own. None when no
    break is wanted, the template's own break starts that page, or the break would leave the
    page before with too little or split the titles."""
    counts = _widow_counts(heights, frame, title, manual)
    if counts is None:
        return None
    n = len(heights) - 1
    tail_from = n - counts[-1] + 1  # first row of the last page
    if tail_from - 1 in manual:
        return None  # the template's own break starts it: its rows are meant to stand alone
    brk = tail_from - 1 - WIDOW_PULL
    start = tail_from - counts[-2]  # first row of the page before
    if brk < start + KEEP_MIN_ROWS - 1 or brk in manual or (title is not None and brk <= title[1]):
        return None
    title_h = sum(heights[title[0]:title[1] + 1]) if title else 0.0
    if sum(heights[brk + 1:]) + title_h > frame.height:
        return None
    # the page before, ended at the break, must fit with the margin kept: where a renderer's
    # rows run taller than measured, a break past its own page end would add a page of a few rows
    repeated = title_h if title is not None and start > title[1] else 0.0
    if sum(heights[start:brk + 1]) + repeated > frame.height:
        return None
    return brk
