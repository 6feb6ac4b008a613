"""Small reference vocabularies of the demo world (enums, spellings, weights).

Names, companies, cities, phone numbers, blog titles and job-title long tails come from
Faker (see ``pools.py``); what is here is the structure a B2B funnel needs: picklist
values, countries and how exports spell them, title grammar, site map, traffic sources.
"""

from __future__ import annotations

VENDOR_NAME = "Lumora"
VENDOR_HOST = "www.lumora.io"
VENDOR_DOMAIN = "lumora.io"

# iso2, iso3, English name, native name, Faker locale, weight, tld, fit effect
COUNTRIES: list[tuple[str, str, str, str, str, float, str, float]] = [
    ("US", "USA", "United States", "United States", "en_US", 0.40, "com", 0.25),
    ("GB", "GBR", "United Kingdom", "United Kingdom", "en_GB", 0.10, "co.uk", 0.2),
    ("DE", "DEU", "Germany", "Deutschland", "de_DE", 0.08, "de", 0.15),
    ("FR", "FRA", "France", "France", "fr_FR", 0.05, "fr", 0.0),
    ("CA", "CAN", "Canada", "Canada", "en_CA", 0.05, "ca", 0.15),
    ("ES", "ESP", "Spain", "España", "es_ES", 0.03, "es", -0.1),
    ("NL", "NLD", "Netherlands", "Nederland", "nl_NL", 0.04, "nl", 0.15),
    ("AU", "AUS", "Australia", "Australia", "en_AU", 0.03, "com.au", 0.1),
    ("IN", "IND", "India", "Bhārat", "en_IN", 0.05, "in", -0.4),
    ("BR", "BRA", "Brazil", "Brasil", "pt_BR", 0.03, "com.br", -0.3),
    ("IT", "ITA", "Italy", "Italia", "it_IT", 0.02, "it", -0.1),
    ("SE", "SWE", "Sweden", "Sverige", "sv_SE", 0.02, "se", 0.1),
    ("CH", "CHE", "Switzerland", "Schweiz", "de_CH", 0.02, "ch", 0.2),
    ("MX", "MEX", "Mexico", "México", "es_MX", 0.02, "com.mx", -0.3),
    ("PL", "POL", "Poland", "Polska", "pl_PL", 0.02, "pl", -0.2),
    ("IE", "IRL", "Ireland", "Éire", "en_IE", 0.02, "ie", 0.1),
    ("DK", "DNK", "Denmark", "Danmark", "da_DK", 0.01, "dk", 0.1),
    ("AT", "AUT", "Austria", "Österreich", "de_AT", 0.01, "at", 0.1),
]

# canonical industry, weight, fit effect, spellings seen in exports
INDUSTRIES: list[tuple[str, float, float, list[str]]] = [
    (
        "Technology",
        0.24,
        0.7,
        [
            "Technology",
            "Computer Software",
            "Software",
            "SaaS",
            "Information Technology",
            "Hi-Tech",
        ],
    ),
    ("Financial Services", 0.12, 0.5, ["Financial Services", "Finance", "Banking", "FinTech"]),
    ("Healthcare", 0.08, 0.0, ["Healthcare", "Health Care", "Hospital & Health Care"]),
    ("Manufacturing", 0.08, -0.2, ["Manufacturing", "Industrial Automation"]),
    ("Retail", 0.08, 0.3, ["Retail", "E-Commerce", "eCommerce", "Consumer Goods"]),
    ("Education", 0.05, -0.8, ["Education", "Higher Education", "E-Learning"]),
    ("Government", 0.03, -1.0, ["Government", "Government Administration", "Public Sector"]),
    ("Media", 0.05, 0.1, ["Media", "Marketing and Advertising", "Publishing"]),
    ("Telecommunications", 0.04, 0.2, ["Telecommunications", "Telecom"]),
    ("Consulting", 0.07, 0.1, ["Consulting", "Management Consulting", "Professional Services"]),
    ("Insurance", 0.04, 0.3, ["Insurance"]),
    ("Energy", 0.03, -0.3, ["Energy", "Utilities", "Oil & Energy"]),
    ("Transportation", 0.03, -0.2, ["Transportation", "Logistics and Supply Chain"]),
    ("Hospitality", 0.02, -0.4, ["Hospitality", "Hotels & Travel"]),
    ("Non-Profit", 0.02, -0.9, ["Non-Profit", "Nonprofit Organization Management", "NGO"]),
    ("Real Estate", 0.02, -0.2, ["Real Estate"]),
]

