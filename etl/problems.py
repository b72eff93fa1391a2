"""Validation problems: where (file, sheet, row, column), what value, what was expected.

Messages are Vietnamese by default; `Problem.text(lang)` gives English too. A reader collects
problems and raises `Rejected` so nothing is written."""
from __future__ import annotations

from dataclasses import dataclass, field

from etl import numbers

MESSAGES = {
    # code: (vi, en)  -- {value}, {expected}, {detail} are filled in
    "file_missing": ("Không tìm thấy tệp", "File not found"),
    "file_changed": ("Tệp đã thay đổi trong lúc nạp; không thay đổi gì, hãy nạp lại",
                     "The file changed while it was being loaded; nothing was changed, load it again"),
    "backup_damaged": ("Bản sao lưu hỏng hoặc không đầy đủ ({detail}); không thay đổi gì",
                       "The backup is damaged or incomplete ({detail}); nothing was changed"),
    "file_too_large": ("Tệp quá lớn ({detail}); giới hạn {expected}",
                       "File too large ({detail}); the limit is {expected}"),
    "file_type": ("Không phải tệp Excel .xlsx/.xlsm, CSV hoặc PDF phụ lục ({detail})",
                  "Not an Excel .xlsx/.xlsm or CSV file ({detail})"),
    "file_encrypted": ("Tệp được bảo vệ bằng mật khẩu; hãy bỏ mật khẩu rồi tải lại",
                       "The workbook is password-protected; remove the password and try again"),
    "file_old_excel": ("Tệp Excel 97-2003 (.xls) hoặc OpenDocument (.ods) đặt tên sai; hãy lưu lại dạng .xlsx",
                       "An Excel 97-2003 (.xls) or OpenDocument (.ods) file with the wrong name; save it as .xlsx"),
    "file_corrupt": ("Tệp bị hỏng, không đọc được ({detail})", "The file is corrupt and cannot be read ({detail})"),
    "file_xml_entities": ("Tệp chứa khai báo XML (DTD/entity) không được phép; từ chối để bảo vệ hệ thống",
                          "The file contains XML declarations (DTD/entities) that are not allowed; refused to protect the system"),
    "file_bomb": ("Tệp nén bất thường (giải nén quá lớn: {detail}); từ chối để bảo vệ hệ thống",
                  "Abnormal compressed file (expands to {detail}); refused to protect the system"),
    "file_encoding": ("Tệp CSV không phải UTF-8 ({detail})", "The CSV file is not UTF-8 ({detail})"),
    "sheet_missing": ("Thiếu trang tính {expected}", "Missing sheet {expected}"),
    "sheet_empty": ("Trang tính trống", "The sheet is empty"),
    "no_table": ("Không nhận ra bảng dữ liệu theo mẫu ({detail})", "No table in the expected template ({detail})"),
    "column_missing": ("Thiếu cột {expected}", "Missing column {expected}"),
    "merged_header": ("Ô tiêu đề bị gộp (merged: {value}); hãy bỏ gộp ô ở dòng tiêu đề",
                      "Merged header cells ({value}); unmerge the header row"),
    "not_number": ("Giá trị '{value}' không phải là số", "Value '{value}' is not a number"),
    "empty_score": ("Ô điểm bị trống", "The score cell is empty"),
    "formula_no_value": ("Ô có công thức '{value}' nhưng chưa có giá trị tính sẵn; hãy mở tệp bằng Excel, lưu lại rồi tải lên",
                         "Formula '{value}' has no computed value; open the file in Excel, save it and upload again"),
    "negative": ("Điểm {value} nhỏ hơn 0", "Score {value} is below 0"),
    "over_max": ("Điểm {value} lớn hơn điểm tối đa {expected}", "Score {value} is above its maximum {expected}"),
    "out_of_range": ("Giá trị {value} ngoài khoảng hợp lệ {expected}", "Value {value} is outside the valid range {expected}"),
    "sum_mismatch": ("Tổng các tiêu chí thành phần ({value}) khác điểm tiêu chí {expected}",
                     "Sub-criteria sum ({value}) differs from the criterion score {expected}"),
    "unknown_unit": ("Không có đơn vị '{value}' trong danh sách{detail}", "Unknown unit '{value}'{detail}"),
    "unknown_province": ("Không có tỉnh/thành phố '{value}'{detail}", "Unknown province '{value}'{detail}"),
    "unknown_code": ("Không có tiêu chí mã '{value}' trong bộ tiêu chí {expected}{detail}",
                     "Unknown criterion code '{value}' in framework {expected}{detail}"),
    "unknown_value": ("Giá trị '{value}' không hợp lệ; cần một trong: {expected}",
                      "Invalid value '{value}'; expected one of: {expected}"),
    "duplicate": ("Dòng trùng lặp (đã có ở dòng {detail})", "Duplicate row (already at row {detail})"),
    "year_out_of_framework": ("Năm {value} nằm ngoài phạm vi bộ tiêu chí ({expected})",
                              "Year {value} is outside the framework's years ({expected})"),
    "no_framework": ("Không có bộ tiêu chí cho cấp {detail} năm {value}", "No framework for level {detail} in {value}"),
    "bad_year": ("Năm '{value}' không hợp lệ (cần {expected})", "Invalid year '{value}' (expected {expected})"),
    "copied_year": ("Số liệu năm {value} trùng hoàn toàn với năm {expected} (có thể sao chép nhầm)",
                    "The values of {value} are an exact copy of {expected} (a copy-paste error?)"),
    "rank_invalid": ("Xếp hạng {value} không hợp lệ ({detail})", "Invalid rank {value} ({detail})"),
    "unit_not_valid_year": ("Đơn vị '{value}' không còn/chưa tồn tại trong năm {expected}",
                            "Unit '{value}' did not exist in {expected}"),
    "too_many_rows": ("Quá nhiều dòng ({value}); giới hạn {expected}", "Too many rows ({value}); the limit is {expected}"),
    "unknown_kind": ("Không nhận ra loại tệp; hãy dùng mẫu tải từ ứng dụng",
                     "Cannot tell what kind of file this is; use a template downloaded from the app"),
    "nothing": ("Tệp không có dòng dữ liệu nào", "The file holds no data rows"),
    "total_mismatch": ("Tổng điểm các lĩnh vực ({value}) khác cột tổng điểm ({expected})",
                       "The domains add up to {value}, not the total {expected}"),
    "pct_mismatch": ("Chỉ số {value} % khác tổng điểm chia điểm tối đa ({expected} %)",
                     "Index {value} % differs from the total over the maximum ({expected} %)"),
    "precision": ("Giá trị '{value}' có nhiều chữ số thập phân hơn bản in (2): có thể đọc nhầm",
                  "Value '{value}' has more decimals than the printed table (2): probably misread"),
    "rank_order": ("Xếp hạng {value} không khớp với điểm: theo điểm, tỉnh này đứng thứ {expected}",
                   "Rank {value} does not follow the scores: by its score this province is {expected}"),
    "provinces_missing": ("Bảng có thiếu {value} trong {expected} tỉnh, thành phố: {detail}",
                          "The table lacks {value} of the {expected} provinces: {detail}"),
    "pdf_unreadable": ("Không đọc được tệp PDF ({detail}); hãy kiểm tra tệp hoặc gửi bản Excel",
                       "The PDF cannot be read ({detail}); check the file or send the Excel version"),
    "ocr_unavailable": ("Trang là ảnh quét nhưng máy chủ chưa có phần mềm nhận dạng chữ tiếng Việt (tesseract, "
                        "tesseract-ocr-vie) ({detail}); hãy chạy lại `make run` để cài, hoặc gửi bản Excel/PDF có chữ",
                        "The page is a scan but the server lacks Vietnamese OCR (tesseract, tesseract-ocr-vie) "
                        "({detail}); run `make run` again to install it, or send the Excel or a text PDF"),
    "write_failed": ("Không ghi được cơ sở dữ liệu ({detail}); số liệu hiện có vẫn giữ nguyên",
                     "Could not write the database ({detail}); the current data is unchanged"),
    "missing_items": ("Đơn vị '{value}' năm {expected} thiếu tiêu chí thành phần {detail}; mỗi đơn vị cần đủ "
                      "mọi tiêu chí thành phần của bộ tiêu chí",
                      "Unit '{value}' in {expected} lacks the sub-criteria {detail}; each unit needs every "
                      "sub-criterion of its framework"),
    "invariant": ("Kiểm tra toàn vẹn thất bại: {detail}", "Integrity check failed: {detail}"),
    "required": ("Chưa nhập {expected}", "{expected} is empty"),
    "too_long": ("Nội dung dài {value} ký tự; tối đa {expected}", "The text is {value} characters long; at most {expected}"),
    "bad_date": ("Ngày '{value}' không hợp lệ (cần một ngày trong khoảng {expected})",
                 "Invalid date '{value}' (expected a date in {expected})"),
    "unknown_plan_item": ("Không có chỉ tiêu '{value}' để đặt mục tiêu năm {expected}",
                          "No measure '{value}' to set a target on for {expected}"),
}


