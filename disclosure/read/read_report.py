"""A published report (text, .docx, .html) -> the cells it states by canonical code, and what stayed unresolved.

A wrong number is worse than a missing one: a row is read only when its cells can be placed —
every cell present, or empty cells kept as empty cells, or the text cut off after the cells kept.
A row whose empty cells were dropped is left unresolved, never aligned by guesswork.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from disclosure.contract import catalog, rules
from disclosure.contract.catalog import S3_COLUMNS
from disclosure.issues import WARNING, Issue
from disclosure.read import narrative
from disclosure.read.text_clean import clean

S3_COLS = S3_COLUMNS + ("total",)
S4_CELLS = tuple(f"s4.{b}.{c}" for b in catalog.S4_BLOCKS for c in ("upheld", "corrected", "other", "pending", "total"))
MISSING_MARKS = {"/", "-", "—", "——", "–", "无", "－", "\\"}
_BARS = re.compile(r"\s*\|+\s*")
_DIGIT_GAP = re.compile(r"(?<=\d)\s(?=\d{3}(?!\d))")
_ROW_END = re.compile(r"\|\|+\s*$")
_VALUE = re.compile(r"(减|增)?\s*([+-]?)\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|元|件|条|项|个|篇)?")
LABEL_MAX = 60  # a longer text is prose, not a table label
WRAP_WIDTH = 25  # a prose line at least this long that ends mid-sentence was broken at a margin
_SENTENCE_END = re.compile(r"[。；;:：!?！？)）”]\s*$")
_HEADING = re.compile(r"\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、．])")

# Section 二: block captions, row labels, column headers (data-contract.md §2.1, §2.2)
_BLOCK = re.compile(r"第二十条(?:第)?\(?([一五六八九])\)?项")
S2_ROWS = (("rules", ("规章",)), ("normdocs", ("行政规范性文件", "规范性文件")), ("licensing", ("行政许可",)),
           ("other_services", ("其他对外管理服务",)), ("penalties", ("行政处罚",)), ("coercion", ("行政强制",)),
           ("fees", ("行政事业性收费",)), ("procurement", ("政府集中采购",)))
S2_COLUMNS = (("made", ("新制作",)), ("published", ("新公开",)), ("public_total", ("公开总数", "对外公开总")),
              ("issued", ("制发", "发件")), ("repealed", ("废止",)), ("in_force", ("现行有效",)),
              ("prev_items", ("上一年项目", "上年项目")), ("delta", ("增/减", "增减", "增/")),
              ("decisions", ("处理决定",)), ("amount_wan", ("收费金额",)), ("projects", ("采购项目",)),
              ("amount", ("采购总金额", "总金额")))
S2_DEFAULT = {
    "2019": {"rules": ("made", "published", "public_total"), "normdocs": ("made", "published", "public_total"),
             "licensing": ("prev_items", "delta", "decisions"), "other_services": ("prev_items", "delta", "decisions"),
             "penalties": ("prev_items", "delta", "decisions"), "coercion": ("prev_items", "delta", "decisions"),
             "fees": ("prev_items", "delta"), "procurement": ("projects", "amount")},
    "2021": {"rules": ("issued", "repealed", "in_force"), "normdocs": ("issued", "repealed", "in_force"),
             "licensing": ("decisions",), "penalties": ("decisions",), "coercion": ("decisions",),
             "fees": ("amount_wan",)},
}
VERSION_WORDS = {"2019": ("新制作", "上一年项目", "政府集中采购", "采购项目", "其他对外管理服务"),
                 "2021": ("制发件数", "废止件数", "现行有效", "收费金额", "逾期不补正", "缴纳费用")}

# Section 三: groups and rows, by words that stay readable through typos and truncation
S3_GROUPS = (("deny", ("不予公开",)), ("unable", ("无法提供",)), ("reject", ("不予处理",)), ("other", ("其他处理",)),
             ("results", ("本年度办理结果",)))
S3_ROWS = (("new", ("本年新收",)), ("carried_in", ("上年结转",)), ("granted", ("予以公开",)),
           ("partial", ("部分公开",)), ("deny_secret", ("国家秘密",)),
           ("deny_law", ("法律行政法规", "禁止公")), ("deny_safety", ("三安全一稳定", "危及")),
           ("deny_third_party", ("第三方",)), ("deny_internal", ("内部事务",)),
           ("deny_process", ("过程性",)), ("deny_enforcement", ("执法案卷",)),
           ("deny_query", ("行政查询",)), ("unable_no_info", ("不掌握",)),
           ("unable_need_create", ("没有现成", "另行制作")), ("unable_unclear", ("仍不明确", "补正后申请")),
           ("reject_petition", ("信访",)), ("reject_repeat", ("重复申请",)),
           ("reject_publication", ("出版物",)), ("reject_mass", ("大量反复",)),
           ("reject_confirm", ("重新出具", "确认或")), ("other_no_correction", ("逾期不补正", "不补正")),
           ("other_no_fee", ("缴纳费用", "收费通知")), ("handled_total", ("总计",)),
           ("carried_out", ("结转下年度", "下年度继续办理")))
_SECTIONS = (("一", ("总体",)), ("二", ("主动公开",)), ("三", ("申请",)), ("四", ("复议", "诉讼")),
             ("五", ("问题", "改进")), ("六", ("其他",)))


@dataclass
class Unresolved:
    where: str  # a canonical code when the cell is known, else a short location
    reason: str


@dataclass
class Doubt:
    value: float
    raw: str
    reason: str


@dataclass
class Token:
    kind: str  # "text", "value" or "empty"
    text: str  # normalised: NFKC, no spaces
    raw: str
    section: str | None
    line: int = 0  # 0-based line of the text the cell stands on


@dataclass
class Reading:
    """What a report states, by canonical code, and everything a reviewer needs to know about it."""

    agency: str | None = None
    year: int | None = None
    version: str | None = None
    values: dict[str, float] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    approximate: list[str] = field(default_factory=list)
    suggested: dict[str, float] = field(default_factory=dict)
    unresolved: list[Unresolved] = field(default_factory=list)
    doubtful: dict[str, Doubt] = field(default_factory=dict)  # read, but the arithmetic points at a misreading
    candidates: dict[str, list[narrative.Figure]] = field(default_factory=dict)  # two figures for one code
    notices: list[str] = field(default_factory=list)
    mismatches: list[Issue] = field(default_factory=list)
    is_report: bool = True
    text: str = ""
    lines: dict[str, int] = field(default_factory=dict)  # code -> 0-based line of `text` its value stands on
    line_pages: list[int] = field(default_factory=list)  # page of each line, for a PDF

    def origin(self, code: str) -> dict:
        """Where a value came from: its line (and page) and the text around it, for the reviewer."""
        line = self.lines.get(code)
        if line is None:
            return {}
        lines = self.text.split("\n")
        where = {"line": line + 1, "text": lines[line].strip()[:160] if line < len(lines) else ""}
        if line < len(self.line_pages):
            where["page"] = self.line_pages[line]
        return where

    def to_json(self) -> dict:
        """The parse command's contract."""
        return {"agency": self.agency, "year": self.year, "version": self.version,
                "values": {c: _number(v) for c, v in self.values.items()}, "units": dict(self.units),
                "approximate": list(self.approximate),
                "suggested": {c: _number(v) for c, v in self.suggested.items()},
                "unresolved": [{"where": u.where, "reason": u.reason} for u in self.unresolved],
                "doubtful": {c: {"value": _number(d.value), "raw": d.raw, "reason": d.reason}
                             for c, d in self.doubtful.items()},
                "candidates": {c: [{"value": _number(f.value), "raw": f.raw, "unit": f.unit} for f in figures]
                               for c, figures in self.candidates.items()},
                "where": {c: self.origin(c) for c in self.values if c in self.lines},
                "notices": list(self.notices)}


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("（", "(").replace("）", ")")


