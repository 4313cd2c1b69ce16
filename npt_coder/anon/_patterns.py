"""The pattern pass: regular expressions (and check digits) for identifiers that have a shape.

Each detector returns :class:`~npt_coder.anon._types.Candidate` objects; overlaps between them (and with the NER
pass and the deny list) are resolved in :mod:`npt_coder.anon._detect`. Patterns are written for British English
transcripts: UK phone numbers and postcodes, NHS numbers, day-month dates.
"""

from __future__ import annotations

import re

from ._names import AMBIGUOUS_NAMES, GIVEN_NAMES
from ._places import AMBIGUOUS_PLACES, PLACES
from ._types import Candidate

__all__ = [
    "GENERIC_TERMS",
    "NAME_STOPWORDS",
    "LOCATIVE",
    "PRIORITY",
    "SITE_HEADS",
    "SITE_MODIFIERS",
    "age_name_span",
    "auto_skip_spans",
    "locative_before",
    "looks_like_id",
    "nhs_number_valid",
    "pattern_candidates",
    "sentence_start",
]

# Upper- and lower-case letters, Latin-1 included (stdlib ``re`` has no \p{Lu}).
UP = "A-ZÀ-ÖØ-Þ"
LO = "a-zß-öø-ÿ"
# A capitalised name word: Jamie, O'Brien, McDonald, Smith-Jones, Zoë (not the possessive 's).
NAME = rf"[{UP}](?:['’][{UP}])?[{LO}]+(?:[{UP}][{LO}]+)?(?:-[{UP}][{LO}]+)?"
# A capitalised word in a site name (St, King's, 6th-form...).
ORGW = rf"(?:[{UP}][\w'’&\-]*|[0-9]+(?:st|nd|rd|th))"

#: Priority of a candidate when spans overlap: the higher one is kept, the lower one is cut or dropped.
PRIORITY = {
    ("url", "pattern"): 100, ("email", "pattern"): 95, ("nhs_number", "pattern"): 90, ("phone", "pattern"): 88,
    ("postcode", "pattern"): 85, ("address", "pattern"): 82, ("date", "pattern"): 80,
    ("age_with_name", "pattern"): 75, ("school", "pattern"): 70, ("organisation", "pattern"): 68,
    ("person", "pattern"): 65, ("deny_list", "deny-list"): 60, ("person", "ner"): 55, ("school", "ner"): 50,
    ("organisation", "ner"): 45, ("place", "ner"): 45, ("place", "pattern"): 47,
}
#: Prepositions that put a following proper noun in a place ("in Leeds", "from Bradford").
LOCATIVE = frozenset("in at from to near around outside into towards toward across round of via between".split())
_TO_PERSON_VERBS = frozenset(
    """said say says spoke speak speaks talked talk talks told wrote write writes sent send sends gave give gives
    explained mentioned listened listen referred refer handed hand passed pass introduced introduce went""".split()
)

# Capitalised words that start sentences or name roles and relations, never a person.
NAME_STOPWORDS = frozenset(
    """the a an and but or so he she they we i it you his her their our my your this that these those then when
    us them me him myself yourself ourselves themselves mine yours ours theirs
    what where why how who which there here yes no yeah yep okay ok um erm er uh mm hmm well oh right so if
    because as at in on to from for with by of after before during since until while about like just also
    mum mam mother dad father son daughter brother sister baby child children kid kids boy boys girl girls
    nan nana grandma grandad granddad auntie aunty uncle cousin family parent parents carer carers partner
    husband wife year years age aged month months week weeks day days time today yesterday tomorrow
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    interviewer interviewee participant respondent facilitator researcher moderator speaker practitioner
    worker social school nursery teacher head manager team staff police health council court hospital
    doctor nurse gp dr mr mrs ms miss mx sir professor chapter section page number case step level stage
    group room class form key early help ofsted mash camhs send sen ehcp nhs covid christmas easter
    god lord jesus english british uk england section phase wave round item question answer option
    everyone someone anyone nobody everybody somebody people person none both all some any each every
    another other others first second third last next number one two three four five six seven eight nine ten
    pupils students teenagers toddlers babies siblings twins adults families youngsters learners young
    """.split()
)

