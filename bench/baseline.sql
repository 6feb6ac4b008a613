-- The baseline `make bench` compares the pipeline with: the core transformations written by
-- hand as one DuckDB script, no dbt, no Dagster. It runs on a copy of the raw tables the
-- pipeline loaded (schema raw) and writes schema b. The bench sets the variable as_of
-- (SET VARIABLE as_of = DATE '...') and times each `-- step:` block separately.
--
-- What it does, and what it leaves out compared with the pipeline (see docs/bench.md):
-- typed staging with the latest version of each record and quarantine of unparseable rows
-- (here: dropped), identity as connected components of lead/contact/email/user/anonymous
-- ids (merge protection only for shared devices), 30-minute sessions, behavioural features
-- for the as-of date only (the pipeline also builds 6 earlier snapshots), a few rule
-- segments and a rule score. No data tests, no audit, no ML, no exports.

-- step: staging
SET TimeZone = 'UTC';
CREATE SCHEMA IF NOT EXISTS b;

CREATE OR REPLACE MACRO ts(x) AS timezone('UTC', try_cast(trim(x) AS TIMESTAMPTZ));
CREATE OR REPLACE MACRO flag(x) AS lower(trim(x)) IN ('true', 't', '1', 'yes');
CREATE OR REPLACE MACRO clean_email(x) AS
    CASE WHEN regexp_full_match(lower(trim(x)), '[^@\s]+@[^@\s]+\.[a-z]{2,}') THEN lower(trim(x)) END;
-- Salesforce 15-character ids get their 3-character checksum suffix, so both spellings join.
CREATE OR REPLACE MACRO sf18(x) AS CASE
    WHEN regexp_full_match(trim(x), '[a-zA-Z0-9]{18}') THEN trim(x)
    WHEN regexp_full_match(trim(x), '[a-zA-Z0-9]{15}') THEN trim(x) || list_aggregate(
        list_transform([0, 5, 10], lambda c: substr('ABCDEFGHIJKLMNOPQRSTUVWXYZ012345', 1 + CAST(list_sum(
            list_transform(range(5), lambda i:
                CASE WHEN substr(trim(x), c + i + 1, 1) BETWEEN 'A' AND 'Z' THEN 1 << i ELSE 0 END)
        ) AS BIGINT), 1)), 'string_agg', '')
END;

-- Salesforce: the latest version of each record, not deleted.
CREATE OR REPLACE TABLE b.leads AS
SELECT * EXCLUDE (version, is_deleted) FROM (
    SELECT
        sf18(id) AS lead_id,
        clean_email(email) AS email,
        split_part(clean_email(email), '@', 2) AS email_domain,
        lower(title) AS title,
        industry,
        try_cast(number_of_employees AS BIGINT) AS employees,
        flag(is_converted) AS is_converted,
        sf18(converted_contact_id) AS converted_contact_id,
        flag(has_opted_out_of_email) AS has_opted_out_of_email,
        ts(created_date) AS created_at,
        flag(is_deleted) AS is_deleted,
        row_number() OVER (
            PARTITION BY sf18(id)
            ORDER BY ts(system_modstamp) DESC NULLS LAST, _loaded_at DESC, _file_row_number DESC
        ) AS version
    FROM raw.salesforce__lead
    WHERE sf18(id) IS NOT NULL AND ts(created_date) IS NOT NULL
)
WHERE version = 1 AND NOT is_deleted;

CREATE OR REPLACE TABLE b.contacts AS
SELECT * EXCLUDE (version, is_deleted) FROM (
    SELECT
        sf18(id) AS contact_id,
        sf18(account_id) AS account_id,
        clean_email(email) AS email,
        lower(title) AS title,
        flag(has_opted_out_of_email) AS has_opted_out_of_email,
        ts(created_date) AS created_at,
        flag(is_deleted) AS is_deleted,
        row_number() OVER (
            PARTITION BY sf18(id)
            ORDER BY ts(system_modstamp) DESC NULLS LAST, _loaded_at DESC, _file_row_number DESC
        ) AS version
    FROM raw.salesforce__contact
    WHERE sf18(id) IS NOT NULL AND ts(created_date) IS NOT NULL
)
WHERE version = 1 AND NOT is_deleted;