def read_text(text: str, notices: list[str] | None = None) -> Reading:
    text = clean(text)
    reading = Reading(text=text, notices=list(notices or []))
    lines = text.split("\n")
    tokens = _tokens(lines)
    prose = _prose_by_section(lines)
    reading.is_report = _looks_like_report(text, tokens)
    if not reading.is_report:
        return reading
    reading.agency, reading.year = narrative.title_facts(lines)
    if reading.agency is None or reading.year is None:
        agency, year = narrative.narrative_facts(prose.get("一", "") or prose.get(None, ""))
        reading.agency, reading.year = reading.agency or agency, reading.year or year
    reading.version = _version(tokens, reading)
    _read_section_two(tokens, reading)
    _read_section_three(tokens, reading)
    _read_section_four(tokens, reading)
    _keep_one_version(reading)
    _read_section_one(prose, reading)
    _cross_check(prose, reading)
    if reading.version:
        reading.suggested = {c: v for c, v in rules.suggest(reading.values, reading.version).items()
                             if c not in reading.values}
    return reading


# ---------------------------------------------------------------- tokens and sections


def _cells(line: str) -> list[str | None]:
    """One line as cells: '|' rows, a label followed by numbers, or one cell. None = an empty cell.

    In a '|' row, blank space between two bars is an empty cell kept in place; bars with nothing between them
    ('||||') are padding or merged cells, and so is nothing: reading them as empty cells would shift the values
    of a row whose empty cells were dropped.
    """
    stripped = line.strip()
    if "|" in line:
        parts = line.split("|")
        # a leading '|' opens an empty first cell ('| 0 | 0 |'); where it only opens the row, as in
        # '| a | b |', the surplus empty cell is dropped when the row is placed
        cells: list[str | None] = [parts[0].strip() or None]
        cells += [p.strip() or None for p in parts[1:-1] if p]
        if parts[-1].strip() or parts[-1] and not stripped.startswith("|"):
            cells.append(parts[-1].strip() or None)  # 'a | b | ' as Word and web tables give it: an empty last cell
        return cells
    if not stripped:
        return [None] if "\t" in line and line.strip(" ") == "\t" else []  # a lone tab: an empty cell kept
    words = stripped.split()
    if len(words) > 1:
        values = 0
        while values < len(words) and _is_value(words[-1 - values]):
            values += 1
        if values and (values == len(words) or not any(_is_value(w) for w in words[: len(words) - values])):
            label = " ".join(words[: len(words) - values])
            return ([label] if label else []) + words[len(words) - values:]
    return [stripped]