#: Words and acronyms that are never identifiers on their own (folded), e.g. service names every area has.
GENERIC_TERMS = frozenset(
    """early help|early help hub|early help team|ofsted|mash|the mash|multi-agency safeguarding hub|teams|
    microsoft teams|ms teams|zoom|skype|the school|school|schools|nhs|the nhs|nhs england|camhs|cahms|send|sen|
    senco|sendco|ehcp|ehc plan|dsl|cin|cp|lac|cla|iro|gp|a&e|covid|covid-19|covid 19|coronavirus|
    children's services|childrens services|children's social care|childrens social care|social care|
    social services|adult social care|local authority|the local authority|la|the council|council|police|
    the police|front door|the front door|mast|family hub|family hubs|youth offending team|yot|youth justice|
    troubled families|supporting families|signs of safety|dfe|department for education|government|
    home office|nspcc|barnardo's|barnardos|action for children|childline|eclipse|mosaic|liquidlogic|lcs|ehm|
    excel|word|outlook|sharepoint|onedrive|whatsapp|facebook|google|youtube|instagram|snapchat|tiktok|
    interviewer|interviewee|participant|facilitator|researcher|respondent|moderator|speaker|practitioner|
    yeah|okay|ok|um|erm|mm|hmm|brexit|england|uk|britain|great britain|united kingdom|scotland|wales|
    northern ireland|europe|virtual school|the virtual school|forest school|sunday school|
    primary school|secondary school|high school|special school|nursery|the nursery|the hospital|hospital|
    the surgery|gp surgery|the gp|a&e department|the trust|the academy|academy|the college|college|
    safeguarding partnership|the partnership|lscp|lscb|cafcass|the court|family court|court|
    the home office|dwp|universal credit|housing|the housing|police station|children's centre|
    the children's centre|family centre|the family centre|health visiting|health visitor|school nurse|
    edge of care|the edge of care team|mst|fft|dbs|ssp|pep|cpd|ict|it|hr|sla|kpi|ai|q&a|covid times|
    lockdown|the lockdown|dob|d.o.b|nhs number|christmas|easter|ramadan|eid|diwali|god|jesus|bible|quran"""
    .replace("\n", "").split("|")
)
GENERIC_TERMS = frozenset(" ".join(t.split()) for t in GENERIC_TERMS)

# ----------------------------------------------------------------------------------------------------------
# Every pattern starts with a literal or a small character class (so ``re`` can skip ahead quickly); what a
# pattern needs before its first character (a word boundary, a name before an age) is checked in Python.

# Contact details
_EMAIL_AT = re.compile(r"@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
_EMAIL_LOCAL = re.compile(r"[\w.+'-]{1,64}\Z")
_URL_PREFIX = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+")
_URL_TLD = re.compile(
    r"\.(?:co\.uk|org\.uk|gov\.uk|nhs\.uk|ac\.uk|sch\.uk|net\.uk|ltd\.uk|police\.uk|com|org|net|uk|io|info|biz)"
    r"(?![\w@-]|\.[\w])(?:/[^\s<>\"'()\[\]]*)?"
)
_URL_HOST = re.compile(r"[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\Z")
_PHONES = (
    re.compile(r"0[1235789](?:[ \-)]{0,2}[0-9]){8,9}(?![0-9])(?![ -][0-9])"),
    re.compile(r"\(0[1235789](?:[ \-)]{0,2}[0-9]){8,9}(?![0-9])(?![ -][0-9])"),
    re.compile(r"\+\s?44\s?(?:\(0\)\s?)?[1235789](?:[ \-)]{0,2}[0-9]){8,9}(?![0-9])(?![ -][0-9])"),
    re.compile(r"0044\s?(?:\(0\)\s?)?[1235789](?:[ \-)]{0,2}[0-9]){8,9}(?![0-9])(?![ -][0-9])"),
)
_NHS = re.compile(r"[0-9](?:[ -]?[0-9]){9}(?![ -]?[0-9])(?![\w/])")
_POSTCODE = re.compile(
    r"(?:[A-PR-UWYZ][A-HK-Y]?[0-9][0-9ABEHJKMNPRSTUVWXY]?|GIR)\s?[0-9][ABD-HJLNP-UW-Z]{2}(?![\w])"
)
_STREET = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Close|Lane|Ln|Drive|Way|Crescent|Cres|Grove|Place|Terrace|Gardens|Court"
    r"|Walk|Row|Hill|Park|Square|Sq|Mews|Rise|View|Green|Vale|Parade|Gate|Croft|Fold|Mount|Chase|Boulevard"
    r"|Approach|Meadow|Meadows|Yard|Garth|Wynd|Brow|Estate)"
)
_STREET_WORDS = frozenset(w.lower() for w in _STREET[3:-1].split("|"))
_ADDRESS = re.compile(
    rf"[0-9]{{1,4}}[A-Za-z]?(?:\s?[-–]\s?[0-9]{{1,4}}[A-Za-z]?)?,?\s+(?:{ORGW}\s+){{1,3}}(?i:{_STREET})\b"
)
_ADDRESS_PREFIX = re.compile(r"(?:(?:Flat|Apartment|Apt|Unit|Room)\s+[0-9]+[A-Za-z]?,?\s+)?(?:No\.?\s*)?\Z")