-- Segment: one row per message id (the earliest received copy), parseable and not future.
CREATE OR REPLACE TABLE b.pages AS
SELECT event_id, anonymous_id, user_id, page_path, utm_campaign, event_at FROM (
    SELECT
        trim(id) AS event_id,
        nullif(trim(anonymous_id), '') AS anonymous_id,
        nullif(trim(user_id), '') AS user_id,
        coalesce(
            rtrim(lower(split_part(coalesce(path, context_page_path), '?', 1)), '/'), ''
        ) AS page_path,
        context_campaign_name AS utm_campaign,
        coalesce(ts(timestamp), ts(original_timestamp), ts(received_at)) AS event_at,
        row_number() OVER (PARTITION BY trim(id) ORDER BY ts(received_at) NULLS LAST, _loaded_at)
            AS version,
        _loaded_at
    FROM raw.segment__pages
    WHERE nullif(trim(id), '') IS NOT NULL
)
WHERE version = 1 AND event_at IS NOT NULL AND event_at <= _loaded_at + INTERVAL 1 DAY;

CREATE OR REPLACE TABLE b.tracks AS
SELECT * EXCLUDE (version, _loaded_at) FROM (
    SELECT
        trim(id) AS event_id,
        nullif(trim(anonymous_id), '') AS anonymous_id,
        nullif(trim(user_id), '') AS user_id,
        coalesce(nullif(trim(event), ''), regexp_replace(lower(trim(event_text)), '[^a-z0-9]+', '_', 'g'))
            AS event_name,
        clean_email(email) AS email,
        context_campaign_name AS utm_campaign,
        coalesce(ts(timestamp), ts(original_timestamp), ts(received_at)) AS event_at,
        row_number() OVER (PARTITION BY trim(id) ORDER BY ts(received_at) NULLS LAST, _loaded_at)
            AS version,
        _loaded_at
    FROM raw.segment__tracks
    WHERE nullif(trim(id), '') IS NOT NULL
)
WHERE version = 1 AND event_at IS NOT NULL AND event_at <= _loaded_at + INTERVAL 1 DAY;

CREATE OR REPLACE TABLE b.identifies AS
SELECT * EXCLUDE (version, _loaded_at) FROM (
    SELECT
        trim(id) AS event_id,
        nullif(trim(anonymous_id), '') AS anonymous_id,
        nullif(trim(user_id), '') AS user_id,
        clean_email(email) AS email,
        coalesce(ts(timestamp), ts(original_timestamp), ts(received_at)) AS event_at,
        row_number() OVER (PARTITION BY trim(id) ORDER BY ts(received_at) NULLS LAST, _loaded_at)
            AS version,
        _loaded_at
    FROM raw.segment__identifies
    WHERE nullif(trim(id), '') IS NOT NULL
)
WHERE version = 1 AND event_at IS NOT NULL AND event_at <= _loaded_at + INTERVAL 1 DAY;

-- step: identity
-- Evidence that two identifiers are the same person, each with when it was first seen.
CREATE OR REPLACE TABLE b.edges AS
WITH evidence AS (
    SELECT 'lead:' || lead_id AS a, 'email:' || email AS b, created_at AS seen_at
    FROM b.leads WHERE email IS NOT NULL
    UNION ALL
    SELECT 'lead:' || lead_id, 'contact:' || converted_contact_id, created_at
    FROM b.leads WHERE converted_contact_id IS NOT NULL
    UNION ALL
    SELECT 'contact:' || contact_id, 'email:' || email, created_at
    FROM b.contacts WHERE email IS NOT NULL
    UNION ALL
    SELECT 'anon:' || anonymous_id, 'email:' || email, event_at
    FROM b.identifies WHERE anonymous_id IS NOT NULL AND email IS NOT NULL
    UNION ALL
    SELECT 'user:' || user_id, 'email:' || email, event_at
    FROM b.identifies WHERE user_id IS NOT NULL AND email IS NOT NULL
    UNION ALL
    SELECT 'anon:' || anonymous_id, 'user:' || user_id, event_at
    FROM (
        SELECT anonymous_id, user_id, event_at FROM b.identifies
        UNION ALL SELECT anonymous_id, user_id, event_at FROM b.pages
        UNION ALL SELECT anonymous_id, user_id, event_at FROM b.tracks
    )
    WHERE anonymous_id IS NOT NULL AND user_id IS NOT NULL
),
-- A device or login seen with more than 3 emails is shared (a kiosk): it links nobody.
shared AS (
    SELECT a AS identifier FROM evidence
    WHERE a SIMILAR TO '(anon|user):.*' AND b LIKE 'email:%'
    GROUP BY a HAVING count(DISTINCT b) > 3
)
SELECT a, b, min(seen_at) AS seen_at
FROM evidence
WHERE a NOT IN (SELECT identifier FROM shared) AND b NOT IN (SELECT identifier FROM shared)
GROUP BY a, b;