# technographics: tool, prevalence, fit effect
TECH: list[tuple[str, float, float]] = [
    ("Salesforce", 0.45, 0.4),
    ("HubSpot", 0.30, 0.2),
    ("Marketo", 0.12, 0.3),
    ("Pardot", 0.08, 0.2),
    ("Snowflake", 0.18, 0.5),
    ("BigQuery", 0.14, 0.4),
    ("Redshift", 0.08, 0.2),
    ("Databricks", 0.08, 0.3),
    ("dbt", 0.10, 0.5),
    ("Segment", 0.12, 0.5),
    ("Google Analytics", 0.60, 0.0),
    ("Mixpanel", 0.06, 0.2),
    ("Amplitude", 0.06, 0.2),
    ("Looker", 0.08, 0.3),
    ("Tableau", 0.14, 0.1),
    ("Power BI", 0.15, 0.0),
    ("Zendesk", 0.20, 0.0),
    ("Intercom", 0.10, 0.1),
    ("Slack", 0.55, 0.0),
    ("Outreach", 0.07, 0.3),
    ("Gong", 0.06, 0.3),
    ("AWS", 0.40, 0.1),
    ("Azure", 0.20, 0.0),
    ("Google Cloud", 0.12, 0.1),
    ("Shopify", 0.06, -0.1),
    ("WordPress", 0.25, -0.2),
]

# seniority: key, weight, fit effect
SENIORITIES: list[tuple[str, float, float]] = [
    ("c_level", 0.05, 0.9),
    ("vp", 0.07, 1.0),
    ("head", 0.05, 0.8),
    ("director", 0.12, 0.7),
    ("manager", 0.22, 0.3),
    ("senior_ic", 0.14, 0.0),
    ("ic", 0.19, -0.3),
    ("student", 0.05, -2.0),
    ("unknown", 0.08, -0.5),
]
# department: key, display name, short name, weight, fit effect
DEPARTMENTS: list[tuple[str, str, str, float, float]] = [
    ("marketing", "Marketing", "Marketing", 0.24, 0.6),
    ("sales", "Sales", "Sales", 0.14, 0.3),
    ("revops", "Revenue Operations", "RevOps", 0.05, 0.8),
    ("growth", "Growth", "Growth", 0.04, 0.6),
    ("data", "Data & Analytics", "Analytics", 0.11, 0.6),
    ("engineering", "Engineering", "Engineering", 0.16, 0.0),
    ("it", "Information Technology", "IT", 0.07, -0.1),
    ("product", "Product", "Product", 0.07, 0.2),
    ("finance", "Finance", "Finance", 0.05, -0.4),
    ("operations", "Operations", "Operations", 0.04, -0.2),
    ("hr", "Human Resources", "HR", 0.03, -0.8),
]
C_LEVEL = {
    "marketing": ["CMO", "Chief Marketing Officer"],
    "sales": ["CRO", "Chief Revenue Officer", "Chief Sales Officer"],
    "revops": ["Chief Revenue Officer"],
    "growth": ["Chief Growth Officer"],
    "data": ["Chief Data Officer", "CDO", "Chief Analytics Officer"],
    "engineering": ["CTO", "Chief Technology Officer", "Co-Founder & CTO"],
    "it": ["CIO", "Chief Information Officer"],
    "product": ["Chief Product Officer", "CPO"],
    "finance": ["CFO", "Chief Financial Officer"],
    "operations": [
        "COO",
        "Chief Operating Officer",
        "CEO",
        "Founder & CEO",
        "Co-Founder",
        "Owner",
        "President",
        "Managing Director",
        "Geschäftsführer",
    ],
    "hr": ["Chief People Officer", "CHRO"],
}
TITLE_TEMPLATES = {
    "vp": [
        "VP {s}",
        "VP of {d}",
        "Vice President, {d}",
        "Vice President of {d}",
        "SVP {d}",
        "EVP, {d}",
        "VP, {s}",
    ],
    "head": ["Head of {d}", "Head of {s}", "Global Head of {d}"],
    "director": [
        "Director of {d}",
        "{d} Director",
        "Sr. Director, {d}",
        "Senior Director {s}",
        "Director, {s}",
    ],
    "manager": [
        "{d} Manager",
        "Manager, {d}",
        "Sr. {s} Manager",
        "Senior {d} Manager",
        "{s} Lead",
        "Team Lead {s}",
    ],
}
IC_TITLES = {
    "marketing": [
        "Marketing Specialist",
        "Marketing Coordinator",
        "Demand Generation Specialist",
        "Content Marketer",
        "Marketing Operations Specialist",
        "Growth Marketer",
    ],
    "sales": [
        "Account Executive",
        "Sales Development Representative",
        "SDR",
        "BDR",
        "Account Manager",
        "Sales Representative",
    ],
    "revops": ["Revenue Operations Analyst", "Sales Operations Analyst", "RevOps Specialist"],
    "growth": ["Growth Analyst", "Growth Hacker"],
    "data": [
        "Data Analyst",
        "Data Scientist",
        "Analytics Engineer",
        "BI Analyst",
        "Business Intelligence Developer",
        "Data Engineer",
    ],
    "engineering": [
        "Software Engineer",
        "Software Developer",
        "Developer",
        "DevOps Engineer",
        "Full Stack Developer",
        "Backend Engineer",
        "SWE",
    ],
    "it": ["IT Specialist", "System Administrator", "IT Consultant"],
    "product": ["Product Manager", "Product Owner", "UX Designer"],
    "finance": ["Financial Analyst", "Accountant", "Controller"],
    "operations": ["Operations Analyst", "Business Analyst", "Consultant", "Project Manager"],
    "hr": ["Recruiter", "HR Generalist", "Talent Acquisition Specialist"],
}
SENIOR_PREFIXES = ["Senior {t}", "Sr. {t}", "Sr {t}", "Lead {t}", "Principal {t}", "Staff {t}"]
STUDENT_TITLES = [
    "Student",
    "Intern",
    "{s} Intern",
    "Working Student",
    "Graduate Student",
    "PhD Candidate",
    "MBA Candidate",
    "student",
    "Werkstudent",
]
JUNK_TITLES = ["-", "n/a", "N/A", "test", "x", "Other", "none", "asdf", "."]