def _is_value(text: str) -> bool:
    t = _DIGIT_GAP.sub("", unicodedata.normalize("NFKC", text).strip())  # 11 839, with a space or a thin space
    return t in MISSING_MARKS or bool(_VALUE.fullmatch(t))


def _section_of(line: str, current: str | None) -> str | None:
    t = normalise(line)
    m = re.match(r"^([一二三四五六])[、.．,]", t)
    if m and len(t) <= 40:
        for number, words in _SECTIONS:
            if m.group(1) == number and any(w in t for w in words):
                if number == "四" and "结转" in t or number == "三" and "办理结果" in t:
                    return current  # 四、结转下年度继续办理 and 三、本年度办理结果 are rows of section 三
                if number == "二" and "结转" in t or number == "一" and "新收" in t:
                    return current
                return number
    return current


def _tokens(lines: list[str]) -> list[Token]:
    tokens, section = [], None
    for number, line, cells, ends in _table_lines(lines):
        section = _section_of(line, section)
        for cell in cells:
            if cell is None:
                tokens.append(Token("empty", "", "", section, number))
            else:
                kind = "value" if _is_value(cell) else "text"
                tokens.append(Token(kind, normalise(cell), cell, section, number))
        if ends:
            tokens.append(Token("end", "", "", section, number))  # '||||' after a row: it ended, nothing was cut off
    return tokens


