"""What the analysts' SQL console may run, decided on DuckDB's own parse tree and not on words in the text: one
SELECT whose every table is one of the database's own tables or views (or a CTE of the query itself), whose every
function is on an explicit allow-list, and whose every construct is a known, harmless one. Comments, quoting and
spacing cannot hide a call from the parser, so nothing outside these lists runs: no table function (read_blob of the
database file, query('…'), json_execute_serialized_sql, glob, duckdb_*), no pragma, attach, copy or set.
"""
from __future__ import annotations

import json

import duckdb

from disclosure.issues import Refusal

MAX_SQL_CHARS = 5_000  # the app's own longest query is 4.3 KB; see the note on FUNCTIONS for why not more

# The database's own tables and views the console may read, less these: raw bookkeeping and the uploaded files'
# bytes (sources.content holds whole documents, not figures); accounts, should they ever move into the database.
HIDDEN_TABLES = frozenset({"sources", "meta", "schema_migrations", "accounts", "sessions", "audit_log"})

# Functions a SELECT may call: arithmetic, text, dates, conditionals, aggregates and window functions. Left out on
# purpose, besides everything that touches files, settings, sequences or SQL text: functions whose output can be
# far larger than their input (repeat, lpad, rpad, printf, format, concat and ||, replace, string_agg, list, list
# constructors, scalar range). DuckDB does not count such strings against memory_limit, so a one-line query could
# build gigabytes inside one batch, before any byte cap sees it. Even a copy that does not grow (substr of a long
# literal, per row) is uncounted, 2,048 rows at a time: MAX_SQL_CHARS bounds how many a query can ask for (120
# columns of a 2,500-character literal peak at about 0.8 GB; tests/test_console_sandbox.py measures it).
OPERATORS = frozenset({
    "+", "-", "*", "/", "//", "%", "**", "^", "&", "|", "<<", ">>", "~", "@", "^@",
    "~~", "!~~", "~~*", "!~~*", "~~~",  # like, not like, ilike, not ilike, glob (a pattern match on text)
})
FUNCTIONS = frozenset("""
    abs ceil ceiling floor round round_even roundbankers trunc sign sqrt cbrt power pow exp ln log log10 log2 mod
    greatest least pi isnan isinf isfinite even gcd lcm degrees radians sin cos tan asin acos atan atan2 divide fdiv
    fmod nullif if typeof hash
    length char_length character_length strlen lower upper lcase ucase trim ltrim rtrim substring substr left right
    contains starts_with ends_with suffix prefix strpos position instr reverse split_part regexp_matches
    regexp_full_match regexp_extract translate ascii chr unicode ord strip_accents nfc_normalize md5 levenshtein
    jaro_winkler_similarity jaccard damerau_levenshtein hamming like_escape not_like_escape ilike_escape
    not_ilike_escape
    date_part datepart date_trunc datetrunc date_diff datediff date_sub datesub year month day quarter week
    weekofyear dayofweek isodow dayofyear dayofmonth yearweek isoyear dayname monthname last_day hour minute second
    make_date make_timestamp make_time strftime strptime try_strptime now today current_date get_current_timestamp
    get_current_time current_localtimestamp epoch epoch_ms to_timestamp age to_days to_months to_years to_hours
    to_minutes to_seconds
    count count_star sum avg mean min max median mode quantile quantile_cont quantile_disc stddev stddev_samp
    stddev_pop variance var_samp var_pop corr covar_pop covar_samp regr_slope regr_intercept regr_r2 regr_count
    first last any_value arbitrary arg_max arg_min argmax argmin max_by min_by bool_and bool_or count_if countif
    product fsum sumkahan kahan_sum favg approx_count_distinct approx_quantile entropy kurtosis skewness geomean
    row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
""".split())
# Table functions that only make numbers: a year series, or rows to join against. Every other one is refused.
TABLE_FUNCTIONS = frozenset({"range", "generate_series"})

# Expression kinds of the parse tree that may appear at all; functions and subqueries are checked further.
_EXPRESSIONS = frozenset({"COLUMN_REF", "CONSTANT", "FUNCTION", "WINDOW", "OPERATOR", "COMPARISON", "CONJUNCTION",
                          "CASE", "CAST", "BETWEEN", "SUBQUERY", "STAR", "TYPE", "COLLATE", "POSITIONAL_REFERENCE"})
