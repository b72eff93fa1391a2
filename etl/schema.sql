-- The whole database schema: reference tables, index scores, unit scores, frameworks, load log,
-- and the analyst views (province_scores, unit_scores, load_log). Built by etl/db.py.
-- Every value row carries provenance: 'published' (with source_key), 'derived' or 'illustrative'.

create table meta (
    key   text primary key,
    value text
);

create table source (
    source_key text primary key,
    title      text not null,
    citation   text,
    url        text,
    licence    text,
    note       text
);

-- 63 provinces (until 30 June 2025, plus Hà Tây until 2008) and 34 provinces (from 1 July 2025).
-- scheme: 'p63' or 'p34'; which one is in force in a year: the table province_scheme.
create table province (
    province_code   text not null,
    scheme          text not null check (scheme in ('p63', 'p34')),
    name_vi         text not null,
    name_en         text not null,
    type            text,
    region_code     text,
    region_vi       text,
    region_en       text,
    iso_3166_2      text,
    valid_from_year integer,
    valid_to_year   integer,
    primary key (province_code, scheme)
);

-- The province list in force each year (p63 to 2024, p34 from 2025), one row per year from 1900 to 2100, written
-- from data/raw/reference/province_schemes.csv (etl/schemes.py). Queries join on it instead of naming a year.
create table province_scheme (
    year   integer primary key,
    scheme text not null check (scheme in ('p63', 'p34'))
);

-- Old (p63) -> new (p34) province: the 2025 merger (Resolution 202/2025/QH15); Hà Tây -> Hà Nội (2008).
create table province_crosswalk (
    old_code  text not null,
    new_code  text not null,
    new_scheme text not null,
    year      integer not null,
    primary key (old_code, new_scheme)
);

-- Normalised names (no diacritics, lower case, no "tỉnh"/"TP." prefix) -> province.
create table province_alias (
    alias_norm    text not null,
    scheme        text not null,
    province_code text not null,
    primary key (alias_norm, scheme)
);

create table index_def (
    index_name text primary key,           -- 'PAR INDEX', 'SIPAS', 'PAPI', 'PCI'
    name_vi    text not null,
    name_en    text not null,
    scale_note text,
    higher_is_better boolean default true
);

-- What each measure of an index means in a given year (names and scales change between years).
create table measure (
    index_name   text not null,
    year         integer not null,
    measure_code text not null,            -- 'total', or the domain/dimension code ('1', '1.2', ...)
    parent_code  text,
    depth        text not null,            -- 'total', 'domain' (PAR/SIPAS/PAPI dimension/PCI sub-index), 'sub'
    name_vi      text not null,
    name_en      text not null,
    max_score    double,
    scale        text,
    sort_order   integer,
    note         text,
    primary key (index_name, year, measure_code)
);

create table province_score (
    index_name    text not null,
    year          integer not null,
    province_code text not null,
    measure_code  text not null,
    score         double,
    rank          integer,
    ci_low        double,
    ci_high       double,
    std_error     double,
    provenance    text not null check (provenance in ('published', 'derived', 'illustrative')),
    rank_provenance text check (rank_provenance in ('published', 'derived', 'illustrative')),
    source_key    text,
    note          text,
    load_id       integer,
    primary key (index_name, year, province_code, measure_code)
);

-- Published national statistics (e.g. the average of the 63 provinces).
create table national_stat (
    index_name   text not null,
    year         integer not null,
    measure_code text not null,
    stat         text not null,            -- 'mean'
    value        double not null,
    provenance   text not null,
    source_key   text,
    note         text,
    primary key (index_name, year, measure_code, stat)
);

-- Scoring frameworks for the provincial (internal) index: a versioned tree per level and year range.
create table framework (
    framework_id text primary key,
    level        text not null check (level in ('province', 'department', 'district', 'commune')),
    year_from    integer not null,
    year_to      integer,                 -- null: still in force (applies to every later year)
    name_vi      text not null,
    name_en      text not null,
    decision     text,
    provenance   text not null,
    source_key   text
);

create table framework_item (
    framework_id  text not null,
    code          text not null,           -- '3', '3.2', '3.2.1'
    parent_code   text,
    depth         text not null check (depth in ('domain', 'criterion', 'sub_criterion')),
    name_vi       text not null,
    name_en       text not null,
    max_points    double not null,
    is_survey     boolean not null default false,
    agency_vi     text,                    -- agency responsible for the criterion
    agency_en     text,
    sort_order    integer not null,
    primary key (framework_id, code)
);

create table unit (
    unit_id         text primary key,
    province_code   text not null,         -- the province (scheme of its validity) the unit belongs to
    level           text not null check (level in ('department', 'district', 'commune')),
    name_vi         text not null,
    name_en         text not null,
    parent_unit_id  text,                  -- communes: their district (before 2025)
    valid_from_year integer not null,
    valid_to_year   integer,
    successor_id    text,                  -- the unit it merged into / was absorbed by
    provenance      text not null
);

create table unit_alias (
    alias_norm text not null,
    unit_id    text not null,
    primary key (alias_norm, unit_id)
);

-- Scores as loaded: normally sub-criteria; for years known only from published annexes, domains
-- or totals (detail_level in unit_year). Parents are summed into unit_score_item at write time.
-- (year, unit_id, item_code) is unique: the loaders refuse duplicates and an invariant checks it. No primary
-- key index: maintaining it took 24 of the 30 s of inserting 11.7 M rows (bench/RESULTS.md).
create table unit_score (
    year            integer not null,
    unit_id         text not null,
    framework_id    text not null,
    item_code       text not null,
    self_score      double,
    appraised_score double,
    survey_score    double,
    provenance      text not null check (provenance in ('published', 'derived', 'illustrative')),
    source_key      text,
    load_id         integer
);

