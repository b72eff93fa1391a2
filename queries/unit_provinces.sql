-- Provinces that have units, on the 34-province list, each with the codes its units carry: its own and, for years
-- before the 2025 merger, those of the provinces merged into it (a new code is always one of its old codes).
-- Params: none. Grain: one row per 34-province code.
with codes as (
    select province_code, count(*) as n_units from unit group by province_code
),
mapped as (
    select coalesce(c.new_code, k.province_code) as code_p34, k.province_code, k.n_units
    from codes k
    left join province_crosswalk c on c.old_code = k.province_code and c.new_scheme = 'p34'
)
select m.code_p34,
       p.name_vi                               as province_name,
       p.name_en                               as province_name_en,
       list(m.province_code order by m.province_code) as unit_codes,
       sum(m.n_units)::integer                 as n_units
from mapped m
left join province p on p.province_code = m.code_p34 and p.scheme = 'p34'
group by all
order by p.name_vi;
