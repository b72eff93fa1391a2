-- The measures of an index, every year (total first, then domains/dimensions in their order). One query per
-- index rather than per index and year: pages pick a year with ui.provinces.index_measures (the briefing asked
-- for 16 index-years, 16 queries).
-- Params: $index. Grain: one row per year and measure.
select year, measure_code, parent_code, depth, name_vi, name_en, max_score, scale, note, sort_order
from measure
where index_name = $index and depth in ('total', 'domain')
order by year, case depth when 'total' then 0 else 1 end, sort_order, measure_code;
