{#- The tables Python assets write and dbt reads (sources `enrichment` and `ml`), created empty
    when missing, so a plain `dbt build` (without Dagster, or before the first model
    training) still runs: no predictions and no clusters yet, rather than a missing table.
    The Python writers (leadseg.ingest.user_agents, leadseg.ml.store) create the same
    columns. -#}
{% macro ensure_python_asset_tables() -%}
    {{ return(adapter.dispatch('ensure_python_asset_tables', 'leadseg')()) }}
{%- endmacro %}

{#- Spark runs one statement per call: each of the default's statements on its own. -#}
{% macro spark__ensure_python_asset_tables() -%}
    {%- for statement in leadseg.default__ensure_python_asset_tables().split(';') -%}
        {%- if statement.strip() -%}
            {%- do run_query(statement) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{% macro default__ensure_python_asset_tables() -%}
    {%- set text = dbt.type_string() -%}
    {%- set number = leadseg.type_double() -%}
    create schema if not exists raw;
    create table if not exists raw.user_agents (
        user_agent {{ text }}, browser_family {{ text }}, os_family {{ text }},
        device_family {{ text }}, device_type {{ text }}, parsed_at {{ dbt.type_timestamp() }}
    );
    create schema if not exists ml;
    create table if not exists ml.lead_predictions (
        lead_id {{ text }}, as_of_date date, conversion_probability {{ number }},
        score_reasons {{ text }}, model_version {{ text }}
    );
    create table if not exists ml.model_evaluations (
        model_version {{ text }}, as_of_date date, trained_at {{ dbt.type_timestamp() }},
        target {{ text }}, status {{ text }}, message {{ text }}, train_rows bigint,
        eval_rows bigint, train_conversions bigint, eval_conversions bigint,
        roc_auc {{ number }}, rule_score_auc {{ number }}, precision_top_decile {{ number }},
        lift_top_decile {{ number }}, brier_score {{ number }}, is_published boolean
    );
    create table if not exists ml.model_calibration (
        model_version {{ text }}, as_of_date date, bin integer, lead_count bigint,
        mean_predicted {{ number }}, observed_rate {{ number }}
    );
    create table if not exists ml.lead_clusters (
        lead_id {{ text }}, as_of_date date, segment_id {{ text }}
    );
    create table if not exists ml.cluster_profiles (
        segment_id {{ text }}, as_of_date date, segment_name {{ text }},
        description {{ text }}, lead_count bigint, profile {{ text }}
    )
{%- endmacro %}
