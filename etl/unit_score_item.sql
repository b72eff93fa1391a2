-- unit_score_item for the unit-years in the temp table _touched(year, unit_id): the stored rows at their own depth,
-- criteria summed from sub-criteria where not stored, domains summed from criteria where not stored.
-- Run by etl/db.py _write_items after deleting those unit-years' rows, with its numbering of units (_unit_no) and
-- items (_item_no): the joins, sums and look-ups run on integers and the names come back at the end (on text keys,
-- the five passes of a national load took 27 CPU s, on numbers about 19).
-- Provenance: the weakest of the parts.
-- A parent's self-assessed points exist only where every appraised child was self-assessed (else null: "not fully
-- self-assessed"); summing the children that were would show a cut the council never made.
insert into unit_score_item
with s as (
    select u.uno, s.year, i.ino, i.code_no, i.depth, i.parent_ino,
           s.self_score, s.appraised_score, s.survey_score, s.provenance
    from unit_score s
    semi join _touched t on t.year = s.year and t.unit_id = s.unit_id
    join _unit_no u on u.unit_id = s.unit_id
    join _item_no i on i.framework_id = s.framework_id and i.code = s.item_code and i.depth is not null
),
crit_sum as (
    select uno, year, parent_ino as ino,
           case when count_if(self_score is null and appraised_score is not null) = 0 then sum(self_score) end
               as self_score,
           sum(appraised_score) as appraised_score, sum(survey_score) as survey_score,
           case when bool_or(provenance = 'illustrative') then 'illustrative'
                when bool_or(provenance = 'derived') then 'derived' else 'published' end as provenance
    from s where depth = 'sub_criterion' group by uno, year, parent_ino
),
criteria as (
    select uno, year, ino, self_score, appraised_score, survey_score, provenance
    from s where depth = 'criterion'
    union all
    select c.* from crit_sum c join _item_no i on i.ino = c.ino
    where not exists (select 1 from s where s.depth = 'criterion' and s.uno = c.uno and s.year = c.year
                      and s.code_no = i.code_no)
),
dom_sum as (
    select c.uno, c.year, i.parent_ino as ino,
           case when count_if(c.self_score is null and c.appraised_score is not null) = 0 then sum(c.self_score) end
               as self_score,
           sum(c.appraised_score) as appraised_score, sum(c.survey_score) as survey_score,
           case when bool_or(c.provenance = 'illustrative') then 'illustrative'
                when bool_or(c.provenance = 'derived') then 'derived' else 'published' end as provenance
    from criteria c join _item_no i on i.ino = c.ino and i.depth is not null
    group by c.uno, c.year, i.parent_ino
),
domains as (
    select uno, year, ino, self_score, appraised_score, survey_score, provenance
    from s where depth = 'domain'
    union all
    select d.* from dom_sum d join _item_no i on i.ino = d.ino
    where not exists (select 1 from s where s.depth = 'domain' and s.uno = d.uno and s.year = d.year
                      and s.code_no = i.code_no)
),
all_items as (
    select 'sub_criterion' as item_depth, uno, year, ino, self_score, appraised_score, survey_score, provenance
    from s where depth = 'sub_criterion'
    union all select 'criterion', * from criteria
    union all select 'domain', * from domains
)
select u.level as unit_level, u.province_code, a.year, u.unit_id, i.framework_id, i.code as item_code, a.item_depth,
       a.self_score, a.appraised_score, a.survey_score, a.provenance
from all_items a join _unit_no u on u.uno = a.uno join _item_no i on i.ino = a.ino
order by u.cluster + a.year;
