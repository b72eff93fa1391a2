-- What a plan for one year can set targets on: the total and domains of each national index (as named in its
-- latest year up to the plan year) and the domains and criteria of the province's own framework in force that year
-- at each level, with the responsible agency the framework names.
-- Params: $year (the plan year). Grain: one row per scope, index or level, and item code.
with index_year as (
    select index_name, max(year) as year from measure where year <= $year group by index_name
),
index_items as (
    select 'index' as scope, m.index_name, null::varchar as level, m.measure_code as item_code, m.depth,
           m.name_vi, m.name_en, m.max_score as max_points, null::varchar as agency_vi, null::varchar as agency_en,
           m.sort_order
    from measure m join index_year y on y.index_name = m.index_name and y.year = m.year
    where m.depth in ('total', 'domain')
),
in_force as (
    select framework_id, level from framework
    where year_from <= $year and (year_to is null or year_to >= $year)
),
unit_items as (
    select 'unit' as scope, null::varchar as index_name, f.level, fi.code as item_code, fi.depth,
           fi.name_vi, fi.name_en, fi.max_points, fi.agency_vi, fi.agency_en, fi.sort_order
    from framework_item fi join in_force f on f.framework_id = fi.framework_id
    where fi.depth in ('domain', 'criterion')
)
select * from index_items
union all by name
select * from unit_items
order by scope, index_name, level, sort_order;