def _table_lines(lines: list[str]) -> list[tuple[int, str, list[str | None], bool]]:
    """(line number, line, its cells, whether a row ends there), with lines that hold only bars read as the
    layout uses them.

    Texts that put each cell on a line of its own use bar-only lines in one of two ways. Either every cell
    ends with ' |' ("0 |"): then a lone '|' is an empty cell, except where it ends a row (the next line starts
    another row); or bare cells stand between lone '|' lines: then the bars separate cells, a cell broken
    over two lines ('商业' / '企业') is one cell, and two bars with nothing between them hold an empty cell.
    Longer runs of bars ('||||') are padding or merged cells: never cells.
    """
    kept = [(i, line) for i, line in enumerate(lines) if line.strip() or _cells(line)]
    bars = [bool(_BARS.fullmatch(line)) for _, line in kept]
    separated = _bars_separate(kept, bars)
    out: list[tuple[int, str, list[str | None], bool]] = []
    pending: list[tuple[int, str]] = []  # bare lines since the last separating bar

    def flush(closed: bool) -> None:
        joinable = closed and len(pending) > 1 and all(
            "|" not in ln and _section_of(ln, None) is None and not _is_value(ln.strip()) for _, ln in pending)
        if joinable and len("".join(ln.strip() for _, ln in pending)) <= LABEL_MAX:
            out.append((pending[0][0], pending[0][1], [_join_broken([ln for _, ln in pending])], False))
        else:
            out.extend((i, ln, _cells(ln), False) for i, ln in pending)
        pending.clear()

    for k, (i, line) in enumerate(kept):
        if not bars[k]:
            if separated and "|" not in line:
                pending.append((i, line))
            else:
                flush(False)
                if out and _label_broken_before(out[-1], line, kept[k - 1][0] if k else -1):
                    line = out.pop()[1].strip() + line.lstrip()  # 其他对外管 / 理服务事项 | 0 | 0 | 0 |
                out.append((i, line, _cells(line), bool(_ROW_END.search(line))))
            continue
        lone = line.strip() == "|"
        if separated:
            opened = k > 0 and bars[k - 1] and lone and kept[k - 1][1].strip() == "|"
            flush(bool(pending) and k > len(pending) and bars[k - len(pending) - 1])
            out.append((i, line, [None] if opened else [], not lone))
        else:
            nxt = kept[k + 1][1] if k + 1 < len(kept) else ""
            ends_row = not nxt or not (bars[k + 1] or any(c is not None and _is_value(c) for c in _cells(nxt)[:1]))
            out.append((i, line, [None] if lone and not ends_row else [], not lone or ends_row))
    flush(False)
    return out


def _label_broken_before(previous: tuple, line: str, previous_kept: int) -> bool:
    """Whether the bare line just before a '|' row is the start of that row's label, broken at a margin."""
    number, text, cells, _ = previous
    head = line.split("|", 1)[0].strip()
    short = text.strip()
    return (number == previous_kept and "|" in line and "|" not in text and bool(head) and not _is_value(head) and len(short) <= 20
            and not _is_value(short) and _section_of(short, None) is None and not _SENTENCE_END.search(short)
            and not _BLOCK.search(normalise(short)))


def _bars_separate(kept: list[tuple[int, str]], bars: list[bool]) -> bool:
    """Whether lone bars stand between bare cells (separators) rather than after cells that end with ' |'."""
    ending = sum(1 for (_, ln), bar in zip(kept, bars) if not bar and ln.rstrip().endswith("|") and ln.count("|") == 1)
    between = sum(1 for k in range(1, len(kept) - 1)
                  if not bars[k] and "|" not in kept[k][1] and bars[k - 1] and bars[k + 1])
    return between > ending


