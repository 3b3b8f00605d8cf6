"""The test PDFs of this folder: annual reports written as HTML in real layouts, printed by headless Chromium."""
from __future__ import annotations

# Run from the repository root: `python3 tests/data/pdf/make_pdfs.py` (needs Debian's chromium,
# fonts-noto-cjk and fonts-wqy-microhei, and Pillow). For each report it writes NAME.html (the source),
# NAME.pdf and NAME.json (the values the HTML holds, by canonical code); and scanned.pdf, a page image
# without a text layer. The numbers are those of real published reports (data/samples/haiqing-2020.txt,
# tests/data/reports 004, 010 and 071); where a real text was cut off, its remaining rows are completed
# with figures that keep the arithmetic rules.
import html
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
S3_COLUMNS = ("natural", "business", "research", "nonprofit", "legal", "org_other", "total")
S4_CELLS = tuple(f"s4.{b}.{c}" for b in ("review", "suit_direct", "suit_after_review")
                 for c in ("upheld", "corrected", "other", "pending", "total"))

# Noto CJK is embedded by Chromium as Type 3 fonts whose text layer maps shared glyphs to radicals
# (⼀, ⻓, ⼯): what many published PDFs carry. WenQuanYi is TrueType: compact, unified ideographs.
NOTO = "'Noto Sans CJK SC'"
WQY = "'WenQuanYi Micro Hei'"

DENY = (("deny_secret", "1.属于国家秘密"), ("deny_law", "2.其他法律行政法规禁止公开"),
        ("deny_safety", "3.危及“三安全一稳定”"), ("deny_third_party", "4.保护第三方合法权益"),
        ("deny_internal", "5.属于三类内部事务信息"), ("deny_process", "6.属于四类过程性信息"),
        ("deny_enforcement", "7.属于行政执法案卷"), ("deny_query", "8.属于行政查询事项"))
UNABLE = (("unable_no_info", "1.本机关不掌握相关政府信息"), ("unable_need_create", "2.没有现成信息需要另行制作"),
          ("unable_unclear", "3.补正后申请内容仍不明确"))
REJECT = (("reject_petition", "1.信访举报投诉类申请"), ("reject_repeat", "2.重复申请"),
          ("reject_publication", "3.要求提供公开出版物"), ("reject_mass", "4.无正当理由大量反复申请"),
          ("reject_confirm", "5.要求行政机关确认或重新出具已获取信息"))
