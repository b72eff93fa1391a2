"""Database invariants, one SQL file each in this folder, each returning the rows that break it (after dbt's
singular tests). A file's header says what it checks and, on its `-- vi:` and `-- en:` lines, the message for one
offending row, with {column} placeholders filled from that row. etl/db.py runs them inside every write's
transaction; a row returned stops the write, reported as a located problem in both languages.

To add an invariant: a new file here (a select returning offending rows, with the two message lines). The row checks
of unit scores stay in etl/db.py: they run in one pass over the changed unit-years (millions of rows nationally)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from etl.problems import MESSAGES, Problem, _num

DIR = Path(__file__).resolve().parent
SHOWN = 20            # offending rows reported per invariant; then one line saying how many more
MORE = ("… và {n} trường hợp khác cùng loại ({check})", "… and {n} more of the same kind ({check})")
_MESSAGE_LINE = re.compile(r"^-- (vi|en): (.+)$", re.M)


@dataclass
class Violation(Problem):
    """A problem with the database as a whole: where it is (the offending row's values) and what is wrong, in the
    invariant's own words in each language."""
    templates: tuple[str, str] = ("", "")
    fields: dict = field(default_factory=dict)

    def filled(self, lang: str = "vi") -> str:
        vi, en = self.templates
        values = {k: "–" if v is None else _num(v, lang) for k, v in self.fields.items()}
        return (vi if lang == "vi" else en).format(**values)

    def message(self, lang: str = "vi") -> str:
        vi, en = MESSAGES[self.code]
        return (vi if lang == "vi" else en).format(detail=self.filled(lang))


@lru_cache(maxsize=None)
def checks() -> tuple[tuple[str, str, tuple[str, str]], ...]:
    """(name, sql, (vi message, en message)) for every file of this folder, in name order."""
    out = []
    for path in sorted(DIR.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        msg = dict(_MESSAGE_LINE.findall(sql))
        out.append((path.stem, sql, (msg["vi"], msg["en"])))
    return tuple(out)


def violation(file_name: str, templates: tuple[str, str], fields: dict) -> Violation:
    v = Violation("invariant", file=file_name, templates=templates, fields=fields)
    v.detail = v.filled("en")          # what `etl.db.invariants` returns (and logs), as before: English
    return v


def violations(con, file_name: str = "") -> list[Violation]:
    """Every offending row (the first SHOWN of each invariant) as a located problem."""
    out = []
    for name, sql, templates in checks():
        cur = con.execute(f"select * from (\n{sql}\n) limit {SHOWN + 1}")
        columns = [d[0] for d in cur.description]
        rows = cur.fetchall()
        out += [violation(file_name, templates, dict(zip(columns, r))) for r in rows[:SHOWN]]
        if len(rows) > SHOWN:
            n = con.execute(f"select count(*) from (\n{sql}\n)").fetchone()[0]
            out.append(violation(file_name, MORE, {"n": n - SHOWN, "check": name}))
    return out
