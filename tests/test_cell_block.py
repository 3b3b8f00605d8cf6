"""Cells held column by column read back exactly as the cells made one by one, and store as the same facts."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure import ingest
from disclosure.contract import catalog
from disclosure.read.cell_block import Cell, CellBlock
from disclosure.read.read_table import read_table
from disclosure.read.shapes import drafts_from_table

CODES = ["s3.new.total", "s2.fees.amount_wan", "s1.channel.website", "s3.new.natural"]
FEES, NEW, NEW_NATURAL = (catalog.by_code()[c].header for c in ("s2.fees.amount_wan", "s3.new.total", "s3.new.natural"))

cells = st.builds(
    Cell, code=st.sampled_from(CODES), value=st.floats(-1e6, 1e6, allow_nan=False), raw=st.text(max_size=5),
    column=st.text(max_size=5), line=st.none() | st.integers(1, 10**6), origin=st.sampled_from(["file", "corrected", "suggested"]),
    unit=st.sampled_from(["", "万元"]), approximate=st.booleans())
reports = st.lists(st.lists(cells, max_size=4).map(lambda cs: {c.code: c for c in cs}), min_size=1, max_size=6)


def facts_one_by_one(report_ids: list[int], rows: list[dict[str, Cell]]) -> list[tuple]:
    """The facts of these cells, listed the plain way, in the order they are stored."""
    return sorted(((rid, c.code, c.value, c.raw, c.unit or None, c.approximate, c.origin)
                   for rid, row in zip(report_ids, rows) for c in row.values()), key=lambda f: (f[1], f[0]))


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(reports, st.data())
def test_rows_read_back_the_cells_they_were_made_of(rows, data):
    block = CellBlock.of_cells(rows)
    for r, row in enumerate(rows):
        view = block.row(r)
        assert dict(view) == row and len(view) == len(row) and list(view) == [c for c in block.codes if c in row]
        assert view.numbers() == {code: cell.value for code, cell in row.items()}
        assert all(code in view for code in row) and not any(code in view for code in set(CODES) - set(row))
    chosen = data.draw(st.lists(st.sampled_from(range(len(rows))), unique=True, min_size=1))
    ids = np.arange(100, 100 + len(chosen))
    facts = block.long(np.array(chosen), ids).to_pylist()
    assert [tuple(f.values()) for f in facts] == facts_one_by_one(list(ids), [rows[r] for r in chosen])


def test_a_wide_file_stores_the_cells_it_states_with_their_units_and_edits():
    text = (f"单位名称,年度,所属地区,{FEES},{NEW},{NEW_NATURAL}\n"
            "甲镇,2023,示例县,0.5万元,12,—\n"
            "乙镇,2023,示例县,,007,3\n"
            "丙镇,2023,示例县,1.25,x,123456789012345678\n")
    table = read_table("a.csv", text.encode())
    table.rows[1].origins = {4: "corrected"}
    drafts, issues = drafts_from_table(table)
    assert [i.value for i in issues if i.is_error] == ["x"]
    assert [d.agency for d in drafts] == ["甲镇", "乙镇", "丙镇"]
    assert drafts[0].cells["s2.fees.amount_wan"].unit == "万元" and "s3.new.natural" not in drafts[0].cells
    assert drafts[1].cells["s3.new.total"].origin == "corrected" and drafts[1].cells["s3.new.total"].raw == "007"
    assert drafts[2].values() == {"s2.fees.amount_wan": 1.25, "s3.new.natural": 123456789012345678.0}
    facts = ingest._facts_frame([7, 8, 9], drafts).to_pylist()
    assert [tuple(f.values()) for f in facts] == facts_one_by_one([7, 8, 9], [dict(d.cells) for d in drafts])


def test_the_rule_frame_holds_each_drafts_numbers_in_its_row_and_nothing_else():
    text = f"单位名称,年度,所属地区,{NEW},{NEW_NATURAL}\n甲,2022,示例县,3,\n乙,2023,示例县,,4\n"
    drafts, _ = drafts_from_table(read_table("a.csv", text.encode()))
    frame = ingest.draft_frame(drafts)
    codes = ["s3.new.total", "s3.new.natural"]
    assert frame["agency"].tolist() == ["甲", "乙"]
    assert [{c: v for c, v in frame.iloc[k][codes].items() if v == v} for k in range(2)] == [d.values() for d in drafts]
