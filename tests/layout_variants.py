"""Layout variants of a report text: the same report laid out as other published texts are (data-contract.md §6)."""
from __future__ import annotations

import random
import re
import unicodedata
from typing import Callable

import opencc

Variant = Callable[[str, random.Random], str]
_S2T, _T2S = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")

MISSING = {"/", "-", "—", "——", "–", "无", "無", "－", "\\"}
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:万元|萬元|元|件|条|條|项|項|个|個|篇)?")
_TABLE_START = re.compile(r"\||第二十[条條]|信息[内內]容|申[请請]人情[况況]|本年度[办辦]理|[结結][转轉]下年")
_TABLE_END = re.compile(r"^\s*[五六][、.．]")
_HEADING = re.compile(r"[一二三四五六][、.．][^|0-9]{0,30}情[况況]\s*$")  # also glued to an artefact
_CJK_PAIR = re.compile(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])")
BARS = " |||||"  # what a converter leaves where it dropped a row's empty cells (tests/data/reports/next/033)


# ---------------------------------------------------------------- how a text holds its cells

def is_value(cell: str) -> bool:
    return cell.strip() in MISSING or bool(_NUMBER.fullmatch(cell.strip()))


def is_missing(cell: str) -> bool:
    return cell.strip() in MISSING or not cell.strip()


def layout(text: str) -> str:
    """'rows' (a | b | c), 'trailing' (one cell per line ending ' |'), 'bars' (one cell per line, lone '|'
    lines between cells: next/008) or 'stream' (one cell per line)."""
    lines = text.split("\n")
    if sum(len([p for p in line.split("|") if p.strip()]) >= 2 for line in lines) >= 3:
        return "rows"
    if sum(bool(re.fullmatch(r"\s*[^|\s][^|]*\|\s*", x)) for x in lines) >= 5:
        return "trailing"
    return "bars" if sum(x.strip() == "|" for x in lines) >= 10 else "stream"


def zone(lines: list[str]) -> range:
    """The lines that hold the tables: from the first table word to section 五."""
    start = next((i for i, x in enumerate(lines) if _TABLE_START.search(x)), len(lines))
    end = next((j for j in range(start + 1, len(lines)) if _TABLE_END.match(lines[j])), len(lines))
    return range(start, end)


def is_prose(line: str) -> bool:
    """A sentence, a heading or a wrapped line of prose; the 勾稽关系 caption in brackets is a cell."""
    s = line.strip()
    wrapped = len(s) > 20 and bool(re.search("[,，]", s)) and not s.startswith(("(", "（"))
    return "。" in s or wrapped or bool(_HEADING.search(s)) or len(s) > 60


def pipe_cells(line: str) -> list[str]:
    """A '|' row's cells; '' is an empty cell (blank between bars). Bars with nothing between them are padding,
    as are empty cells before the label and after the last cell (merged cells and table borders)."""
    cells = [p.strip() for p in line.split("|") if p != ""]
    while cells and not cells[0]:
        cells.pop(0)
    while cells and not cells[-1]:
        cells.pop()
    return cells


def space_cells(line: str) -> list[str] | None:
    """'规章 0 0 0' or a row of 15 numbers: the label (if any) and two or more values; None for anything else."""
    words = line.split()
    n = 0
    while n < len(words) and is_value(words[-1 - n]):
        n += 1
    if n < 2 or any(is_value(w) for w in words[: len(words) - n]):
        return None
    label = " ".join(words[: len(words) - n])
    return ([label] if label else []) + words[len(words) - n:]