-- Connected components: every identifier takes the smallest identifier it can reach.
CREATE OR REPLACE TABLE b.components AS
WITH RECURSIVE
    neighbours AS (SELECT a AS x, b AS y FROM b.edges UNION SELECT b, a FROM b.edges),
    label(identifier, component) USING KEY (identifier) AS (
        SELECT x, least(x, min(y)) FROM neighbours GROUP BY x
        UNION
        SELECT n.x, min(l.component)
        FROM recurring.label AS l
        JOIN neighbours AS n ON n.y = l.identifier
        JOIN recurring.label AS me ON me.identifier = n.x
        GROUP BY n.x, me.component
        HAVING min(l.component) < me.component
    )
SELECT identifier, component FROM label;

-- A person is a component with a lead, contact or email; its id is the md5 of its earliest
-- such identifier. Leads and contacts without any edge are people of their own.
CREATE OR REPLACE TABLE b.identity AS
WITH nodes AS (
    SELECT identifier, min(seen_at) AS first_seen_at FROM (
        SELECT a AS identifier, seen_at FROM b.edges
        UNION ALL SELECT b, seen_at FROM b.edges
        UNION ALL SELECT 'lead:' || lead_id, created_at FROM b.leads
        UNION ALL SELECT 'contact:' || contact_id, created_at FROM b.contacts
    )
    GROUP BY identifier
),
placed AS (
    SELECT
        nodes.identifier,
        coalesce(c.component, nodes.identifier) AS component,
        nodes.first_seen_at,
        nodes.identifier SIMILAR TO '(lead|contact|email):.*' AS can_anchor
    FROM nodes LEFT JOIN b.components AS c USING (identifier)
),
anchors AS (
    SELECT component, arg_min(identifier, (first_seen_at, identifier)) AS anchor
    FROM placed WHERE can_anchor
    GROUP BY component
)
SELECT placed.identifier, md5(anchors.anchor) AS lead_id
FROM placed JOIN anchors USING (component);

-- step: sessions
-- Page views and non-email tracks of each visitor, cut after 30 minutes without an event
-- or when a different UTM campaign arrives.
CREATE OR REPLACE TABLE b.web_events AS
WITH events AS (
    SELECT event_id, anonymous_id, user_id, 'page_view' AS event_name, page_path, utm_campaign, event_at
    FROM b.pages
    UNION ALL
    SELECT event_id, anonymous_id, user_id, event_name, NULL, utm_campaign, event_at
    FROM b.tracks
    WHERE event_name NOT IN (
        'email_delivered', 'email_opened', 'email_link_clicked', 'email_bounced', 'unsubscribed'
    )
),
visits AS (
    SELECT
        *,
        coalesce(anonymous_id, user_id) AS visitor_id,
        lag(event_at) OVER w AS previous_at,
        lag(utm_campaign) OVER w AS previous_campaign
    FROM events
    WHERE coalesce(anonymous_id, user_id) IS NOT NULL
    WINDOW w AS (PARTITION BY coalesce(anonymous_id, user_id) ORDER BY event_at, event_id)
)
SELECT
    * EXCLUDE (previous_at, previous_campaign),
    visitor_id || '-' || sum(
        CASE
            WHEN previous_at IS NULL OR event_at > previous_at + INTERVAL 30 MINUTE THEN 1
            WHEN utm_campaign IS NOT NULL AND utm_campaign IS DISTINCT FROM previous_campaign THEN 1
            ELSE 0
        END
    ) OVER (PARTITION BY visitor_id ORDER BY event_at, event_id) AS session_id
FROM visits;

CREATE OR REPLACE TABLE b.sessions AS
SELECT
    session_id,
    any_value(visitor_id) AS visitor_id,
    any_value(anonymous_id) AS anonymous_id,
    any_value(user_id) AS user_id,
    min(event_at) AS started_at,
    max(event_at) AS ended_at,
    count(*) FILTER (WHERE event_name = 'page_view') AS page_views
FROM b.web_events
GROUP BY session_id;