def _join_broken(parts: list[str]) -> str:
    """A cell broken over lines, joined: no space between Chinese characters, one between other words."""
    out = parts[0].strip()
    for part in parts[1:]:
        part = part.strip()
        out += ("" if re.match(r"[\u3400-\u9fff(（]", part) or re.search(r"[\u3400-\u9fff)）]$", out) else " ") + part
    return out


def _prose_by_section(lines: list[str]) -> dict[str | None, str]:
    prose: dict[str | None, list[str]] = {}
    section = None
    for line in lines:
        section = _section_of(line, section)
        if "|" not in line:
            prose.setdefault(section, []).append(line.strip())
    return {k: "\n".join(_rejoin(v)) for k, v in prose.items()}


def _rejoin(lines: list[str]) -> list[str]:
    """Paragraphs broken at a page's margin, as PDF text is, joined again: a long line that does not end a
    sentence goes on in the next one, unless that one opens a heading (一、 (二) 3.). So 公开信息7 / 1条 is 71条."""
    out: list[str] = []
    for line in lines:
        if out and len(out[-1]) >= WRAP_WIDTH and not _SENTENCE_END.search(out[-1]) and line \
                and not _HEADING.match(line):
            out[-1] += line
        else:
            out.append(line)
    return out


def _looks_like_report(text: str, tokens: list[Token]) -> bool:
    t = normalise(text)
    headings = len({tok.section for tok in tokens if tok.section})
    form_words = sum(w in t for w in ("第二十条", "本年新收", "行政复议", "信息内容", "予以公开", "结转下年度"))
    titled = bool(re.search(r"信息公开(?:工作)?(?:年度报告|年报)", t[:600])) or "一、总体情况" in t
    return ("政府信息公开" in t and (headings >= 2 or form_words >= 2 or titled)) or form_words >= 3


def _version(tokens: list[Token], reading: Reading) -> str | None:
    """The form version from the tables' own words (never from the year, never from prose)."""
    t = "".join(tok.text for tok in tokens if tok.kind == "text" and len(tok.text) <= LABEL_MAX
                and tok.section in ("二", "三", None))
    found = {v for v, words in VERSION_WORDS.items() if any(w in t for w in words)}
    if found == {"2019", "2021"}:
        reading.notices.append("表格混用 2019 版和 2021 版的栏目，按 2021 版读取；2019 版独有的栏目（如第二十条第（九）项）未读取")
        return "2021"
    if not found:
        by_rows = _version_from_rows(tokens)
        if by_rows:
            reading.notices.append(f"表格没有可判断版本的表头，按第二部分各行的栏数判断为 {by_rows} 版")
            return by_rows
        reading.notices.append("文本中没有可判断表格版本的表头，表格版本需要人工指定")
        return None
    return found.pop()


def _version_from_rows(tokens: list[Token]) -> str | None:
    """The version the section-二 rows' cell counts fit, where they fit one only: 行政许可 has three cells on the
    2019 form and one on the 2021 form, 行政事业性收费 two and one. Rows cut off by the text's end say nothing."""
    fits = set(catalog.VERSIONS)
    counted = False
    for i, tok in enumerate(tokens):
        if tok.kind != "text" or tok.section != "二":
            continue
        row = next((r for r, words in S2_ROWS if r in ("licensing", "penalties", "coercion", "fees")
                    and any(tok.text.startswith(w) for w in words)), None)
        if row is None:
            continue
        cells, _, truncated = _collect(tokens, i + 1, tok.section)
        if truncated or not any(c.kind == "value" for c in cells):
            continue
        fits &= {v for v in catalog.VERSIONS if len(cells) == len(S2_DEFAULT[v][row])}
        counted = True
    return fits.pop() if counted and len(fits) == 1 else None


# ---------------------------------------------------------------- rows


