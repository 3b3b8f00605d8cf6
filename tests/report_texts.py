"""Report texts built from values, in the layouts real published reports use (data-contract.md §6), for reader tests."""
from __future__ import annotations

from disclosure.contract import catalog
from disclosure.read.read_report import S2_DEFAULT, S3_COLS, S4_CELLS

BLOCKS = {"2019": [("第二十条第（一）项", ("rules", "normdocs")), ("第二十条第（五）项", ("licensing", "other_services")),
                   ("第二十条第（六）项", ("penalties", "coercion")), ("第二十条第（八）项", ("fees",)),
                   ("第二十条第（九）项", ("procurement",))],
          "2021": [("第二十条第（一）项", ("rules", "normdocs")), ("第二十条第（五）项", ("licensing",)),
                   ("第二十条第（六）项", ("penalties", "coercion")), ("第二十条第（八）项", ("fees",))]}
COLUMN_LABELS = {"made": "本年新制作数量", "published": "本年新公开数量", "public_total": "对外公开总数量",
                 "issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
                 "prev_items": "上一年项目数量", "delta": "本年增/减", "decisions": "处理决定数量",
                 "amount_wan": "本年收费金额（单位：万元）", "projects": "采购项目数量", "amount": "采购总金额"}
ROW_LABELS = {"rules": "规章", "normdocs": "规范性文件", "licensing": "行政许可", "other_services": "其他对外管理服务事项",
              "penalties": "行政处罚", "coercion": "行政强制", "fees": "行政事业性收费", "procurement": "政府集中采购"}


def s3_rows(version: str) -> list[tuple[str, str]]:
    """(row code, label as printed) in form order."""
    rows = []
    for code in catalog.table_codes(version):
        if code.startswith("s3.") and code.endswith(".total"):
            row = code.split(".")[1]
            label = catalog.by_code()[code].row_label
            rows.append((row, label.split(" ", 1)[-1] if " " in label else label))
    return rows


def cell(values: dict, code: str) -> str:
    if code not in values:
        return ""
    v = values[code]
    return str(int(v)) if float(v).is_integer() else str(v)


