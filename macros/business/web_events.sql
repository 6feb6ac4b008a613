{#- Segment Email spec events (as snake_case slugs): sent by the email tool, about a recipient. -#}
{% macro email_event_names() -%}
    {{ return(['email_delivered', 'email_opened', 'email_link_clicked', 'email_bounced', 'unsubscribed', 'email_marked_as_spam']) }}
{%- endmacro %}

{#- A form submission: a track that names a form, or a submit/request event by name. -#}
{% macro is_form_submission(event_name, form_id) -%}
    (
        {{ form_id }} is not null
        or {{ event_name }} in ('form_submitted', 'demo_requested', 'trial_started', 'contact_requested', 'signed_up', 'webinar_registered')
    )
{%- endmacro %}
