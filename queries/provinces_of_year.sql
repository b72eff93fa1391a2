-- The provinces in force in a year (63 before the 2025 merger, 34 from it), from the province table: the pickers
-- list every province, whether or not an index has figures for it.
-- Params: $year. Grain: one row per province.
select province_code, name_vi as province_name, name_en as province_name_en, region_vi, region_en
from province
where scheme = (select scheme from province_scheme where year = $year)
  and coalesce(valid_from_year, 0) <= $year
  and coalesce(valid_to_year, 9999) >= $year
order by province_code;