def tokens(text: str) -> list[tuple[str, str]]:
    """The text as ('line', verbatim) | ('cell', text) | ('mark', bars line) | ('end', '') at the end of a row."""
    lines, out, s, before = text.split("\n"), [], "", ""
    kind, table = layout(text), zone(text.split("\n"))
    for i, line in enumerate(lines):
        before, s = s or before, line.strip()  # before: the last line that was not blank
        if i not in table or is_prose(line):
            out.append(("line", line))
        elif kind == "bars" and s == "|":
            if before == "|":  # two bars in a row hold an empty cell
                out.append(("cell", ""))
        elif kind == "bars" and s and "|" not in s:
            if out and out[-1][0] == "cell" and out[-1][1] and before != "|":  # a cell broken over lines
                out[-1] = ("cell", out[-1][1] + "\n" + s)
            else:
                out.append(("cell", s))
        elif s and set(s) == {"|"}:
            out.append(("mark", line))
        elif kind == "rows" and "|" in line:
            out += [("cell", c) for c in pipe_cells(line)] + [("end", "")]
        elif kind == "trailing" and s.endswith("|"):
            out.append(("cell", s[:-1].strip()))
        elif kind == "stream" and line and not s:  # a lone tab: an empty cell kept (the seed)
            out.append(("cell", ""))
        elif kind == "stream" and s:
            spaced = space_cells(s)
            out += [("cell", c) for c in spaced] + [("end", "")] if spaced else [("cell", s)]
        elif kind == "stream":
            continue  # blank lines only separate cells here
        else:
            out.append(("line", line))
    return out


# ---------------------------------------------------------------- cell per line

def _render(text: str, cell: Callable[[str], list[str]], trailing: bool) -> str:
    out: list[str] = []
    for kind, value in tokens(text):
        if kind in ("line", "mark"):
            out.append(value)
        elif kind == "end":
            if trailing:
                out.append("|")
        elif trailing:
            out += [f"{x} |" for x in cell(value)] if value else ["|"]
        else:  # an empty cell shows as two bars in a row
            out += [*cell(value), "|"] if value else ["|"]
    if not text.rstrip().endswith("|"):  # a text cut off inside a row stays open there, with no closing bar
        while out and out[-1] == "|":
            out.pop()
        out[-1] = out[-1].removesuffix(" |") if out else ""
    return "\n".join(out)


def cell_per_line(text: str, rng: random.Random) -> str:
    return _render(text, lambda c: [c], trailing=False)


def cell_per_line_trailing(text: str, rng: random.Random) -> str:
    return _render(text, lambda c: [c], trailing=True) if layout(text) != "trailing" else text


def _split_label(cell: str, rng: random.Random) -> list[str]:
    if is_value(cell):
        return [cell]
    if re.search(r"[\u4e00-\u9fff\)）] +[\u4e00-\u9fff]", cell):  # '本年新 制作数量': the break the page had
        return cell.split()
    spots = [m.start() for m in _CJK_PAIR.finditer(cell) if 2 <= m.start() <= len(cell) - 2
             and cell[: m.start()].count("(") + cell[: m.start()].count("（")
             == cell[: m.start()].count(")") + cell[: m.start()].count("）")]
    if not spots or rng.random() < 0.3:
        return [cell]
    at = rng.choice(spots)
    return [cell[:at], cell[at:]]


def split_headers(text: str, rng: random.Random) -> str:
    return _render(text, lambda c: _split_label(c, rng), trailing=False)


# ---------------------------------------------------------------- dropped empty cells

def _drop_row_blanks(cells: list[str]) -> list[str] | None:
    """A '|' row without the empty and '/' cells after its label, or None where there are none.
    A row of values only (section 四) counts when it is long enough to be one."""
    labels = [i for i, c in enumerate(cells) if c and not is_value(c)]
    if not labels and len(cells) < 10:
        return None
    head = labels[-1] + 1 if labels else 0
    if not any(is_missing(c) for c in cells[head:]):
        return None
    return cells[:head] + [c for c in cells[head:] if not is_missing(c)]


def _dropped(text: str) -> tuple[str, list[str]]:
    """The text with every row's empty and '/' cells dropped, a bar run at its end; and those rows' labels."""
    lines, kind, table = text.split("\n"), layout(text), zone(text.split("\n"))
    damaged: list[str] = []
    if kind == "bars":  # not done here: a lone bar both separates and (doubled) holds an empty cell
        return text, damaged
    if kind == "rows":
        for i in table:
            kept = _drop_row_blanks(pipe_cells(lines[i])) if "|" in lines[i] else None
            if kept is not None:
                damaged.append(next((c for c in reversed(kept) if not is_value(c)), ""))
                lines[i] = " | ".join(kept) + BARS
        return "\n".join(lines), damaged
    return _dropped_in_cells(lines, kind, table)