-- One row per unit and year: which framework applies and how detailed the scores are.
create table unit_year (
    year         integer not null,
    unit_id      text not null,
    framework_id text not null,
    detail_level text not null check (detail_level in ('sub_criterion', 'criterion', 'domain', 'total')),
    total_score  double,                  -- only where published without detail (annex tables)
    rank         integer,
    band         text,
    provenance   text not null,
    source_key   text,
    load_id      integer,
    primary key (year, unit_id)
);

create table load_log_entry (
    load_id     integer primary key,
    attempt_id  text unique,
    started_at  timestamp not null,
    finished_at timestamp,
    file_name   text,
    file_sha256 text,
    kind        text,
    rows        integer,
    result      text not null,            -- 'loaded', 'rejected', 'failed', 'built'
    message     text,
    user_name   text
);

-- Years where an index changed its method (new framework, new dimensions, the 2025 merger): charts draw a
-- break there and comparisons across it say so.
create table method_break (
    index_name text not null,
    year       integer not null,
    label_vi   text not null,
    label_en   text not null,
    note_vi    text,
    note_en    text,
    primary key (index_name, year)
);

-- Classification bands for the province's own unit ranking, by share of the framework maximum.
-- province_code / level '*' = default (the national bands A >= 90, B 80-<90, C 70-<80, below 70);
-- a row for a province (63- or 34-province code) and level overrides the default for that pair.
create table unit_band (
    province_code text not null,
    level         text not null,
    band_code     text not null,
    min_score_pct double not null,
    name_vi       text not null,
    name_en       text not null,
    sort_order    integer not null,
    primary key (province_code, level, band_code)
);

create table setting (
    key   text primary key,
    value text not null
);

-- The province's plan to keep and raise its ranks (Kế hoạch nâng cao Chỉ số CCHC): one row per plan year and line,
-- each a target for one index measure (PAR INDEX / SIPAS / PAPI / PCI total or domain, scope 'index') or one
-- criterion or domain of the province's own index at one level (scope 'unit'), the agency that must reach it, the
-- deadline and the actions. Saved whole per plan year by etl/plan.py through etl/db.py (versioned, in the history).
create table plan_line (
    plan_year    integer not null,        -- the year whose results the targets are measured on
    line_no      integer not null,
    scope        text not null check (scope in ('index', 'unit')),
    index_name   text,                    -- scope 'index'
    level        text,                    -- scope 'unit': department, district, commune
    item_code    text not null,           -- 'total', a domain or dimension code, or a framework item code
    item_name    text not null,           -- as named when the plan was made
    agency       text not null,
    target_kind  text not null check (target_kind in ('points', 'pct', 'rank')),
    target_value double not null,
    deadline     date not null,
    actions      text,
    provenance   text not null check (provenance in ('entered', 'illustrative')),
    updated_by   text,
    updated_at   timestamp,
    primary key (plan_year, line_no)
);

-- ---------------------------------------------------------------- analyst views

create view province_scores as
select
    s.index_name,
    s.year,
    ps.scheme,
    s.province_code,
    p.name_vi  as province_name,
    p.name_en  as province_name_en,
    s.measure_code,
    m.name_vi  as measure_name,
    m.name_en  as measure_name_en,
    m.depth    as measure_depth,
    s.score,
    m.max_score,
    s.rank,
    s.ci_low,
    s.ci_high,
    s.std_error,
    s.provenance,
    s.rank_provenance,
    s.source_key as source,
    s.note
from province_score s
left join province_scheme ps on ps.year = s.year
left join province p
    on p.province_code = s.province_code
   and p.scheme = ps.scheme
left join measure m
    on m.index_name = s.index_name and m.year = s.year and m.measure_code = s.measure_code;

-- Every depth of every unit-year: the stored scores plus their parents summed (criteria from sub-criteria,
-- domains from criteria), computed by etl/unit_score_item.sql inside each write's transaction for the unit-years
-- the write changed (etl/db.py refresh_derived). Pages read this instead of summing on every query (10 s per
-- query at national scale). Narrow on purpose: names come from unit and framework_item in the view below, so
-- renaming a unit or a criterion changes no row here. Sorted by level, province and year as written.
create table unit_score_item (
    unit_level      text not null,
    province_code   text not null,
    year            integer not null,
    unit_id         text not null,
    framework_id    text not null,
    item_code       text not null,
    item_depth      text not null,
    self_score      double,
    appraised_score double,
    survey_score    double,
    provenance      text not null
);

create view unit_scores as
select
    a.year,
    a.unit_id,
    u.name_vi as unit_name,
    u.name_en as unit_name_en,
    a.unit_level,
    a.province_code,
    a.framework_id,
    a.item_code,
    a.item_depth,
    fi.parent_code,
    fi.name_vi as item_name,
    fi.name_en as item_name_en,
    fi.max_points,
    fi.is_survey,
    fi.agency_vi as responsible_agency,
    a.self_score,
    a.appraised_score,
    a.survey_score,
    coalesce(a.appraised_score, 0) + coalesce(a.survey_score, 0) as final_score,
    fi.max_points - (coalesce(a.appraised_score, 0) + coalesce(a.survey_score, 0)) as points_lost,
    a.provenance
from unit_score_item a
join unit u on u.unit_id = a.unit_id
join framework_item fi on fi.framework_id = a.framework_id and fi.code = a.item_code;

create view load_log as
select load_id, attempt_id, started_at, finished_at, file_name, file_sha256, kind, rows,
       result, message, user_name
from load_log_entry;
