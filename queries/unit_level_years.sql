-- Years with unit scores, per level, and the framework that applies.
-- Params: $provinces (varchar[], ui.units.scope). Grain: one row per unit level and year.
select
    u.level                                 as unit_level,
    y.year,
    string_agg(distinct y.framework_id, ', ') as framework_id,
    count(*)                                as n_units,
    bool_or(y.provenance = 'illustrative')  as has_illustrative,
    -- the coarsest detail of that level-year: 'sub_criterion' < 'criterion' < 'domain' < 'total'
    case when bool_or(y.detail_level = 'total') then 'total'
         when bool_or(y.detail_level = 'domain') then 'domain'
         when bool_or(y.detail_level = 'criterion') then 'criterion'
         else 'sub_criterion' end          as detail_level
from unit_year y
join unit u on u.unit_id = y.unit_id
where list_contains($provinces, u.province_code)
group by u.level, y.year
order by u.level, y.year;
