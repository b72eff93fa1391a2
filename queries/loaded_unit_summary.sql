-- Units and their scores per province and level: the home province's (and those merged with it in 2025) first,
-- then the provinces whose published tables are bundled or loaded (Hòa Bình's departments, Bình Dương's districts).
-- Params: $home (the home province's codes: queries/home_unit_codes.sql). Grain: one row per province (63-province
-- list) and unit level.
with units as (
    select u.*, list_contains($home::varchar[], u.province_code) as is_home,
           u.province_code = (select value from setting where key = 'home_province_p63') as is_home_itself
    from unit u
)
select
    u.province_code,
    p.name_vi                                 as province_name,
    p.name_en                                 as province_name_en,
    u.is_home,
    u.level                                   as unit_level,
    count(distinct u.unit_id)                 as n_units,
    count(distinct y.unit_id)                 as n_units_scored,
    min(y.year)                               as first_year,
    max(y.year)                               as last_year,
    count(distinct y.year)                    as n_years,
    bool_or(y.provenance = 'illustrative')    as has_illustrative
from units u
left join unit_year y on y.unit_id = u.unit_id
left join province p on p.province_code = u.province_code and p.scheme = 'p63'
group by u.province_code, p.name_vi, p.name_en, u.is_home, u.is_home_itself, u.level
order by u.is_home desc, u.is_home_itself desc, p.name_vi collate vi,
         case u.level when 'department' then 1 when 'district' then 2 else 3 end;
