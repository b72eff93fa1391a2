-- Any filtered slice of a province's unit scores, for export.
-- Params: $level, $provinces (varchar[], ui.units.scope), $years (integer[]), $units (varchar[]; empty = all), $depths (varchar[]: 'domain',
-- 'criterion', 'sub_criterion'). Grain: one row per year, unit and framework item. change: against the same
-- unit and item the year before, only where the framework (and so the item's meaning) is the same.
with scored as (
    select s.*,
           lag(s.final_score) over w  as prev_score,
           lag(s.year) over w         as prev_year,
           lag(s.framework_id) over w as prev_framework
    from unit_scores s
    where s.unit_level = $level and list_contains($provinces::varchar[], s.province_code)
      and (list_contains($years::integer[], s.year) or list_contains($years::integer[], s.year + 1))
      -- depth and units filtered before the window: its partitions are per unit and item, so this changes no
      -- result and spares the window every other depth (national scale: 115 -> 40 ms)
      and list_contains($depths::varchar[], s.item_depth)
      and (len($units::varchar[]) = 0 or list_contains($units::varchar[], s.unit_id))
    window w as (partition by s.unit_id, s.item_code order by s.year)
)
select
    year,
    unit_id,
    unit_name,
    unit_name_en,
    framework_id,
    item_code,
    item_depth,
    item_name,
    item_name_en,
    max_points,
    final_score,
    final_score / nullif(max_points, 0)                                               as share_of_max,
    points_lost,
    self_score,
    appraised_score,
    survey_score,
    case when prev_year = year - 1 and prev_framework = framework_id then final_score - prev_score end as change,
    responsible_agency,
    provenance
from scored
where list_contains($years::integer[], year)
  and (len($units::varchar[]) = 0 or list_contains($units::varchar[], unit_id))
  and list_contains($depths::varchar[], item_depth)
order by year, unit_id, item_code;
