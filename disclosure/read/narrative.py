"""The prose of a report: its title (agency, year), section 一's publication figures, and T1 restatements."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

CN = r"\u4e00-\u9fff"
_TITLE = re.compile(rf"([{CN}（）()·]{{2,40}}?)?\s*(20\d\d)\s*年度?\s*(?:政府)?信息公开(?:工作)?(?:年度)?(?:报告|年报)")
_TITLE_NO_YEAR = re.compile(rf"([{CN}（）()·]{{2,40}}?)(?:政府)?信息公开(?:工作)?年度报告")
_YEAR_FIRST = re.compile(rf"(20\d\d)\s*(?:年度?)?(?:政府信息公开)?年报[_\-—\s]*([{CN}]{{2,30}})")
_YEAR_THEN_AGENCY = re.compile(rf"^(20\d\d)\s*年度?\s*([{CN}（）()·]{{2,40}}?)(?:政府)?信息公开(?:工作)?(?:年度)?报告")
_LEADING_VERBS = re.compile(r"^.*?(?:现向社会公布|现将|现公布|公布|发布|编制|印发|形成)")
_AGENCY_END = re.compile(rf"[{CN}]+?(?:乡|镇|街道办事处|街道|办事处|人民政府|政府|局|委员会|委|办公室|中心|管委会|管理委员会|院|署|所|队|厅|处)")
_NARRATIVE_AGENCY = re.compile(
    rf"(?:^|[，,。])\s*(?:20\d\d\s*年度?[，,]?\s*)?((?!我|本)[{CN}]{{2,20}}?(?:乡|镇|街道办事处|街道|人民政府|局|委员会|中心|管委会))"
    rf"(?:认真|坚持|聚焦|紧紧|围绕|严格|按照|深入|不断|高度|积极|进一步|全面|扎实|始终|以)")

# Channels of data-contract.md §2.5, the words that name them
CHANNEL_WORDS = {
    "website": ("政府网站", "门户网站", "信息公开网站", "信息公开平台", "信息公开专栏", "政务公开专栏", "信息公开目录", "外网",
                "网上公开", "网上", "政务网", "官网", "政府网"),
    "wechat": ("微信公众号", "政务微信", "微信平台", "微信订阅号", "视频号", "微信", "公众号"),
    "weibo": ("微博",),
    "new_media": ("今日头条", "头条号", "政务新媒体", "APP", "抖音", "快手", "学习强国", "新媒体"),
    "board": ("公示栏", "公开栏", "政务公开栏", "村务公开栏", "宣传栏", "公告栏", "电子显示屏", "宣传展板"),
    "press": ("报刊", "日报", "杂志", "广播", "电视", "报纸"),
    "hall": ("政务服务大厅", "便民服务中心", "政务公开专区", "查阅点", "档案馆", "图书馆", "服务大厅"),
    "other": ("其他方式", "其他渠道", "其他形式"),
}
_PLATFORM = re.compile(r"平台|网站|系统|专栏")
_VERB = re.compile(r"(?:主动)?(?:公开|发布|公布|推送|更新|刊登|上传|发送)(?:了)?")
_COUNT = re.compile(r"(?<![\d.,，])(\d{1,3}(?:,\d{3})+|\d+)(?![\d.])\s*(余|多)?\s*(条|篇|件|次|个)")
_NOT_PUBLICATION = re.compile(r"申请|受理|办理|来电|信件|热线|答复|咨询|回应|解读|舆情|发布会|访谈|建议|提案|复议|诉讼|收费")
# Articles the agency sent to outside media or up the hierarchy: counted there, not items it published
_SENT_ELSEWHERE = re.compile(r"投稿|报送|上报|供稿|被[^，,。]{0,12}?采[用纳]")
_CLAUSE_BREAK = re.compile(r"[，：:]|,(?!\d{3})")  # not the comma of 1,234
_PARTS = re.compile(r"其中|当中|在[^，,。]{0,20}?信息中")  # what follows lists parts of a total
_MULTI_YEAR = re.compile(r"历年|建站|成立以来|累计至今|截至目前|截止目前|以来|至今")
_THIS_YEAR = re.compile(r"(?:今年|本年度?|全年|年初)(?:以来|至今)")
_YEAR_SPAN = re.compile(r"(20\d\d)\s*年(?:度)?(?:以来|至今)|自\s*(20\d\d)\s*年")
# Filler a verbless list item may hold beside its channel: 微信公众号43条, 在政务微博上30条
_LIST_FILLER = re.compile(r"^(?:其中|当中|另|通过|在|于|经|利用|上|中|共|计|合计|累计|各类|信息|政府信息|政务|官方|、|\s)*$")


@dataclass
class Figure:
    value: float
    unit: str
    approximate: bool
    raw: str


@dataclass
class SectionOne:
    """Section 一's stated publication figures, by code (s1.published_total, s1.channel.*), and where the prose
    gives two different figures for one code, both as candidates and neither as the figure."""

    figures: dict[str, Figure] = field(default_factory=dict)
    candidates: dict[str, list[Figure]] = field(default_factory=dict)


def title_facts(lines: list[str]) -> tuple[str | None, int | None]:
    """Agency and year from the title (first lines), e.g. 海青乡2020年政府信息公开工作年度报告."""
    head = [re.sub(r"\s+", "", ln) for ln in lines[:15] if ln.strip()]
    head = [ln.split(":", 1)[1] if ln.startswith("标题:") else ln for ln in head]
    no_year = None
    for i, line in enumerate(head):
        if ">" in line:
            continue  # a breadcrumb: 首页 > 政务公开 > …
        for pattern, agency_group, year_group in ((_YEAR_FIRST, 2, 1), (_YEAR_THEN_AGENCY, 2, 1), (_TITLE, 1, 2)):
            m = pattern.search(line)
            if m:
                agency = _agency(m.group(agency_group) or "")
                if not agency and i > 0 and _agency(head[i - 1]):
                    agency = head[i - 1]  # the title broken over two lines
                return agency, int(m.group(year_group))
        m = _TITLE_NO_YEAR.search(line)
        if m and len(line) <= 40 and no_year is None:
            no_year = _agency(m.group(1))
    return no_year, None


def _agency(text: str) -> str | None:
    text = _LEADING_VERBS.sub("", text or "")
    return text if _AGENCY_END.fullmatch(text) and not text.startswith(("我", "本")) else None


def narrative_facts(section_one: str) -> tuple[str | None, int | None]:
    """Agency and year from the first sentence of section 一 when the title gave none: 2025年，区城乡建设局聚焦…"""
    m = re.search(r"(20\d\d)\s*年度?", section_one)
    agency = _NARRATIVE_AGENCY.search(section_one[:400])
    return (agency.group(1) if agency else None), (int(m.group(1)) if m else None)


def _channels_in(text: str) -> set[str]:
    found = set()
    for channel, words in CHANNEL_WORDS.items():
        if any(w in text for w in words):
            found.add(channel)
    if "双微" in text:
        found |= {"wechat", "weibo"}
    return found


def section_one(text: str, year: int | None) -> SectionOne:
    """The year's publication total and per-channel counts, only where the prose states them plainly.

    A count stated once and tied to one platform is both the total and that channel's count; a count
    naming no platform, or several at once, is the total; counts after 其中 are parts (kept when they
    name one channel other than the total's own: a part on the total's channel is a sub-channel); counts on
    separate platforms, with no plain total, give channels but no total. A list goes on without its verb
    (门户网站公开120条，微信公众号80条). Two different figures for one code are candidates, and neither is taken.
    """
    out = SectionOne()
    found: dict[str, list[Figure]] = {}
    headline = []  # (figure, platforms named: channels, unknown platform named)
    for sentence in re.split(r"[。；;\n]", text):
        start, in_parts, listing, own = 0, False, False, set()
        for count in _COUNT.finditer(sentence):
            clause = _CLAUSE_BREAK.split(sentence[:count.end()])[-1]
            segment = sentence[start:count.end()]
            start = count.end()
            in_parts = in_parts or bool(_PARTS.search(segment))
            channels = _named_channels(segment)
            unknown = bool(_PLATFORM.search(_strip_channel_words(segment)))
            figure = _figure(clause, sentence, count, year)
            if figure is None and (listing or in_parts) and len(channels) == 1 and not unknown:
                figure = _list_item(clause, count)
            listing = figure is not None and len(channels) == 1 and not unknown
            if figure is None:
                continue
            if in_parts:
                if len(channels) == 1 and not unknown and not channels & own:
                    found.setdefault(f"s1.channel.{next(iter(channels))}", []).append(figure)
                continue
            own = channels
            headline.append((figure, channels, unknown))
    for figure, channels, unknown in headline:
        if len(channels) == 1 and not unknown:
            found.setdefault(f"s1.channel.{next(iter(channels))}", []).append(figure)
    totals = [f for f, c, u in headline if not c and not u or len(c) + u > 1]
    if not totals and len(headline) == 1 and len(headline[0][1]) == 1:
        totals = [headline[0][0]]  # the one headline count, on one platform
    if totals:
        found["s1.published_total"] = totals
    for code, figures in found.items():
        if len({f.value for f in figures}) == 1:
            out.figures[code] = figures[0]
        else:
            out.candidates[code] = figures
    return out


def _strip_channel_words(text: str) -> str:
    for words in CHANNEL_WORDS.values():
        for w in words:
            text = text.replace(w, "")
    return text


def _spans_years(clause: str, year: int | None) -> bool:
    """Whether the count runs over more than the report's year: 历年, 自2008年以来, 截至目前 (but 2021年以来 in a
    report on 2021, 今年以来 and 全年 are the year)."""
    for m in _YEAR_SPAN.finditer(clause):
        if year is None or int(m.group(1) or m.group(2)) != year:
            return True
    rest = _THIS_YEAR.sub("", _YEAR_SPAN.sub("", clause))
    return bool(_MULTI_YEAR.search(rest))


def _named_channels(segment: str) -> set[str]:
    """The channels a stretch of prose names; 'A等B' names the class B (微信等新媒体 → new_media)."""
    after = segment.rsplit("等", 1)[-1] if "等" in segment else ""
    return _channels_in(after) or _channels_in(segment)


def _figure(clause: str, sentence: str, count: re.Match, year: int | None) -> Figure | None:
    """A count of published items, or None: a publication verb before it, information as its object, one year,
    and nothing sent elsewhere."""
    before = sentence[:count.end()]
    if _NOT_PUBLICATION.search(clause) or _spans_years(before, year) or _SENT_ELSEWHERE.search(before) \
            or "分别" in clause:  # 网站、微信分别公开120条、80条: which count is whose is left to the clerk
        return None
    verbs = list(_VERB.finditer(clause))
    if not verbs:
        return None
    between = clause[verbs[-1].end(): len(clause) - len(count.group(0))]
    if between and "信息" not in between:
        return None
    if _other_year(clause, before, year):
        return None
    if "累计" in clause:
        increment = re.search(r"[（(]\s*(?:20\d\d\s*年)?新增\s*(\d+)\s*(条|篇|件|次|个)", sentence[count.end():][:20])
        if increment:
            return Figure(float(increment.group(1)), increment.group(2), False, increment.group(0))
        if not (re.search(r"20\d\d\s*年", clause) or "全年" in before or "本年" in before):
            return None
    return _count_figure(count)


def _other_year(clause: str, before: str, year: int | None) -> bool:
    """A count about another year than the report's: named in its clause, or the year its sentence opens with."""
    years = {int(y) for y in re.findall(r"(20\d\d)\s*年", clause)}
    first = re.search(r"(20\d\d)\s*年", before)
    return bool(year and (years - {year} or not years and first and int(first.group(1)) != year))


