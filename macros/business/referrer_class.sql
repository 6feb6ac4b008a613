{#- Where a session came from: paid / email / social / search / referral / direct.
    UTM medium wins (it is what the marketer tagged), then the referring host. A referrer on
    the site's own host counts as direct (an internal navigation after a timeout). -#}
{% macro referrer_class(utm_medium, referrer_host, page_host) -%}
    case
        when lower({{ utm_medium }}) in (
            'cpc', 'ppc', 'paid', 'paid_search', 'paidsearch', 'paid_social', 'paidsocial',
            'display', 'cpm', 'cpv', 'banner', 'retargeting', 'sponsored', 'ads'
        ) then 'paid'
        when lower({{ utm_medium }}) in ('email', 'e-mail', 'e_mail', 'newsletter') then 'email'
        when lower({{ utm_medium }}) in ('social', 'social-network', 'social_media', 'sm', 'organic_social')
            then 'social'
        when lower({{ utm_medium }}) in ('organic', 'seo') then 'search'
        when {{ referrer_host }} is null or {{ referrer_host }} = '' then 'direct'
        when lower({{ referrer_host }}) = lower({{ page_host }}) then 'direct'
        when lower({{ referrer_host }}) like '%google.%'
            or lower({{ referrer_host }}) like '%bing.com'
            or lower({{ referrer_host }}) like '%duckduckgo.com'
            or lower({{ referrer_host }}) like '%search.yahoo.%'
            or lower({{ referrer_host }}) like '%yandex.%'
            or lower({{ referrer_host }}) like '%baidu.com'
            or lower({{ referrer_host }}) like '%ecosia.org'
            or lower({{ referrer_host }}) like '%search.brave.com'
            then 'search'
        when lower({{ referrer_host }}) like '%mail.%'
            or lower({{ referrer_host }}) like '%outlook.%'
            then 'email'
        when lower({{ referrer_host }}) in ('t.co', 'lnkd.in')
            or lower({{ referrer_host }}) like '%linkedin.com'
            or lower({{ referrer_host }}) like '%facebook.com'
            or lower({{ referrer_host }}) like '%twitter.com'
            or lower({{ referrer_host }}) = 'x.com'
            or lower({{ referrer_host }}) like '%instagram.com'
            or lower({{ referrer_host }}) like '%reddit.com'
            or lower({{ referrer_host }}) like '%youtube.com'
            or lower({{ referrer_host }}) like '%news.ycombinator.com'
            then 'social'
        else 'referral'
    end
{%- endmacro %}

{#- The host of a URL: text between '://' and the next '/', without a port. -#}
{% macro url_host(url) -%}
    lower({{ dbt.split_part(dbt.split_part(dbt.split_part(url, "'://'", 2), "'/'", 1), "':'", 1) }})
{%- endmacro %}
