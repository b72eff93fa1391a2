import unicodedata

from etl.reference import ProvinceResolver
from etl.text import norm_name


def test_norm_name_ignores_diacritics_case_form_and_prefixes():
    nfd = unicodedata.normalize("NFD", "Tỉnh Đồng Tháp")
    assert norm_name(nfd) == norm_name("ĐỒNG THÁP") == norm_name(" dong   thap ") == "dong thap"
    assert norm_name("TP. Hồ Chí Minh") == "ho chi minh"
    assert norm_name("Hoà Bình") == norm_name("Hòa Bình")            # old and new tone placement


def test_province_resolver_uses_the_scheme_of_the_year():
    r = ProvinceResolver()
    assert r.code("Đồng Tháp", 2024) == "87"
    assert r.code("Đồng Tháp", 2025) == "82"                        # the merged province's code
    assert r.code("Tiền Giang", 2024) == "82"
    assert r.code("Tiền Giang", 2025) is None                       # merged into Đồng Tháp
    assert r.code(87, 2015) == "87" and r.code("1", 2015) == "01"
    assert r.code("Bà Rịa - Vũng Tàu", 2017) == "77" and r.code("TT-Huế", 2010) == "46"
    assert "Đồng Tháp" in r.suggest("Dong Thapp", 2015)


def test_labels_in_a_sentence_keep_their_acronyms():
    from ui.i18n import lower
    assert lower("UBND cấp xã") == "UBND cấp xã"
    assert lower("Sở, ban, ngành") == "sở, ban, ngành"
    assert lower("Communes") == "communes"


def test_vietnamese_dictionary_order():
    from etl.text import vi_sort_key
    # letters of their own: a < ă < â < b, d < đ < e, o < ô < ơ, u < ư; a word's letters before its tones
    # ("Anh" < "Ăn": n before h is not asked, a < ă decides); tones second: none, huyền, hỏi, ngã, sắc, nặng;
    # lower case before upper case
    words = ["Ân", "Ăn", "Anh", "An", "Đà Nẵng", "Dak Lak", "Điện Biên", "Ọc", "Óc", "Õc", "Ỏc", "Òc", "Oc", "Ơn", "Ôn",
             "Ước", "Uông", "Ba", "ba", "Bắc Giang", "Bạc Liêu", "Yên Bái", "Cần Thơ", "Cà Mau"]
    assert sorted(words, key=vi_sort_key) == [
        "An", "Anh", "Ăn", "Ân", "ba", "Ba", "Bạc Liêu", "Bắc Giang", "Cà Mau", "Cần Thơ", "Dak Lak", "Đà Nẵng",
        "Điện Biên", "Oc", "Òc", "Ỏc", "Õc", "Óc", "Ọc", "Ôn", "Ơn", "Uông", "Ước", "Yên Bái"]
    assert vi_sort_key(unicodedata.normalize("NFD", "Đồng Tháp")) == vi_sort_key("Đồng Tháp")


def test_the_sort_key_agrees_with_the_queries_collation():
    """Python sorts with vi_sort_key, the queries with `collate vi` (ICU): the same order on every name the demo
    holds (provinces, units, criteria, agencies) and on the hand-made list above."""
    from pathlib import Path

    import duckdb

    from etl.text import vi_sort_key
    demo = Path(__file__).resolve().parent.parent / "data" / "demo" / "demo.duckdb"
    con = duckdb.connect(str(demo), read_only=True) if demo.exists() else duckdb.connect()
    names = ["Ân", "Ăn", "Anh", "An", "Ọc", "Óc", "Ôn", "Ơn", "Hoà Bình", "Hòa Bình", "Hỏa", "Hóa", "ba", "Ba"]
    if demo.exists():
        for table in ("province", "unit", "framework_item"):
            names += [r[0] for r in con.execute(f"select distinct name_vi from {table} where name_vi is not null").fetchall()]
    collated = [r[0] for r in con.execute("select n from (select unnest($names) as n) order by n collate vi",
                                          {"names": names}).fetchall()]
    assert len(names) > 14 or not demo.exists()
    assert sorted(names, key=vi_sort_key) == collated


def test_vi_order_sorts_a_table_by_rank_then_name():
    import pandas as pd

    from etl.text import vi_order
    df = pd.DataFrame(dict(rank=[2, 1, 1, 1], name=["Yên Bái", "Đồng Tháp", "Cần Thơ", "Ăn"]))
    assert list(df.sort_values(["rank", "name"], key=vi_order).name) == ["Ăn", "Cần Thơ", "Đồng Tháp", "Yên Bái"]