def _list_item(clause: str, count: re.Match) -> Figure | None:
    """A verbless item of a list of channels (…，微信公众号80条): only the channel's name and filler before it."""
    if _NOT_PUBLICATION.search(clause):
        return None
    rest = _strip_channel_words(clause[: len(clause) - len(count.group(0))])
    rest = re.sub(r"[“\"《][^”\"》]{0,20}[”\"》]", "", rest)  # the account's own name: 微信公众号“秀美大五里”
    return _count_figure(count) if _LIST_FILLER.match(rest) else None


def _count_figure(count: re.Match) -> Figure:
    return Figure(float(count.group(1).replace(",", "")), count.group(3), bool(count.group(2)), count.group(0))


# T1: numbers the prose restates, compared with the table cells
_RESTATED = [
    ("s3.new.total", re.compile(r"(?:收到|受理|新收)[^。，,；;]{0,30}?申请[^。，,；;\d]{0,6}?(?:共|数量)?\s*(\d+)\s*件")),
    ("s3.new.total", re.compile(r"申请[^。，,；;\d]{0,10}?(?:共|数量)\s*(\d+)\s*件")),
    ("s3.carried_in.total", re.compile(r"上年结转[^。，,；;\d]{0,20}?(\d+)\s*件")),
    ("s3.granted.total", re.compile(r"予以公开\s*(\d+)\s*件")),
]
_NONE_RECEIVED = re.compile(r"(?:未|没有)(?:收到|受理|接到)[^。，,；;]{0,20}?申请")
_NO_APPEALS = re.compile(r"(?:未|没有)(?:发生|出现|接到|收到)[^。；;]{0,30}?行政复议")
_NO_SUITS = re.compile(r"(?:未|没有)(?:发生|出现|接到|收到)[^。；;]{0,30}?行政诉讼")


def restated(text: str) -> dict[str, float]:
    """The table figures the prose states, e.g. 收到申请12件 → s3.new.total = 12; 未发生行政复议 → 0."""
    found: dict[str, float] = {}
    for code, pattern in _RESTATED:
        m = pattern.search(text)
        if m and code not in found:
            found[code] = float(m.group(1))
    if "s3.new.total" not in found and _NONE_RECEIVED.search(text):
        found["s3.new.total"] = 0.0
    if _NO_APPEALS.search(text):
        found["s4.review.total"] = 0.0
    if _NO_SUITS.search(text):
        found["s4.suit_direct.total"] = found["s4.suit_after_review.total"] = 0.0
    return found
