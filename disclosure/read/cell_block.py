"""The cells of many reports, held column by column.

A file of 10,000 reports holds two million cells. One Python object per cell made reading, checking and
storing such a file slow, so a file's cells live in arrays — a row per report, a column per metric — and
a draft sees its own row as a mapping of Cell objects, each made only when someone asks for it.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

_CELL_DEFAULTS = {"origin": "file", "unit": "", "approximate": False}
FACT_COLUMNS = pa.schema({"report_id": pa.int64(), "metric": pa.string(), "value": pa.float64(), "raw": pa.string(),
                          "unit": pa.string(), "approximate": pa.bool_(), "origin": pa.string()})


@dataclass(slots=True)
class Cell:
    code: str
    value: float
    raw: str
    column: str  # the header (wide) or metric name (long) as written
    line: int | None
    origin: str = "file"  # file, corrected, suggested
    unit: str = ""
    approximate: bool = False


@dataclass
class CellBlock:
    """Rows of reports × columns of metrics. A cell's column text and line are its column's header and its
    row's line unless `details` says otherwise, as it does for the few cells with a unit or edited on the page."""

    codes: list[str]
    headers: list[str]
    lines: list[int | None]
    values: np.ndarray  # float, rows × columns; meaningful where `present`
    present: np.ndarray  # bool, rows × columns
    raws: list[np.ndarray]  # per column, the texts as written (object arrays, one entry per row)
    details: dict[tuple[int, int], dict] = field(default_factory=dict)  # (row, column) -> Cell fields that differ
    column_of: dict[str, int] = field(init=False)

    def __post_init__(self):
        self.column_of = {code: j for j, code in enumerate(self.codes)}

    @classmethod
    def of_cells(cls, rows: list[dict[str, Cell]]) -> CellBlock:
        """A block of cells made one by one (report files, long tables): every field of each kept."""
        codes = list(dict.fromkeys(code for cells in rows for code in cells))
        column_of = {code: j for j, code in enumerate(codes)}
        values = np.zeros((len(rows), len(codes)))
        present = np.zeros((len(rows), len(codes)), dtype=bool)
        raws = [np.full(len(rows), None, dtype=object) for _ in codes]
        details = {}
        for r, cells in enumerate(rows):
            for code, cell in cells.items():
                j = column_of[code]
                values[r, j], present[r, j], raws[j][r] = cell.value, True, cell.raw
                details[r, j] = {"column": cell.column, "line": cell.line} | {
                    name: getattr(cell, name) for name, default in _CELL_DEFAULTS.items()
                    if getattr(cell, name) != default}
        return cls(codes, list(codes), [None] * len(rows), values, present, raws, details)

    def row(self, r: int) -> RowCells:
        return RowCells(self, r)

    def cell(self, r: int, j: int) -> Cell:
        cell = Cell(self.codes[j], float(self.values[r, j]), self.raws[j][r], self.headers[j], self.lines[r])
        for name, value in self.details.get((r, j), {}).items():
            setattr(cell, name, value)
        return cell

    def wide(self, rows: np.ndarray) -> tuple[list[str], np.ndarray]:
        """The codes stated in any of these rows and their values, NaN where a row states none."""
        used = self.present[rows].any(axis=0)
        values = np.where(self.present[rows][:, used], self.values[rows][:, used], np.nan)
        return [c for c, u in zip(self.codes, used) if u], values

    def long(self, rows: np.ndarray, report_ids: np.ndarray) -> pa.Table:
        """The cells of these rows as facts (FACT_COLUMNS), by metric and then by row: the order they are stored in.
        Built as Arrow arrays: two million Python strings per column would cost more than the rest together."""
        present, values = self.present[rows], self.values[rows]
        order = [j for j in sorted(range(len(self.codes)), key=self.codes.__getitem__) if present[:, j].any()]
        taken = [np.flatnonzero(present[:, j]) for j in order]
        counts = np.array([len(t) for t in taken], dtype=np.int64)
        start = dict(zip(order, np.concatenate([[0], np.cumsum(counts)[:-1]]).tolist()))
        total = int(counts.sum())
        unit, origin, approximate = [None] * total, ["file"] * total, np.zeros(total, dtype=bool)
        place = np.full(len(self.lines), -1)
        place[rows] = np.arange(len(rows))
        nth = {j: n for n, j in enumerate(order)}
        for (r, j), detail in self.details.items():
            if not detail.keys() & _CELL_DEFAULTS.keys() or place[r] < 0 or not present[place[r], j]:
                continue
            k = start[j] + int(np.searchsorted(taken[nth[j]], place[r]))
            unit[k] = detail.get("unit") or None
            origin[k] = detail.get("origin", "file")
            approximate[k] = detail.get("approximate", False)
        metric = pa.DictionaryArray.from_arrays(np.repeat(np.arange(len(order)), counts),
                                                pa.array([self.codes[j] for j in order], pa.string()))
        empty = np.array([], dtype=np.int64)
        return pa.table({
            "report_id": np.concatenate([report_ids[t] for t in taken] or [empty]),
            "metric": metric.cast(pa.string()),
            "value": np.concatenate([values[t, j] for t, j in zip(taken, order)] or [empty.astype(float)]),
            "raw": pa.array(np.concatenate([self.raws[j][rows[t]] for t, j in zip(taken, order)] or [empty.astype(object)]),
                            pa.string()),
            "unit": pa.array(unit, pa.string()), "approximate": approximate,
            "origin": pa.array(origin, pa.string())}, schema=FACT_COLUMNS)


class RowCells(Mapping):
    """One report's cells, code -> Cell, read from its block."""

    __slots__ = ("block", "r")

    def __init__(self, block: CellBlock, r: int):
        self.block, self.r = block, r

    def _columns(self) -> np.ndarray:
        return np.flatnonzero(self.block.present[self.r])

    def __getitem__(self, code: str) -> Cell:
        j = self.block.column_of.get(code)
        if j is None or not self.block.present[self.r, j]:
            raise KeyError(code)
        return self.block.cell(self.r, j)

    def __contains__(self, code) -> bool:
        j = self.block.column_of.get(code)
        return j is not None and bool(self.block.present[self.r, j])

    def __iter__(self) -> Iterator[str]:
        return (self.block.codes[j] for j in self._columns())

    def __len__(self) -> int:
        return int(self.block.present[self.r].sum())

    def numbers(self) -> dict[str, float]:
        """code -> value, without making a Cell of each."""
        columns = self._columns()
        return dict(zip([self.block.codes[j] for j in columns], self.block.values[self.r, columns].tolist()))


def blocks_of(items: list) -> list[tuple[CellBlock, np.ndarray, np.ndarray]]:
    """The drafts (anything with `.cells` read from a block) grouped by block: each block with the rows the
    drafts occupy and the drafts' positions in `items`, in their order."""
    groups: dict[int, tuple[CellBlock, list[int], list[int]]] = {}
    for k, item in enumerate(items):
        block, rows, places = groups.setdefault(id(item.cells.block), (item.cells.block, [], []))
        rows.append(item.cells.r)
        places.append(k)
    return [(block, np.asarray(rows, dtype=np.int64), np.asarray(places, dtype=np.int64))
            for block, rows, places in groups.values()]