FREE_MAIL = [
    ("gmail.com", 0.55),
    ("yahoo.com", 0.08),
    ("hotmail.com", 0.08),
    ("outlook.com", 0.08),
    ("icloud.com", 0.05),
    ("aol.com", 0.02),
    ("gmx.de", 0.04),
    ("web.de", 0.03),
    ("yahoo.co.uk", 0.02),
    ("orange.fr", 0.02),
    ("proton.me", 0.02),
    ("live.com", 0.01),
]

# lead source, weight, fit effect, probability of web activity, identifies via web form
LEAD_SOURCES: list[tuple[str, float, float, float, bool]] = [
    ("Web", 0.22, 0.3, 1.0, True),
    ("Organic Search", 0.12, 0.2, 1.0, True),
    ("Paid Search", 0.09, 0.0, 1.0, True),
    ("LinkedIn", 0.07, 0.1, 0.95, True),
    ("Content Syndication", 0.08, -0.4, 0.4, False),
    ("Webinar", 0.08, 0.3, 0.9, True),
    ("Trade Show", 0.07, 0.1, 0.45, False),
    ("Referral", 0.05, 0.8, 0.7, False),
    ("Partner", 0.05, 0.5, 0.6, False),
    ("Purchased List", 0.07, -0.8, 0.25, False),
    ("Cold Call", 0.04, -0.3, 0.3, False),
    ("Other", 0.03, -0.2, 0.5, False),
    ("Employee Referral", 0.01, 0.6, 0.7, False),
]

OPEN_STAGES = [
    ("Prospecting", 10),
    ("Qualification", 20),
    ("Needs Analysis", 30),
    ("Value Proposition", 40),
    ("Id. Decision Makers", 50),
    ("Perception Analysis", 60),
    ("Proposal/Price Quote", 75),
    ("Negotiation/Review", 90),
]
CONTACT_ROLES = [
    "Decision Maker",
    "Economic Buyer",
    "Evaluator",
    "Technical Buyer",
    "Influencer",
    "Business User",
    "Executive Sponsor",
]

