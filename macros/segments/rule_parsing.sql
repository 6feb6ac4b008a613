{#- Rules (segment definitions) are SQL boolean expressions over int_lead_features_wide. These
    macros split a rule into its top-level `and` conditions, find the feature columns it
    reads, and validate it before any SQL runs, so a bad rule is an error naming the rule
    and the problem, and no segment table is half-written. -#}

{#- SQL words a rule may use that are not feature columns. -#}
{% macro rule_sql_words() -%}
    {{ return([
        'and', 'or', 'not', 'in', 'is', 'null', 'true', 'false', 'between', 'like', 'ilike',
        'case', 'when', 'then', 'else', 'end', 'coalesce', 'nullif', 'lower', 'upper', 'trim',
        'length', 'abs', 'greatest', 'least', 'cast', 'as', 'varchar', 'text', 'integer', 'int',
        'bigint', 'double', 'precision', 'numeric', 'date', 'boolean', 'distinct', 'from',
        'position', 'round', 'floor', 'ceil', 'substr', 'replace', 'current_date'
    ]) }}
{%- endmacro %}

{#- The rule with its string literals blanked out ('…' becomes ''), for scanning. -#}
{% macro rule_without_literals(rule_sql) -%}
    {{ return(modules.re.sub("'(?:[^']|'')*'", "''", rule_sql)) }}
{%- endmacro %}

{#- The top-level `and` conditions of a rule, as SQL texts (a rule without a top-level `and`,
    an `or` for example, is one condition). `between x and y` stays whole. -#}
{% macro rule_conditions(rule_sql) -%}
    {%- set text = rule_sql | trim -%}
    {%- set parts = [] -%}
    {%- set state = {'depth': 0, 'quoted': false, 'start': 0, 'between': false} -%}
    {%- set lowered = text | lower -%}
    {%- for i in range(text | length) -%}
        {%- set ch = text[i] -%}
        {%- if ch == "'" -%}
            {%- do state.update({'quoted': not state.quoted}) -%}
        {%- elif not state.quoted and ch == '(' -%}
            {%- do state.update({'depth': state.depth + 1}) -%}
        {%- elif not state.quoted and ch == ')' -%}
            {%- do state.update({'depth': state.depth - 1}) -%}
        {%- elif not state.quoted and state.depth == 0 -%}
            {%- set before = ' ' if i == 0 else lowered[i - 1] -%}
            {%- if lowered[i:i + 8] == 'between ' and before in ' (' -%}
                {%- do state.update({'between': true}) -%}
            {%- elif lowered[i:i + 4] == 'and ' and before in ' )' -%}
                {%- if state.between -%}
                    {%- do state.update({'between': false}) -%}
                {%- else -%}
                    {%- do parts.append(text[state.start:i] | trim) -%}
                    {%- do state.update({'start': i + 4}) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do parts.append(text[state.start:] | trim) -%}
    {{ return(parts | reject('equalto', '') | list) }}
{%- endmacro %}

{#- The feature columns a rule reads (in order of first use). -#}
{% macro rule_input_columns(rule_sql, feature_columns) -%}
    {%- set found = [] -%}
    {%- for word in modules.re.findall('[A-Za-z_][A-Za-z0-9_]*', rule_without_literals(rule_sql)) -%}
        {%- if word | lower in feature_columns and word | lower not in found -%}
            {%- do found.append(word | lower) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{#- The problems of one rule, as messages (empty when the rule is fine). feature_columns maps
    each column name to its type family: 'text', 'number', 'fraction', 'boolean', 'date'. -#}
{% macro rule_problems(rule_sql, feature_columns) -%}
    {%- set problems = [] -%}
    {%- set text = (rule_sql or '') | trim -%}
    {%- if text == '' -%}
        {{ return(['the rule is empty']) }}
    {%- endif -%}
    {%- if (text | replace("''", '')).count("'") % 2 == 1 -%}
        {{ return(['syntax error: a string literal is not closed (odd number of quotes)']) }}
    {%- endif -%}
    {%- set bare = rule_without_literals(text) | lower -%}
    {%- if bare.count('(') != bare.count(')') -%}
        {%- do problems.append('syntax error: unbalanced parentheses') -%}
    {%- endif -%}
    {%- if ';' in bare or modules.re.search('\\b(select|insert|update|delete|drop|create|alter|grant|union)\\b', bare) -%}
        {%- do problems.append('a rule is one boolean expression over feature columns: no statements, subqueries or semicolons') -%}
    {%- endif -%}
    {%- if modules.re.search('\\b(and|or|not)\\s*(\\)|$)|(^|\\()\\s*(and|or)\\b|\\b(and|or)\\s+(and|or)\\b', bare) -%}
        {%- do problems.append('syntax error: a condition is missing next to and/or/not') -%}
    {%- endif -%}
    {%- for word in modules.re.findall('[a-z_][a-z0-9_]*', modules.re.sub('\\b[0-9][0-9_.e]*\\b', ' ', bare)) -%}
        {%- if word not in feature_columns and word not in rule_sql_words() -%}
            {%- set message = "unknown column '" ~ word ~ "' (not a column of int_lead_features_wide)" -%}
            {%- if message not in problems -%}
                {%- do problems.append(message) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {#- column <op> literal and column in (literals): the literal must fit the column's type -#}
    {%- set comparisons = modules.re.findall(
        "([a-z_][a-z0-9_]*)\\s*(?:=|<>|!=|<=|>=|<|>|\\bnot\\s+in\\b|\\bin\\b)\\s*\\(?\\s*('(?:[^']|'')*'|-?[0-9][0-9.]*|true\\b|false\\b)",
        text | lower) -%}
    {%- for column, literal in comparisons -%}
        {%- set family = feature_columns.get(column) -%}
        {%- set family = 'number' if family == 'fraction' else family -%}
        {%- set literal_family = 'text' if literal.startswith("'") else ('boolean' if literal in ('true', 'false') else 'number') -%}
        {%- if family is not none and family != 'date' and family != literal_family -%}
            {%- do problems.append("type mismatch: " ~ column ~ " is " ~ family ~ " but is compared with " ~ literal_family ~ " " ~ literal) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(problems) }}
{%- endmacro %}

{#- Column name → type family of a relation: for rule validation, and so rule inputs can
    write fractions the same way on every engine ('fraction' is a number with decimals). -#}
{% macro rule_feature_columns(relation) -%}
    {%- set columns = {} -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- set data_type = (column.data_type or '') | lower -%}
        {%- if 'bool' in data_type -%}
            {%- set family = 'boolean' -%}
        {%- elif 'char' in data_type or 'text' in data_type or 'string' in data_type -%}
            {%- set family = 'text' -%}
        {%- elif 'date' in data_type or 'time' in data_type -%}
            {%- set family = 'date' -%}
        {%- elif modules.re.search('double|float|real|numeric|decimal', data_type) -%}
            {%- set family = 'fraction' -%}
        {%- else -%}
            {%- set family = 'number' -%}
        {%- endif -%}
        {%- do columns.update({(column.name or '') | lower: family}) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#- Raise one error listing every problem of every rule (kind: 'segment' or 'scoring rule'). -#}
{% macro validate_rules(rules, id_column, rule_column, feature_columns, kind) -%}
    {%- set messages = [] -%}
    {%- for rule in rules -%}
        {%- for problem in rule_problems(rule[rule_column], feature_columns) -%}
            {%- do messages.append(kind ~ " '" ~ rule[id_column] ~ "': " ~ problem ~ "\n    rule: " ~ rule[rule_column]) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if messages | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "invalid " ~ kind ~ " definitions (nothing was written; fix the seed and re-run):\n  "
            ~ messages | join("\n  ")) }}
    {%- endif -%}
{%- endmacro %}
