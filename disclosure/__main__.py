"""The command line: python -m disclosure import|roster|export|check|demo|template|user (same code paths as the pages)."""
from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from disclosure import config, demo, ingest
from disclosure.contract import catalog
from disclosure.contract.agencies import normalize_kind
from disclosure.contract.values import format_value
from disclosure.ingest import quality, roster
from disclosure.issues import Issue, Refusal
from disclosure.present import export
from disclosure.read import isolated, report_files
from disclosure.store import accounts, audit, backup, db

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except db.DatabaseBusy as e:
        say(e)
        return EXIT_BUSY
    except accounts.AccountError as e:
        say(e)
        return EXIT_USAGE
    except Refusal as e:
        say(e)
        return EXIT_REJECTED


def say(refusal: Refusal) -> None:
    """A refusal as the command line says it: a line per issue, FILE:ROW:COLUMN first when it names a file."""
    for issue in refusal.issues:
        print(f"{issue.location()}: {issue.message}" if issue.file else issue.message, file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m disclosure", description="政务公开年报分析平台 命令行")
    sub = p.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, run, help: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help, description=help)
        c.set_defaults(run=run)
        if name not in ("template", "parse", "user"):
            c.add_argument("--db", type=Path, default=None, help="数据库文件（默认 $DISCLOSURE_DB，再默认 data/disclosure.duckdb）")
            c.add_argument("--wait", type=float, default=db.DEFAULT_WAIT, help="数据库被占用时最多等待的秒数（默认 60）")
        return c

    c = command("import", _import, "导入 CSV / Excel 文件或年报原文（.docx、.pdf、.html、.txt）（同一命令的所有文件是一个批次，全部写入或全部不写）")
    c.add_argument("files", nargs="+", type=Path, metavar="FILE")
    c.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    c.add_argument("--replace", action="store_true", help="替换已存的同单位同年度报告（旧版本保留）")
    c.add_argument("--accept-errors", action="store_true", help="确认接受勾稽关系错误（报告原文如此），并记录")
    c.add_argument("--encoding", help="指定 CSV 编码（utf-8、gbk、gb18030、big5、utf-16），默认自动识别")
    c.add_argument("--sheet", help="Excel 工作表名称，默认第一个")
    c.add_argument("--user", default=None, help="记录为导入人（默认当前系统用户）")
    c.add_argument("--reason", default="", help="替换的原因，记入版本历史")
    c.add_argument("--accept-partial", action="store_true",
                   help="报告（.docx/.pdf/.html/.txt）中有无法确定的单元格时，只导入确定的数值并记录缺失")
    c.add_argument("--agency", default="", help="报告的单位名称（报告正文没有写明时）")
    c.add_argument("--year", type=int, default=None, help="报告年度（报告正文没有写明时）")
    c.add_argument("--kind", default="", help="单位类型：乡、镇、街道、部门、政府、汇总、园区、其他；对表格文件，是单位类型列"
                                              "和单位名称都看不出类型的新单位的类型")
    c.add_argument("--parent", default="", help="所属地区，如 江西省/赣州市/会昌县；对表格文件，是没有写所属地区的行的地区")
    c.add_argument("--keep-examples", action="store_true", help="导入模板中的示例行（示例镇）；默认拒绝")
    c.add_argument("--version", choices=("2019", "2021"), default="", help="表格版本（报告看不出时）")

    c = command("roster", _roster, "导入单位名单（应报送年报的单位及起止年度），或用 --clear 清空已导入的名单")
    c.add_argument("files", nargs="*", type=Path, metavar="FILE")
    c.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    c.add_argument("--clear", action="store_true", help="删除导入的全部名单条目")
    c.add_argument("--user", default=None, help="记录为导入人（默认当前系统用户）")

    c = command("parse", _parse, "读取一份公开的年报（.docx / .pdf / .html / .txt），列出读到的数值")
    c.add_argument("file", type=Path, metavar="FILE")
    c.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    c = command("export", _export, "导出当前报告（宽表或长表，CSV 或 XLSX）。CSV 默认是交换格式：与数据库一字不差，可原样再导入；"
                                   "要在 Excel 中打开，加 --for-excel")
    c.add_argument("--shape", choices=("wide", "long"), default="wide")
    c.add_argument("--format", choices=("csv", "xlsx"), default="csv",
                   help="xlsx 总是供 Excel 打开的形式：以 = + - @ 开头的文字前加 '，不会作为公式运行")
    c.add_argument("--for-excel", action="store_true",
                   help="CSV 供 Excel 打开：以 = + - @ 开头的文字前加 '，不会作为公式运行（这样的文件不再与数据库一字不差）")
    c.add_argument("-o", "--output", type=Path, default=None, help="输出文件（默认打印到标准输出，仅限 CSV）")

    c = command("check", _check, "检查已存数据的勾稽关系和填报惯例")
    c.add_argument("--json", action="store_true", help="输出 JSON 数组（data-contract.md §8 问题记录）")

    c = command("backup", _backup, "备份数据库和账户文件（一个 zip 文件）；默认写到数据库旁的 backups 文件夹")
    c.add_argument("-o", "--output", type=Path, default=None, help="备份文件（默认 backups/数据库名-时间-manual.zip）")

    c = command("restore", _restore, "用备份替换数据库和账户文件（先把现有的备份一份）；仪表盘运行时不能恢复")
    c.add_argument("archive", type=Path, help="backup 命令或升级前自动写出的 .zip 文件")

    c = command("demo", _demo, "生成示例数据库（示例县 + 海青乡 2020 原始报告），或用 --remove 删除示例数据")
    c.add_argument("--remove", action="store_true")

    c = command("template", _template, "下载填报模板")
    c.add_argument("--version", choices=("2019", "2021"), default="2021")
    c.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    c.add_argument("-o", "--output", type=Path, required=True)

    c = command("user", _user, "管理登录账户（账户文件 $DISCLOSURE_ACCOUNTS，默认 data/accounts.toml；没有账户文件时不需登录）")
    actions = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = actions.add_parser("add", help="新建账户")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--role", choices=list(accounts.ROLES), required=True,
                   help="admin 管理员、uploader 填报人员（只能改分配的单位）、viewer 查看者")
    a.add_argument("--agency", action="append", default=[], metavar="NAME@REGION",
                   help="填报人员可以导入、替换、撤销的单位，如 城关镇@江西省/赣州市/会昌县；可重复")
    a.add_argument("--region", action="append", default=[], metavar="PATH",
                   help="只能查看的地区（含下级），如 江西省/赣州市/会昌县；可重复；不写则可查看全部地区（管理员总是全部）")
    a.add_argument("--password-stdin", action="store_true", required=True, help="从标准输入读一行作为密码")
    a = actions.add_parser("remove", help="删除账户")
    a.add_argument("name", metavar="NAME")
    actions.add_parser("list", help="列出账户（不显示密码）")
    a = actions.add_parser("passwd", help="修改密码")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--password-stdin", action="store_true", required=True, help="从标准输入读一行作为密码")
    return p