# Dates
_MONTH = (
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
)
_YEAR = r"(?:19|20)[0-9]{2}"
_DATE_DM = re.compile(rf"(?P<day>[0-9][0-9]?)(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR}\b)?")
_DATE_MD = re.compile(
    rf"{_MONTH}\s+(?:the\s+)?(?P<day>[0-9][0-9]?)(?:st|nd|rd|th)?\b(?!:|\.[0-9]|%)(?:,?\s+{_YEAR}\b)?"
)
_DATE_NUM = re.compile(r"([0-9][0-9]?)([/.\-])([0-9][0-9]?)\2((?:19|20)?[0-9]{2})(?![\w/]|[.\-][0-9])")
_DATE_ISO = re.compile(r"(?:19|20)[0-9]{2}-([0-9]{2})-([0-9]{2})(?![\w/\-])")
_DATE_DOB = re.compile(
    rf"(?:born\s+(?:on|in)|Born\s+(?:on|in)|date\s+of\s+birth|Date\s+of\s+birth|DOB\b|dob\b|D\.O\.B\.?|d\.o\.b\.?"
    rf"|birthday\s+(?:is|was|on)|birthday['’]s|Birthday\s+(?:is|was|on))"
    rf"(?:\s+(?:is|was))?\s*:?\s*(?:the\s+)?(?:in\s+)?"
    rf"(?P<d>{_MONTH}\s+{_YEAR}|{_YEAR})\b"
)
_DAY_BEFORE_BAD = set("£$.,") | set("0123456789")

# Names
_TITLE = (
    r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Rev|Revd|Reverend|Auntie|Aunty|Uncle|Nana|Grandma|Grandad"
    r"|Sergeant|Sgt|PC|DC|DS|DI|DCI|Inspector|Constable|Detective|Councillor|Cllr|Judge)"
)
_PERSON_TITLE = re.compile(rf"{_TITLE}\.?\s+(?P<n1>{NAME})(?:[ \t]+(?P<n2>{NAME}))?")
_NAME_REST = rf"(?:['’][{UP}])?[{LO}]+(?:[{UP}][{LO}]+)?(?:-[{UP}][{LO}]+)?"  # NAME after its first letter
_CAP_WORD = re.compile(rf"[{UP}](?<![\w'’\-][{UP}]){_NAME_REST}")
_NEXT_NAME = re.compile(rf"[ \t]+({NAME})")
_PLACE_FIRST = frozenset(p.split()[0] for p in PLACES)
_AGE_BEFORE_LAST = frozenset(
    "old son daughter boy girl child brother sister grandson granddaughter".split()
)
_RELATION_WORDS = frozenset(
    """son daughter brother sister sibling mum mam mother dad father stepson stepdaughter stepdad stepmum
    step-son step-daughter step-dad step-mum husband wife partner ex-partner ex boyfriend girlfriend grandson
    granddaughter nan nana grandma grandad niece nephew cousin friend neighbour colleague manager worker visitor
    teacher headteacher senco nurse midwife practitioner officer leader supervisor called named""".split()
)
_NAME_IS = re.compile(r"(?i:name\s+(?:is|was)|name['’]s)\s*\Z")
_AGE_ANCHORS = (
    re.compile(r"\s*\(\s*(?:aged?\s*)?[0-9]{1,2}(?:\s*(?:yrs?|years?)(?:\s*old)?)?\s*\)"),
    re.compile(r",?\s+(?:aged?|who\s+is|who's|who’s|who\s+was)\s+(?:(?:only|just|nearly|almost|now)\s+)?[0-9]{1,2}\b"
               r"(?:\s*(?:years?\s+old|yrs?|now))?"),
    re.compile(r"(?:,?\s+(?:is|was|turned|turns)|['’]s)\s+(?:(?:only|just|nearly|almost|now)\s+)?[0-9]{1,2}"
               r"(?:\s+years?\s+old|\s+now|(?=[.,;!?]))"),
    re.compile(r",\s+[0-9]{1,2}(?=,)"),
    re.compile(r",?\s+(?:she|he|they)(?:['’]s|\s+is|\s+was|['’]re|\s+are)\s+(?:(?:only|just|nearly|almost|now)\s+)?"
               r"[0-9]{1,2}(?:\s+years?\s+old|\s+now|(?=[.,;!?]))"),
)
_AGE_BEFORE = re.compile(
    r"[0-9]{1,2}[- ]years?[- ]old,?\s+(?:(?:son|daughter|boy|girl|child|brother|sister|grandson|granddaughter)"
    r"\s*,?\s+)?\Z"
)

