"""The source policy (data/README.md, "Sources"): which hosts count as official, which are refused.

Pure and small: the audit classes every cited page with it, and a test refuses a dataset that cites
a refused host. A curator may mark a page `provider` (the provider's own page about its own course)
or `secondary`; only an official host may be marked `official`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Government, the nations' bodies, the NHS, regulators, Skills England and professional bodies.
OFFICIAL_HOSTS = (
    r"(.+\.)?gov\.uk",
    r"(.+\.)?gov\.scot",
    r"(.+\.)?gov\.wales",
    r"(.+\.)?llyw\.cymru",
    r"(.+\.)?nhs\.uk",
    r"(.+\.)?nhs\.scot",
    r"(.+\.)?nhs\.wales",
    r"(.+\.)?hscni\.net",
    r"(.+\.)?mod\.uk",
    r"(.+\.)?ons\.gov\.uk",
    r"(.+\.)?instituteforapprenticeships\.org",
    r"(.+\.)?skillsdevelopmentscotland\.co\.uk",
    r"(.+\.)?apprenticeships\.scot",
    r"(.+\.)?myworldofwork\.co\.uk",
    r"(.+\.)?careerswales\.gov\.wales",
    r"(.+\.)?medr\.cymru",
    r"(.+\.)?ukstandards\.org\.uk",  # National Occupational Standards
    r"(.+\.)?hcpc-uk\.org",
    r"(.+\.)?pharmacyregulation\.org",
    r"(.+\.)?nmc\.org\.uk",
    r"(.+\.)?rpharms\.com",  # Royal Pharmaceutical Society
    r"(.+\.)?rsc\.org",  # Royal Society of Chemistry
    r"(.+\.)?ibms\.org",  # Institute of Biomedical Science
    r"(.+\.)?rsb\.org\.uk",  # Royal Society of Biology
    r"(.+\.)?topra\.org",  # The Organisation for Professionals in Regulatory Affairs
    r"(.+\.)?sciencecouncil\.org",
    r"(.+\.)?catapult\.org\.uk",  # the CGT Catapult, the sector's Innovate UK centre
    r"(.+\.)?ukri\.org",
    r"(.+\.)?sqa\.org\.uk",
    r"(.+\.)?saas\.gov\.uk",
    r"(.+\.)?studentfinancewales\.co\.uk",
    r"(.+\.)?studentfinanceni\.co\.uk",
    r"(.+\.)?ukas\.com",  # the UK's national accreditation body
    r"(.+\.)?slc\.co\.uk",  # the Student Loans Company, the government's student finance body
    r"(.+\.)?nibusinessinfo\.co\.uk",  # Invest NI's official business site; DfE NI writes its apprenticeship pages
    r"(.+\.)?nshcs\.org\.uk",  # NHS England's National School of Healthcare Science (curriculum library)
    r"(.+\.)?ahcs\.ac\.uk",  # Academy for Healthcare Science, which runs the STP equivalence route
    r"(.+\.)?assclinsci\.org",  # Association of Clinical Scientists, the HCPC-approved assessor
    r"(.+\.)?bshi\.org\.uk",  # British Society for Histocompatibility and Immunogenetics
    r"(.+\.)?advancedtherapiesapprenticeships\.co\.uk",  # ATAC, the CGT Catapult's apprenticeship community
    r"(.+\.)?atskillstrainingnetwork\.org\.uk",  # ATSTN, the Advanced Therapies Skills Training Network
)

# Refused as evidence, each with the reason a curator is told.
REFUSED_HOSTS: tuple[tuple[str, str], ...] = (
    (r"(.+[.-])?dev[0-9-]*\..+|.+dev\.co\.uk|.+\.platformsh\.site", "a development host"),
    (r"pp-.+|.*preprod.*|.*staging.*", "a pre-production host"),
    (r"admin\..+", "an admin host"),
    (r"api\..+", "an API host, not a page for people"),
    (
        r"(.+\.)?(scribd\.com|studylib\.net|businessdocbox\.com|docslib\.org|vdocuments\.\w+|pdfslide\.\w+|"
        r"dokumen\.tips|slideshare\.net|issuu\.com|yumpu\.com|joomag\.com|5y1\.org|documents\.pub|pdfcoffee\.com)",
        "a document mirror",
    ),
    (r"(.+\.)?(masterymind\.co\.uk|laboratorynotes\.com|pharmasopworld\.com|hackmd\.io)", "a revision or notes site"),
    (r"(.+\.)?(torchora\.com|jobdescription\.org|biotalent\.ca)", "a foreign job-specification site"),
    (r"(.+\.)?(biotechbestie\.com|reddit\.mailt\.ovh|theantlersamerican\.com|theweldingacademy\.com)", "a blog"),
    (r"blogs?\..+|(.+\.)?notgoingtouni\.co\.uk", "a blog"),
    (
        r"(.+\.)?(wiseorigin\.co\.uk|apprenticeteam\.org|apprenticeshipguide\.co\.uk)",
        "a training provider's funding explainer: name the rule in data/funding.yaml instead",
    ),
)

_official = re.compile("|".join(f"(?:{p})" for p in OFFICIAL_HOSTS))
_refused = [(re.compile(p), why) for p, why in REFUSED_HOSTS]
_university = re.compile(r"(.+\.)?ac\.uk")


def host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def refusal(url: str) -> str | None:
    """Why this page may not be cited as evidence, or None if it may."""
    name = host(url)
    for pattern, why in _refused:
        if pattern.fullmatch(name):
            return why
    return None


def is_official(url: str) -> bool:
    return bool(_official.fullmatch(host(url)))


def default_kind(url: str) -> str:
    """The class a page gets when nobody has said otherwise: official by host; a university's or
    college's own page is its provider's; anything else secondary."""
    if is_official(url):
        return "official"
    if _university.fullmatch(host(url)):
        return "provider"
    return "secondary"
