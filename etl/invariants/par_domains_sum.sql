-- PAR INDEX: a province's domain scores that do not add up to its total (to 0.011, the printed rounding).
-- vi: PAR INDEX năm {year}, tỉnh mã '{province_code}': các lĩnh vực cộng lại {domains}, khác tổng điểm {total}
-- en: PAR INDEX {year}, province '{province_code}': the domains add up to {domains}, not the total {total}
-- Params: none. Grain: one row per year and province.
select s.year, s.province_code, any_value(t.score) as total, sum(s.score) as domains
from province_score s
join province_score t
  on t.index_name = s.index_name and t.year = s.year and t.province_code = s.province_code
 and t.measure_code = 'total'
where s.index_name = 'PAR INDEX' and s.measure_code <> 'total'
group by s.year, s.province_code
having abs(sum(s.score) - any_value(t.score)) > 0.011
order by s.year, s.province_code