-- step: features
-- Behaviour per person before the as-of date (an event belongs to the person of its
-- anonymous id, else of its user id).
CREATE OR REPLACE TABLE b.features AS
WITH person_events AS (
    SELECT
        coalesce(anon.lead_id, usr.lead_id) AS lead_id,
        e.event_name,
        e.page_path,
        e.session_id,
        e.event_at,
        datediff('day', e.event_at, getvariable('as_of')) AS age_days
    FROM b.web_events AS e
    LEFT JOIN b.identity AS anon ON anon.identifier = 'anon:' || e.anonymous_id
    LEFT JOIN b.identity AS usr ON usr.identifier = 'user:' || e.user_id
    WHERE e.event_at < getvariable('as_of')
),
web AS (
    SELECT
        lead_id,
        count(*) FILTER (WHERE event_name = 'page_view' AND age_days < 7) AS page_views_7d,
        count(*) FILTER (WHERE event_name = 'page_view' AND age_days < 30) AS page_views_30d,
        count(*) FILTER (WHERE event_name = 'page_view' AND age_days BETWEEN 30 AND 59)
            AS page_views_prev_30d,
        count(*) FILTER (WHERE event_name = 'page_view' AND age_days < 90) AS page_views_90d,
        count(*) FILTER (WHERE page_path = '/pricing' AND age_days < 30) AS pricing_page_views_30d,
        count(*) FILTER (WHERE page_path = '/demo' AND age_days < 30) AS demo_page_views_30d,
        count(*) FILTER (WHERE page_path LIKE '/docs%' AND age_days < 30) AS docs_page_views_30d,
        count(*) FILTER (WHERE page_path LIKE '/careers%' AND age_days < 30) AS careers_page_views_30d,
        count(DISTINCT session_id) FILTER (WHERE age_days < 7) AS sessions_7d,
        count(DISTINCT session_id) FILTER (WHERE age_days < 90) AS sessions_90d,
        count(*) FILTER (WHERE event_name = 'demo_requested' AND age_days < 90) AS demo_requests_90d,
        count(*) FILTER (WHERE event_name = 'trial_started' AND age_days < 90) AS trial_starts_90d,
        min(age_days) AS days_since_last_visit
    FROM person_events
    WHERE lead_id IS NOT NULL
    GROUP BY lead_id
),
email AS (
    SELECT
        i.lead_id,
        count(*) FILTER (WHERE t.event_name = 'email_opened' AND age_days < 30) AS emails_opened_30d,
        count(*) FILTER (WHERE t.event_name = 'email_opened' AND age_days < 90) AS emails_opened_90d,
        count(*) FILTER (WHERE t.event_name = 'email_link_clicked' AND age_days < 30)
            AS emails_clicked_30d,
        count(*) FILTER (WHERE t.event_name = 'email_link_clicked' AND age_days < 90)
            AS emails_clicked_90d,
        count(*) FILTER (WHERE t.event_name = 'email_bounced' AND age_days < 90) AS emails_bounced_90d,
        count(*) FILTER (WHERE t.event_name = 'unsubscribed' AND age_days < 90)
            AS emails_unsubscribed_90d
    FROM (
        SELECT *, datediff('day', event_at, getvariable('as_of')) AS age_days
        FROM b.tracks WHERE email IS NOT NULL AND event_at < getvariable('as_of')
    ) AS t
    JOIN b.identity AS i ON i.identifier = 'email:' || t.email
    GROUP BY i.lead_id
),
people AS (
    SELECT
        i.lead_id,
        any_value(l.title) AS title,
        max(l.employees) AS employees,
        bool_or(coalesce(l.has_opted_out_of_email, false)) AS has_opted_out_of_email,
        bool_or(l.email IS NOT NULL) AS has_email
    FROM b.identity AS i
    LEFT JOIN b.leads AS l ON i.identifier = 'lead:' || l.lead_id
    GROUP BY i.lead_id
)
SELECT
    getvariable('as_of') AS as_of_date,
    people.*,
    coalesce(web.page_views_7d, 0) AS page_views_7d,
    coalesce(web.page_views_30d, 0) AS page_views_30d,
    coalesce(web.page_views_prev_30d, 0) AS page_views_prev_30d,
    coalesce(web.page_views_90d, 0) AS page_views_90d,
    coalesce(web.pricing_page_views_30d, 0) AS pricing_page_views_30d,
    coalesce(web.demo_page_views_30d, 0) AS demo_page_views_30d,
    coalesce(web.docs_page_views_30d, 0) AS docs_page_views_30d,
    coalesce(web.careers_page_views_30d, 0) AS careers_page_views_30d,
    coalesce(web.sessions_7d, 0) AS sessions_7d,
    coalesce(web.sessions_90d, 0) AS sessions_90d,
    coalesce(web.demo_requests_90d, 0) AS demo_requests_90d,
    coalesce(web.trial_starts_90d, 0) AS trial_starts_90d,
    web.days_since_last_visit,
    coalesce(email.emails_opened_30d, 0) AS emails_opened_30d,
    coalesce(email.emails_opened_90d, 0) AS emails_opened_90d,
    coalesce(email.emails_clicked_30d, 0) AS emails_clicked_30d,
    coalesce(email.emails_clicked_90d, 0) AS emails_clicked_90d,
    coalesce(email.emails_bounced_90d, 0) AS emails_bounced_90d,
    coalesce(email.emails_unsubscribed_90d, 0) AS emails_unsubscribed_90d