# Sites
_CONNECT = r"(?:(?:of|the|and|&|on|upon|in|de|la|le)\s+)?"
_TAIL_WORD = (
    r"(?:School|Academy|College|Nursery|Infants|Juniors|Hospital|Infirmary|Hospice|Surgery|Centre|Clinic|Practice"
    r"|Council|Police|Constabulary|Trust|Church|Mosque|Synagogue|Gurdwara|Temple|Library|Club|Foodbank|Refuge|Home)\b"
)
# Up to five capitalised words before a site word, none of them a site word itself ("A Academy and B Academy").
_SITE_WORDS_BEFORE = re.compile(rf"(?<![\w'’&-])(?:(?!{_TAIL_WORD}){ORGW}\s+{_CONNECT}){{1,5}}\Z")
_SCHOOL_TAIL = re.compile(
    r"(?:School|Academy|College|Nursery|Pre-?[Ss]chool|Infants|Juniors|Primary|Grammar)\b"
    r"(?!\s+(?:School|Academy|College|Nursery|Grammar|Primary)\b)"
)
_ORG_TAIL = re.compile(
    r"(?:Hospital|Infirmary|Hospice|Surgery|Medical Centre|Health Centre|Medical Practice|Children['’]s Centre"
    r"|Family Centre|Family Hub|Clinic|Practice|Council|Police|Constabulary|Trust|Housing Association|Church"
    r"|Mosque|Synagogue|Gurdwara|Temple|Library|Leisure Centre|Youth Club|Community Centre|Foodbank|Food Bank"
    r"|Refuge|Children['’]s Home)\b"
)
_SAINT = re.compile(
    rf"St\.?\s+{NAME}(?:['’]s)?\b(?:\s+(?:{ORGW}\s+){{0,3}}(?P<tail>School|Academy|College|Nursery"
    rf"|Primary|Infants|Juniors|Hospital|Hospice|Church|Surgery|Centre|Practice)\b)?"
)
_SCHOOL_WORDS = frozenset("school academy college nursery pre-school preschool infants juniors primary grammar".split())
# Words in a site name that say what kind of site it is, not which one.
SITE_MODIFIERS = frozenset(
    """primary junior juniors infant infants secondary high grammar nursery community catholic cofe ce c rc church
    england methodist free special sixth form local city county borough metropolitan district town parish general
    university teaching nhs gp children's childrens family health medical foundation housing association youth
    leisure mental hospitals hospital council police trust centre center practice clinic surgery library
    academy school college pre-school preschool state private independent mainstream residential boarding
    virtual forest sunday summer village the of and & on upon in de la le new st infirmary hospice constabulary
    mosque synagogue gurdwara temple foodbank food bank refuge home club""".split()
)
#: Words that say a proper noun names a site ("Oakwood *School*", "Leeds *City* *Council*"), connectors left out.
SITE_HEADS = SITE_MODIFIERS - frozenset("the of and & on upon in de la le new st c".split())
_LEADING_STOP = NAME_STOPWORDS - {"st"}

