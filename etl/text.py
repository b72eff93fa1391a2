"""Names: normalisation for matching provinces and units (insensitive to diacritics, case, Unicode form (NFC/NFD),
old/new tone placement and administrative prefixes), and the one Vietnamese sort order for lists people read
(vi_sort_key, vi_order; the queries sort the same way with `collate vi`)."""
from __future__ import annotations

import difflib
import re
import unicodedata

import pandas as pd

_PREFIXES = (
    "thanh pho truc thuoc trung uong", "thanh pho", "tp.", "tp ", "tinh ", "t. ",
    "ubnd ", "uy ban nhan dan ", "huyen ", "thi xa ", "quan ", "xa ", "phuong ", "thi tran ",
    "province of ", "city of ",
)
_SUFFIXES = (" province", " city", " municipality")


def strip_diacritics(text: str) -> str:
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.replace("đ", "d").replace("Đ", "D")


def norm_name(text: object, strip_prefixes: bool = True) -> str:
    """'Tỉnh  Đồng Tháp ' / 'dong thap' / NFD forms -> 'dong thap'."""
    if text is None:
        return ""
    s = strip_diacritics(str(text)).lower()
    s = re.sub(r"[\u2010-\u2015_\-–]+", " ", s)
    s = re.sub(r"[^\w\s.]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    if strip_prefixes:
        changed = True
        while changed:
            changed = False
            for p in _PREFIXES:
                if s.startswith(p) and len(s) > len(p) + 1:
                    s = s[len(p):].strip(" .")
                    changed = True
            for suf in _SUFFIXES:
                if s.endswith(suf) and len(s) > len(suf) + 1:
                    s = s[: -len(suf)].strip()
                    changed = True
    s = s.replace(".", " ")
    return re.sub(r"\s+", " ", s).strip()


def nfc(text: object) -> str:
    """Clean display text: NFC, trimmed, single spaces."""
    if text is None:
        return ""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(text))).strip()


def closest(name: str, candidates: dict[str, str], n: int = 3) -> list[str]:
    """Display names of the closest candidates (keys are normalised aliases, values display names)."""
    hits = difflib.get_close_matches(norm_name(name), list(candidates), n=n * 3, cutoff=0.6)
    out: list[str] = []
    for h in hits:
        if candidates[h] not in out:
            out.append(candidates[h])
    return out[:n]


# Vietnamese dictionary order, as ICU's Vietnamese collation (DuckDB's `collate vi`, used by the queries) has it:
# ă, â, đ, ê, ô, ơ, ư are letters of their own (a < ă < â < b, d < đ < e); tones come second, in the order
# none, huyền, hỏi, ngã, sắc, nặng (Hòa < Hỏa < Hóa); case last, lower first.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {ch: chr(0x100 + i) for i, ch in enumerate(_ALPHABET)}       # after spaces, digits and punctuation
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


def vi_sort_key(text: object) -> tuple[str, str, str]:
    """The key for sorting names for people (sorted(names, key=vi_sort_key)): Bạc Liêu, Bắc Giang, Cà Mau, Cần Thơ,
    Đà Nẵng, Điện Biên, …, Yên Bái. tests/test_text.py checks it against `collate vi` on every name in the demo."""
    s = nfc(text)
    letters: list[list[str]] = []                  # [letter with its breve/circumflex/horn, tone]
    for ch in unicodedata.normalize("NFD", s.lower()):
        if letters and unicodedata.combining(ch):
            if ch in _TONES:
                letters[-1][1] = _TONES[ch]
            else:
                letters[-1][0] += ch
        else:
            letters.append([ch, "0"])
    primary = "".join(_LETTER.get(unicodedata.normalize("NFC", b), b) for b, _ in letters)
    return primary, "".join(tone for _, tone in letters), s.swapcase()


def vi_order(values) -> pd.Series:
    """For pandas' sort_values(key=vi_order): a column of names becomes each name's place in Vietnamese order;
    any other column (a rank, a year) is left as it is, so one call sorts by rank then name."""
    s = pd.Series(values)
    if not (pd.api.types.is_string_dtype(s) or s.dtype == object):
        return s
    names = list(s)
    place = {i: k for k, i in enumerate(sorted(range(len(names)), key=lambda i: vi_sort_key(names[i])))}
    return pd.Series([place[i] for i in range(len(names))], index=s.index)
