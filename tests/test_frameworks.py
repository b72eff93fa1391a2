"""Framework files (CSV or YAML): a good tree loads; children that do not sum to the parent are rejected."""
from __future__ import annotations

import pytest

from etl.frameworks import read_framework
from etl.problems import Rejected

YAML = """
items:
  - code: 1
    name_vi: Công tác chỉ đạo, điều hành CCHC
    max_points: 3
    agency_vi: Sở Nội vụ
    children:
      - code: "1.1"
        name_vi: Kế hoạch CCHC năm
        max_points: 3
        children:
          - {code: "1.1.1", name_vi: Ban hành kế hoạch đúng hạn, max_points: 1}
          - {code: "1.1.2", name_vi: Thực hiện kế hoạch, max_points: %s}
"""


def test_yaml_framework_loads(tmp_path):
    p = tmp_path / "fw.yaml"
    p.write_text(YAML % "2", encoding="utf-8")
    b = read_framework("T-1", "department", 2026, 2030, "Thử", "Test", p)
    items = b.tables["framework_item"].set_index("code")
    assert list(items.depth) == ["domain", "criterion", "sub_criterion", "sub_criterion"]
    assert items.loc["1.1.2", "parent_code"] == "1.1" and items.loc["1", "agency_vi"] == "Sở Nội vụ"


def test_yaml_framework_children_must_sum(tmp_path):
    p = tmp_path / "fw.yaml"
    p.write_text(YAML % "2.5", encoding="utf-8")
    with pytest.raises(Rejected) as e:
        read_framework("T-1", "department", 2026, 2030, "Thử", "Test", p)
    assert "Tổng các tiêu chí thành phần (3,5) khác điểm tiêu chí 3" in str(e.value)