def table_rows(values: dict, version: str) -> list[list[str]]:
    """The three tables as rows of cells, labels first, as a Word table would hold them."""
    rows = [["二、主动公开政府信息情况"]]
    for caption, block_rows in BLOCKS[version]:
        columns = S2_DEFAULT[version][block_rows[0]]
        rows.append([caption])
        rows.append(["信息内容", *(COLUMN_LABELS[c] if not (version == "2021" and c == "decisions") else "本年处理决定数量"
                                   for c in columns)])
        for row in block_rows:
            label = "行政规范性文件" if version == "2021" and row == "normdocs" else ROW_LABELS[row]
            rows.append([label, *(cell(values, f"s2.{row}.{c}") for c in S2_DEFAULT[version][row])])
    rows.append(["三、收到和处理政府信息公开申请情况"])
    rows.append(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"])
    rows.append(["自然人", "法人或其他组织", "总计"])
    rows.append(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])
    group = None
    for row, label in s3_rows(version):
        full = catalog.by_code()[f"s3.{row}.total"].row_label
        first_of_group = " " in full and full.split(" ")[0] != group
        group = full.split(" ")[0] if " " in full else None
        prefix = [group] if first_of_group else [None] if group else []  # the group's merged cell, as Word keeps it
        rows.append([*prefix, label, *(cell(values, f"s3.{row}.{c}") for c in S3_COLS)])
    rows.append(["四、政府信息公开行政复议、行政诉讼情况"])
    rows.append(["行政复议", "行政诉讼"])
    rows.append(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"])
    rows.append([cell(values, c) for c in S4_CELLS])
    return rows


def report_text(values: dict, version: str, layout: str, title: str = "测试乡2021年政府信息公开工作年度报告",
                narrative: str = "2021年，全乡共公开信息30条。") -> str:
    """layout: 'pipe' (a | b |), 'lines' (one cell per line, blank line between rows, lone tab = empty cell),
    'spaces' (label then values on one line; empty cells as '/'), 'dropped' (one cell per line, blanks lost)."""
    out = [title, "一、总体情况", narrative]
    for row in table_rows(values, version):
        if len(row) == 1 and row[0][:2] in ("二、", "三、", "四、"):
            out.append(row[0])
        elif layout == "pipe":
            out.append(" | ".join(c or "" for c in row) + " |")
        elif layout == "lines":
            out += ["\t" + c if c else "\t" for c in row] + [""]
        elif layout == "dropped":  # one cell per line and blank cells lost: positions are unknowable
            out += [c for c in row if c] + [""]
        else:  # a merged cell (None) leaves no trace in flattened text; a blank cell is written '/'
            out.append(" ".join(c or "/" for c in row if c is not None))
    out += ["五、存在的主要问题及改进情况", "无。", "六、其他需要报告的事项", "无。"]
    return "\n".join(out) + "\n"


def report_docx(values: dict, version: str, title: str = "测试镇2021年政府信息公开工作年度报告") -> bytes:
    """A Word file as agencies publish it: headings as paragraphs, each section's table as a Word table,
    the 第二十条 captions merged across the row and the section-三 group cells merged down their rows."""
    import io

    import docx

    document = docx.Document()
    document.add_paragraph(title)
    document.add_paragraph("一、总体情况")
    document.add_paragraph("2021年，全镇共公开信息30条，其中政府网站公开20条，微信公众号公开10条。")
    sections: list[tuple[str, list]] = []
    for row in table_rows(values, version):
        if len(row) == 1 and row[0][:2] in ("二、", "三、", "四、"):
            sections.append((row[0], []))
        else:
            sections[-1][1].append(row)
    for heading, rows in sections:
        document.add_paragraph(heading)
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        top_of = {}  # column -> the row where the group cell now covering it starts
        for i, row in enumerate(rows):
            if len(row) == 1:  # a caption: one cell across the row
                table.cell(i, 0).merge(table.cell(i, width - 1)).text = row[0]
                continue
            for j, text in enumerate(row):
                if text is None:  # a group cell continues: merge it down
                    table.cell(top_of[j], j).merge(table.cell(i, j))
                else:
                    top_of[j] = i
                    table.cell(i, j).text = text
    document.add_paragraph("五、存在的主要问题及改进情况")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report_html(values: dict, version: str, title: str = "测试镇2021年政府信息公开工作年度报告") -> bytes:
    """A saved web page: the tables as <table>, group cells with rowspan, captions with colspan."""
    html = [f"<html><head><meta charset='gb2312'><title>{title}</title><script>var x = 1;</script></head><body>",
            f"<h1>{title}</h1><p>一、总体情况</p><p>2021年，全镇主动公开信息30条。</p>"]
    open_table = False
    rows = table_rows(values, version)
    for i, row in enumerate(rows):
        if len(row) == 1 and row[0][:2] in ("二、", "三、", "四、"):
            html.append(("</table>" if open_table else "") + f"<p>{row[0]}</p><table border='1'>")
            open_table = True
            continue
        cells = []
        for j, text in enumerate(row):
            if text is None:
                continue  # covered by the rowspan above
            span = ""
            if j == 0 and i + 1 < len(rows) and len(rows[i + 1]) > 1 and rows[i + 1][0] is None:
                n = 1
                while i + n < len(rows) and len(rows[i + n]) > 1 and rows[i + n][0] is None:
                    n += 1
                span = f" rowspan='{n}'"
            if len(row) == 1:
                span = " colspan='4'"
            cells.append(f"<td{span}>{text or '&nbsp;'}</td>")
        html.append("<tr>" + "".join(cells) + "</tr>")
    html.append("</table><p>五、存在的主要问题及改进情况</p></body></html>")
    return "".join(html).encode("gb18030")
