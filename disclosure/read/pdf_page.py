"""One PDF page (pdfplumber) → its lines in reading order: ruled-table rows as "a | b | c", text lines around them."""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from pdfplumber.table import merge_edges

from disclosure.read.report_source import CELL_SEPARATOR
from disclosure.read.text_clean import RADICALS

COLUMN_GAP = 2.0          # a gap of 2 em or more between words on a line separates columns
SPACE_GAP = 0.2           # a narrower untyped gap between characters is kerning, a wider one a word space
EDGE_TOLERANCE = 2.0      # points: rules and cell sides this close are the same line

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))

def normalise(text: str) -> str:
    """Radical and compatibility code points → unified ideographs; soft hyphens and zero-width marks dropped."""
    return text.translate(RADICALS).translate(_INVISIBLE)


@dataclass
class Line:
    text: str
    page: int
    prose: bool               # running text that may continue on the next line (not a table or column row)
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 10.0
    frame: tuple = ()         # (width, height) of its page: pages of one size share their margins
    cells: list = field(default_factory=list)   # a table row: (x0, x1, text) of each cell
    cut_top: bool = False     # a table row whose every cell a page break cut at the top / bottom
    cut_bottom: bool = False
    last_page: int = 0        # the page of its last physical line, once running lines are joined


def page_lines(page) -> tuple[list[Line], int, int]:
    """(lines in reading order, characters with text, characters without a Unicode mapping)."""
    page = page.dedupe_chars()            # fake bold draws every character twice
    chars, unmapped = [], 0
    for char in page.chars:
        text = char.get("text") or ""
        if text.startswith("(cid:"):
            unmapped += 1
        elif text.strip() or text == " ":
            chars.append(char)
    visible = sum(1 for c in chars if c["text"].strip())
    if not visible:
        return [], 0, unmapped
    frame = (round(float(page.width)), round(float(page.height)))
    blocks: list[tuple[float, list[Line]]] = []
    taken: set[int] = set()
    closing = _closing_rules(page)
    for table in page.find_tables({"explicit_horizontal_lines": closing} if closing else None):
        rows = _table_rows(table, chars, taken, page.page_number, closing)
        if rows:
            blocks.append((table.bbox[1], rows))
    for group in _visual_lines([c for i, c in enumerate(chars) if i not in taken]):
        line = _text_line(group, page.page_number, frame)
        if line.text:
            blocks.append((line.top, [line]))
    blocks.sort(key=lambda block: block[0])
    lines = [line for _, block in blocks for line in block]
    return _drop_page_number(lines, float(page.height), page.page_number), visible, unmapped


# ---------------------------------------------------------------------------------------------
# Ruled tables

def _closing_rules(page) -> list[dict]:
    """Horizontal rules a page break left out, as segments between column rules ending at one height.

    A browser draws a collapsed border once, on the page where the row above it ends, so the first row
    on the next page has no top rule; a merged cell cut by the break has no bottom rule. Two adjacent
    column rules ending at the same height with nothing joining them can only be such a cut.
    """
    edges = merge_edges([e for e in page.edges if max(e["width"], e["height"]) >= 1], 3, 3, 3, 3)
    verticals = [e for e in edges if e["orientation"] == "v" and e["height"] >= 3]
    horizontals = [e for e in edges if e["orientation"] == "h"]
    ends = sorted([(e["top"], e["x0"]) for e in verticals] + [(e["bottom"], e["x0"]) for e in verticals])
    rules = []
    for group in _clusters(ends, 1.5):
        y = group[0][0]
        xs = sorted({x for _, x in group})
        for a, b in zip(xs, xs[1:]):
            if b - a > 3 and not any(abs(h["top"] - y) <= EDGE_TOLERANCE and h["x0"] <= a + EDGE_TOLERANCE
                                     and h["x1"] >= b - EDGE_TOLERANCE for h in horizontals):
                rules.append({"object_type": "line", "x0": a, "x1": b, "top": y, "bottom": y,
                              "width": b - a, "height": 0})
    return rules


def _clusters(items: list[tuple], tolerance: float) -> list[list[tuple]]:
    """Sorted (y, …) items grouped where each lies within `tolerance` of its group's first."""
    groups: list[list[tuple]] = []
    for item in items:
        if not groups or item[0] - groups[-1][0][0] > tolerance:
            groups.append([])
        groups[-1].append(item)
    return groups


def _table_rows(table, chars: list[dict], taken: set[int], page_number: int, closing: list[dict]) -> list[Line]:
    """One line per row; each cell once (a merged cell in the row where it starts), empty cells kept."""
    rows = [[cell for cell in row.cells if cell is not None] for row in table.rows]
    if not any(len(row) >= 2 for row in rows):
        return []                         # a box around text (one column of cells) is not a form table
    x0, top, x1, bottom = table.bbox
    inside = [(i, c) for i, c in enumerate(chars) if x0 <= _mid_x(c) <= x1 and top <= _mid_y(c) <= bottom]
    taken.update(i for i, _ in inside)
    lines = []
    for row in rows:
        height = min(cell[3] - cell[1] for cell in row)
        cells = []
        for cell in row:
            text = cell_text([c for _, c in inside if _inside(c, cell)])
            if not text and cell[3] - cell[1] > height + 1 and (_cut(cell, closing, top=True) or _cut(cell, closing)):
                continue                  # the empty part of a merged cell that a page break cut
            cells.append((cell, text))
        if any(text for _, text in cells):
            lines.append(Line(CELL_SEPARATOR.join(text for _, text in cells), page_number, prose=False,
                              top=min(cell[1] for cell in row),
                              cells=[(cell[0], cell[2], text) for cell, text in cells],
                              cut_top=all(_cut(cell, closing, top=True) for cell, _ in cells),
                              cut_bottom=all(_cut(cell, closing) for cell, _ in cells)))
    return lines