# Not identifiers: participant ids, role labels, bracketed redactions
_ID_LIKE = re.compile(
    r"(?<![\w'’])(?:[A-Z]{1,3}-?[0-9]{1,3}[A-Za-z]?(?:[_-][A-Z]{1,3}-?[0-9]{1,3}[A-Za-z]?)*"
    r"|(?i:ID|FG|PT|INT)\s?-?\s?[0-9]{1,3}[A-Za-z]?"
    r"|(?i:Participant|Respondent|Speaker|Interviewee|Interviewer|Parent|Carer|Child|Practitioner|Site|Group"
    r"|Researcher|Facilitator|Family|Case|Young Person|YP)\s?-?\s?[0-9]{1,3}[A-Za-z]?)(?![\w])"
)
_BRACKET = re.compile(
    r"\[(?:[a-z][^\[\]\n]{0,60}|[A-Z][A-Z0-9 '’&/.,-]{0,40}|(?:Name|School|Town|City|Place|Area|Address|Child|Son"
    r"|Daughter|Mum|Dad|Redacted|Removed|Organisation|Hospital|Street|Sibling|Partner|Worker|Colleague|Social Worker"
    r"|Teacher|Inaudible|Crosstalk|Laughs|Pause)\b[^\[\]\n]{0,40})\]"
)


def nhs_number_valid(digits: str) -> bool:
    """True if ten digits pass the NHS modulus-11 check (and are not all the same digit).

    The first nine digits are weighted 10, 9, ..., 2; the check digit is ``11 - (sum mod 11)``, with 11 read as 0
    and 10 meaning the number is invalid.

    >>> nhs_number_valid("9434765919"), nhs_number_valid("9434765918"), nhs_number_valid("0000000000")
    (True, False, False)
    """
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _valid_dmy(a: str, b: str) -> bool:
    x, y = int(a), int(b)
    if not (1 <= x <= 31 and 1 <= y <= 31):
        return False
    return x <= 12 or y <= 12


def _is_stop(word: str) -> bool:
    return word.lower().replace("’", "'").split("'")[0] in NAME_STOPWORDS


def _name_ok(name: str) -> bool:
    words = name.split()
    return bool(words) and not any(_is_stop(w) for w in words)


def _previous_word(text: str, s: int) -> str:
    """The word before offset ``s`` (lower case), skipping spaces, tabs and a comma."""
    j = s - 1
    while j >= 0 and text[j] in " \t,":
        j -= 1
    k = j
    while k >= 0 and k > s - 40 and (text[k].isalnum() or text[k] in "'’-"):
        k -= 1
    return text[k + 1:j + 1].lower()


def sentence_start(text: str, s: int) -> bool:
    """True if offset ``s`` starts a sentence, a line, a quotation or a speaker's turn."""
    i = s - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in ".!?:;\n\r\"“‘'(-–—…"


def locative_before(text: str, s: int) -> bool:
    """True if the word before offset ``s`` is a preposition of place ("in", "from"...), except "to" after a verb
    of speaking or giving ("said to", "handed to"), which introduces a person."""
    words = text[max(0, s - 40):s].split()
    if not words or words[-1].lower() not in LOCATIVE:
        return False
    if words[-1].lower() == "to" and len(words) > 1 and words[-2].lower().strip(",") in _TO_PERSON_VERBS:
        return False
    return True


def _word_before(text: str, s: int) -> bool:
    """True if a letter or digit (or an apostrophe or hyphen joined to one) comes right before offset ``s``."""
    return s > 0 and (text[s - 1].isalnum() or text[s - 1] in "_'’-" and s > 1 and text[s - 2].isalnum())


_NAME_BEFORE = re.compile(rf"(?<![\w'’-])(?P<name>{NAME}(?:[ \t]+{NAME})?)\Z")


def _name_ending_at(text: str, end: int) -> tuple[int, int] | None:
    m = _NAME_BEFORE.search(text, max(0, end - 50), end)
    if m is None:
        return None
    words = list(re.finditer(r"\S+", m.group("name")))
    while words and _is_stop(words[0].group()):  # "Yesterday Jamie (7)" -> "Jamie"
        words.pop(0)
    if not words or any(_is_stop(w.group()) for w in words):
        return None
    return m.start("name") + words[0].start(), end


def age_name_span(value: str) -> tuple[int, int] | None:
    """Offsets of the name inside an ``age_with_name`` finding's text (``None`` if it cannot be found).

    >>> age_name_span("Jamie Walker (7)"), age_name_span("7-year-old Chloe")
    ((0, 12), (11, 16))
    """
    m = re.match(rf"{NAME}(?:[ \t]+{NAME})?", value)
    if m and not _AGE_BEFORE.match(value):
        return m.span()
    m = re.search(rf"{NAME}\Z", value)
    return m.span() if m else None


