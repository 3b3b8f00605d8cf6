"""Text as the report reader reads it: the code points and artefacts of copied, converted and PDF text made plain."""
from __future__ import annotations

import itertools
import re
import unicodedata

# CJK Radicals Supplement → the unified ideograph it stands for (Unicode EquivalentUnifiedIdeograph.txt,
# U+2E81–U+2EF3). PDF fonts map shared glyphs to these code points (⺠ for 民), and NFKC leaves them alone.
_RADICAL_SUPPLEMENT = (
    "⺁厂 ⺂乛 ⺃乚 ⺄乙 ⺅亻 ⺆冂 ⺇𠘨 ⺈刀 ⺉刂 ⺊卜 ⺋㔾 ⺌小 ⺍小 ⺎兀 ⺏尣 ⺐尢 ⺑𡯂 ⺒巳 ⺓幺 ⺔彑 ⺕𫜹 ⺖忄 ⺗心 ⺘扌 ⺙攵 "
    "⺛旡 ⺜日 ⺝月 ⺞歺 ⺟母 ⺠民 ⺡氵 ⺢氺 ⺣灬 ⺤爫 ⺥爫 ⺦丬 ⺧牛 ⺨犭 ⺩王 ⺪𤴔 ⺫目 ⺬示 ⺭礻 ⺮𥫗 ⺯糹 ⺰纟 ⺱罓 ⺲罒 "
    "⺳㓁 ⺴冗 ⺵𦉫 ⺶羊 ⺷𦍌 ⺸𦍋 ⺹耂 ⺺肀 ⺻聿 ⺼肉 ⺽𦥑 ⺾艹 ⺿艹 ⻀艹 ⻁虎 ⻂衤 ⻃覀 ⻄西 ⻅见 ⻆角 ⻇𧢲 ⻈讠 ⻉贝 "
    "⻊𧾷 ⻋车 ⻌辶 ⻍辶 ⻎辶 ⻏邑 ⻐钅 ⻑長 ⻒镸 ⻓长 ⻔门 ⻕𨸏 ⻖阝 ⻗雨 ⻘青 ⻙韦 ⻚页 ⻛风 ⻜飞 ⻝食 ⻞𩙿 ⻟飠 ⻠饣 "
    "⻡𩠐 ⻢马 ⻣骨 ⻤鬼 ⻥鱼 ⻦鸟 ⻧卤 ⻨麦 ⻩黄 ⻪黾 ⻫斉 ⻬齐 ⻭歯 ⻮齿 ⻯竜 ⻰龙 ⻱龜 ⻲亀 ⻳龟")


def _radical_table() -> dict[int, str]:
    table = {ord(pair[0]): pair[1:] for pair in _RADICAL_SUPPLEMENT.split()}
    # Kangxi radicals (U+2F00–U+2FD5) and CJK compatibility ideographs: NFKC gives the unified ideograph.
    for code in itertools.chain(range(0x2F00, 0x2FD6), range(0xF900, 0xFB00)):
        target = unicodedata.normalize("NFKC", chr(code))
        if target != chr(code) and len(target) == 1:
            table[code] = target
    return table


RADICALS = _radical_table()

# Tone-marked or plain pinyin in brackets right after a character, as some mirror sites print it: 認(rèn)真
_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])(?:\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêếềńňǹḿ]{1,6}\))+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_ARTEFACTS = re.compile(r"\[bookmark:[^\]\n]*\]")
# A thin space between digit groups (11 839) groups a number; NFKC would make it a space that separates cells
_THIN_GROUP = re.compile(r"(?<=\d)[\u2009\u202f](?=\d{3}(?!\d))")


def clean(text: str) -> str:
    """One line-break style; NFKC (full-width digits, brackets, ｜, Kangxi radicals, odd spaces) and the radicals
    supplement; no zero-width characters, docx bookmarks or inline romanisation (認(rèn)真 → 認真)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", _THIN_GROUP.sub("", _INVISIBLE.sub("", text))).translate(RADICALS)
    return _PINYIN.sub("", _ARTEFACTS.sub("", text))
