{#- Seniority and department from the job title, by the analyst-edited patterns of seed
    `title_patterns` (lowercase substrings; whole-word ones padded by spaces). Each dimension
    takes its best (lowest priority number, then longest) matching pattern; no match is
    'other'. The CRM contact department is the department fallback. -#}
with

people as (
    select lead_id, title, crm_department from {{ ref('int_people') }}
),

patterns as (
    select
        lower(pattern) as pattern,
        is_whole_word,
        priority,
        nullif(trim(seniority), '') as seniority,
        nullif(trim(department), '') as department
    from {{ ref('title_patterns') }}
),

titles as (
    select
        lead_id,
        title,
        crm_department,
        {{ normalised_title('title') }} as normalised_title
    from people
),

matches as (
    select
        titles.lead_id,
        patterns.pattern,
        patterns.priority,
        patterns.seniority,
        patterns.department
    from titles
    inner join patterns
        on {{ title_matches('titles.normalised_title', 'patterns.pattern', 'patterns.is_whole_word') }}
    where titles.title is not null
),

best_seniority as (
    select
        lead_id,
        seniority,
        row_number() over (
            partition by lead_id order by priority asc, length(pattern) desc, pattern asc
        ) as match_rank
    from matches
    where seniority is not null
),

best_department as (
    select
        lead_id,
        department,
        row_number() over (
            partition by lead_id order by priority asc, length(pattern) desc, pattern asc
        ) as match_rank
    from matches
    where department is not null
),

crm_departments as (
    select
        titles.lead_id,
        patterns.department,
        row_number() over (
            partition by titles.lead_id order by patterns.priority asc, length(patterns.pattern) desc, patterns.pattern asc
        ) as match_rank
    from titles
    inner join patterns
        on {{ title_matches(normalised_title('titles.crm_department'), 'patterns.pattern', 'patterns.is_whole_word') }}
    where titles.crm_department is not null and patterns.department is not null
),

final as (
    select
        titles.lead_id,
        titles.title,
        coalesce(best_seniority.seniority, 'other') as seniority,
        coalesce(best_department.department, crm_departments.department, 'other') as department
    from titles
    left join best_seniority
        on best_seniority.lead_id = titles.lead_id and best_seniority.match_rank = 1
    left join best_department
        on best_department.lead_id = titles.lead_id and best_department.match_rank = 1
    left join crm_departments
        on crm_departments.lead_id = titles.lead_id and crm_departments.match_rank = 1
)

select * from final