def _cut(cell, closing: list[dict], top: bool = False) -> bool:
    """Whether a page break cut the cell: its top (or bottom) side is one of the closing rules."""
    y = cell[1] if top else cell[3]
    return any(abs(rule["top"] - y) <= EDGE_TOLERANCE and rule["x0"] <= cell[0] + EDGE_TOLERANCE
               and cell[2] <= rule["x1"] + EDGE_TOLERANCE for rule in closing)


def cell_text(chars: list[dict]) -> str:
    """A cell's lines joined: without a space inside CJK text (本年新 / 制作数量), with one between words."""
    out = ""
    for line in _visual_lines(chars):
        out = join_pieces(out, " ".join(_segments(line, columns=False)[0].split()))
    return out


def join_pieces(first: str, second: str) -> str:
    """Two pieces of one cell: "12" over "3" stays two numbers, since a wrong number is worse than none."""
    if first and second and _word_char(first[-1]) and _word_char(second[0]):
        return f"{first} {second}"
    return first + second


# ---------------------------------------------------------------------------------------------
# Text outside ruled tables

def _visual_lines(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into visual lines by vertical position, each sorted left to right."""
    lines: list[list[dict]] = []
    anchor = None
    for char in sorted(chars, key=_mid_y):
        if anchor is None or _mid_y(char) - anchor > 0.5 * _size(char):
            lines.append([])
            anchor = _mid_y(char)
        lines[-1].append(char)
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _segments(chars: list[dict], columns: bool) -> list[str]:
    """The line's text, split where a gap of COLUMN_GAP separates columns (when `columns`).

    A typed space is kept; an untyped gap between two CJK characters is justification, never a space. Next to
    CJK text a gap counts beyond the spacing justification gave the line's CJK characters; between digits or
    Latin letters any gap is a space, so that two numbers never run together.
    """
    visible = [c for c in chars if c["text"].strip()]
    spread = [b["x0"] - a["x1"] for a, b in zip(visible, visible[1:]) if _cjk(a["text"][-1]) and _cjk(b["text"][0])]
    usual = max(statistics.median(spread), 0.0) if len(spread) >= 3 else 0.0
    segments, text, prev, spaced = [], "", None, False
    for char in chars:
        if not char["text"].strip():
            spaced = prev is not None
            continue
        if prev is not None:
            gap, size = char["x0"] - prev["x1"], max(_size(char), _size(prev))
            cjk = _cjk(prev["text"][-1]) + _cjk(char["text"][0])
            if columns and gap >= COLUMN_GAP * size:
                segments.append(text)
                text = ""
            elif spaced or (cjk == 1 and gap - usual > SPACE_GAP * size) or (cjk == 0 and gap > SPACE_GAP * size):
                text += " "
        text += char["text"]
        prev, spaced = char, False
    segments.append(text)
    return [normalise(s.strip()) for s in segments]


def _text_line(chars: list[dict], page_number: int, frame: tuple) -> Line:
    segments = [s for s in _segments(chars, columns=True) if s]
    if len(segments) > 1 and all(len(s) == 1 and _cjk(s) and s != "无" for s in segments):
        segments = ["".join(segments)]    # letter-spaced text (a spread-out title), not columns
    visible = [c for c in chars if c["text"].strip()]
    return Line(CELL_SEPARATOR.join(segments), page_number, prose=len(segments) == 1,
                x0=min(c["x0"] for c in visible), x1=max(c["x1"] for c in visible),
                top=min(c["top"] for c in visible), bottom=max(c["bottom"] for c in visible),
                size=statistics.median(_size(c) for c in visible), frame=frame)


_PAGE_NUMBER = re.compile(r"[-－—–]\s*\d{1,4}\s*[-－—–]|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?"
                          r"|\d{1,4}\s*[/／]\s*\d{1,4}")


def _drop_page_number(lines: list[Line], height: float, number: int) -> list[Line]:
    """A page number (- 3 -, 第3页, 3/12, or a bare 3 on page 3) alone in the bottom or top margin."""
    def furniture(line: Line) -> bool:
        text = line.text.strip()
        bare = text.isdigit() and 0 < int(text) and abs(int(text) - number) <= 2   # a cover may go unnumbered
        return line.prose and (bare or bool(_PAGE_NUMBER.fullmatch(text)))

    if lines and lines[-1].top > 0.88 * height and furniture(lines[-1]):
        lines = lines[:-1]
    if lines and lines[0].bottom < 0.08 * height and furniture(lines[0]):
        lines = lines[1:]
    return lines


def _inside(char: dict, bbox) -> bool:
    return bbox[0] <= _mid_x(char) <= bbox[2] and bbox[1] <= _mid_y(char) <= bbox[3]


def _mid_x(char: dict) -> float:
    return (char["x0"] + char["x1"]) / 2


def _mid_y(char: dict) -> float:
    return (char["top"] + char["bottom"]) / 2


def _size(char: dict) -> float:
    size = char.get("size") or 0
    return size if size > 0 else max(char["bottom"] - char["top"], 1.0)


def _cjk(ch: str) -> bool:
    code = ord(ch)
    return ch != "\u3000" and (0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
                               or 0x20000 <= code <= 0x3FFFF)


def _word_char(ch: str) -> bool:
    return ch.isdigit() or (ch.isascii() and ch.isalpha())
