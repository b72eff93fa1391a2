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
