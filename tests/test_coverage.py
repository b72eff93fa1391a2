"""Coverage that drifts silently: every interface text in both languages with the same placeholders, every text the
code asks for defined and every defined text used; every query file with its header and a caller; every page file
registered in app.py and run by the AppTest page list. Reads source files only (no database, no Streamlit run)."""
from __future__ import annotations

import re
import string

import pytest

from tests.conftest import ROOT
from ui.i18n import STRINGS

CODE_DIRS = ("app_pages", "ui", "analysis", "etl")      # plus app.py: the code whose texts the user sees


def _code_files():
    return [ROOT / "app.py"] + sorted(p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py"))


def _source(paths) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in paths)


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


# Keys built at run time from a prefix and a value (t(f"band_{g}"), t(f"kind_{k}")): the literal key never appears
# in the code, so keys with these prefixes count as used. Keep this list short; test_dynamic_prefixes_are_listed
# fails when the code builds a key from a prefix not listed here.
DYNAMIC_PREFIXES = ("band_", "db_", "detail_", "kind_", "result_", "ad_annex_", "note_mark_", "pl_kind_", "ad_role_")

# t("key") and t('key') with a literal key
LITERAL_CALL = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_]+)["']""")
# t(f"prefix_{...}")
PREFIX_CALL = re.compile(r"""\bt\(\s*f["']([A-Za-z0-9_]*)\{""")


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_text_has_both_languages_with_the_same_placeholders(key):
    pair = STRINGS[key]
    assert isinstance(pair, tuple) and len(pair) == 2, f"{key}: (Vietnamese, English) expected"
    vi, en = pair
    assert isinstance(vi, str) and vi.strip(), f"{key}: Vietnamese text is empty"
    assert isinstance(en, str) and en.strip(), f"{key}: English text is empty"
    assert _placeholders(vi) == _placeholders(en), f"{key}: placeholders differ: {vi!r} / {en!r}"


def test_every_text_the_code_asks_for_exists():
    missing = []
    for path in _code_files():
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            missing += [f"{path.relative_to(ROOT)}:{line_no}: {k}" for k in LITERAL_CALL.findall(line)
                        if k not in STRINGS]
    assert not missing, "t() keys not in ui/i18n.py STRINGS:\n" + "\n".join(missing)


def test_dynamic_prefixes_are_listed():
    """A key built from a prefix (t(f"band_{g}")) is used without its name appearing: the prefix must be listed,
    and a listed prefix must still be used (so the allow-list does not hide dead keys)."""
    used = set(PREFIX_CALL.findall(_source(_code_files())))
    assert "" not in used, "t(f\"{...}\") with no prefix: every key it could build is invisible to this test"
    assert used == set(DYNAMIC_PREFIXES), f"prefixes in the code {sorted(used)} vs listed {sorted(DYNAMIC_PREFIXES)}"


def test_every_text_is_used():
    """A key counts as used when its name appears quoted anywhere in the code (t("x"), but also tuples of keys
    passed on: `for k in ("me_par", "me_sipas")`, `labels = {c: t(c) for c in ("yes", "no")}`), or when it starts
    with a prefix the code builds keys from. The definitions themselves are left out."""
    i18n = ROOT / "ui" / "i18n.py"
    code = _source(p for p in _code_files() if p != i18n)
    code += re.sub(r"^STRINGS = \{.*?^\}$", "", i18n.read_text(encoding="utf-8"), flags=re.S | re.M)
    quoted = set(re.findall(r"""["']([A-Za-z0-9_]+)["']""", code))
    unused = sorted(k for k in STRINGS if k not in quoted and not k.startswith(DYNAMIC_PREFIXES))
    assert not unused, f"texts never used (remove them, or list a dynamic prefix): {unused}"


# --- queries ------------------------------------------------------------------------------------------------

QUERY_FILES = sorted((ROOT / "queries").glob("*.sql"))


