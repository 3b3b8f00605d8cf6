"""Widgets of the official form: one section as an editable table, and the cells to check coloured read-only."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from disclosure.present import form_view


def form_editor(section: str, values: dict[str, float], version: str | None, key: str) -> dict[str, float]:
    """One section of the official form as an editable table; returns the cells the user typed, by code."""
    frame = form_view.section_frame(section, values, version)
    label_width = {"s1": "medium", "s2": 150, "s3": 270, "s4": "medium"}[section]
    columns = {"_index": st.column_config.TextColumn(form_view.INDEX_NAMES[section], width=label_width)}
    if form_view.BLOCK in frame.columns:
        columns[form_view.BLOCK] = st.column_config.TextColumn(form_view.BLOCK, width=145, disabled=True)
    for column, value_type in form_view.value_columns(section, version):
        # no format="plain": in this Streamlit it shows 443 as 442.99999999999994
        columns[column] = st.column_config.NumberColumn(
            column, min_value=None if value_type == "signed_count" else 0,
            step=None if value_type == "decimal" else 1, width=86 if section == "s3" else None)
    # section 二 has cells the form lacks (规章 × 处理决定数量): there an empty cell is no cell, not a blank one
    edited = st.data_editor(frame, key=key, column_config=columns, width="stretch", height=_rows_height(frame),
                            placeholder=" " if section == "s2" else "空")
    return form_view.edits(frame, edited, section, version)


def _rows_height(frame: pd.DataFrame) -> int:
    """Tall enough to show every row of the form without scrolling."""
    return 35 * (len(frame) + 1) + 3


def marked_view(section: str, values: dict[str, float], version: str | None, marks, key: str) -> None:
    """The cells of a section a reviewer should look at, coloured in a read-only copy of the form."""
    if not form_view.has_marks(section, version, marks):
        return
    st.caption("需要核对的行：" + form_view.legend(section, version, marks))
    frame = form_view.styled(section, values, version, marks, only_marked=True)
    st.dataframe(frame, key=key, width="stretch", height=_rows_height(frame.data))
