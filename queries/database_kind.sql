-- What this database is: kind ('real', 'demo', or null for a database built before real and demo were split)
-- and whether it holds any illustrative figure.
-- Params: none
-- Grain: one row
select (select any_value(value) from setting where key = 'database_kind') as kind,
       exists(select 1 from province_score where provenance = 'illustrative')
       or exists(select 1 from unit_score where provenance = 'illustrative') as has_illustrative