# site map: category, weight as a next page, path template
PRODUCT_PAGES = [
    "segmentation",
    "lead-scoring",
    "analytics",
    "data-warehouse",
    "enrichment",
    "activation",
    "security",
    "ai-insights",
]
INTEGRATIONS = [
    "salesforce",
    "hubspot",
    "snowflake",
    "bigquery",
    "segment",
    "marketo",
    "dbt",
    "slack",
    "linkedin-ads",
    "google-ads",
    "redshift",
    "databricks",
]
DOC_PAGES = [
    "getting-started",
    "quickstart",
    "installation",
    "concepts/segments",
    "concepts/scoring",
    "concepts/identity-resolution",
    "api",
    "api/authentication",
    "api/leads",
    "api/segments",
    "api/webhooks",
    "sdk/python",
    "sdk/javascript",
    "integrations/salesforce",
    "integrations/hubspot",
    "integrations/snowflake",
    "integrations/dbt",
    "guides/first-segment",
    "guides/scoring-model",
    "faq",
    "changelog",
    "security/sso",
    "limits",
    "troubleshooting",
]
OTHER_PAGES = [
    ("/about", "About us"),
    ("/contact", "Contact sales"),
    ("/security", "Security & compliance"),
    ("/legal/privacy", "Privacy policy"),
    ("/partners", "Partners"),
    ("/customers", "Customer stories"),
    ("/careers", "Careers"),
    ("/blog", "Blog"),
    ("/docs", "Documentation"),
    ("/webinars", "Webinars & events"),
    ("/integrations", "Integrations"),
]

# traffic source: key, weight (anonymous/known), referrer, utm source, utm medium
TRAFFIC: list[tuple[str, float, str | None, str | None, str | None]] = [
    ("direct", 0.26, None, None, None),
    ("google", 0.30, "https://www.google.com/", None, None),
    ("bing", 0.03, "https://www.bing.com/", None, None),
    ("duckduckgo", 0.02, "https://duckduckgo.com/", None, None),
    ("linkedin", 0.06, "https://www.linkedin.com/", None, None),
    ("google_cpc", 0.08, "https://www.google.com/", "google", "cpc"),
    ("linkedin_ads", 0.05, "https://www.linkedin.com/", "linkedin", "paid_social"),
    ("g2", 0.03, "https://www.g2.com/products/lumora/reviews", None, None),
    ("hn", 0.01, "https://news.ycombinator.com/", None, None),
    ("reddit", 0.02, "https://www.reddit.com/r/analytics/", None, None),
    ("twitter", 0.02, "https://t.co/", "twitter", "social"),
    ("partner", 0.03, "https://partners.example.org/blog/lead-scoring", "partner", "referral"),
    ("newsletter", 0.04, None, "newsletter", "email"),
    ("capterra", 0.02, "https://www.capterra.com/", "capterra", "referral"),
    ("chatgpt", 0.03, "https://chatgpt.com/", None, None),
]
PAID_TERMS = [
    "lead scoring software",
    "b2b segmentation",
    "customer data platform",
    "predictive lead scoring",
    "lumora pricing",
    "lumora",
    "account based marketing",
    "marketing analytics tool",
    "salesforce lead scoring",
    "dbt marketing models",
]

BOT_USER_AGENTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; "
    "+http://www.google.com/bot.html) Chrome/126.0.6478.126 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/124.0.6367.60 Safari/537.36",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36 (compatible; GPTBot/1.2; +https://openai.com/gptbot)",
]
# modern browser templates: template, weight, is_mobile ({v} major version, {i} iOS version)
UA_TEMPLATES: list[tuple[str, float, bool]] = [
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/{v}.0.0.0 Safari/537.36",
        0.34,
        False,
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/{v}.0.0.0 Safari/537.36",
        0.18,
        False,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/{v}.0.0.0 Safari/537.36 Edg/{v}.0.{b}.{p}",
        0.09,
        False,
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/{s} Safari/605.1.15",
        0.08,
        False,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{f}.0) Gecko/20100101 Firefox/{f}.0",
        0.05,
        False,
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/{v}.0.0.0 Safari/537.36",
        0.02,
        False,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS {i} like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/{s} Mobile/15E148 Safari/604.1",
        0.12,
        True,
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/{v}.0.0.0 Mobile Safari/537.36",
        0.08,
        True,
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS {i} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/{s} Mobile/15E148 Safari/604.1",
        0.02,
        True,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS {i} like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.30.1",
        0.02,
        True,
    ),
]
