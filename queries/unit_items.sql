-- Unit scores at one depth of the framework tree, every year: final, self-assessed, appraised, survey,
-- maximum and points lost, with the responsible agency.
-- Params: $level, $depth ('domain' | 'criterion' | 'sub_criterion'), $provinces (varchar[], ui.units.scope),
-- $year (null: every year). Grain: one row per unit, year and item.
select
    s.year,
    s.unit_id,
    s.unit_name,
    s.unit_name_en,
    s.framework_id,
    s.item_code,
    s.parent_code,
    s.item_name,
    s.item_name_en,
    s.max_points,
    s.is_survey,
    s.responsible_agency,
    fi.agency_en                              as responsible_agency_en,
    fi.sort_order,
    s.self_score,
    s.appraised_score,
    s.survey_score,
    s.final_score,
    s.points_lost,
    s.provenance
from unit_scores s
join framework_item fi on fi.framework_id = s.framework_id and fi.code = s.item_code
where s.unit_level = $level and s.item_depth = $depth and list_contains($provinces, s.province_code)
  and ($year is null or s.year = $year)
order by s.year, fi.sort_order, s.unit_id;