def _header(path) -> str:
    """The comment lines the file starts with."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        lines.append(line)
    return "\n".join(lines)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_query_states_its_params_and_grain(path):
    header = _header(path)
    assert header, f"{path.name}: no comment header saying what it returns"
    assert "Params:" in header, f"{path.name}: the header does not state its parameters ('Params: ...')"
    assert "Grain:" in header, f"{path.name}: the header does not state its grain ('Grain: one row per ...')"


def test_every_query_is_used():
    """Queries run by name (queries.run(con, "name"), ui.data.q("name")): a file nobody names is dead code."""
    callers = _code_files() + sorted((ROOT / "bench").glob("*.py")) + sorted((ROOT / "tests").glob("*.py"))
    code = _source(callers)
    names = set(re.findall(r"""["']([A-Za-z0-9_]+)["']""", code))
    unused = [p.stem for p in QUERY_FILES if p.stem not in names]
    assert not unused, f"query files no code runs: {unused}"


def test_the_query_list_is_not_empty():
    assert len(QUERY_FILES) > 20


# --- pages ---------------------------------------------------------------------------------------------------

PAGE_FILES = sorted(p.stem for p in (ROOT / "app_pages").glob("*.py") if p.name != "__init__.py")


def test_every_page_is_registered_in_the_app():
    """Every file in app_pages/ is in the registry (ui/registry.py) and app.py builds its navigation from it."""
    from ui import registry
    registered = registry.files()
    assert len(registered) == len(set(registered)), "a page listed twice"
    assert set(registered) == set(PAGE_FILES), (f"not in ui/registry.py: {sorted(set(PAGE_FILES) - set(registered))}; "
                                                f"registered without a file: {sorted(set(registered) - set(PAGE_FILES))}")
    paths = [p.url_path for p in registry.PAGES]
    assert len(paths) == len(set(paths)) and paths.count("") == 1, paths
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    assert "registry.navigation(" in app and "st.Page(\"app_pages/" not in app      # no second list in app.py


def test_no_folder_named_pages_and_no_patched_streamlit():
    """A folder named pages/ beside app.py switches Streamlit's legacy folder routing on (a shared link opens under
    "Page not found", streamlit/streamlit#9624); the pages live in app_pages/, so nothing patches Streamlit's
    private PagesManager and the app is served with plain `streamlit run app.py`."""
    assert not (ROOT / "pages").exists()
    code = [p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py")] + [ROOT / "app.py"]
    assert [p.name for p in code if "uses_pages_directory" in p.read_text(encoding="utf-8")] == []


def test_a_page_title_is_written_once_in_the_registry():
    """A new page touches two files (its own and its entry in ui/registry.py): its title in both languages is in the
    registry entry, which ui/i18n.py reads; the same key written in ui/i18n.py too would silently lose to it."""
    from ui import registry
    source = (ROOT / "ui" / "i18n.py").read_text(encoding="utf-8")
    twice = [p.title for p in registry.PAGES if re.search(rf"""["']{p.title}["']\s*:""", source)]
    assert twice == [], f"page titles also written in ui/i18n.py (keep them in ui/registry.py only): {twice}"
    assert all(STRINGS[p.title] == p.names for p in registry.PAGES)
    # the title keys take part in the checks above (both languages, used by the code) like any other text


def test_every_page_is_run_by_the_apptest_page_list():
    from tests.test_app import PAGES
    assert len(PAGES) == len(set(PAGES)), "a page listed twice"
    assert set(PAGES) == set(PAGE_FILES), (f"not run by tests/test_app.py PAGES: {sorted(set(PAGE_FILES) - set(PAGES))}; "
                                           f"listed without a file: {sorted(set(PAGES) - set(PAGE_FILES))}")


def _import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (at the top or inside a function: an import inside a function only
    hides a cycle), over analysis/, etl/, ui/ and queries/."""
    import ast
    mods = {}
    for pkg in ("analysis", "etl", "ui", "queries"):
        for p in (ROOT / pkg).rglob("*.py"):
            parts = list(p.relative_to(ROOT).with_suffix("").parts)
            mods[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    graph = {}
    for m, p in mods.items():
        deps = set()
        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(n, ast.Import):
                deps |= {a.name for a in n.names}
            elif isinstance(n, ast.ImportFrom) and n.module and n.level == 0:
                deps |= {f"{n.module}.{a.name}" if f"{n.module}.{a.name}" in mods else n.module for a in n.names}
        graph[m] = {d for d in deps if d in mods and d != m}
    return graph


def test_no_import_cycle():
    """No module reaches itself through its imports (ui/briefing ↔ ui/pack and etl/press ↔ etl/reference were the
    last two, each dodged by an import inside a function)."""
    graph = _import_graph()
    cycles = []
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            m = todo.pop()
            if m == start:
                cycles.append(start)
                break
            if m not in seen:
                seen.add(m)
                todo.extend(graph[m])
    assert cycles == []
