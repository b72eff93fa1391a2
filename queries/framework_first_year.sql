-- The first year a level has a scoring framework (unit templates can be made from it to the coming year).
-- Params: $level. Grain: one row (first_year null when the level has no framework).
select min(year_from) as first_year
from framework
where level = $level;
