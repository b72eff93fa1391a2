"""The readers of uploaded files, each with how it recognises its file: one registry, READERS.

A file's kind is the first reader whose `detect` says yes, in the order of READERS (the most specific first: a
results annex also has "tổng điểm" and "xếp hạng", which alone mean the national template). The command line's
`--kind` choices, the load history's kind and the admin page's detection all read this list: adding a reader is
one entry here (and its broken files in tests/corpus.py).

`detect` gets a `Glance` (the file, whether it is a PDF, its sheets, the words of their first rows, read once for
every reader); `read` gets the file and the user's options and returns a Batch or raises Rejected."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from etl.batch import Batch
from etl.files import Sheet, check_file, open_table_file
from etl.problems import Collector
from etl.text import norm_name


@dataclass
class Glance:
    """What detection looks at: the file, whether it is a PDF, its sheets, and the normalised words of each sheet's
    name and first 12 rows (40 columns)."""
    path: Path
    pdf: bool

    @cached_property
    def sheets(self) -> list[Sheet]:
        return [] if self.pdf else open_table_file(self.path)

    @cached_property
    def words(self) -> set[str]:
        words = set()
        for s in self.sheets:
            words.add(norm_name(s.name, False))
            for row in s.rows[:12]:
                words.update(norm_name(v, False) for v in row[:40] if isinstance(v, str))
        return words

    @cached_property
    def text(self) -> str:
        return " | ".join(self.words)

    def mentions(self, *phrases: str) -> bool:
        """Any of the phrases inside any cell's words."""
        return any(p in self.text for p in phrases)


@dataclass
class Options:
    """What the user said about the file (command line or admin page) and the database it is checked against."""
    db: Path
    years: list[int] | None = None
    level: str | None = None
    create_units: bool = False
    province: str | None = None

    @property
    def one_year(self) -> int | None:
        return self.years[0] if self.years and len(self.years) == 1 else None


@dataclass(frozen=True)
class Reader:
    kind: str                                   # the name on the command line (--kind) and in detection
    detect: Callable[[Glance], bool]
    read: Callable[[Path, Options], Batch]
    batch_kind: str = ""                        # the kind its batches carry (the load history), if not `kind`
    help: str = field(default="", compare=False)

    @property
    def loaded_as(self) -> str:
        return self.batch_kind or self.kind


# ------------------------------------------------------------------------------ detection, one reader each

def _is_ministry(g: Glance) -> bool:
    from etl.ministry_annex import looks_like_ministry_annex
    return g.pdf or looks_like_ministry_annex(g.sheets)          # a PDF is only ever the Ministry's annex


def _is_annex(g: Glance) -> bool:
    """A results annex: a unit column, a total, domains, band or rank, and no criterion codes or self-assessment."""
    unit_column = bool({"ten don vi", "don vi", "co quan don vi", "ten co quan don vi", "ten co quan"} & g.words)
    return (unit_column and not g.mentions("ma tieu chi", "tu cham")
            and g.mentions("tong diem", "linh vuc", "xep loai", "xep hang"))


def _is_papi(g: Glance) -> bool:
    return g.mentions("papi", "tinhid", "chi so noi dung", "tham gia cua nguoi dan")


def _is_unit_scores(g: Glance) -> bool:
    return g.mentions("tham dinh", "ma tieu chi", "tu cham", "appraised")


def _is_national(g: Glance) -> bool:
    return g.mentions("tong diem", "xep hang", "chi so", "total")


# ------------------------------------------------------------------------------ reading, one reader each

def _context(db: Path, province: str | None = None):
    """Units, aliases and frameworks to check unit files against: the home province's, or `province`'s."""
    import duckdb

    from etl import units
    con = duckdb.connect(str(db), read_only=True)
    try:
        return units.Context.from_db(con, province)
    finally:
        con.close()


def _read_ministry(path: Path, o: Options) -> Batch:
    from etl.ministry_annex import read_checked
    return read_checked(path, year=o.one_year)


def _read_annex(path: Path, o: Options) -> Batch:
    from etl.annex import read_annex
    return read_annex(path, _context(o.db, o.province), level=o.level, year=o.one_year,
                      create_units=o.create_units, province=o.province)


def _read_papi(path: Path, o: Options) -> Batch:
    from etl import papi
    return papi.read_workbook(path, years=o.years, source_key=f"FILE:{path.name}")


def _read_unit_scores(path: Path, o: Options) -> Batch:
    from etl import units
    return units.read_scores(path, _context(o.db))


def _read_national(path: Path, o: Options) -> Batch:
    from etl import national
    return national.read_template(path)


READERS = [
    Reader("ministry", _is_ministry, _read_ministry,
           help="the Ministry's annex of a year's PAR INDEX or SIPAS (Excel or PDF)"),
    Reader("annex", _is_annex, _read_annex, help="a province's results annex (a row per unit)"),
    Reader("papi", _is_papi, _read_papi, help="a PAPI workbook"),
    Reader("units", _is_unit_scores, _read_unit_scores, batch_kind="unit_scores",
           help="unit scores (the app's template: self-assessed and appraised per criterion)"),
    Reader("national", _is_national, _read_national, help="PAR INDEX / SIPAS by province (the app's template)"),
]


def reader_of(kind: str | None) -> Reader | None:
    return next((r for r in READERS if r.kind == kind), None)


def detect(path: Path) -> Reader:
    """The first reader that recognises the file, else Rejected ("unknown_kind", naming the file)."""
    path = Path(path)
    g = Glance(path, check_file(path) == "pdf")
    for r in READERS:
        if r.detect(g):
            return r
    c = Collector(path.name)
    c.add("unknown_kind")
    c.check()
    raise AssertionError("unreachable: the collector raised")


def read(path: Path, options: Options, kind: str | None = None) -> Batch:
    """Read the file with the reader of `kind` (the user said which), else with the one that recognises it."""
    path = Path(path)
    check_file(path)
    reader = reader_of(kind) if kind else detect(path)
    if reader is None:
        c = Collector(path.name)
        c.add("unknown_kind")
        c.check()
    return reader.read(path, options)


def loaded_as(kind: str | None) -> str | None:
    """The kind the batches of `kind`'s reader carry ('units' -> 'unit_scores'), for the load history."""
    reader = reader_of(kind)
    return reader.loaded_as if reader else kind