def _dropped_in_cells(lines: list[str], kind: str, table: range) -> tuple[str, list[str]]:
    """dropped_blanks where a text has one cell per line: a row is a label line and the value lines after it."""
    role, damaged = {}, []
    for i in table:
        s = lines[i].strip()
        cell = s[:-1].strip() if kind == "trailing" and s.endswith("|") and s != "|" else s
        if is_prose(lines[i]) or (kind == "stream" and not lines[i]) or (s and set(s) == {"|"} and s != "|"):
            continue
        if kind == "trailing" and s == "|" or kind == "stream" and not s:
            role[i] = "gap"  # an empty cell, or (037) the line that starts a row: told apart below
        elif kind == "stream" and space_cells(s):
            continue
        else:
            role[i] = "missing" if cell in MISSING else "value" if is_value(cell) else "label"
    order = sorted(role)
    for n, i in enumerate(order):  # a gap is an empty cell only between a row's label and a later value
        if role[i] == "gap":
            after = next((role[j] for j in order[n + 1:] if role[j] != "gap"), "label")
            before = next((role[j] for j in reversed(order[:n]) if role[j] != "gap"), "label")
            role[i] = "missing" if after in ("value", "missing") and before in ("label", "value", "missing") else "skip"
    drop, insert, row, label = set(), {}, [], ""
    for i in order + [None]:
        if i is None or role[i] == "label" and any(role[j] != "label" for j in row):
            if any(role[j] == "missing" for j in row):
                drop.update(j for j in row if role[j] == "missing")
                insert[max(j for j in row if role[j] != "missing")] = BARS.strip()
                damaged.append(label)
            row = []
        if i is not None and role[i] != "skip":
            row.append(i)
            label = lines[i].strip().rstrip("|").strip() if role[i] == "label" else label
    out = []
    for i, line in enumerate(lines):
        if i in drop:
            if kind == "stream" and out and not out[-1]:
                out.pop()  # and the blank line that separated it
            continue
        out.append(line)
        if i in insert:
            out.append(insert[i])
    return "\n".join(out), damaged


def dropped_blanks(text: str, rng: random.Random) -> str:
    return _dropped(text)[0]


def damaged_rows(text: str) -> list[str]:
    """The labels of the rows dropped_blanks leaves incomplete: their values can no longer be placed."""
    return _dropped(text)[1]


# words that name a row, for the rows dropped_blanks damages ('' : the row of 15 section-四 numbers)
ROW_WORDS = (("规范性文件", "s2.normdocs"), ("规章", "s2.rules"), ("行政许可", "s2.licensing"),
             ("其他对外管理", "s2.other_services"), ("行政处罚", "s2.penalties"), ("行政强制", "s2.coercion"),
             ("行政事业性收费", "s2.fees"), ("政府集中采购", "s2.procurement"), ("本年新收", "s3.new"),
             ("上年结转", "s3.carried_in"), ("部分公开", "s3.partial"), ("予以公开", "s3.granted"),
             ("国家秘密", "s3.deny_secret"), ("禁止公开", "s3.deny_law"), ("三安全", "s3.deny_safety"),
             ("第三方", "s3.deny_third_party"), ("内部事务", "s3.deny_internal"), ("过程性", "s3.deny_process"),
             ("执法案卷", "s3.deny_enforcement"), ("行政查询", "s3.deny_query"), ("不掌握", "s3.unable_no_info"),
             ("另行制作", "s3.unable_need_create"), ("仍不明确", "s3.unable_unclear"), ("信访", "s3.reject_petition"),
             ("重复申请", "s3.reject_repeat"), ("出版物", "s3.reject_publication"), ("大量反复", "s3.reject_mass"),
             ("重新出具", "s3.reject_confirm"), ("不补正", "s3.other_no_correction"), ("缴纳费用", "s3.other_no_fee"),
             ("其他处理", "s3.other"), ("其他", "s3.other_misc"), ("总计", "s3.handled_total"),
             ("结转下年", "s3.carried_out"), ("", "s4"))


def damaged_codes(text: str, answer: dict) -> set[str]:
    """The answer's codes in rows that dropped_blanks leaves incomplete."""
    out = set()
    for label in damaged_rows(text):
        label = _T2S.convert(unicodedata.normalize("NFKC", label)).replace(" ", "")
        prefix = next(p for word, p in ROW_WORDS if word in label)
        out |= {c for c in answer if c.startswith(prefix + ".")}
    return out


