-- What plan lines are measured on in one year: the home province's score, maximum and rank on every measure of
-- every national index, and for each level of its own index the mean over its units of every framework item.
-- Params: $year, $home (the home province's unit codes: queries/home_unit_codes.sql).
-- Grain: one row per scope, index or level, and item code.
with home_p63 as (
    select value as code from setting where key = 'home_province_p63'
),
home as (
    select case when ps.scheme = 'p34'
                then (select c.new_code from province_crosswalk c
                      where c.old_code = h.code and c.new_scheme = 'p34')
                else h.code end as code
    from home_p63 h, province_scheme ps
    where ps.year = $year
),
index_values as (
    select 'index' as scope, s.index_name, null::varchar as level, s.measure_code as item_code,
           s.score, s.max_score, s.rank::double as rank, s.provenance
    from province_scores s join home h on s.province_code = h.code
    where s.year = $year and s.score is not null
),
unit_values as (
    select 'unit' as scope, null::varchar as index_name, unit_level as level, item_code,
           avg(final_score) as score, any_value(max_points) as max_score, null::double as rank,
           case when bool_or(provenance = 'illustrative') then 'illustrative' else 'published' end as provenance
    from unit_scores
    where year = $year and list_contains($home::varchar[], province_code)
    group by unit_level, item_code
)
select * from index_values
union all by name
select * from unit_values;
