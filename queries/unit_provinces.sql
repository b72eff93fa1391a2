-- Provinces that have units, on the 34-province list, each with the codes its units carry: its own and, for years
-- before the 2025 merger, those of the provinces merged into it (a new code is always one of its old codes);
-- old_names: the former provinces whose units these are, when their name is not the new one (Hòa Bình's
-- departments are found under Phú Thọ, and say so).
-- Params: none. Grain: one row per 34-province code.
with codes as (
    select province_code, count(*) as n_units, min(valid_from_year) as first_year from unit group by province_code
),
mapped as (
    select coalesce(c.new_code, k.province_code) as code_p34, k.province_code, k.n_units, k.first_year
    from codes k
    left join province_crosswalk c on c.old_code = k.province_code and c.new_scheme = 'p34'
)
select m.code_p34,
       p.name_vi                               as province_name,
       p.name_en                               as province_name_en,
       list(m.province_code order by m.province_code) as unit_codes,
       sum(m.n_units)::integer                 as n_units,
       list(distinct o.name_vi order by o.name_vi collate vi) filter (where fs.scheme = 'p63' and o.name_vi <> p.name_vi)
                                               as old_names
from mapped m
left join province p on p.province_code = m.code_p34 and p.scheme = 'p34'
left join province o on o.province_code = m.province_code and o.scheme = 'p63'
left join province_scheme fs on fs.year = m.first_year
group by all
order by province_name collate vi;
