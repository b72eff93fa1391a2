-- The home province's unit scores: units and years per level.
-- Params: none. Grain: one row per unit level.
select
    u.level                                   as unit_level,
    count(distinct u.unit_id)                 as n_units,
    count(distinct y.unit_id)                 as n_units_scored,
    min(y.year)                               as first_year,
    max(y.year)                               as last_year,
    count(distinct y.year)                    as n_years,
    bool_or(y.provenance = 'illustrative')    as has_illustrative
from unit u
left join unit_year y on y.unit_id = u.unit_id
group by u.level
order by case u.level when 'department' then 1 when 'district' then 2 else 3 end;
