-- The province codes (63-province list) a unit file is matched against when no province is named: the home
-- province and those merged with it in 2025 (Tiền Giang's units are Đồng Tháp's now). Another province's units
-- (Hòa Bình's "Sở Nội vụ") are never matched by a home file. Params: none. Grain: one row per code.
with home as (
    select value as code from setting where key = 'home_province_p63'
),
successor as (
    select coalesce(max(c.new_code), (select code from home)) as code_p34
    from province_crosswalk c where c.old_code = (select code from home) and c.new_scheme = 'p34'
)
select code as province_code from home
union
select c.old_code from province_crosswalk c, successor s where c.new_scheme = 'p34' and c.new_code = s.code_p34
order by 1;
