"""A published report file as an import: its reading, what the user supplied, and the draft it makes."""
from __future__ import annotations

from dataclasses import dataclass, field

from disclosure.contract import catalog
from disclosure.contract.agencies import clean_name, normalize_kind
from disclosure.issues import ERROR, WARNING, Issue
from disclosure.read import read_report
from disclosure.read.cell_block import Cell, CellBlock
from disclosure.read.report_source import load
from disclosure.read.shapes import Draft


@dataclass
class ReportFile:
    """A .docx/.html/.txt report read for import; the fields the text does not give are supplied here."""

    file: str
    kind: str
    data: bytes
    reading: read_report.Reading
    error: str = ""
    agency: str = ""
    year: int | None = None
    version: str = ""
    kind_of_agency: str = ""
    parent: str = ""
    accept_partial: bool = False
    corrections: dict[str, float] = field(default_factory=dict)  # cells the reviewer typed, by code
    use_suggestions: bool = False  # store the values the arithmetic determines (reading.suggested)
    encoding: str | None = None

    @property
    def header(self) -> list:  # what the batch history lists for tables; a report has no header row
        return []


def read_file(file: str, data: bytes, *, reader=load, **supplied) -> ReportFile:
    """`reader` turns the bytes into text: report_source.load here, isolated.load_report for a user's file."""
    source = reader(file, data)
    reading = read_report.read_text(source.text, source.notices) if not source.error else read_report.Reading(
        is_report=False)
    reading.line_pages = source.line_pages
    return ReportFile(file, source.kind, data, reading, error=source.error, **supplied)


def drafts_from_report(rf: ReportFile) -> tuple[list[Draft], list[Issue]]:
    """One draft from a report's reading; what the text leaves open must be supplied, what it could not
    place blocks the import unless the user accepts a partial report."""
    r = rf.reading

    def issue(code, message, severity=ERROR, **kw) -> Issue:
        return Issue(code=code, severity=severity, message=message, file=rf.file, agency=agency or "", year=year, **kw)

    agency = clean_name(rf.agency or r.agency or "")
    year = rf.year or r.year
    version = rf.version or r.version or ""
    if rf.error:  # the bytes could not be read: damaged, over a limit, a scan, an old format
        return [], [issue("unreadable-report", rf.error)]
    if not r.is_report:  # read, but no report's sections and tables in it
        return [], [issue("not-a-report", f"文件 {rf.file} 看起来不是政府信息公开工作年度报告：找不到报告的栏目和表格")]
    problems = []
    if not agency:
        problems.append(issue("missing-agency", "报告中找不到单位名称，请填写「单位名称」"))
    if year is None:
        problems.append(issue("missing-year", "报告中找不到报告年度，请填写「年度」"))
    if version not in catalog.VERSIONS:
        problems.append(issue("missing-version", "报告中看不出用的是哪一版表格，请在「表格版本」中选择 2019 或 2021"))
    kind = normalize_kind(rf.kind_of_agency) if rf.kind_of_agency else ""
    if rf.kind_of_agency and not kind:
        problems.append(issue("unknown-kind", f"单位类型「{rf.kind_of_agency}」无法识别", value=rf.kind_of_agency,
                              suggestion="可填：" + "、".join(catalog.KINDS)))
    if problems:
        return [], problems
    cells, notes = {}, []
    suggested = r.suggested if rf.use_suggestions else {}
    for code, value in {**suggested, **r.values, **rf.corrections}.items():
        if not catalog.by_code()[code].in_version(version):
            notes.append(code)
            continue
        origin = "corrected" if code in rf.corrections else "file" if code in r.values else "suggested"
        cells[code] = Cell(code, float(value), r.raw.get(code, str(value)) if origin == "file" else str(value),
                           catalog.by_code()[code].header, None, origin=origin, unit=r.units.get(code, ""),
                           approximate=code in r.approximate and origin == "file")
    draft = Draft(rf.file, 0, agency, rf.parent, kind, year, version, CellBlock.of_cells([cells]).row(0))
    for u in r.unresolved:
        if u.where in cells:
            continue  # the reviewer typed it, or accepted the value the arithmetic implies
        draft.issues.append(issue("unresolved-cell", f"{_where(u.where)}：{u.reason}",
                                  WARNING if rf.accept_partial else ERROR, column=u.where))
    for code, doubt in r.doubtful.items():
        if code not in cells:
            draft.issues.append(issue("doubtful-cell", f"{_where(code)}：读到「{doubt.raw}」，但{doubt.reason}，请核对后填写",
                                      WARNING if rf.accept_partial else ERROR, column=code, value=doubt.raw))
    for code, figures in r.candidates.items():
        if code not in cells:  # soft data: left out until someone picks, never blocking
            draft.issues.append(issue("competing-figures", f"{_where(code)}：正文给出了 " + "、".join(
                f"「{f.raw}」" for f in figures) + " 几个不同的数字，未导入；请核对后填写", WARNING, column=code))
    if not any(not c.startswith("s1.") for c in cells):
        draft.issues.append(issue("no-table-cells", "报告的表格中没有读到任何数值（表格缺失、只有栏目名称，或无法确定位置）",
                                  WARNING if rf.accept_partial else ERROR))
    if notes:
        draft.issues.append(issue("other-version-cells", f"{len(notes)} 个数值不属于 {version} 版表格，未导入", WARNING))
    draft.issues += [_attach(m, rf.file, agency, year) for m in r.mismatches]
    return [draft], list(draft.issues)


def _where(code: str) -> str:
    return catalog.label(code) if code in catalog.by_code() else code


def _attach(issue: Issue, file: str, agency: str, year: int) -> Issue:
    issue.file, issue.agency, issue.year = file, agency, year
    return issue
