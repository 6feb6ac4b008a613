{#- Connected components of an identity graph, as CTEs to splice into a `with` block. `nodes`
    is a CTE with an `identifier` column, `edges` one with `from_identifier` and
    `to_identifier`. Defines `<prefix>_components` (identifier, component_id = the smallest
    identifier of its component), one row per distinct identifier of `nodes`, and the
    `<prefix>_*` CTEs it is built from.

    Min-label propagation with hooking and pointer jumping (the Shiloach–Vishkin family, as
    in FastSV), unrolled into `var('identity_max_rounds')` rounds generated here, because a
    recursive walk copies every node's seed to every node of its component (size² rows per
    component) and recursive CTEs are not portable (Spark). Every node holds a label: an
    identifier of its own component, never larger than itself. A round:

    1. seen:   the smallest label among the node's and its neighbours';
    2. hooked: the node's parent (the node its label names) takes that label too, so the
       whole tree under the parent moves at once, not only the node at the border;
    3. jumped: the node takes its parent's label (pointer jumping halves the trees' depth).

    Rounds needed grow with log2 of the component size (simulated: a 1M-node path in random
    identifier order converges in 17 rounds, sorted in 19; a star in 1), so the default 24
    covers components of millions; without step 2 a path in random order had not converged
    after 200. Identifiers are numbered in their sort order first, so the rounds hash and
    compare integers, and the smallest number is the smallest identifier. Once every edge joins equal labels,
    every label is its component's smallest identifier; the singular tests in
    tests/dbt/intermediate/identity/ fail when an edge still joins two component ids, so a
    component too big for the configured rounds stops the build instead of passing silently.

    While dbt builds the model (run/build), `edges_sql` given, the rounds run one statement
    each into work tables and stop at convergence (identity_component_ctes_materialised);
    otherwise (unit tests, compile, docs, lint) they are unrolled here. Same round SQL.

    A round is `identity_component_round`, dispatched: the default joins a step with itself
    (DuckDB and PostgreSQL compute a CTE read twice once); Spark inlines CTEs, where that
    would double the plan every round, so its steps read the previous one once. -#}
{% macro identity_component_ctes(prefix, nodes, edges, edges_sql=none) -%}
{%- set rounds = var('identity_max_rounds', 24) | int -%}
{%- if edges_sql is not none and identity_walk_materialises() -%}
{{ identity_component_ctes_materialised(prefix, nodes, edges_sql, rounds) }}
{%- else -%}
{{ prefix }}_node_numbers as (
    select identifier, row_number() over (order by identifier) as node_number
    from (
        select from_identifier as identifier from {{ edges }}
        union
        select to_identifier from {{ edges }}
    ) as edge_ends
),

{{ prefix }}_numbered_edges as (
    select from_numbers.node_number as from_node, to_numbers.node_number as to_node
    from {{ edges }} as edges
    inner join {{ prefix }}_node_numbers as from_numbers
        on from_numbers.identifier = edges.from_identifier
    inner join {{ prefix }}_node_numbers as to_numbers
        on to_numbers.identifier = edges.to_identifier
),

-- Every node is its own neighbour too, so a node's smallest neighbour label includes its own.
{{ prefix }}_adjacency as (
    select from_node as node, to_node as neighbour from {{ prefix }}_numbered_edges
    union
    select to_node, from_node from {{ prefix }}_numbered_edges
    union
    select node_number, node_number from {{ prefix }}_node_numbers
),

{{ prefix }}_labels_0 as (
    select node, min(neighbour) as label
    from {{ prefix }}_adjacency
    group by node
),
{% for round in range(1, rounds + 1) %}
{{ adapter.dispatch('identity_component_round', 'leadseg')(prefix, round) }},
{% endfor %}

{{ identity_components_from_labels(prefix, nodes, prefix ~ '_labels_' ~ rounds) }}
{%- endif -%}
{%- endmacro %}

{#- True while dbt builds a model (run/build): the walk may then create its work tables.
    Parsing, `dbt compile`, docs and sqlfluff's templater (and unit tests, whose inputs are
    fixture CTEs, not tables) render the unrolled rounds instead, which touch nothing. -#}
{% macro identity_walk_materialises() -%}
    {{ return(execute and model.resource_type == 'model' and flags.WHICH in ('run', 'build')) }}
{%- endmacro %}

