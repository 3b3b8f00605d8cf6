"""Text as the report reader reads it: the code points and artefacts of copied, converted and PDF text made plain."""
from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement code points that PDF text carries in place of ideographs (⺠ for 民). NFKC maps the
# Kangxi radicals (⼀ ⼯ ⼈) but not this block, so it needs a table of its own: each look-alike ideograph.
_SUPPLEMENT = ("⺁厂 ⺇几 ⺊卜 ⺋卩 ⺌小 ⺎兀 ⺒巳 ⺓幺 ⺔彐 ⺗心 ⺙攵 ⺛旡 ⺜日 ⺝月 ⺞歹 ⺟母 ⺠民 ⺤爪 ⺥爫 ⺦丬 ⺧牛 ⺨犭 ⺩王 "
               "⺪疋 ⺫目 ⺬示 ⺭礻 ⺮竹 ⺯糸 ⺰纟 ⺱网 ⺲罒 ⺳网 ⺴网 ⺵网 ⺶羊 ⺷羊 ⺸羊 ⺹老 ⺺聿 ⺻聿 ⺼月 ⺽臼 ⺾艹 ⺿艹 ⻀艹 "
               "⻁虎 ⻂衤 ⻃西 ⻄西 ⻅见 ⻆角 ⻇角 ⻈讠 ⻉贝 ⻊足 ⻋车 ⻌辶 ⻍辶 ⻎辶 ⻏阝 ⻐钅 ⻑長 ⻒镸 ⻓长 ⻔门 ⻖阝 "
               "⻗雨 ⻘青 ⻙韦 ⻚页 ⻛风 ⻜飞 ⻝食 ⻞食 ⻟飠 ⻠饣 ⻡首 ⻢马 ⻣骨 ⻤鬼 ⻥鱼 ⻦鸟 ⻧卤 ⻨麦 ⻩黄 ⻪黾 ⻫斉 "
               "⻬齐 ⻭歯 ⻮齿 ⻯竜 ⻰龙 ⻱龜 ⻲亀 ⻳龟")
RADICALS = str.maketrans({pair[0]: pair[1] for pair in _SUPPLEMENT.split()})

# Tone-marked or plain pinyin in brackets right after a character, as some mirror sites print it: 認(rèn)真
_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêếềńňǹḿ]{1,6})\)")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_ARTEFACTS = re.compile(r"\[bookmark:[^\]\n]*\]")


def clean(text: str) -> str:
    """One line-break style; NFKC (full-width digits, brackets, ｜, Kangxi radicals, odd spaces) and the radicals
    supplement; no zero-width characters, docx bookmarks or inline romanisation (認(rèn)真 → 認真)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).translate(RADICALS)
    return _PINYIN.sub("", _ARTEFACTS.sub("", text))
