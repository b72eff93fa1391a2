"""Name normalisation for matching provinces and units: insensitive to diacritics, case,
Unicode form (NFC/NFD), old/new tone placement and administrative prefixes."""
from __future__ import annotations

import difflib
import re
import unicodedata

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


def vi_sort_key(text: object) -> tuple[str, str]:
    """Alphabetical order as Vietnamese readers expect it: letters first without their marks, đ after d
    (Đồng Tháp before Hà Nội, after Đà Nẵng), then the marks to break ties."""
    s = nfc(text).lower()
    return strip_diacritics(s.replace("đ", "d\uffff")).replace("d\uffff", "d~"), s
