-- Unit bands of a province and level without a band starting at 0 %, or with two bands at the same threshold.
-- vi: Xếp loại đơn vị (tỉnh '{province_code}', cấp '{level}'): ngưỡng thấp nhất {lowest} % (cần có loại từ 0 %); {n_bands} loại, {n_thresholds} ngưỡng khác nhau (mỗi loại cần ngưỡng riêng)
-- en: Unit bands (province '{province_code}', level '{level}'): lowest threshold {lowest} % (a band from 0 % is needed); {n_bands} bands, {n_thresholds} distinct thresholds (each band needs its own)
-- Params: none. Grain: one row per province and level.
select province_code, level, min(min_score_pct) as lowest, count(*) as n_bands,
       count(distinct min_score_pct) as n_thresholds
from unit_band
group by province_code, level
having min(min_score_pct) <> 0 or count(*) <> count(distinct min_score_pct)
order by province_code, level