OTHER_2021 = (("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
              ("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
              ("other_misc", "3.其他"))
S3_ROWS = ["new", "carried_in", "granted", "partial", *(code for code, _ in (*DENY, *UNABLE, *REJECT))]


def td(text: str, colspan: int = 1, rowspan: int = 1, cls: str = "") -> str:
    span = (f" colspan='{colspan}'" if colspan > 1 else "") + (f" rowspan='{rowspan}'" if rowspan > 1 else "")
    return f"<td{span}{f' class={cls}' if cls else ''}>{html.escape(text)}</td>"


def section_two(version: str, cells: dict) -> str:
    """Section 二 as one ruled table, the 第二十条 captions across the row (the national form)."""
    def row(label: str, codes: list[str], last_span: int = 1) -> str:
        values = [td(cells[c], last_span if i == len(codes) - 1 else 1) for i, c in enumerate(codes)]
        return "<tr>" + td(label) + "".join(values) + "</tr>"

    def caption(text: str) -> str:
        return "<tr>" + td(text, 4, cls="caption") + "</tr>"

    def header(*labels: str) -> str:
        spans = [1] * len(labels)
        spans[-1] = 4 - len(labels)
        return "<tr>" + "".join(td(label, span) for label, span in zip(("信息内容", *labels), [1, *spans])) + "</tr>"

    if version == "2019":
        out = [caption("第二十条第（一）项"), header("本年新制作数量", "本年新公开数量", "对外公开总数量")]
        out += [row("规章", [f"s2.rules.{c}" for c in ("made", "published", "public_total")]),
                row("规范性文件", [f"s2.normdocs.{c}" for c in ("made", "published", "public_total")])]
        out += [caption("第二十条第（五）项"), header("上一年项目数量", "本年增/减", "处理决定数量")]
        out += [row(label, [f"s2.{r}.{c}" for c in ("prev_items", "delta", "decisions")])
                for r, label in (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项"))]
        out += [caption("第二十条第（六）项"), header("上一年项目数量", "本年增/减", "处理决定数量")]
        out += [row(label, [f"s2.{r}.{c}" for c in ("prev_items", "delta", "decisions")])
                for r, label in (("penalties", "行政处罚"), ("coercion", "行政强制"))]
        out += [caption("第二十条第（八）项"), header("上一年项目数量", "本年增/减"),
                row("行政事业性收费", ["s2.fees.prev_items", "s2.fees.delta"], 2)]
        out += [caption("第二十条第（九）项"), header("采购项目数量", "采购总金额"),
                row("政府集中采购", ["s2.procurement.projects", "s2.procurement.amount"], 2)]
    else:
        out = [caption("第二十条第（一）项"), header("本年制发件数", "本年废止件数", "现行有效件数")]
        out += [row("规章", [f"s2.rules.{c}" for c in ("issued", "repealed", "in_force")]),
                row("行政规范性文件", [f"s2.normdocs.{c}" for c in ("issued", "repealed", "in_force")])]
        out += [caption("第二十条第（五）项"), header("本年处理决定数量"), row("行政许可", ["s2.licensing.decisions"], 3)]
        out += [caption("第二十条第（六）项"), header("本年处理决定数量"), row("行政处罚", ["s2.penalties.decisions"], 3),
                row("行政强制", ["s2.coercion.decisions"], 3)]
        out += [caption("第二十条第（八）项"), header("本年收费金额（单位：万元）"),
                row("行政事业性收费", ["s2.fees.amount_wan"], 3)]
    return "<table class='s2'>" + "".join(out) + "</table>"


def section_three(version: str, cells: dict, labels: dict) -> str:
    """Section 三 as the form prints it: three label columns, then the seven applicant columns."""
    def values(row: str) -> str:
        return "".join(td(cells[f"s3.{row}.{c}"], cls="v") for c in S3_COLUMNS)

    partial = labels.get("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    groups = [("（三）不予公开", DENY), ("（四）无法提供", UNABLE), ("（五）不予处理", REJECT)]
    if version == "2021":
        groups.append(("（六）其他处理", OTHER_2021))
    results = 2 + sum(len(items) for _, items in groups) + (1 if version == "2019" else 0) + 1
    out = ["<tr>" + td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3) + td("申请人情况", 7) + "</tr>",
           "<tr>" + td("自然人", 1, 2) + td("法人或其他组织", 5) + td("总计", 1, 2) + "</tr>",
           "<tr>" + "".join(td(t, cls="h") for t in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")) + "</tr>",
           "<tr>" + td("一、本年新收政府信息公开申请数量", 3) + values("new") + "</tr>",
           "<tr>" + td("二、上年结转政府信息公开申请数量", 3) + values("carried_in") + "</tr>",
           "<tr>" + td("三、本年度办理结果", 1, results) + td("（一）予以公开", 2) + values("granted") + "</tr>",
           "<tr>" + td(partial, 2) + values("partial") + "</tr>"]
    for group, items in groups:
        for i, (row, label) in enumerate(items):
            head = td(group, 1, len(items)) if i == 0 else ""
            out.append("<tr>" + head + td(labels.get(row, label)) + values(row) + "</tr>")
        if group == "（五）不予处理" and version == "2019":
            out.append("<tr>" + td("（六）其他处理", 2) + values("other") + "</tr>")
    out.append("<tr>" + td("（七）总计", 2) + values("handled_total") + "</tr>")
    out.append("<tr>" + td("四、结转下年度继续办理", 3) + values("carried_out") + "</tr>")
    return "<table class='s3'>" + "".join(out) + "</table>"


def section_four(cells: dict) -> str:
    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    out = ["<tr>" + td("行政复议", 5) + td("行政诉讼", 10) + "</tr>",
           "<tr>" + "".join(td(t, 1, 2) for t in results) + td("未经复议直接起诉", 5) + td("复议后起诉", 5) + "</tr>",
           "<tr>" + "".join(td(t) for t in results * 2) + "</tr>",
           "<tr>" + "".join(td(cells[c], cls="v") for c in S4_CELLS) + "</tr>"]
    return "<table class='s4'>" + "".join(out) + "</table>"


def page(report: dict) -> str:
    cells, version = report["cells"], report["version"]

    def paragraphs(texts: list[str], cls: str = "") -> str:
        return "".join(f"<p{f' class={cls}' if cls else ''}>{html.escape(t)}</p>" for t in texts)

    body = [f"<h1>{html.escape(report['title'])}</h1>",
            "<h2>一、总体情况</h2>", paragraphs(report["narrative"]) + paragraphs(report.get("noto", []), "noto"),
            "<h2>二、主动公开政府信息情况</h2>", section_two(version, cells),
            "<h2>三、收到和处理政府信息公开申请情况</h2>", section_three(version, cells, report.get("labels", {})),
            "<h2>四、政府信息公开行政复议、行政诉讼情况</h2>", section_four(cells),
            "<h2>五、存在的主要问题及改进情况</h2>", paragraphs(report["problems"]),
            "<h2>六、其他需要报告的事项</h2>", paragraphs(["无。"]),
            f"<p class='sign'>{html.escape(report.get('sign', report['agency']))}</p>", report.get("script", "")]
    return ("<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<title>{html.escape(report['title'])}</title><style>{report['css']}</style></head>"
            f"<body>{''.join(body)}</body></html>")


BASE_CSS = """
table { border-collapse: collapse; margin: 6pt 0 10pt; }
td { border: 1px solid #000; padding: 2pt 4pt; text-align: center; vertical-align: middle; }
h1 { font-size: 16pt; text-align: center; font-weight: normal; }
h2 { font-size: 12pt; font-weight: normal; margin: 8pt 0 4pt; }
p.sign { text-align: right; }
"""


def zeros(version: str) -> dict[str, str]:
    """Every table cell of a form version, as the text "0"."""
    cells = {}
    s2 = {"2019": {"rules": ("made", "published", "public_total"), "normdocs": ("made", "published", "public_total"),
                   "licensing": ("prev_items", "delta", "decisions"),
                   "other_services": ("prev_items", "delta", "decisions"),
                   "penalties": ("prev_items", "delta", "decisions"), "coercion": ("prev_items", "delta", "decisions"),
                   "fees": ("prev_items", "delta"), "procurement": ("projects", "amount")},
          "2021": {"rules": ("issued", "repealed", "in_force"), "normdocs": ("issued", "repealed", "in_force"),
                   "licensing": ("decisions",), "penalties": ("decisions",), "coercion": ("decisions",),
                   "fees": ("amount_wan",)}}[version]
    for row, columns in s2.items():
        cells.update({f"s2.{row}.{c}": "0" for c in columns})
    other = ["other"] if version == "2019" else [code for code, _ in OTHER_2021]
    rows = S3_ROWS + other + ["handled_total", "carried_out"]
    cells.update({f"s3.{row}.{c}": "0" for row in rows for c in S3_COLUMNS})
    cells.update({c: "0" for c in S4_CELLS})
    return cells


BREAK_INSIDE_71 = """<script>
const p = [...document.querySelectorAll("p")].find(e => e.textContent.includes("公开信息71条"));
const text = p.firstChild, at = text.data.indexOf("71");
const lineOf = i => {
  const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1); return r.getClientRects()[0].top;
};
for (let width = 460; width > 150 && lineOf(at) === lineOf(at + 1); width -= 0.25) {
  document.body.style.width = width + "pt";
}
</script>"""


def fuyuan_2022() -> dict:
    """Example 010 (抚远市自然资源局, 2022, form 2021); its section-三 table runs over two pages, and its
    headings and figures are in Noto, whose text layer carries radicals (⼀、总体情况, 政府⻔户⽹站)."""
    cells = zeros("2021")
    cells.update({"s2.licensing.decisions": "76", "s2.penalties.decisions": "2", "s2.fees.amount_wan": "26.55"})
    return {
        "name": "fuyuan-2022-two-pages", "version": "2021", "agency": "抚远市自然资源局", "year": 2022, "cells": cells,
        "title": "抚远市自然资源局2022年政府信息公开工作年度报告",
        "narrative": ["2022年，抚远市自然资源局不断强化宣传信息报送工作，按照《中华人民共和国政府信息公开条例》和省、市相关会议及文件精神，"
                      "本着“实事求是、公开透明”的原则，不断加强政务公开工作透明度，着力构建公正、廉洁、高效的行政管理机制，"
                      "全力推进政府信息公开工作，有力地保障群众的知情权、参与权和监督权。"],
        "noto": ["2022年，通过政府门户网站共发布信息18篇，其中，政府信息年报1篇，土地资源6篇，矿产资源10篇，城市规划1篇；"
                 "同时，我局在黑龙江省信用公示平台共发布行政许可信息76条，行政处罚信息2条。"],
        "problems": ["一是信息公开的内容还不够丰富；二是信息更新还不够及时。下一步，我局将进一步加强政府信息公开工作，及时公开相关信息。"],
        "s1": {"s1.channel.website": 18},
        "css": BASE_CSS + f"""
@page {{ size: A4; margin: 22mm 20mm; }}
body {{ font-family: {WQY}; font-size: 12pt; line-height: 1.6; }}
h1, h2, p.noto {{ font-family: {NOTO}; }}
p {{ text-indent: 2em; margin: 0; }}
table {{ font-family: {WQY}; font-size: 10.5pt; width: 100%; line-height: 1.3; }}
table.s2 td:first-child {{ width: 30%; }}
table.s3 td {{ padding: 3pt 2pt; }}
""",
    }


def haiqing_2020() -> dict:
    """The seed (海青乡, 2020, form 2019) in narrow columns: header labels wrap inside their cells."""
    return {
        "name": "haiqing-2020-narrow", "version": "2019", "agency": "海青乡", "year": 2020, "cells": zeros("2019"),
        "labels": {"partial": "（二）部分公开（区分处理的，只记这一情形，不计其他情形）", "deny_law": "2.其他法律行政法规禁止公"},
        "title": "海青乡2020年政府信息公开工作年度报告",
        "narrative": ["2020年我乡高度重视政府信息公开工作，逐步健全完善政府信息公开工作机制，积极稳妥推进，在做好政府信息主动公开的同时，"
                      "努力做好依申请公开工作。",
                      "（一）明确责任，推进政府信息公开工作。指派专人负责跟踪信息公开工作，做好公开信息审查、网络维护、实时更新。",
                      "（二）打造平台，拓展政府信息公开途径。我乡除了通过政府网站、报刊媒体等便于公众知晓的方式公开外，还完善了便民服务大厅建设。",
                      "（三）2020年，全乡一共公开信息71条，其中微信公众号公开43条，其他方式公开28条。"],
        "problems": ["存在问题：工作动态类的政务信息的主动性和时效性有待加强，内容还需进一步丰富和发掘。",
                     "改进情况：凸出重点内容，加大主动公开力度；加大培训力度，提升工作服务水平。"],
        "s1": {"s1.published_total": 71, "s1.channel.wechat": 43, "s1.channel.other": 28},
        # Lines may break anywhere (line-break: anywhere), and the script narrows the text column until
        # the line breaks inside "71", as Word does at the margin: the reader must join 公开信息7 / 1条.
        "script": BREAK_INSIDE_71,
        "css": BASE_CSS + f"""
@page {{ size: A4; margin: 20mm 25mm; }}
body {{ font-family: {WQY}; font-size: 11pt; line-height: 1.5; }}
p {{ text-indent: 2em; margin: 0; line-break: anywhere; }}
table {{ font-size: 9pt; table-layout: fixed; }}
table.s2 {{ width: 24em; }}
table.s2 td {{ width: 5em; }}
table.s3 {{ width: 36em; }}
table.s3 td.v, table.s3 td.h {{ width: 2.2em; }}
table.s4 {{ width: 36em; }}
""",
    }


def guanzhou_2023() -> dict:
    """Example 071 (官洲街道办事处, 2023, form 2021) with blank cells kept blank and "/" cells."""
    cells = zeros("2021")
    cells.update({"s2.rules.issued": "/", "s2.rules.repealed": "/", "s2.rules.in_force": "/",
                  "s2.penalties.decisions": "1472", "s3.new.natural": "1", "s3.new.total": "1",
                  "s3.granted.natural": "1", "s3.granted.total": "1",
                  "s3.handled_total.natural": "1", "s3.handled_total.total": "1"})
    for c in ("business", "research", "nonprofit", "legal", "org_other"):
        cells[f"s3.carried_in.{c}"] = ""
    for c in S3_COLUMNS:
        cells[f"s3.deny_query.{c}"] = "/"
    for c in ("upheld", "corrected", "other", "pending", "total"):
        cells[f"s4.suit_after_review.{c}"] = ""
    return {
        "name": "guanzhou-2023-blanks", "version": "2021", "agency": "广州市海珠区官洲街道办事处", "year": 2023,
        "cells": cells, "sign": "官洲街道办事处",
        "title": "广州市海珠区官洲街道办事处2023年政府信息公开工作年度报告",
        "narrative": ["2023年，在区委、区政府的坚强领导下，官洲街道办事处认真贯彻落实《中华人民共和国政府信息公开条例》，"
                      "坚持“依法、公开、客观、及时”的原则，围绕政府信息公开有关要求，向社会公开政府信息。2023年，通过政府门户网站，"
                      "主动公开政府信息63条，其中，组织机构类信息16条，动态类信息36条，本级及下属事业单位预决算信息5条，工作报告信息1条，"
                      "其他信息5条。"],
        "problems": ["2023年，我街政府信息公开工作取得了一定成效，但仍存在公开内容不够全面等问题。"],
        "s1": {"s1.published_total": 63, "s1.channel.website": 63},
        "css": BASE_CSS + f"""
@page {{ size: A4 landscape; margin: 15mm 18mm; }}
body {{ font-family: {WQY}; font-size: 11pt; line-height: 1.4; }}
p {{ margin: 0 0 8pt; }}
table {{ font-size: 10pt; }}
""",
    }


def erlang_2022() -> dict:
    """Example 004 (二郎街道办事处, 2022, form 2021): section 二 without rules, so its columns are told apart by
    the white space between them; a page number in every footer; the signature spread out letter by letter."""
    cells = zeros("2021")
    cells.update({"s2.normdocs.issued": "4", "s2.normdocs.in_force": "4"})
    return {
        "name": "erlang-2022-borderless", "version": "2021", "agency": "重庆市九龙坡区二郎街道办事处", "year": 2022,
        "cells": cells,
        "title": "重庆市九龙坡区二郎街道办事处2022年政府信息公开工作年度报告",
        "narrative": ["根据《中华人民共和国政府信息公开条例》的规定，二郎街道现面向社会公开2022年度政府信息公开年度报告。"
                      "本报告信息数据统计期限为：2022年1月1日-2022年12月31日。",
                      "全年通过区政府信息公开网站共公开信息314条，其中，人员招录信息公开3条，财政预算、决算信息公开2条，"
                      "疫情信息公开8条，公共资源配置领域信息公开12条，环境保护信息公开20条，工作动态信息公开269条。"],
        "problems": ["政府信息公开的及时性还需提高。下一步，我街道将进一步规范政府信息发布工作，保证所发布的信息合法、准确。"],
        "s1": {"s1.published_total": 314, "s1.channel.website": 314},
        "sign": "二郎街道办事处",
        "css": BASE_CSS + f"""
@page {{ size: A4; margin: 20mm 22mm; @bottom-center {{ content: "- " counter(page) " -"; font-family: {WQY}; }} }}
body {{ font-family: {WQY}; font-size: 12pt; line-height: 1.5; }}
p {{ text-indent: 2em; margin: 0; }}
table.s2 td {{ border: none; padding: 1pt 1.5em; }}
table {{ font-size: 10.5pt; }}
p.sign {{ letter-spacing: 2.5em; }}
""",
    }


def expected(report: dict) -> dict:
    values = {code: float(text) for code, text in report["cells"].items() if text not in ("", "/")}
    values.update(report["s1"])
    values = {code: int(v) if float(v).is_integer() else v for code, v in sorted(values.items())}
    return {"agency": report["agency"], "year": report["year"], "version": report["version"], "values": values}


def chromium(*args: str) -> None:
    binary = shutil.which("chromium") or sys.exit("需要 Chromium：apt-get install chromium fonts-noto-cjk fonts-wqy-microhei")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", *args],
                       check=True, capture_output=True, timeout=120)


def scanned(source: Path, out: Path) -> None:
    """The first screen of a report as a page image only: a PDF without a text layer."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "page.png"
        chromium("--window-size=1000,1200", "--hide-scrollbars", f"--screenshot={png}", source.as_uri())
        image = Image.open(png).convert("L")
        buffer = io.BytesIO()
        image.save(buffer, "PDF", resolution=100, quality=60)
    out.write_bytes(buffer.getvalue())


def main() -> None:
    for report in (fuyuan_2022(), haiqing_2020(), guanzhou_2023(), erlang_2022()):
        source = HERE / f"{report['name']}.html"
        source.write_text(page(report), encoding="utf-8")
        pdf = HERE / f"{report['name']}.pdf"
        chromium("--no-pdf-header-footer", "--disable-pdf-tagging", f"--print-to-pdf={pdf}", source.as_uri())
        (HERE / f"{report['name']}.json").write_text(json.dumps(expected(report), ensure_ascii=False, indent=1) + "\n",
                                                    encoding="utf-8")
        print(f"{pdf.name}: {os.path.getsize(pdf) // 1024} KB")
    scanned(HERE / "guanzhou-2023-blanks.html", HERE / "scanned.pdf")
    print(f"scanned.pdf: {os.path.getsize(HERE / 'scanned.pdf') // 1024} KB")


if __name__ == "__main__":
    main()