FROM people
LEFT JOIN web USING (lead_id)
LEFT JOIN email USING (lead_id);

-- step: segments
CREATE OR REPLACE TABLE b.segment_membership AS
SELECT as_of_date, lead_id, segment_id
FROM b.features,
LATERAL (
    SELECT unnest([
        CASE WHEN sessions_7d >= 1 THEN 'behav_active_this_week' END,
        CASE WHEN emails_clicked_30d >= 1 OR emails_opened_30d >= 3 THEN 'behav_email_engaged' END,
        CASE WHEN docs_page_views_30d >= 3 THEN 'behav_developer_docs' END,
        CASE WHEN pricing_page_views_30d >= 2 AND demo_requests_90d = 0 AND trial_starts_90d = 0
            THEN 'behav_pricing_abandoners' END,
        CASE WHEN page_views_prev_30d >= 5 AND page_views_30d <= 1 THEN 'behav_going_cold' END,
        CASE WHEN careers_page_views_30d >= 1 AND pricing_page_views_30d = 0
            THEN 'excl_job_seekers' END,
        CASE WHEN employees BETWEEN 51 AND 1000 THEN 'firmo_mid_market' END,
        CASE WHEN has_email AND NOT has_opted_out_of_email AND emails_bounced_90d = 0
            THEN 'life_email_reachable' END
    ]) AS segment_id
)
WHERE segment_id IS NOT NULL;

-- step: scores
CREATE OR REPLACE TABLE b.lead_scores AS
SELECT
    as_of_date,
    lead_id,
    fit_points + engagement_points AS score,
    fit_points,
    engagement_points
FROM (
    SELECT
        *,
        CASE
            WHEN regexp_matches(title, '\b(ceo|cfo|cmo|cto|coo|chief)\b') THEN 20
            WHEN regexp_matches(title, '\b(vp|vice president)\b') THEN 15
            WHEN regexp_matches(title, '\bdirector\b') THEN 12
            WHEN regexp_matches(title, '\bmanager\b') THEN 6
            WHEN regexp_matches(title, '\b(student|intern)\b') THEN -15
            ELSE 0
        END
        + CASE
            WHEN employees >= 1000 THEN 15
            WHEN employees BETWEEN 51 AND 999 THEN 10
            WHEN employees <= 10 THEN -5
            ELSE 0
        END AS fit_points,
        least(5 * pricing_page_views_30d, 20)
        + CASE WHEN demo_page_views_30d >= 1 THEN 10 ELSE 0 END
        + CASE WHEN demo_requests_90d >= 1 THEN 25 ELSE 0 END
        + CASE WHEN trial_starts_90d >= 1 THEN 20 ELSE 0 END
        + least(2 * sessions_90d, 10)
        + least(docs_page_views_30d, 5)
        + least(4 * emails_clicked_90d, 12)
        + least(emails_opened_90d, 5)
        - CASE WHEN careers_page_views_30d >= 1 AND pricing_page_views_30d = 0 THEN 10 ELSE 0 END
        - CASE WHEN emails_unsubscribed_90d >= 1 OR has_opted_out_of_email THEN 15 ELSE 0 END
        - CASE WHEN emails_bounced_90d >= 1 THEN 10 ELSE 0 END
        - CASE WHEN coalesce(days_since_last_visit, 9999) > 90 THEN 5 ELSE 0 END
        AS engagement_points
    FROM b.features
);
