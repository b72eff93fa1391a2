-- An illustrative figure in the real database (setting database_kind = 'real'): illustrative figures belong in the
-- demo only.
-- vi: Số liệu minh họa trong cơ sở dữ liệu thật (chỉ được có trong bản trình diễn): bảng {table_name}, {row_key}
-- en: Illustrative figure in the real database (illustrative figures belong in the demo only): table {table_name}, {row_key}
-- Params: none. Grain: one row per illustrative row.
with is_real as (
    select coalesce((select any_value(value) from setting where key = 'database_kind'), '') = 'real' as yes
)
select 'province_score' as table_name, concat_ws(' · ', index_name, year, province_code, measure_code) as row_key
from province_score, is_real
where is_real.yes and (provenance = 'illustrative' or rank_provenance = 'illustrative')
union all
select 'unit_score', concat_ws(' · ', year, unit_id, item_code)
from unit_score, is_real
where is_real.yes and provenance = 'illustrative'
union all
select 'unit_year', concat_ws(' · ', year, unit_id)
from unit_year, is_real
where is_real.yes and provenance = 'illustrative'
union all
select 'national_stat', concat_ws(' · ', index_name, year, measure_code, stat)
from national_stat, is_real
where is_real.yes and provenance = 'illustrative'
union all
select 'plan_line', concat_ws(' · ', plan_year, line_no)
from plan_line, is_real
where is_real.yes and provenance = 'illustrative'