def _collect(tokens: list[Token], i: int, section: str | None) -> tuple[list[Token], int, bool]:
    """The cells after a row label, up to the next label; whether the text ended inside the row."""
    cells: list[Token] = []
    j = i
    while j < len(tokens):
        tok = tokens[j]
        if tok.section != section or tok.kind == "end":
            return cells, j, False
        if tok.kind == "text":
            if not cells and not _any_label(tok.text):
                j += 1  # the rest of a label broken over lines: 禁止公 / 开
                continue
            return cells, j, False
        cells.append(tok)
        j += 1
    return cells, j, True


def _any_label(text: str) -> bool:
    if re.sub(r"^\d+[.、]", "", text) in ("其他", "其它"):
        return True  # 3.其他, the last row under （六）其他处理
    return bool(_BLOCK.search(text)) or any(w in text for _, words in S2_ROWS for w in words) or any(
        w in text for _, words in S3_ROWS for w in words) or any(w in text for _, words in S3_GROUPS for w in words)


def _place(codes: list[str], cells: list[Token], truncated: bool, where: str, reading: Reading) -> None:
    """Cells in form order onto codes: exactly as many as the row has, empty cells kept in place."""
    surplus = len(cells) > len(codes) + 1  # one spare empty cell is routine: '| a |' opening, a merged label
    cells = list(cells)
    while len(cells) > len(codes) and cells[-1].kind == "empty":
        cells.pop()  # padding after the row: '| ||'
    while len(cells) > len(codes) and cells[0].kind == "empty":
        cells.pop(0)  # a label cell spanning two columns
    if len(cells) > len(codes):
        reading.unresolved += [Unresolved(c, f"{where}有 {len(cells)} 个单元格，表格只有 {len(codes)} 列，无法确定对应关系")
                               for c in codes]
        return
    if len(cells) < len(codes) and not truncated:
        if any(c.kind == "value" for c in cells):
            reason = f"{where}只有 {len(cells)} 个数值，应有 {len(codes)} 个：空白单元格被省略，无法确定数值属于哪一列"
            reading.unresolved += [Unresolved(c, reason) for c in codes]
        return
    for code, cell in zip(codes, cells):
        if cell.kind == "value" and cell.text not in MISSING_MARKS:
            _store(code, cell, reading)
    if surplus:
        _doubt_unless_balanced(codes, reading, f"{where}多出的空白单元格被略去后")


def _doubt_unless_balanced(codes: list[str], reading: Reading, how: str) -> None:
    """A row placed after dropping surplus empty cells is certain only while its own total adds up (R2, R4): a
    break there points at a misreading rather than at the report, so its cells become doubtful, not values."""
    parts, total = codes[:-1], codes[-1]
    if not total.endswith(".total") or not all(c in reading.values for c in codes):
        return
    stated = sum(reading.values[c] for c in parts)
    if stated == reading.values[total]:
        return
    reason = f"{how}，各栏之和 {_number(stated)} 与总计 {_number(reading.values[total])} 不符，可能错位"
    for code in codes:
        reading.doubtful[code] = Doubt(reading.values.pop(code), reading.raw.pop(code, ""), reason)
        reading.units.pop(code, None)
        reading.lines.pop(code, None)


def _store(code: str, cell: Token, reading: Reading) -> None:
    m = _VALUE.fullmatch(cell.text)
    word, sign, digits, unit = m.groups()
    x = float(digits.replace(",", "")) * (-1 if sign == "-" or word == "减" else 1)
    metric = catalog.by_code()[code]
    if metric.is_integer and not x.is_integer() or x < 0 and not metric.may_be_negative:
        reading.unresolved.append(Unresolved(code, f"「{cell.raw}」不是这一栏允许的数值"))
        return
    if unit and metric.unit in ("元", "万元"):
        x = x * {"元": 1, "万元": 10000}[unit] / {"元": 1, "万元": 10000}[metric.unit]
        reading.units[code] = unit
    elif metric.unit in ("元", "万元"):
        reading.units[code] = "万元" if code == "s2.fees.amount_wan" else "未注明"
    elif unit and unit != metric.unit:
        reading.unresolved.append(Unresolved(code, f"「{cell.raw}」带有单位，表格中的件数不应带单位"))
        return
    reading.values[code] = x
    reading.raw[code] = cell.raw
    reading.lines[code] = cell.line