_QUERY_NODES = frozenset({"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE"})
# Every kind of table reference DuckDB serialises; of these only the first five may appear.
_TABLE_REFS_ALLOWED = frozenset({"BASE_TABLE", "JOIN", "SUBQUERY", "EMPTY", "EXPRESSION_LIST"})
_TABLE_REFS = _TABLE_REFS_ALLOWED | {"TABLE_FUNCTION", "PIVOT", "SHOW_REF", "COLUMN_DATA", "DELIM_GET", "CTE",
                                     "BOUND_TABLE_REF", "INVALID"}
_CONSTRUCTS = {  # what a refused construct is called in the message, and what to write instead
    "PIVOT": ("PIVOT / UNPIVOT", "，可改用 group by 与 case when"),
    "SHOW_REF": ("DESCRIBE / SHOW / SUMMARIZE", "，可用 select * from 表名 limit 5 查看各列"),
    "PARAMETER": ("参数占位符（? 或 $1）", "，请直接写出数值"),
    "LAMBDA": ("lambda 表达式", ""),
}


class Refused(Refusal):
    """Why a query may not run: one Chinese sentence naming what was refused, and DuckDB's own words if any."""

    code = "console-refused"

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.message, self.detail = message, detail


def allowed_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The database's own tables and views in its main schema, less the hidden ones, by name (lower case)."""
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() "
        "and schema_name = 'main' and not internal and not temporary "
        "union select view_name from duckdb_views() where database_name = current_database() "
        "and schema_name = 'main' and not internal and not temporary").fetchall()
    return sorted({name.lower() for (name,) in rows} - HIDDEN_TABLES)


def check(con: duckdb.DuckDBPyConnection, sql_text: str) -> None:
    """Raise Refused unless the text is exactly one SELECT that names only allowed tables, functions and
    constructs. `con` parses the text (json_serialize_sql) and lists the tables; it runs nothing of the text."""
    if not sql_text or not sql_text.strip():
        raise Refused("请输入一条 SELECT 查询语句。")
    if len(sql_text) > MAX_SQL_CHARS:
        raise Refused(f"查询语句有 {len(sql_text):,} 个字符，超过上限 {MAX_SQL_CHARS:,} 个字符；请精简后再试。")
    try:
        statements = duckdb.extract_statements(sql_text)
    except duckdb.Error as e:
        raise Refused("SQL 语法错误：这条语句无法解析，请检查拼写、逗号、括号和引号。", str(e)) from None
    if len(statements) != 1:
        raise Refused(f"一次只能执行一条 SELECT 语句，这里有 {len(statements)} 条；请删去多余的语句（分号分隔）。")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise Refused(f"只允许 SELECT 查询，不能执行 {kind.name} 语句；控制台是只读的，不能修改数据库、设置或文件。")
    try:
        tree = json.loads(con.execute("select json_serialize_sql(?)", [sql_text]).fetchone()[0])
    except RecursionError:
        raise Refused("查询嵌套的层数太多，无法检查；请拆成较简单的查询。") from None
    if tree.get("error"):
        raise Refused("SQL 语法错误：这条语句无法解析，请检查拼写、逗号、括号和引号。",
                      str(tree.get("error_message", "")))
    if len(tree["statements"]) != 1:
        raise Refused(f"一次只能执行一条 SELECT 语句，这里有 {len(tree['statements'])} 条。")
    existing = {name.lower() for (name,) in con.execute(
        "select table_name from duckdb_tables() union select view_name from duckdb_views()").fetchall()}
    _Walker(frozenset(allowed_tables(con)), frozenset(existing)).walk(tree["statements"][0]["node"])


