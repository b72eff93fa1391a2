-- A province score without provenance, or published without a source.
-- vi: {index_name} năm {year}, tỉnh mã '{province_code}', chỉ tiêu {measure_code}: số liệu không có nguồn gốc hoặc công bố mà không có nguồn
-- en: {index_name} {year}, province '{province_code}', measure {measure_code}: a figure without provenance, or published without a source
-- Params: none. Grain: one row per offending score.
select index_name, year, province_code, measure_code
from province_score
where provenance is null or (provenance = 'published' and source_key is null)
order by index_name, year, province_code, measure_code