def _read_section_two(tokens: list[Token], reading: Reading) -> None:
    block, header = None, []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.section not in ("二", None) or tok.kind != "text" or len(tok.text) > LABEL_MAX:
            i += 1
            continue
        caption = _BLOCK.search(tok.text)
        if caption:
            block, header = caption.group(1), []
            i += 1
            continue
        row = next((r for r, words in S2_ROWS if any(tok.text.startswith(w) or
                                                       re.sub(r"^\d+[.、]", "", tok.text).startswith(w) for w in words)), None)
        if row is None or block is None and tok.section is None:
            if block is not None:
                header.append(tok.text)
            i += 1
            continue
        cells, i, truncated = _collect(tokens, i + 1, tok.section)
        columns = _columns(header) or S2_DEFAULT.get(reading.version or "", {}).get(row)
        label = f"第二十条 {tok.raw} 行"
        if not columns:
            if any(c.kind == "value" for c in cells):
                reading.unresolved.append(Unresolved(f"s2.{row}", f"{label}：没有栏目表头，也无法判断表格版本"))
            continue
        codes = [f"s2.{row}.{c}" for c in columns if f"s2.{row}.{c}" in catalog.by_code()]
        if len(codes) != len(columns):
            reading.notices.append(f"{label}的栏目与表格版本不符，未读取")
            continue
        _place(codes, cells, truncated, label, reading)


def _columns(header: list[str]) -> tuple[str, ...] | None:
    """The columns a block's header names, in their order: 本年新制作数量 / 本年新公开数量 / …"""
    joined = "".join(h for h in header if h != "信息内容")
    found = []
    for column, words in S2_COLUMNS:
        positions = [joined.find(w) for w in words if w in joined]
        if positions:
            found.append((min(positions), column))
    found.sort()
    return tuple(c for _, c in found) or None


def _read_section_three(tokens: list[Token], reading: Reading) -> None:
    group, seen_new = None, False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind != "text" or tok.section not in ("三", None) or len(tok.text) > LABEL_MAX:
            i += 1
            continue
        label = re.sub(r"^[(（]?[一二三四五六七八九十]+[)）、.]", "", tok.text)
        label = re.sub(r"^\d+[.、]", "", re.sub(r"^(?:其他处理|不予公开|无法提供|不予处理)", "", label))
        named_group = next((g for g, words in S3_GROUPS if any(w in tok.text for w in words)), None)
        group = named_group or group
        row = next((r for r, words in S3_ROWS if any(w in tok.text for w in words)
                    and not (r == "handled_total" and not seen_new and "七" not in tok.text)), None)
        if row is None and group == "other" and label in ("其他", "其它"):
            row = "other_misc"
        if row is None and named_group:
            cells, _, _ = _collect(tokens, i + 1, tok.section)
            if named_group == "other" and any(c.kind == "value" for c in cells):
                row = "other"  # version 2019: （六）其他处理 is a row of its own
            else:
                i += 1
                continue
        if row is None:
            i += 1
            continue
        if row == "new":
            seen_new = True
        cells, i, truncated = _collect(tokens, i + 1, tok.section)
        codes = [f"s3.{row}.{c}" for c in S3_COLS]
        _place(codes, cells, truncated, f"「{tok.raw}」行", reading)


