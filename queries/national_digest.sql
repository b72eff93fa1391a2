-- A fingerprint of everything the national pages read: every table behind the province results, and the sources
-- those results cite. A unit load or rollback changes none of it, so the national pages' kept results and charts
-- outlive it (ui.data.national_version); tests/test_chart_cache.py checks that their queries read only these.
-- Params: none. Grain: one row per table (rows, and an order-free sum of the rows' hashes).
select 'province' as tbl, count(*) as n, sum(hash(x)) as h from province x
union all select 'province_scheme', count(*), sum(hash(x)) from province_scheme x
union all select 'province_crosswalk', count(*), sum(hash(x)) from province_crosswalk x
union all select 'province_alias', count(*), sum(hash(x)) from province_alias x
union all select 'index_def', count(*), sum(hash(x)) from index_def x
union all select 'measure', count(*), sum(hash(x)) from measure x
union all select 'province_score', count(*), sum(hash(x)) from province_score x
union all select 'national_stat', count(*), sum(hash(x)) from national_stat x
union all select 'method_break', count(*), sum(hash(x)) from method_break x
union all select 'setting', count(*), sum(hash(x)) from setting x
union all select 'source', count(*), sum(hash(x)) from source x
    where x.source_key in (select source_key from province_score union select source_key from national_stat)
order by tbl;