def _site(text: str, start: int, end: int, kind: str, out: list[Candidate]) -> None:
    """Add a school or organisation candidate for ``text[start:end]`` after dropping leading stop words."""
    words = [(w.start(), w.group()) for w in re.finditer(r"\S+", text[start:end])]
    while words and words[0][1].lower().strip(",.") in _LEADING_STOP:
        words.pop(0)
    if not words:
        return
    names = [w for _, w in words if w.lower().strip(",.'’").replace("’", "'") not in SITE_MODIFIERS]
    if not names:
        return
    out.append(Candidate(start + words[0][0], end, kind, "pattern", PRIORITY[(kind, "pattern")]))


def _contacts(text: str, add) -> None:
    if "@" in text:
        for m in _EMAIL_AT.finditer(text):
            local = _EMAIL_LOCAL.search(text, max(0, m.start() - 64), m.start())
            if local is None:
                continue
            s = local.start()
            while s < m.start() and text[s] in ".-'":
                s += 1
            if s < m.start():
                add(Candidate(s, m.end(), "email", "pattern", 95))
    if "." in text:
        for m in _URL_PREFIX.finditer(text):
            s, e = m.span()
            if _word_before(text, s) or (s > 0 and text[s - 1] in "@/."):
                continue
            while e > s and text[e - 1] in ".,;:!?'\")":
                e -= 1
            add(Candidate(s, e, "url", "pattern", 100))
        for m in _URL_TLD.finditer(text):
            host = _URL_HOST.search(text, max(0, m.start() - 100), m.start())
            if host is None:
                continue
            s, e = host.start(), m.end()
            if s > 0 and (text[s - 1] in "@/.-" or text[s - 1].isalnum()):
                continue
            while e > s and text[e - 1] in ".,;:!?'\")":
                e -= 1
            add(Candidate(s, e, "url", "pattern", 100))
    for rx in _PHONES:
        for m in rx.finditer(text):
            s = m.start()
            if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "+/._"):
                continue
            add(Candidate(s, m.end(), "phone", "pattern", 88))
    for m in _NHS.finditer(text):
        s = m.start()
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "+/.-_"):
            continue
        if s > 1 and text[s - 1] in " -" and text[s - 2].isdigit():
            continue
        digits = m.group().replace(" ", "").replace("-", "")
        if nhs_number_valid(digits):
            add(Candidate(s, m.end(), "nhs_number", "pattern", 90))
    for m in _POSTCODE.finditer(text):
        if not _word_before(text, m.start()):
            add(Candidate(m.start(), m.end(), "postcode", "pattern", 85))
    for m in _ADDRESS.finditer(text):
        s = m.start()
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "£$.,/-_"):
            continue
        prefix = _ADDRESS_PREFIX.search(text, max(0, s - 30), s)
        if prefix is not None and prefix.start() < s:
            s = prefix.start()
        add(Candidate(s, m.end(), "address", "pattern", 82))


def _dates(text: str, add) -> None:
    for m in _DATE_DM.finditer(text):
        s = m.start()
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] in _DAY_BEFORE_BAD):
            continue
        if s > 1 and text[s - 1] == " " and text[s - 2].isdigit():
            continue
        if 1 <= int(m.group("day")) <= 31:
            add(Candidate(s, m.end(), "date", "pattern", 80))
    for m in _DATE_MD.finditer(text):
        if not _word_before(text, m.start()) and 1 <= int(m.group("day")) <= 31:
            add(Candidate(m.start(), m.end(), "date", "pattern", 80))
    for m in _DATE_NUM.finditer(text):
        s = m.start()
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "/.-_"):
            continue
        if _valid_dmy(m.group(1), m.group(3)):
            add(Candidate(s, m.end(), "date", "pattern", 80))
    for m in _DATE_ISO.finditer(text):
        s = m.start()
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "/.-_"):
            continue
        if 1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= 31:
            add(Candidate(s, m.end(), "date", "pattern", 80))
    for m in _DATE_DOB.finditer(text):
        if not _word_before(text, m.start()):
            add(Candidate(m.start("d"), m.end("d"), "date", "pattern", 80))


