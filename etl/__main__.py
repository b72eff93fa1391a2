"""Command line: python -m etl {build,check,load,template,log,versions,rollback} [--db PATH]."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from etl import db as dbmod
from etl import readers
from etl.loaders import check_file_report, load_file
from etl.problems import Rejected, count_text


def _province(value: str | None) -> str | None:
    """A province named or coded on the command line -> its 63-province code."""
    if not value:
        return None
    from etl.reference import ProvinceResolver
    code = ProvinceResolver().code(value, 2024)
    if code is None:
        raise SystemExit(f"Không rõ tỉnh: {value}")
    return code


def _ask_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass
    pw = getpass.getpass("Mật khẩu / password: ")
    if getpass.getpass("Nhập lại / again: ") != pw:
        raise SystemExit("Hai lần nhập không khớp / the two entries differ")
    return pw


def _backup(a) -> int:
    from etl import backup
    vi = a.lang == "vi"
    try:
        if a.cmd == "backup":
            out = backup.backup(a.db, a.folder)
            print(("Đã sao lưu: " if vi else "Backed up: ") + f"{out} ({count_text(out.stat().st_size / 2**20, a.lang, 1)} MB)")
            return 0
        done = backup.restore(a.archive, a.db, user=a.user, replace_accounts=a.replace_accounts)
    except Rejected as e:
        for p in e.problems:
            print(p.text(a.lang), file=sys.stderr)
        return 1
    if vi:
        kept = " (phiên bản đang dùng trước đó được giữ lại)" if done["kept_previous"] else ""
        print(f"Đã khôi phục cơ sở dữ liệu ghi lúc {done['database']}{kept}; "
              f"thêm {done['versions']} phiên bản lưu, {done['history_lines']} dòng lịch sử; tài khoản: "
              f"{'lấy từ bản sao lưu' if done['accounts'] else 'giữ nguyên'}; kế hoạch: {done['plans']} tệp.")
    else:
        kept = " (the one in use before is kept as a version)" if done["kept_previous"] else ""
        print(f"Restored the database written at {done['database']}{kept}; added "
              f"{done['versions']} kept versions, {done['history_lines']} history lines; accounts: "
              f"{'from the backup' if done['accounts'] else 'unchanged'}; plans: {done['plans']} files.")
    return 0


def _account(a) -> int:
    """python -m etl account add NAME --role editor|history, disable/enable/passwd NAME, role NAME --role R, list."""
    from etl import accounts as acc
    vi = a.lang == "vi"
    try:
        if a.action == "list":
            for x in acc.listing(a.db):
                state = ("đã khóa " if vi else "disabled ") + str(x["disabled_at"]) if x["disabled"] else \
                    ("đang dùng" if vi else "active")
                print(f"{x['name']}\t{x['role']}\t{state}\t{x['created_at']}")
            return 0
        if not a.name:
            raise acc.AccountError("Thiếu tên tài khoản.", "The account name is missing.")
        if a.action == "add":
            if not a.role:
                raise acc.AccountError("Thiếu --role editor|history.", "--role editor|history is missing.")
            acc.add(a.db, a.name, a.role, _ask_password(a.password_stdin))
        elif a.action == "disable":
            acc.disable(a.db, a.name)
        elif a.action == "enable":
            acc.enable(a.db, a.name)
        elif a.action == "passwd":
            acc.set_password(a.db, a.name, _ask_password(a.password_stdin))
        elif a.action == "role":
            acc.set_role(a.db, a.name, a.role or "")
    except acc.AccountError as e:
        print(e.text(a.lang), file=sys.stderr)
        return 1
    acc.record_change(a.db, a.action, a.name, a.by or acc.who_runs_this(), a.role)
    print(("Đã ghi " if vi else "Written: ") + str(acc.accounts_path(a.db)))
    return 0


def _bulk(a) -> int:
    from etl.bulk import load_bulk
    t0 = time.time()
    try:
        n = load_bulk(a.file, a.db, user=a.user)
    except Rejected as e:
        for p in e.problems[:60]:
            print(p.text(a.lang))
        print("Tệp không hợp lệ; cơ sở dữ liệu không thay đổi." if a.lang == "vi" else "Invalid file; nothing changed.")
        return 1
    dt = time.time() - t0
    c = lambda x, d=0: count_text(x, a.lang, d)  # noqa: E731
    print(f"Đã nạp {c(n)} dòng trong {c(dt, 1)} s ({c(n / dt)} dòng/s)" if a.lang == "vi" else
          f"Loaded {c(n)} rows in {c(dt, 1)} s ({c(n / dt)} rows/s)")
    return 0


def _check_or_load(a) -> int:
    try:
        if a.cmd == "check":
            report = check_file_report(a.file, a.db, kind=a.kind, years=a.years, lang=a.lang, level=a.level,
                                       create_units=a.create_units, province=_province(a.province))
            print(report)
            return 0
        report = load_file(a.file, a.db, kind=a.kind, years=a.years, user=a.user, lang=a.lang, level=a.level,
                           create_units=a.create_units, province=_province(a.province))
        print(report)
        return 0
    except Rejected as e:
        for p in e.problems:
            print(p.text(a.lang))
        print(("Tệp không hợp lệ: " if a.lang == "vi" else "Invalid file: ") + f"{len(e.problems)} lỗi/problems; "
              + ("cơ sở dữ liệu không thay đổi." if a.lang == "vi" else "the database is unchanged."))
        return 1


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m etl", description="Nạp dữ liệu chỉ số / load index data")
    ap.add_argument("--db", type=Path, default=dbmod.DEFAULT_DB, help="database file (data/index.duckdb)")
    ap.add_argument("--lang", choices=["vi", "en"], default="vi")
    sub = ap.add_subparsers(dest="cmd", required=True)
    bp = sub.add_parser("build", help="(re)build the real database from data/raw/ (--demo: the demo database)")
    bp.add_argument("--demo", action="store_true", help="build the demo database (real figures plus the "
                    "illustrative fill) at data/demo/demo.duckdb, or at --db")
    for name in ("check", "load"):
        p = sub.add_parser(name, help=f"{name} a file")
        p.add_argument("file", type=Path)
        p.add_argument("--kind", choices=[r.kind for r in readers.READERS], default=None,
                       help="the file's kind, if not recognised (etl/readers.py): "
                            + "; ".join(f"{r.kind}: {r.help}" for r in readers.READERS)
                            + ". Frameworks are not loaded from one file: data/raw/frameworks/, then build")
        p.add_argument("--level", choices=["department", "district", "commune"], default=None,
                       help="annex: the level of the units (else read from the title or the unit names)")
        p.add_argument("--create-units", action="store_true",
                       help="annex: add units not in the list (only after checking the names the check reported)")
        p.add_argument("--province", default=None,
                       help="annex: another province's annex (its name or 63-province code): names are matched "
                            "against its units, and the units created belong to it")
        p.add_argument("--years", type=lambda s: [int(x) for x in s.split(",")], default=None,
                       help="only these years (e.g. the usable sheets of a PAPI workbook)")
        p.add_argument("--user", default=None)
    bk = sub.add_parser("bulk", help="load unit scores from a large CSV or Parquet file (unit ids), checked in SQL")
    bk.add_argument("file", type=Path)
    bk.add_argument("--user", default=None)
    t = sub.add_parser("template", help="write a blank template")
    t.add_argument("kind", choices=["national", "units"])
    t.add_argument("output", type=Path)
    t.add_argument("--level", default="department")
    t.add_argument("--year", type=int, default=2025)
    sub.add_parser("log", help="show the load log")
    sub.add_parser("geo", help="rewrite static/geo/*.geojson (map boundaries) from data/geo/")
    sub.add_parser("versions", help="list kept database versions")
    r = sub.add_parser("rollback", help="make a kept version current")
    r.add_argument("version", type=Path)
    b = sub.add_parser("backup", help="write DIR/chiso-sao-luu-<time>.tar: database, versions, history, accounts, "
                       "plans")
    b.add_argument("folder", type=Path)
    rs = sub.add_parser("restore", help="make a backup's database current (checked; the current one is kept as a "
                        "version) and bring back its versions, history, and accounts/plans where none exist here")
    rs.add_argument("archive", type=Path)
    rs.add_argument("--replace-accounts", action="store_true", help="replace this server's accounts with the backup's")
    rs.add_argument("--user", default=None)
    ac = sub.add_parser("account", help="admin accounts beside the database: add, disable, enable, passwd, role, list")
    ac.add_argument("action", choices=["add", "disable", "enable", "passwd", "role", "list"])
    ac.add_argument("name", nargs="?")
    ac.add_argument("--role", choices=["editor", "history"], default=None,
                    help="editor: load and roll back; history: read the load history only")
    ac.add_argument("--by", default=None, help="who made the change, for the history (default: the OS user, or "
                    "the one who used sudo)")
    ac.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin "
                    "(scripts); otherwise it is asked twice")
    return ap


def main(argv: list[str] | None = None) -> int:
    a = _parser().parse_args(argv)

    if a.cmd == "account":
        return _account(a)
    if a.cmd in ("backup", "restore"):
        return _backup(a)

    if a.cmd == "build":
        from etl import build
        t0 = time.time()
        target = (build.DEMO_DB if a.db == dbmod.DEFAULT_DB else a.db) if a.demo else a.db
        target.parent.mkdir(parents=True, exist_ok=True)
        rows = dbmod.commit_new_version(target, build.prepare_demo_build if a.demo else build.prepare_build,
                                        file_name="data/raw", sha=None, kind="build", result="built",
                                        from_scratch=True)
        print(f"Đã xây dựng {target} ({count_text(rows)} dòng, {count_text(time.time() - t0, digits=1)} s)")
        return 0
    if a.cmd == "geo":
        from etl.geo import write_static
        for p in write_static():
            print(p)
        return 0
    if a.cmd == "bulk":
        return _bulk(a)
    if a.cmd in ("check", "load"):
        return _check_or_load(a)
    if a.cmd == "template":
        from etl.templates import write_template
        write_template(a.kind, a.output, a.db, level=a.level, year=a.year)
        print(a.output)
        return 0
    if a.cmd == "log":
        import duckdb
        con = duckdb.connect(str(a.db), read_only=True)
        print(con.execute("select * from load_log order by load_id").df().to_string())
        return 0
    if a.cmd == "versions":
        for v in dbmod.list_versions(a.db):
            print(v)
        return 0
    if a.cmd == "rollback":
        dbmod.rollback_to(a.db, a.version)
        print(f"{a.db} <- {a.version}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