class _Walker:
    """Visits every part of the parse tree, with a list of pending parts rather than recursion (a long a+b+c+…
    is a deep tree); `scope` holds the CTE names a table reference may mean at that point."""

    def __init__(self, tables: frozenset[str], existing: frozenset[str]):
        self.tables, self.existing = tables, existing  # existing: every table and view, system ones included

    def walk(self, root: dict) -> None:
        pending = self.node(root, frozenset())
        while pending:
            value, scope = pending.pop()
            pending.extend(self.visit(value, scope))

    def visit(self, value, scope: frozenset[str]) -> list:
        """Check one part; return its parts still to visit, each with the scope it sees."""
        if isinstance(value, list):
            return [(item, scope) for item in value]
        if not isinstance(value, dict):
            return []  # names and numbers as written: only their place in the tree gives them meaning
        kind = value.get("type") if isinstance(value.get("type"), str) else None
        if "class" in value:
            self.expression(value)
            return [(v, scope) for k, v in value.items() if k != "class"]
        if kind in _QUERY_NODES:
            return self.node(value, scope)
        if kind in _TABLE_REFS:
            return self.table(value, scope)
        return [(v, scope) for v in value.values()]

    def node(self, node: dict, scope: frozenset[str]) -> list:
        kind = node.get("type")
        if kind not in _QUERY_NODES:
            raise _unsupported(kind)
        parts = []
        # A CTE's body sees the CTEs before it (and itself only when it is recursive); the query sees them all.
        # Seeing fewer names than DuckDB does can only refuse more, never let a real table through as a CTE.
        for entry in node.get("cte_map", {}).get("map", []):
            name, body = entry["key"].lower(), entry["value"]
            query = body["query_node"] if "query_node" in body else body["query"]["node"]
            recursive = query.get("type") == "RECURSIVE_CTE_NODE"
            parts += self.node(query, scope | {name} if recursive else scope)
            parts += [(v, scope) for k, v in body.items() if k not in ("query_node", "query")]
            scope = scope | {name}
        if kind == "RECURSIVE_CTE_NODE":
            scope = scope | {node["cte_name"].lower()}
        return parts + [(v, scope) for k, v in node.items() if k not in ("type", "cte_map")]

    def table(self, ref: dict, scope: frozenset[str]) -> list:
        kind = ref["type"]
        if kind == "TABLE_FUNCTION":
            function = ref["function"]
            name = function.get("function_name", "").lower()
            if name not in TABLE_FUNCTIONS or function.get("schema") or function.get("catalog"):
                raise Refused(f"不允许使用表函数 {_qualified(function, 'function_name')}()：控制台只能查询本库的表和视图，"
                              "不能读取文件、其他数据库或系统信息，也不能执行字符串里的 SQL。")
            return [(function.get("arguments", []), scope)]
        if kind not in _TABLE_REFS_ALLOWED:
            raise _unsupported(kind)
        if kind == "BASE_TABLE":
            self.base_table(ref, scope)
        return [(v, scope) for k, v in ref.items() if k != "type"]

    def base_table(self, ref: dict, scope: frozenset[str]) -> None:
        name = ref["table_name"].lower()
        plain = not ref.get("catalog_name") and ref.get("schema_name", "").lower() in ("", "main")
        if ref.get("at_clause") is not None:
            raise Refused(f"不支持对 {name} 使用 AT（历史版本）写法：控制台只查询当前数据。")
        if plain and (name in self.tables or (not ref.get("schema_name") and name in scope)):
            return
        listed = f"控制台只能查询本库的这些表和视图：{'、'.join(sorted(self.tables))}。"
        if plain and any(c in name for c in "/\\.:"):  # from 'x.csv': DuckDB would read it as a file
            raise Refused(f"不允许读取文件 {ref['table_name']}：{listed}")
        if plain and name not in self.existing:
            raise Refused(f"找不到所写的表或视图 {ref['table_name']}：请检查拼写；{listed}")
        raise Refused(f"不允许查询 {_qualified(ref, 'table_name')}：{listed}")

    def expression(self, expr: dict) -> None:
        kind = expr["class"]
        if kind not in _EXPRESSIONS:
            raise _unsupported(kind)
        if kind in ("FUNCTION", "WINDOW"):
            name = expr.get("function_name", "").lower()
            allowed = OPERATORS if expr.get("is_operator") else FUNCTIONS
            if name not in allowed or expr.get("schema") or expr.get("catalog"):
                shown = _qualified(expr, "function_name")
                raise Refused((f"不允许使用运算符 {shown}" if expr.get("is_operator") else f"不允许使用函数 {shown}()")
                              + "：控制台只提供常用的计算、文字、日期、条件、聚合和窗口函数；"
                                "读文件、查系统信息、执行 SQL 文本的函数，以及拼接、重复、填充等会把结果放大的函数都不可用。")


def _unsupported(kind) -> Refused:
    name, hint = _CONSTRUCTS.get(kind, (str(kind), ""))
    return Refused(f"不支持 {name} 写法：控制台只执行普通的 SELECT 查询{hint}。")


def _qualified(item: dict, key: str) -> str:
    """A name as written, with its database and schema when given (main.x, other.main.x)."""
    parts = [item.get("catalog_name") or item.get("catalog"), item.get("schema_name") or item.get("schema"),
             item.get(key, "")]
    return ".".join(p for p in parts if p)