def _names(text: str, add) -> None:
    for m in _PERSON_TITLE.finditer(text):
        if _word_before(text, m.start()) or _is_stop(m.group("n1")):
            continue
        n2 = m.group("n2")
        end = m.end("n2") if n2 and not _is_stop(n2) else m.end("n1")
        add(Candidate(m.start(), end, "person", "pattern", 65))
    # One pass over capitalised words: a known given name ("Gary", "Sarah Walker"; "Grace" only mid-sentence or
    # with a surname), a known town, a name introduced by a relation or role ("my son Jamie", "social worker Sarah
    # Jones", "a girl called Chloe") or by an age ("7-year-old Jamie").
    for m in _CAP_WORD.finditer(text):
        n1 = m.group()
        low = n1.lower()
        if low in NAME_STOPWORDS:
            continue
        s = m.start()
        prev = _previous_word(text, s)
        if prev.rsplit("-", 1)[-1] in _AGE_BEFORE_LAST:
            before = _AGE_BEFORE.search(text, max(0, s - 60), s)
            if before is not None:
                add(Candidate(before.start(), m.end(), "age_with_name", "pattern", 75))
        known = low in GIVEN_NAMES or low in AMBIGUOUS_NAMES or low in _PLACE_FIRST
        relation = prev in _RELATION_WORDS or (
            prev in ("is", "was", "name's", "name’s") and _NAME_IS.search(text, max(0, s - 20), s) is not None)
        if not (known or relation):
            continue
        nxt = _NEXT_NAME.match(text, m.end())
        n2 = nxt.group(1) if nxt else None
        if n2 and (_is_stop(n2) or n2.lower() in SITE_MODIFIERS or n2.lower() in _STREET_WORDS):
            if not relation and (low in GIVEN_NAMES or low in AMBIGUOUS_NAMES):
                continue  # "Victoria Road", "Grace Academy": part of a place, not a person
            n2 = None
        end = nxt.end(1) if n2 else m.end()
        if low in _PLACE_FIRST and not relation:
            pair = f"{low} {n2.lower()}" if n2 else ""
            place = pair if pair in PLACES else (low if low in PLACES else None)
            if place is not None:
                pend = nxt.end(1) if place != low else m.end()
                if place not in AMBIGUOUS_PLACES or prev in LOCATIVE and locative_before(text, s):
                    add(Candidate(s, pend, "place", "pattern", 47))
                continue
        if relation or low in GIVEN_NAMES or (low in AMBIGUOUS_NAMES and (n2 or not sentence_start(text, s))):
            add(Candidate(s, end, "person", "pattern", 65))
    # ages with names: "Jamie (7)", "Jamie, aged 7", "Jamie who is 7", "Jamie is 7.", "Jamie, 7,", "Freya, she's 3"
    for rx in _AGE_ANCHORS:
        for m in rx.finditer(text):
            span = _name_ending_at(text, m.start())
            if span is not None:
                add(Candidate(span[0], m.end(), "age_with_name", "pattern", 75))


def _sites(text: str, add, out: list[Candidate]) -> None:
    for tail, kind in ((_SCHOOL_TAIL, "school"), (_ORG_TAIL, "organisation")):
        for m in tail.finditer(text):
            if _word_before(text, m.start()):
                continue
            words = _SITE_WORDS_BEFORE.search(text, max(0, m.start() - 120), m.start())
            if words is not None:
                _site(text, words.start(), m.end(), kind, out)
    if "St" in text:
        for m in _SAINT.finditer(text):
            if _word_before(text, m.start()):
                continue
            tail = (m.group("tail") or "").lower()
            kind = "school" if tail in _SCHOOL_WORDS else "organisation"
            add(Candidate(m.start(), m.end(), kind, "pattern", PRIORITY[(kind, "pattern")]))


def pattern_candidates(text: str) -> list[Candidate]:
    """Every pattern match in ``text`` (overlapping ones included)."""
    out: list[Candidate] = []
    add = out.append
    _contacts(text, add)
    _dates(text, add)
    _names(text, add)
    _sites(text, add, out)
    return out


def auto_skip_spans(text: str) -> list[tuple[int, int]]:
    """Bracketed redactions such as ``[child's name]`` or ``[PERSON 1]``: never identifiers."""
    return [m.span() for m in _BRACKET.finditer(text)] if "[" in text else []


def looks_like_id(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` overlaps a participant id or numbered role label (``P01``, ``ID14``,
    ``Participant 3``): such findings are labels, not names."""
    for m in _ID_LIKE.finditer(text, max(0, start - 16), min(len(text), end + 16)):
        if m.start() < end and start < m.end():
            return True
    return False