def expected(name: str, text: str, answer: dict) -> dict:
    """What a variant may give: the answer, less the rows dropped_blanks leaves incomplete."""
    if name != "dropped_blanks":
        return answer
    damaged = damaged_codes(text, answer)
    return {c: v for c, v in answer.items() if c not in damaged}


# ---------------------------------------------------------------- script

PINYIN = {  # traditional character → tone-marked syllable, as mirror sites print them (next/077)
    "認": "rèn", "真": "zhēn", "數": "shù", "實": "shí", "國": "guó", "務": "wù", "開": "kāi", "項": "xiàng",
    "請": "qǐng", "處": "chǔ", "理": "lǐ", "決": "jué", "定": "dìng", "量": "liàng", "政": "zhèng", "府": "fǔ",
    "信": "xìn", "息": "xī", "公": "gōng", "申": "shēn", "年": "nián", "本": "běn", "規": "guī", "章": "zhāng",
    "許": "xǔ", "可": "kě", "罰": "fá", "強": "qiáng", "制": "zhì", "費": "fèi", "收": "shōu", "件": "jiàn",
    "計": "jì", "總": "zǒng", "自": "zì", "然": "rán", "人": "rén", "企": "qǐ", "業": "yè", "機": "jī", "構": "gòu",
    "組": "zǔ", "織": "zhī", "法": "fǎ", "律": "lǜ", "服": "fú", "結": "jié", "轉": "zhuǎn", "複": "fù", "議": "yì",
    "訴": "sù", "訟": "sòng", "維": "wéi", "持": "chí", "糾": "jiū", "正": "zhèng", "審": "shěn", "況": "kuàng",
    "情": "qíng", "體": "tǐ", "條": "tiáo", "發": "fā", "廢": "fèi", "現": "xiàn", "效": "xiào",
    "內": "nèi", "容": "róng", "動": "dòng", "辦": "bàn", "會": "huì", "據": "jù", "關": "guān", "係": "xì",
    "第": "dì", "二": "èr", "十": "shí", "新": "xīn", "製": "zhì", "作": "zuò", "對": "duì", "外": "wài",
}


def traditional_pinyin(text: str, rng: random.Random) -> str:
    text = _S2T.convert(text)
    return "".join(f"{ch}({PINYIN[ch]})" if ch in PINYIN and rng.random() < 0.2 else ch for ch in text)


# ---------------------------------------------------------------- PDF text

HEADER_WORDS = ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年新制作数量",
                "本年新公开数量", "对外公开总数量", "上一年项目数量", "处理决定数量", "采购项目数量", "采购总金额",
                "申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                "结果维持", "结果纠正", "其他结果", "尚未审结", "未经复议直接起诉", "复议后起诉")
_HEADERS = re.compile("|".join(sorted({*HEADER_WORDS, *(_S2T.convert(w) for w in HEADER_WORDS)}, key=len, reverse=True)))


def _wrap(line: str, rng: random.Random, lo: int = 30, hi: int = 40) -> str:
    """Hard breaks every lo–hi characters; once in a while right inside a number ('7' / '1条')."""
    parts, rest = [], line
    while len(rest) > hi:
        at = rng.randint(lo, hi)
        number = re.search(r"\d{2,}", rest[at - 6: at + 6])
        if number and rng.random() < 0.5:
            at = at - 6 + number.start() + 1
        parts.append(rest[:at])
        rest = rest[at:]
    return "\n".join(parts + [rest])


def _break_label(cell: str, rng: random.Random) -> str:
    spots = [m.start() for m in _CJK_PAIR.finditer(cell) if 6 <= m.start() <= len(cell) - 4]
    if len(cell) < 14 or not spots:
        return cell
    at = rng.choice(spots)
    return cell[:at] + "\n" + cell[at:]


def pdf_breaks(text: str, rng: random.Random) -> str:
    lines, table, kind = text.split("\n"), zone(text.split("\n")), layout(text)
    out = []
    for i, line in enumerate(lines):
        if i not in table or is_prose(line):
            out.append(_wrap(line, rng))
            continue
        line = _HEADERS.sub(lambda m: " ".join(m.group()), line)
        if kind == "rows" and "|" in line:
            head, bar, tail = line.partition("|")
            line = _break_label(head.strip(), rng) + " " + bar + tail if not is_value(head) else line
        elif line.strip() and not is_value(line.strip().rstrip("|")):
            line = _break_label(line, rng)
        out.append(line)
    return "\n".join(out)


