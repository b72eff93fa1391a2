-- Points cut by the appraisal council, per unit and year, at one depth: self-assessed and appraised totals over
-- the items that have both (survey items have neither), points cut, items cut. Summed here rather than in pandas:
-- a large province's sub-criteria are 50,000 rows, its cuts 500 (bench/RESULTS.md).
-- Params: $level, $depth, $provinces (varchar[], ui.units.scope), $year (null: every year).
-- Grain: one row per unit and year. Same result as analysis.units.cuts_by_unit on unit_items.
select
    year,
    unit_id,
    any_value(unit_name)                                     as unit_name,
    any_value(unit_name_en)                                  as unit_name_en,
    sum(self_score)                                          as self_total,
    sum(appraised_score)                                     as appraised_total,
    sum(self_score - appraised_score)                        as cut,
    count_if(self_score - appraised_score > 1e-9)            as n_items_cut,
    count(*)                                                 as n_items
from unit_scores
where unit_level = $level and item_depth = $depth and list_contains($provinces, province_code)
  and ($year is null or year = $year)
  and self_score is not null and appraised_score is not null
group by year, unit_id
order by year, cut desc, unit_id;
