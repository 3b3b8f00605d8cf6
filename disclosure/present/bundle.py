"""一键导出视图: everything a page shows in one zip — each table as CSV and in one workbook, each chart as PNG (or
as interactive HTML where no browser can draw it), and 说明.txt saying what was selected and how to open it again."""
from __future__ import annotations

import asyncio
import html
import io
import re
import threading
import time
import zipfile
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from disclosure.present import export

RENDER_SECONDS = 60  # all of one bundle's charts; past it the charts go in as HTML
PNG_SIZE = {"width": 1100, "height": 600, "scale": 2}  # a figure's own width/height take precedence


class RenderUnavailable(RuntimeError):
    """No browser could draw the charts as pictures (none installed, it failed to start, or it took too long)."""


def chart_pngs(charts: dict[str, go.Figure], *, seconds: float = RENDER_SECONDS) -> dict[str, bytes]:
    """PNG of each chart, drawn by one headless Chromium through kaleido, in a thread of its own (the caller may
    be inside an event loop) and bounded in time: RenderUnavailable when no browser can, or it takes too long."""
    try:
        import kaleido
    except ImportError as e:
        raise RenderUnavailable("未安装 kaleido") from e

    async def draw() -> dict[str, bytes]:
        async with kaleido.Kaleido(timeout=seconds, mathjax=False) as k:  # mathjax would be fetched from the web
            return {name: await k.calc_fig(fig, opts=_size(fig)) for name, fig in charts.items()}

    outcome: dict = {}

    def run() -> None:
        try:
            outcome["pngs"] = asyncio.run(asyncio.wait_for(draw(), seconds))
        except BaseException as e:  # noqa: BLE001 — reported to the caller's thread
            outcome["error"] = e

    started = time.monotonic()
    worker = threading.Thread(target=run, name="chart-png", daemon=True)
    worker.start()
    worker.join(seconds + 15)  # wait_for closes the browser on time-out; this bounds its closing too
    if "pngs" in outcome:
        return outcome["pngs"]
    error = outcome.get("error")
    if type(error).__name__ == "ChromeNotFoundError":
        raise RenderUnavailable("服务器上没有可用的浏览器") from error
    if error is None or time.monotonic() - started >= seconds:  # a cut-off start may end as a browser error
        raise RenderUnavailable(f"超过 {seconds:g} 秒仍未完成") from error
    raise RenderUnavailable(f"浏览器出错：{type(error).__name__}") from error


def bundle(tables: dict[str, pd.DataFrame], charts: dict[str, go.Figure], *, filters_text: str, link: str,
           data_version: str, page: str = "",
           render_png: Callable[[dict[str, go.Figure]], dict[str, bytes]] | None = chart_pngs) -> bytes:
    """The zip of one view. `render_png` draws the charts (name -> PNG bytes) and raises when it cannot, and
    the charts then go in as one HTML file; None leaves them HTML without trying."""
    names = _Names()
    files: dict[str, bytes] = {}
    listed: list[str] = []
    for name, frame in tables.items():
        path = names.take(f"表格/{export.file_name(name)}.csv")
        files[path] = export.to_csv(frame, for_excel=True)
        listed.append(f"  {path}：{name}（{len(frame):,} 行）")
    if tables:
        sheets = _sheets(tables)
        files[names.take("全部表格.xlsx")] = export.workbook(
            {"目录": pd.DataFrame({"工作表": list(sheets), "表格": list(tables)}), **dict(zip(sheets, tables.values()))})
        listed.append("  全部表格.xlsx：以上各表，每表一个工作表（首页「目录」列出对应关系）")
    chart_note = ""
    if charts:
        pngs, failure = _render(render_png, charts)
        if pngs is not None:
            for name in charts:
                path = names.take(f"图表/{export.file_name(name)}.png")
                files[path] = pngs[name]
                listed.append(f"  {path}：{name}")
        else:
            path = names.take("图表.html")
            files[path] = charts_html(charts)
            listed.append(f"  {path}：{'、'.join(charts)}（交互式，用浏览器打开，无需联网）")
            chart_note = f"图表未能生成 PNG 图片（{failure}），改为 HTML 文件。"
    files["说明.txt"] = readme(page=page, filters_text=filters_text, link=link, data_version=data_version,
                              listed=listed, chart_note=chart_note).encode("utf-8-sig")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in ["说明.txt", *[p for p in files if p != "说明.txt"]]:
            zf.writestr(path, files[path])
    return buf.getvalue()


def readme(*, page: str, filters_text: str, link: str, data_version: str, listed: list[str], chart_note: str) -> str:
    lines = ["政务公开年报分析平台 · 一键导出", "",
             f"页面：{page or '（未命名）'}",
             f"范围：{filters_text}",
             f"链接：{link}",
             "      在浏览器中打开此链接，可回到导出时的同一视图（同一地区、年度、单位类型、单位和页面设置）。",
             f"数据：{data_version}", "",
             "文件："] + (listed or ["  （本页没有表格或图表）"])
    if chart_note:
        lines += ["", chart_note]
    lines += ["", "说明：空白单元格表示报告未填报（不是 0）。CSV 为 UTF-8（带 BOM）编码，可直接用 Excel 打开。"]
    return "\r\n".join(lines) + "\r\n"


def charts_html(charts: dict[str, go.Figure]) -> bytes:
    """Every chart in one self-contained HTML file: plotly.js once, not once per chart."""
    parts = []
    for n, (name, fig) in enumerate(charts.items()):
        div = pio.to_html(fig, full_html=False, include_plotlyjs=n == 0, default_width="100%",
                          default_height=f"{fig.layout.height or 560}px")
        parts.append(f"<h2>{html.escape(name)}</h2>\n{div}")
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>图表</title></head>\n'
            f'<body style="font-family: sans-serif; max-width: 1200px; margin: auto">\n{body}\n</body></html>\n'
            ).encode("utf-8")


def _render(render_png, charts) -> tuple[dict[str, bytes] | None, str]:
    if render_png is None:
        return None, "未启用"
    try:
        pngs = render_png(charts)
    except Exception as e:  # noqa: BLE001 — any failure to draw falls back to HTML, and 说明.txt says why
        return None, str(e) if isinstance(e, RenderUnavailable) else f"{type(e).__name__}"
    if not isinstance(pngs, dict) or set(pngs) != set(charts) or not all(
            isinstance(v, bytes) and v.startswith(b"\x89PNG") for v in pngs.values()):
        return None, "图片不完整"
    return pngs, ""


def _size(fig: go.Figure) -> dict:
    return {**PNG_SIZE, "format": "png", "width": fig.layout.width or PNG_SIZE["width"],
            "height": fig.layout.height or PNG_SIZE["height"]}


def _sheets(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Excel's sheet names: at most 31 characters, none of []:*?/\\, unique regardless of case, not 目录."""
    taken, out = {"目录"}, []
    for name in tables:
        stem = re.sub(r"[\[\]:*?/\\\x00-\x1f]+", "_", name).strip("' ") or "表"
        sheet, n = stem[:31], 1
        while sheet.casefold() in taken:
            n += 1
            sheet = f"{stem[:31 - len(str(n)) - 1]}-{n}"
        taken.add(sheet.casefold())
        out.append(sheet)
    return out


class _Names:
    """Paths in the zip, unique regardless of case (Windows and macOS would merge x.csv and X.csv)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def take(self, path: str) -> str:
        stem, dot, suffix = path.rpartition(".")
        candidate, n = path, 1
        while candidate.casefold() in self.taken:
            n += 1
            candidate = f"{stem}-{n}{dot}{suffix}"
        self.taken.add(candidate.casefold())
        return candidate
