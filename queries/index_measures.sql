-- The measures of an index in a year (total first, then domains/dimensions in their order).
-- Params: $index, $year. Grain: one row per measure.
select measure_code, parent_code, depth, name_vi, name_en, max_score, scale, note, sort_order
from measure
where index_name = $index and year = $year and depth in ('total', 'domain')
order by case depth when 'total' then 0 else 1 end, sort_order, measure_code;