def _user(args) -> int:
    """Accounts are a file, not the database: the CLI acts as the local administrator who owns it."""
    if args.action == "add":
        account = accounts.add(args.name, args.role, _password(), args.agency, regions=args.region)
        print(f"已新建账户 {account.name}（{account.role_zh}）：{accounts.path()}")
    elif args.action == "remove":
        accounts.remove(args.name)
        print(f"已删除账户 {args.name}")
    elif args.action == "passwd":
        accounts.passwd(args.name, _password())
        print(f"已修改 {args.name} 的密码")
    else:
        for account, _ in accounts.load().values():
            where = "、".join(f"{a}@{r}" for a, r in account.agencies)
            print(f"{account.name}\t{account.role}\t{account.role_zh}\t{account.scope_zh}" + (f"\t{where}" if where else ""))
    return EXIT_OK


def _password() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _connect(args):
    return db.connect(args.db or config.db_path(), wait=args.wait)


def _print_issue(issue: Issue) -> None:
    mark = "" if issue.is_error else "警告："
    print(f"{issue.location()}: {mark}{issue.message}")


def _import(args) -> int:
    kind = normalize_kind(args.kind) if args.kind else ""
    if args.kind and not kind:
        print(f"单位类型「{args.kind}」无法识别，可填：{'、'.join(catalog.KINDS)}", file=sys.stderr)
        return EXIT_USAGE
    tables = []
    for path in args.files:
        if not path.is_file():
            print(f"{path}::: 文件不存在", file=sys.stderr)
            return EXIT_USAGE
        size = path.stat().st_size
        if size > config.max_upload_bytes():
            print(f"{path.name}::: 文件大小 {config.megabytes(size)} 超过上限 "
                  f"{config.megabytes(config.max_upload_bytes())}，未读取")
            return EXIT_REJECTED
        tables.append(_read_input(path, args))
    con = _connect(args)
    choices = ingest.Choices(parent=args.parent.strip(), kind=kind, keep_examples=args.keep_examples)
    plan = ingest.prepare(con, tables, replace=args.replace, choices=choices)
    for issue in plan.issues:
        _print_issue(issue)
    blocking = plan.blocking(args.accept_errors)
    if blocking:
        hints = {"kind-needed": "用 --kind 指定新单位的单位类型（如 --kind 汇总），或在文件中填写「单位类型」列",
                 "missing-region": "用 --parent 指定文件中单位的所属地区（如 --parent 江西省/赣州市/会昌县）",
                 "template-example": "删除模板中的示例行；确实要导入时加 --keep-examples",
                 "missing-agency": "用 --agency 写明报告的单位名称", "missing-year": "用 --year 写明报告年度",
                 "missing-version": "用 --version 2019 或 --version 2021 写明表格版本"}
        for code in dict.fromkeys(i.code for i in blocking):
            if code in hints:
                print(f"提示：{hints[code]}", file=sys.stderr)
        print(f"未导入：{len(blocking)} 个错误。数据库没有任何改动。", file=sys.stderr)
        return EXIT_REJECTED
    summary = f"新增 {plan.count('new')} 份、替换 {plan.count('replace')} 份、与已存相同 {plan.count('unchanged')} 份"
    if args.dry_run:
        print(f"检查通过（未写入）：{summary}", file=sys.stderr)
        return EXIT_OK
    if not plan.to_write:
        print(f"没有需要写入的内容：{summary}", file=sys.stderr)
        return EXIT_OK
    result = ingest.commit(con, plan, user=args.user or getpass.getuser(), via="命令行",
                           accept_errors=args.accept_errors, replace_reason=args.reason)
    audit.record(con, args.user or getpass.getuser(), "import", f"命令行 批次 {result.batch_id}："
                 f"{'、'.join(p.name for p in args.files)}；{summary}")
    print(f"已导入（批次 {result.batch_id}）：{summary}，共 {result.cells} 个数值", file=sys.stderr)
    return EXIT_OK


