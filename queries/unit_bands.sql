-- The classification bands for a level of a province: the most specific rows of unit_band
-- (province and level > province > level > the '*' defaults).
-- Params: $level, $provinces (varchar[]: the province's codes, ui.units.scope). Grain: one row per band, best band first.
with candidates as (
    select *,
           (province_code <> '*')::int * 2 + (level <> '*')::int as specificity
    from unit_band
    where (province_code = '*' or list_contains($provinces, province_code))
      and level in ('*', $level)
)
select band_code, min_score_pct, name_vi, name_en, sort_order
from candidates
qualify specificity = max(specificity) over ()
order by min_score_pct desc;