@dataclass
class Problem:
    code: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: object = ""
    expected: object = ""
    detail: str = ""

    def message(self, lang: str = "vi") -> str:
        vi, en = MESSAGES[self.code]
        tmpl = vi if lang == "vi" else en
        return tmpl.format(value=_short(_num(self.value, lang)), expected=_num(self.expected, lang), detail=self.detail)

    def where(self, lang: str = "vi") -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(("trang " if lang == "vi" else "sheet ") + f"'{self.sheet}'")
        if self.row is not None:
            parts.append(("dòng " if lang == "vi" else "row ") + str(self.row))
        if self.column:
            parts.append(("cột " if lang == "vi" else "column ") + str(self.column))
        return ", ".join(p for p in parts if p)

    def text(self, lang: str = "vi") -> str:
        return f"{self.where(lang)}: {self.message(lang)}"

    def as_row(self, lang: str = "vi") -> dict:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "value": _short(_num(self.value, lang)), "problem": self.message(lang)}


def _num(v: object, lang: str) -> object:
    """Numbers the reader's way: 8,5 and 1.000.001 in Vietnamese; 8.5 and 1,000,001 in English."""
    return numbers.as_read(v, lang)


def count_text(x: float, lang: str = "vi", digits: int = 0) -> str:
    """A count or measure for people: 11.680.800 and 27,6 in Vietnamese; 11,680,800 and 27.6 in English."""
    return numbers.num(x, digits, lang)


def _short(v: object, n: int = 60) -> str:
    s = "" if v is None else str(v)
    return s if len(s) <= n else s[: n - 1] + "…"


@dataclass
class Rejected(Exception):
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.text() for p in self.problems[:50])


class Collector:
    """Collects problems for one file; `check()` raises Rejected if there are any."""

    def __init__(self, file: str, limit: int = 200):
        self.file = file
        self.problems: list[Problem] = []
        self.limit = limit

    def add(self, code: str, **kw) -> None:
        if len(self.problems) < self.limit:
            self.problems.append(Problem(code, file=self.file, **kw))

    @property
    def full(self) -> bool:
        """No more problems will be kept: skip work that only serves a message."""
        return len(self.problems) >= self.limit

    def check(self) -> None:
        if self.problems:
            raise Rejected(self.problems)