def _roster(args) -> int:
    if args.clear == bool(args.files):
        print("请给出名单文件，或只用 --clear", file=sys.stderr)
        return EXIT_USAGE
    if args.clear:
        print(f"已清空单位名单：删除 {roster.clear(_connect(args))} 个单位", file=sys.stderr)
        return EXIT_OK
    missing = [p for p in args.files if not p.is_file()]
    if missing:
        print(f"{missing[0]}::: 文件不存在", file=sys.stderr)
        return EXIT_USAGE
    con = _connect(args)
    plan = roster.prepare(con, [isolated.read_table_file(p.name, p.read_bytes()) for p in args.files])
    for issue in plan.issues:
        _print_issue(issue)
    if plan.blocking:
        print(f"未导入：{len(plan.blocking)} 个错误。数据库没有任何改动。", file=sys.stderr)
        return EXIT_REJECTED
    if args.dry_run:
        print(f"检查通过（未写入）：{len(plan.to_write)} 个单位将写入", file=sys.stderr)
        return EXIT_OK
    n = roster.commit(con, plan, user=args.user or getpass.getuser())
    print(f"已导入单位名单：{n} 个单位（与已存相同 {len(plan.entries) - n} 个）", file=sys.stderr)
    return EXIT_OK


REPORT_SUFFIXES = (".docx", ".doc", ".wps", ".pdf", ".html", ".htm", ".txt")


