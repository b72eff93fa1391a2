-- Points cut by the appraisal council per item of one year and depth: points cut in all, how many units were cut
-- there, and how many units have the item with both scores. Same result as analysis.units.cuts_by_item.
-- Params: $level, $depth, $provinces (varchar[], ui.units.scope), $year. Grain: one row per item.
select
    s.item_code,
    any_value(s.item_name)                                   as item_name,
    any_value(s.item_name_en)                                as item_name_en,
    sum(s.self_score - s.appraised_score)                    as cut,
    count_if(s.self_score - s.appraised_score > 1e-9)        as n_units_cut,
    count(distinct s.unit_id)                                as n_units,
    min(fi.sort_order)                                       as sort_order
from unit_scores s
join framework_item fi on fi.framework_id = s.framework_id and fi.code = s.item_code
where s.unit_level = $level and s.item_depth = $depth and list_contains($provinces, s.province_code)
  and s.year = $year and s.self_score is not null and s.appraised_score is not null
group by s.item_code
order by sort_order, s.item_code;
