-- The classification bands for a level of the home province: the most specific rows of unit_band
-- (province and level > province > level > the '*' defaults).
-- Params: $level, $province_p63, $province_p34. Grain: one row per band, best band first.
with candidates as (
    select *,
           (province_code <> '*')::int * 2 + (level <> '*')::int as specificity
    from unit_band
    where province_code in ('*', $province_p63, $province_p34)
      and level in ('*', $level)
)
select band_code, min_score_pct, name_vi, name_en, sort_order
from candidates
qualify specificity = max(specificity) over ()
order by min_score_pct desc;
