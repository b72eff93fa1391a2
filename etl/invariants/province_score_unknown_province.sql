-- A province score whose province code is not a province of that year's list (table province_scheme: 63 before 2025, 34 from 2025).
-- vi: {index_name} năm {year}, chỉ tiêu {measure_code}: mã tỉnh '{province_code}' không có trong danh sách tỉnh năm đó
-- en: {index_name} {year}, measure {measure_code}: province code '{province_code}' is not on that year's list
-- Params: none. Grain: one row per offending score.
select s.index_name, s.year, s.province_code, s.measure_code
from province_score s
left join province_scheme ps on ps.year = s.year
left join province p
  on p.province_code = s.province_code
 and p.scheme = ps.scheme
where p.province_code is null
order by s.index_name, s.year, s.province_code, s.measure_code
