-- The 2025 merger: each old (63-province) province and the new (34-province) one it became part of.
-- Params: none. Grain: one row per old province.
select c.old_code, o.name_vi as old_name_vi, o.name_en as old_name_en,
       c.new_code, n.name_vi as new_name_vi, n.name_en as new_name_en
from province_crosswalk c
join province o on o.province_code = c.old_code and o.scheme = 'p63'
join province n on n.province_code = c.new_code and n.scheme = 'p34'
where c.new_scheme = 'p34'
  and c.year = (select min(year) from province_scheme where scheme = 'p34')
order by c.new_code, c.old_code;
