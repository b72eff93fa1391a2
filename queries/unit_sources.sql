-- The sources of the unit figures of some provinces (a published table's page, a loaded file), most used first.
-- Params: $provinces (list of province codes), $year (one year, or null for all). Grain: one row per source.
select y.source_key, s.title, s.url, count(*) as n_rows
from unit_year y
join unit u on u.unit_id = y.unit_id
join source s on s.source_key = y.source_key
where list_contains($provinces, u.province_code) and y.source_key <> 'ILLUSTRATIVE'
  and ($year is null or y.year = $year)
group by all
order by n_rows desc, s.title;
