-- A published rank given to more than one province of an index, year and measure, or outside 1..64.
-- vi: {index_name} năm {year}, chỉ tiêu {measure_code}: thứ hạng công bố {rank} xuất hiện {n} lần hoặc ngoài khoảng 1–64
-- en: {index_name} {year}, measure {measure_code}: published rank {rank} appears {n} times or is outside 1–64
-- Params: none. Grain: one row per index, year, measure and rank.
select index_name, year, measure_code, rank, count(*) as n
from province_score
where rank_provenance = 'published'
group by index_name, year, measure_code, rank
having count(*) > 1 or rank < 1 or rank > 64
order by index_name, year, measure_code, rank
