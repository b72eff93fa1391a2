-- The rollup as it was written before 2026-12-03 (text keys; etl/unit_score_item.sql now joins and sums on numbers):
-- tests/test_refresh.py checks that both write the same rows. Not used by the application.
-- unit_score_item for the unit-years in the temp table _touched(year, unit_id): the stored rows at their own depth,
-- criteria summed from sub-criteria where not stored, domains summed from criteria where not stored.
-- Run by etl/db.py refresh_derived after deleting those unit-years' rows. Provenance: the weakest of the parts.
-- A parent's self-assessed points exist only where every appraised child was self-assessed (else null: "not fully
-- self-assessed"); summing the children that were would show a cut the council never made.
insert into unit_score_item
with u as (   -- written in (level, province, year) order; one integer sort key sorts 16 M rows 3 s faster than three
    select unit_id, level, province_code, dense_rank() over (order by level, province_code) * 10000 as cluster
    from unit
),
s as (
    select s.year, s.unit_id, s.framework_id, s.item_code, fi.depth, fi.parent_code,
           s.self_score, s.appraised_score, s.survey_score, s.provenance
    from unit_score s
    semi join _touched t on t.year = s.year and t.unit_id = s.unit_id
    join framework_item fi on fi.framework_id = s.framework_id and fi.code = s.item_code
),
crit_sum as (
    select year, unit_id, framework_id, parent_code as item_code,
           case when count_if(self_score is null and appraised_score is not null) = 0 then sum(self_score) end
               as self_score,
           sum(appraised_score) as appraised_score, sum(survey_score) as survey_score,
           case when bool_or(provenance = 'illustrative') then 'illustrative'
                when bool_or(provenance = 'derived') then 'derived' else 'published' end as provenance
    from s where depth = 'sub_criterion' group by year, unit_id, framework_id, parent_code
),
criteria as (
    select year, unit_id, framework_id, item_code, self_score, appraised_score, survey_score, provenance
    from s where depth = 'criterion'
    union all
    select * from crit_sum c
    where not exists (select 1 from s where s.depth = 'criterion' and s.year = c.year and s.unit_id = c.unit_id
                      and s.item_code = c.item_code)
),
dom_sum as (
    select c.year, c.unit_id, c.framework_id, fi.parent_code as item_code,
           case when count_if(c.self_score is null and c.appraised_score is not null) = 0 then sum(c.self_score) end
               as self_score,
           sum(c.appraised_score) as appraised_score, sum(c.survey_score) as survey_score,
           case when bool_or(c.provenance = 'illustrative') then 'illustrative'
                when bool_or(c.provenance = 'derived') then 'derived' else 'published' end as provenance
    from criteria c join framework_item fi on fi.framework_id = c.framework_id and fi.code = c.item_code
    group by c.year, c.unit_id, c.framework_id, fi.parent_code
),
domains as (
    select year, unit_id, framework_id, item_code, self_score, appraised_score, survey_score, provenance
    from s where depth = 'domain'
    union all
    select * from dom_sum d
    where not exists (select 1 from s where s.depth = 'domain' and s.year = d.year and s.unit_id = d.unit_id
                      and s.item_code = d.item_code)
),
all_items as (
    select 'sub_criterion' as item_depth, year, unit_id, framework_id, item_code, self_score, appraised_score,
           survey_score, provenance from s where depth = 'sub_criterion'
    union all select 'criterion', * from criteria
    union all select 'domain', * from domains
)
select u.level as unit_level, u.province_code, a.year, a.unit_id, a.framework_id, a.item_code, a.item_depth,
       a.self_score, a.appraised_score, a.survey_score, a.provenance
from all_items a join u on u.unit_id = a.unit_id
order by u.cluster + a.year;
