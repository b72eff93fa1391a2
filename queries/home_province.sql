-- The home province (a setting) with its 2025 successor. Params: none. Grain: one row.
select p.province_code as code_p63, p.name_vi as name_p63_vi, p.name_en as name_p63_en,
       n.province_code as code_p34, n.name_vi as name_p34_vi, n.name_en as name_p34_en
from setting s
join province p on p.province_code = s.value and p.scheme = 'p63'
left join province_crosswalk c on c.old_code = p.province_code
left join province n on n.province_code = c.new_code and n.scheme = 'p34'
where s.key = 'home_province_p63';