def _read_input(path: Path, args):
    """A table (CSV/XLSX) or a published report (.docx/.pdf/.html/.txt; a .txt that is no report is a table)."""
    data = path.read_bytes()
    if path.suffix.lower() in REPORT_SUFFIXES:
        report = report_files.read_file(path.name, data, reader=isolated.load_report, agency=args.agency, year=args.year, version=args.version,
                                        kind_of_agency=args.kind, parent=args.parent,
                                        accept_partial=args.accept_partial)
        if report.reading.is_report or path.suffix.lower() != ".txt":
            return report
    return isolated.read_table_file(path.name, data, encoding=args.encoding, sheet=args.sheet)


def _parse(args) -> int:
    if not args.file.is_file():
        print(f"{args.file}::: 文件不存在", file=sys.stderr)
        return EXIT_USAGE
    report = report_files.read_file(args.file.name, args.file.read_bytes(), reader=isolated.load_report)
    if report.error or not report.reading.is_report:
        print(report.error or f"{args.file.name}::: 不是政府信息公开工作年度报告", file=sys.stderr)
        return EXIT_REJECTED
    r = report.reading
    if args.json:
        print(json.dumps(r.to_json(), ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"单位：{r.agency or '（未写明）'}  年度：{r.year or '（未写明）'}  表格版本：{r.version or '（看不出）'}")
    for code, value in r.values.items():
        unit = r.units.get(code, "")
        mark = "（约数）" if code in r.approximate else ""
        print(f"{code}\t{catalog.label(code)}\t{format_value(value)}{unit if unit != '未注明' else ''}{mark}")
    for u in r.unresolved:
        print(f"无法确定\t{u.where}\t{u.reason}")
    for code, doubt in r.doubtful.items():
        print(f"存疑未读\t{code}\t「{doubt.raw}」：{doubt.reason}")
    for code, figures in r.candidates.items():
        print(f"几个数字\t{code}\t" + "、".join(f.raw for f in figures) + "：未读取，请核对")
    for n in r.notices:
        print(f"说明\t{n}")
    return EXIT_OK


def _export(args) -> int:
    con = _connect(args)
    frame = export.wide_frame(con) if args.shape == "wide" else export.long_frame(con)
    if args.format == "xlsx":
        if args.output is None:
            print("导出 XLSX 需要用 -o 指定文件", file=sys.stderr)
            return EXIT_USAGE
        args.output.write_bytes(export.to_xlsx(frame))
    elif args.output is None:
        sys.stdout.buffer.write(export.to_csv(frame, for_excel=args.for_excel))
    else:
        args.output.write_bytes(export.to_csv(frame, for_excel=args.for_excel))
    return EXIT_OK


def _check(args) -> int:
    con = _connect(args)
    issues = quality.check_stored(con)
    if args.json:
        print(json.dumps([i.to_dict() for i in issues], ensure_ascii=False, indent=1))
    else:
        for i in issues:
            print(f"{i.agency} {i.year} {i.code}: {'' if i.is_error else '警告：'}{i.message}")
    return EXIT_REJECTED if any(i.is_error for i in issues) else EXIT_OK


def _backup(args) -> int:
    path = args.db or config.db_path()
    con = _connect(args)
    try:
        out = backup.take(con, path, args.output)
    finally:
        con.close()
    print(f"已备份到 {out}（{config.megabytes(out.stat().st_size)}）")
    return EXIT_OK


def _restore(args) -> int:
    if not args.archive.is_file():
        print(f"找不到备份文件 {args.archive}", file=sys.stderr)
        return EXIT_USAGE
    kept = backup.restore(args.archive, args.db or config.db_path(), wait=args.wait)
    print(f"已从 {args.archive} 恢复。恢复前的数据库和账户已备份到 {kept}")
    return EXIT_OK


def _demo(args) -> int:
    con = _connect(args)
    if args.remove:
        n = demo.remove(con)
        print(f"已删除示例数据：{n} 份报告", file=sys.stderr)
    else:
        result = demo.build(con)
        print("示例数据已存在，未改动" if result is None else f"已生成示例数据：{result.new} 份报告", file=sys.stderr)
    return EXIT_OK


def _template(args) -> int:
    args.output.write_bytes(export.template_file(args.version, args.format))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
