-- PAPI: a dimension whose score differs from the sum of its sub-dimensions (when every sub-dimension has a score).
-- vi: PAPI năm {year}, tỉnh mã '{province_code}', nội dung {measure_code}: điểm {dimension} khác tổng các nội dung thành phần {sub_sum}
-- en: PAPI {year}, province '{province_code}', dimension {measure_code}: score {dimension} differs from its sub-dimensions' sum {sub_sum}
-- Params: none. Grain: one row per year, province and dimension.
select d.year, d.province_code, d.measure_code, any_value(d.score) as dimension, sum(s.score) as sub_sum
from province_score d
join province_score s
  on s.index_name = 'PAPI' and s.year = d.year and s.province_code = d.province_code
 and s.measure_code like d.measure_code || '.%'
where d.index_name = 'PAPI' and d.measure_code in ('1', '2', '3', '4', '5', '6', '7', '8')
  and d.score is not null
group by d.year, d.province_code, d.measure_code
having count(s.score) = count(*) and abs(any_value(d.score) - sum(s.score)) > 1e-3
order by d.year, d.province_code, d.measure_code