def _read_section_four(tokens: list[Token], reading: Reading) -> None:
    """The 15 cells of section 四 in form order. Its header is too mangled in practice to read (PDF text
    splits it character by character), so the cells are taken as the runs of cells that hold numbers."""
    section = [t for t in tokens if t.section == "四"]
    runs, run = [], []
    for tok in section + [Token("text", "", "", "四")]:
        if tok.kind == "end":
            continue
        if tok.kind == "text":
            if any(c.kind == "value" for c in run):
                runs.append(run)
            run = []
        else:
            run.append(tok)
    cells = [c for r in runs for c in r]
    if not cells:
        return
    surplus = len(cells) > 16
    while len(cells) > 15 and cells[-1].kind == "empty":
        cells.pop()
    while len(cells) > 15 and cells[0].kind == "empty":
        cells.pop(0)
    truncated = tokens[-1].section == "四" and tokens[-1].kind not in ("text", "end")
    if len(cells) == 15 or len(cells) < 15 and truncated:
        for code, cell in zip(S4_CELLS, cells):
            if cell.kind == "value" and cell.text not in MISSING_MARKS:
                _store(code, cell, reading)
        for block in range(0, 15 if surplus else 0, 5):
            _doubt_unless_balanced(list(S4_CELLS[block:block + 5]), reading, "第四部分多出的空白单元格被略去后")
    else:
        reading.unresolved += [Unresolved(c, f"第四部分有 {len(cells)} 个单元格，表格应有 15 个，无法确定对应关系")
                               for c in S4_CELLS]


def _keep_one_version(reading: Reading) -> None:
    """Cells of the other form version (a hybrid table's 第二十条第（九）项) are reported, not kept."""
    if reading.version is None:
        only = {v: [c for c in reading.values if c in catalog.only_in(v)] for v in catalog.VERSIONS}
        if bool(only["2019"]) != bool(only["2021"]):
            reading.version = "2019" if only["2019"] else "2021"  # the rows the table has tell its version
            reading.notices.append(f"按表格中的栏目判断为 {reading.version} 版")
            return
        dropped = only["2019"] + only["2021"]
    else:
        dropped = [c for c in reading.values if not catalog.by_code()[c].in_version(reading.version)]
    for code in dropped:
        reading.values.pop(code)
        reading.raw.pop(code, None)
        reading.units.pop(code, None)
    if dropped:
        reading.notices.append(f"{len(dropped)} 个数值属于另一表格版本的栏目，未读取：{'、'.join(dropped[:5])}")


def _read_section_one(prose: dict, reading: Reading) -> None:
    text = prose.get("一") or prose.get(None, "")
    found = narrative.section_one(text, reading.year)
    lines = reading.text.split("\n")
    for code, figure in found.figures.items():
        reading.values[code] = figure.value
        reading.raw[code] = figure.raw
        reading.units[code] = figure.unit
        if figure.approximate:
            reading.approximate.append(code)
        line = next((i for i, ln in enumerate(lines) if figure.raw in ln), None)
        if line is not None:
            reading.lines[code] = line
    reading.candidates = found.candidates
    for code, figures in found.candidates.items():
        reading.notices.append(f"正文对{catalog.label(code)}给出了不同的数字（" + "、".join(f.raw for f in figures)
                               + "），未读取，请核对后填写")


def _cross_check(prose: dict, reading: Reading) -> None:
    """T1: what the prose restates must equal the table; a difference is shown, the prose is never stored."""
    text = "\n".join(v for k, v in prose.items() if k in (None, "一", "三", "四"))
    for code, stated in narrative.restated(text).items():
        if code in reading.values and reading.values[code] != stated:
            message = (f"正文写明{catalog.label(code)}为 {_number(stated)}，表格中为 {_number(reading.values[code])}")
            reading.mismatches.append(Issue(code="t1-narrative-mismatch", rule="T1", severity=WARNING, message=message,
                                            column=code, agency=reading.agency or "", year=reading.year,
                                            cells={code: reading.values[code], f"{code}@正文": stated}))
            reading.notices.append(message)