{#- A work table of the walk: `<model>__<prefix>_<part>`, beside the model. -#}
{% macro identity_work_relation(prefix, part) -%}
    {{ return(api.Relation.create(
        database=this.database,
        schema=this.schema,
        identifier=this.identifier ~ '__' ~ prefix ~ '_' ~ part,
        type='table',
    )) }}
{%- endmacro %}

{% macro identity_work_table(prefix, part, sql) -%}
    {%- set relation = identity_work_relation(prefix, part) -%}
    {%- do adapter.drop_relation(relation) -%}
    {%- do run_query(get_create_table_as_sql(False, relation, sql)) -%}
    {{ return(relation) }}
{%- endmacro %}

{#- The same walk, run round by round while the model builds: each round's labels go to a
    work table and the walk stops at the first round after which every edge joins equal
    labels (a few rounds on real identity graphs, whose components are small, instead of
    all `identity_max_rounds` unrolled into one statement whose plan and memory grow with
    them). A graph that needs more rounds than `identity_max_rounds` fails the build,
    naming the variable. The rounds are the same SQL as the unrolled walk's (its unit tests
    test them); the model's post-hook `identity_drop_work_tables` removes the work tables. -#}
{% macro identity_component_ctes_materialised(prefix, nodes, edges_sql, max_rounds) -%}
    {%- set edges = identity_work_table(prefix, 'edges', edges_sql) -%}
    {%- set node_numbers = identity_work_table(prefix, 'nodes',
        'select identifier, row_number() over (order by identifier) as node_number from ('
        ~ ' select from_identifier as identifier from ' ~ edges
        ~ ' union select to_identifier from ' ~ edges ~ ') as edge_ends') -%}
    {%- set adjacency = identity_work_table(prefix, 'adjacency',
        'with numbered_edges as ('
        ~ ' select from_numbers.node_number as from_node, to_numbers.node_number as to_node'
        ~ ' from ' ~ edges ~ ' as edges'
        ~ ' inner join ' ~ node_numbers ~ ' as from_numbers on from_numbers.identifier = edges.from_identifier'
        ~ ' inner join ' ~ node_numbers ~ ' as to_numbers on to_numbers.identifier = edges.to_identifier)'
        ~ ' select from_node as node, to_node as neighbour from numbered_edges'
        ~ ' union select to_node, from_node from numbered_edges'
        ~ ' union select node_number, node_number from ' ~ node_numbers) -%}
    {%- set walk = namespace(
        labels=identity_work_table(prefix, 'labels_0',
            'select node, min(neighbour) as label from ' ~ adjacency ~ ' group by node'),
        converged=false,
        rounds=0) -%}
    {%- for round in range(1, max_rounds + 1) -%}
        {%- if not walk.converged -%}
            {%- set previous = walk.labels -%}
            {%- set walk.labels = identity_work_table(prefix, 'labels_' ~ (round % 2),
                'with ' ~ prefix ~ '_adjacency as (select * from ' ~ adjacency ~ '), '
                ~ prefix ~ '_labels_' ~ (round - 1) ~ ' as (select * from ' ~ previous ~ '), '
                ~ adapter.dispatch('identity_component_round', 'leadseg')(prefix, round)
                ~ ' select node, label from ' ~ prefix ~ '_labels_' ~ round) -%}
            {%- do adapter.drop_relation(previous) -%}
            {%- set split_edges = run_query(
                'select count(*) from ' ~ adjacency ~ ' as adjacency'
                ~ ' inner join ' ~ walk.labels ~ ' as node_labels on node_labels.node = adjacency.node'
                ~ ' inner join ' ~ walk.labels ~ ' as neighbour_labels'
                ~ ' on neighbour_labels.node = adjacency.neighbour'
                ~ ' where node_labels.label <> neighbour_labels.label').rows[0][0] -%}
            {%- set walk.rounds = round -%}
            {%- set walk.converged = (split_edges | int) == 0 -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not walk.converged -%}
        {{ exceptions.raise_compiler_error(
            this.identifier ~ ": the identity walk '" ~ prefix ~ "' did not converge in "
            ~ max_rounds ~ " rounds (var identity_max_rounds): a component is larger than "
            ~ "those rounds can resolve; raise the variable, e.g. --vars '{identity_max_rounds: "
            ~ (max_rounds * 2) ~ "}'") }}
    {%- endif -%}
    {%- do log(this.identifier ~ ": identity walk '" ~ prefix ~ "' converged in "
        ~ walk.rounds ~ " round(s)", info=false) -%}
{{ prefix }}_node_numbers as (
    select identifier, node_number from {{ node_numbers }}
),

{{ identity_components_from_labels(prefix, nodes, walk.labels) }}
{%- endmacro %}

{#- Post-hook of a model that runs the walk: drop its work tables. -#}
{% macro identity_drop_work_tables(prefix) -%}
    {%- if identity_walk_materialises() -%}
        {%- for part in ['edges', 'nodes', 'adjacency', 'labels_0', 'labels_1'] -%}
            {%- do adapter.drop_relation(identity_work_relation(prefix, part)) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- One round of identity_component_ctes: `<prefix>_seen_<n>`, `<prefix>_hooked_<n>` and
    `<prefix>_labels_<n>` (node, label) from `<prefix>_labels_<n - 1>`. -#}
{% macro default__identity_component_round(prefix, round) -%}
{{ prefix }}_seen_{{ round }} as (
    select
        adjacency.node,
        min(case when adjacency.neighbour = adjacency.node then labels.label end) as label,
        min(labels.label) as seen_label
    from {{ prefix }}_adjacency as adjacency
    inner join {{ prefix }}_labels_{{ round - 1 }} as labels
        on labels.node = adjacency.neighbour
    group by adjacency.node
),

{{ prefix }}_hooked_{{ round }} as (
    select node, min(seen_label) as label
    from (
        select node, seen_label from {{ prefix }}_seen_{{ round }}
        union all
        select label, seen_label from {{ prefix }}_seen_{{ round }}
    ) as hooks
    group by node
),

{{ prefix }}_labels_{{ round }} as (
    select hooked.node, parent.label
    from {{ prefix }}_hooked_{{ round }} as hooked
    inner join {{ prefix }}_hooked_{{ round }} as parent on parent.node = hooked.label
)
{%- endmacro %}

{#- Spark inlines a CTE at every reference: each step reads the previous one once (the
    parent's value arrives through a two-row cross join and a window, not a self-join). -#}
{% macro spark__identity_component_round(prefix, round) -%}
{{ prefix }}_seen_{{ round }} as (
    select
        adjacency.node,
        min(case when adjacency.neighbour = adjacency.node then labels.label end) as label,
        min(labels.label) as seen_label
    from {{ prefix }}_adjacency as adjacency
    inner join {{ prefix }}_labels_{{ round - 1 }} as labels
        on labels.node = adjacency.neighbour
    group by adjacency.node
),

{{ prefix }}_hooked_{{ round }} as (
    select target as node, min(seen_label) as label
    from (
        select
            case when targets.is_parent then seen.label else seen.node end as target,
            seen.seen_label
        from {{ prefix }}_seen_{{ round }} as seen
        cross join (select false as is_parent union all select true as is_parent) as targets
    ) as hooks
    group by target
),

{{ prefix }}_labels_{{ round }} as (
    select asker as node, parent_label as label
    from (
        select
            hooked.node as asker,
            targets.is_parent as is_lookup,
            max(case when not targets.is_parent then hooked.label end) over (
                partition by case when targets.is_parent then hooked.label else hooked.node end
            ) as parent_label
        from {{ prefix }}_hooked_{{ round }} as hooked
        cross join (select false as is_parent union all select true as is_parent) as targets
    ) as lookups
    where is_lookup
)
{%- endmacro %}

{#- The last CTEs of both walks: every identifier of `nodes` with its component, from the
    final `labels` (a CTE or a work table) and `<prefix>_node_numbers`. -#}
{% macro identity_components_from_labels(prefix, nodes, labels) -%}
{{ prefix }}_node_identifiers as (
    select distinct identifier from {{ nodes }}
),

-- A node without edges is a component of its own.
{{ prefix }}_components as (
    select
        node_identifiers.identifier,
        coalesce(label_numbers.identifier, node_identifiers.identifier) as component_id
    from {{ prefix }}_node_identifiers as node_identifiers
    left join {{ prefix }}_node_numbers as node_numbers
        on node_numbers.identifier = node_identifiers.identifier
    left join {{ labels }} as labels
        on labels.node = node_numbers.node_number
    left join {{ prefix }}_node_numbers as label_numbers
        on label_numbers.node_number = labels.label
)
{%- endmacro %}
