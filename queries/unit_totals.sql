-- Each unit's total for every year it was scored: final (appraised + survey), self-assessed, maximum.
-- Params: $level ('department' | 'district' | 'commune'), $provinces (varchar[]: the province codes of the units
-- shown, ui.units.scope). Grain: one row per unit and year.
-- Years known only as published totals (unit_year.total_score) have no self-assessment; nor has a unit-year with an
-- appraised domain that was not fully self-assessed (its self total would leave out points the appraisal counts).
with domain_sums as (
    select year, unit_id,
           sum(final_score)     as total_score,
           case when count_if(self_score is null and appraised_score is not null) = 0
                then sum(self_score) end as self_total,
           sum(appraised_score) as appraised_total,
           sum(survey_score)    as survey_total
    from unit_scores
    where unit_level = $level and item_depth = 'domain' and list_contains($provinces, province_code)
    group by year, unit_id
),
framework_max as (
    select framework_id, sum(max_points) as max_total
    from framework_item
    where depth = 'domain'
    group by framework_id
)
select
    y.year,
    y.unit_id,
    u.name_vi                                    as unit_name,
    u.name_en                                    as unit_name_en,
    u.province_code,
    y.framework_id,
    coalesce(d.total_score, y.total_score)       as total_score,
    d.self_total,
    d.appraised_total,
    d.survey_total,
    f.max_total,
    y.rank                                       as published_rank,
    y.band                                       as published_band,
    y.detail_level,
    y.provenance,
    u.successor_id,
    u.valid_from_year,
    u.valid_to_year
from unit_year y
join unit u on u.unit_id = y.unit_id
join framework_max f on f.framework_id = y.framework_id
left join domain_sums d on d.year = y.year and d.unit_id = y.unit_id
where u.level = $level and list_contains($provinces, u.province_code)
order by y.year, y.unit_id;