# ---------------------------------------------------------------- how numbers are written

_NUM_IN_TEXT = re.compile(r"(?<![\d.,A-Za-z/:_〔\[])([+-]?)(\d+(?:\.\d+)?)(?![\d.,A-Za-z%])(万元|元|条|件|篇|次|个|项)?")


def _dated(text: str, m: re.Match) -> bool:
    """A year, a date or a document number: not a figure of the report."""
    return bool(re.match(r"\s*[年月日号〕\]]", text[m.end(2):])) or text[m.start() - 1: m.start()] in ("年", "月")


def spaces_in_numbers(text: str, rng: random.Random) -> str:
    def one(m: re.Match, line: str) -> str:
        if _dated(line, m) or rng.random() < 0.4:
            return m.group()
        sign, digits, unit = m.group(1), m.group(2), m.group(3) or ""
        # no space after a sign: '- 11' on a line of its own could as well be a '-' cell and an 11
        return " " * rng.randint(0, 2) + sign + digits + (" " if unit else "") + unit
    return "\n".join(line if space_cells(line) else _NUM_IN_TEXT.sub(lambda m: one(m, line), line)
                     for line in text.split("\n"))


def fullwidth(text: str, rng: random.Random) -> str:
    wide = {**{str(d): chr(0xFF10 + d) for d in range(10)}, "|": "｜"}
    text = re.sub(r"(?<=\d)\.(?=\d)", "．", text) if rng.random() < 0.5 else text
    return "".join(wide.get(ch, ch) for ch in text)


def thousands(text: str, rng: random.Random) -> str:
    def one(m: re.Match, line: str, spaced: bool) -> str:
        whole = m.group(2).split(".")[0]
        if int(whole) < 1000 or _dated(line, m) or 1900 <= int(whole) <= 2100:
            return m.group()
        # a plain space splits a number only inside a '|' cell: elsewhere '11 839' may as well be two cells
        sep = rng.choice([",", "\u2009", "\u202f", *([" "] if "|" in line else [])]) if not spaced else ","
        grouped = f"{int(whole):,}".replace(",", sep)
        return m.group(1) + grouped + m.group(2)[len(whole):] + (m.group(3) or "")
    return "\n".join(_NUM_IN_TEXT.sub(lambda m: one(m, line, bool(space_cells(line))), line)
                     for line in text.split("\n"))


# ---------------------------------------------------------------- whitespace

def shuffled_whitespace(text: str, rng: random.Random) -> str:
    ws = lambda: rng.choice(["", " ", "  ", "\t", " \t", "   "])  # noqa: E731
    lines, table, kind = text.split("\n"), zone(text.split("\n")), layout(text)
    out = []
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:  # blank lines and lone tabs mean something in one-cell-per-line texts: kept as they are
            out.append(line)
            continue
        if "|" in line:  # between two bars, nothing (padding) stays nothing and blank (an empty cell) stays blank
            line = "|".join(p if p == "" else (rng.choice([" ", "\t", "  "]) if not p.strip() else ws() + p.strip() + ws())
                            for p in line.split("|"))
        elif space_cells(s):
            line = ws() + re.sub(r"\s+", lambda _: rng.choice([" ", "  ", "\t", " \t "]), s) + ws()
        else:
            line = ws() + s + ws()
        out.append(line)
        if (i not in table or kind != "stream") and rng.random() < 0.2:
            out.append("")
    return ("\r\n" if rng.random() < 0.5 else "\n").join(out)


VARIANTS: dict[str, Variant] = {
    "cell_per_line": cell_per_line, "cell_per_line_trailing": cell_per_line_trailing, "split_headers": split_headers,
    "traditional_pinyin": traditional_pinyin, "dropped_blanks": dropped_blanks, "pdf_breaks": pdf_breaks,
    "spaces_in_numbers": spaces_in_numbers, "fullwidth": fullwidth, "thousands": thousands,
    "shuffled_whitespace": shuffled_whitespace,
}


def applies(name: str, text: str, seeds: range = range(3)) -> bool:
    """Whether the variant changes this text at all (cell_per_line_trailing leaves a text already so laid out)."""
    return any(VARIANTS[name](text, random.Random(s)) != text for s in seeds)
