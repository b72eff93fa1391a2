-- The measures of every index and year (total first, then domains/dimensions in their order). One query for all:
-- pages pick an index and year with ui.provinces.index_measures (the briefing asked for 16 index-years, 16 queries).
-- Params: none. Grain: one row per index, year and measure.
select index_name, year, measure_code, parent_code, depth, name_vi, name_en, max_score, scale, note, sort_order
from measure
where depth in ('total', 'domain')
order by index_name, year, case depth when 'total' then 0 else 1 end, sort_order, measure_code;
