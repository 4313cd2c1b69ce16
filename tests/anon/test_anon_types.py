"""One test per identifier type (patterns only unless marked), and the hard negatives."""

from __future__ import annotations

import pytest

from npt_coder.anon import find_identifiers, nhs_number_valid


def found(text, **kw):
    df = find_identifiers(text, **kw)
    return [(t, text[s:e]) for t, s, e in zip(df["type"], df["start"], df["end"])]


@pytest.mark.parametrize(
    "value",
    ["07700 900123", "07700900123", "07700-900-123", "07700 900 123", "+44 7700 900123", "+447700900123",
     "+44 (0)20 7946 0958", "(020) 7946 0958", "020 7946 0958", "0113 496 0000", "(0113) 496 0000",
     "0044 7700 900123", "01632 960 418"],
)
def test_uk_phone_numbers(value):
    assert found(f"Ring {value} after five.") == [("phone", value)]


@pytest.mark.parametrize("text", ["At 10:30 on 12 3 4", "Call 999 or 0800 1111", "It cost 07700 pounds",
                                  "between 2019-2020 and 2021"])
def test_not_phone_numbers(text):
    assert all(t != "phone" for t, _ in found(text))


@pytest.mark.parametrize("value", ["jane@example.com", "kerry.dawson@example.co.uk", "a+b@example.gov.uk",
                                   "FamilySupport@Example.com", "x_y-z@mail.example.nhs.uk"])
def test_emails(value):
    assert found(f"Email {value}, thanks.") == [("email", value)]


@pytest.mark.parametrize("value", ["https://example.org/a?b=1", "http://www.example.net/u/x", "www.example.sch.uk",
                                   "example-hub.org.uk/help", "tiktok.com/@jess.x"])
def test_urls(value):
    assert found(f"See {value}. ") == [("url", value)]


def test_email_domain_is_not_also_a_url():
    assert found("mail jo@example.org.uk now") == [("email", "jo@example.org.uk")]


@pytest.mark.parametrize("value", ["943 476 5919", "9434765919", "943-476-5919", "94347 65919"])
def test_nhs_numbers_with_valid_check_digit(value):
    assert found(f"NHS number {value} on file") == [("nhs_number", value)]


@pytest.mark.parametrize("value", ["943 476 5918", "1234567890", "0000000000", "4308246281"])
def test_ten_digit_numbers_failing_modulus_11_are_not_flagged(value):
    assert found(f"reference {value} on file") == []


def test_nhs_check_digit():
    # Worked example from the NHS Data Dictionary: 943 476 5919 is valid.
    assert nhs_number_valid("9434765919")
    assert not nhs_number_valid("9434765910")
    assert not nhs_number_valid("943476591")  # nine digits


@pytest.mark.parametrize("value", ["LS6 2AB", "M14 5RT", "SW1A 1AA", "EC1V 2NX", "LS96RT", "B15 2TT", "GIR 0AA"])
def test_postcodes(value):
    assert found(f"They moved to {value} last week.") == [("postcode", value)]


@pytest.mark.parametrize("text", ["Room S2 ID14 was booked", "It was COVID 19 times", "I was in Year 7A"])
def test_not_postcodes(text):
    assert all(t != "postcode" for t, _ in found(text))


@pytest.mark.parametrize("value", ["14 Elm Grove", "27 Victoria Road", "9a Bankside Terrace", "112 High Street",
                                   "Flat 4, 88 Kirkstall Lane", "3 Sycamore Close", "10 Orchard Way",
                                   "17 St Anne's Drive", "5 Oak Rd"])
def test_addresses(value):
    assert found(f"They live at {value}, near the shops.") == [("address", value)]


@pytest.mark.parametrize(
    "text, value",
    [("born on 12/03/2015, so", "12/03/2015"), ("on 3rd March 2019.", "3rd March 2019"),
     ("on the 22nd of November.", "22nd of November"),
     ("on December 18th, 2020, late", "December 18th, 2020"),
     ("held on 09.11.2021 at", "09.11.2021"), ("DOB: 2016-05-30, male", "2016-05-30"),
     ("born in March 2012 at home", "March 2012"), ("date of birth 2009, she", "2009"), ("on 1 May, a", "1 May")],
)
def test_dates(text, value):
    assert found(text) == [("date", value)]


@pytest.mark.parametrize("text", ["In March we changed it.", "Last year was hard.", "2019 was when it started.",
                                  "The meeting is at 10:30.", "Version 2.1.3 of the form.",
                                  "It ran from April to July.", "Case 2019/04512 was closed.", "We saw 12 families."])
def test_not_dates(text):
    assert all(t != "date" for t, _ in found(text))


@pytest.mark.parametrize(
    "text, value",
    [("Jamie, aged 7, told", "Jamie, aged 7"), ("Kacey (9) and", "Kacey (9)"),
     ("Ellie who's 14 does", "Ellie who's 14"), ("Mason is 4 years old and", "Mason is 4 years old"),
     ("The 15-year-old, Bradley, went", "15-year-old, Bradley"),
     ("Oliver (8 yrs) attends", "Oliver (8 yrs)"), ("Connor, 12, had", "Connor, 12"),
     ("Freya, she's 3.", "Freya, she's 3")],
)
def test_ages_with_names(text, value):
    assert ("age_with_name", value) in found(text)


@pytest.mark.parametrize("text", ["Children aged 5 to 11 come.", "Year 7 pupils, aged 11, start.",
                                  "Pupils aged 11 move up.", "Section 47 (2) applies."])
def test_not_ages_with_names(text):
    assert all(t != "age_with_name" for t, _ in found(text))


@pytest.mark.parametrize(
    "text, value",
    [("Mrs Smith said", "Mrs Smith"), ("ask Dr Patel about", "Dr Patel"), ("Mr. O'Brien came", "Mr. O'Brien"),
     ("my son Jamie was", "Jamie"), ("a girl called Chantelle who", "Chantelle"),
     ("the social worker Sarah Jones rang", "Sarah Jones"), ("Then Gary turned up", "Gary"),
     ("I spoke to Sarah Walker in the MASH", "Sarah Walker"), ("PC Brennan was", "PC Brennan"),
     ("so Grace came along", "Grace")],
)
def test_person_names_without_a_pipeline(text, value):
    df = find_identifiers(text)
    assert ("person", value) in [(t, text[s:e]) for t, s, e in zip(df["type"], df["start"], df["end"])]
    assert df.attrs["name_detection"] is False


@pytest.mark.parametrize("text", ["Grace period ends today.", "Will you come?", "Mark it as done.",
                                  "Victoria Road is closed."])
def test_names_that_are_words_need_context(text):
    assert all(t != "person" for t, _ in found(text))


@pytest.mark.parametrize(
    "text, expected",
    [("He goes to Oakwood Primary School.", ("school", "Oakwood Primary School")),
     ("Admitted to Leeds General Infirmary.", ("organisation", "Leeds General Infirmary")),
     ("The kids are at St Bartholomew's.", ("organisation", "St Bartholomew's")),
     ("At St Mary's Primary School today.", ("school", "St Mary's Primary School")),
     ("Ridgeway Academy excluded him.", ("school", "Ridgeway Academy")),
     ("A session at Little Acorns Nursery.", ("school", "Little Acorns Nursery")),
     ("Transferred to Calderdale Council.", ("organisation", "Calderdale Council")),
     ("They moved to Huddersfield.", ("place", "Huddersfield"))],
)
def test_sites_are_low_severity(text, expected):
    df = find_identifiers(text)
    rows = [(t, text[s:e], sev) for t, s, e, sev in zip(df["type"], df["start"], df["end"], df["severity"])]
    assert (*expected, "low") in rows


@pytest.mark.parametrize(
    "text",
    ["P01: Yeah, I think so.", "S2, ID14: We agreed.", "Participant 3: It took six weeks.",
     "Early Help picked it up.", "Ofsted came in 2019.", "The MASH screens every contact.",
     "We do meetings on Teams now.", "The school were worried.", "[child's name] told the teacher.",
     "[PERSON 1] rang [SCHOOL 2] on [DATE].", "It was a grace period.", "I hope we can mark that.",
     "The Virtual School and Forest School help.", "It cost £250,000.", "We use Signs of Safety.",
     "Interviewer: Thank you. P01: No worries."],
)
def test_hard_negatives(text):
    assert found(text) == []


def test_hard_negatives_with_the_pipeline(nlp):
    for text in ["P01: Yeah, I think so.", "Early Help picked it up after the MASH screened it.",
                 "Ofsted came in 2019 and we use Teams.", "[child's name] told the teacher.", "CAMHS and the SENCO."]:
        assert find_identifiers(text, nlp=nlp).empty, text


def test_person_names_with_the_pipeline(nlp):
    text = "Kerry Dawson rang. Then Tegan and Lorcan's mum came with Amir Khan."
    df = find_identifiers(text, nlp=nlp)
    names = {text[s:e] for t, s, e in zip(df["type"], df["start"], df["end"]) if t == "person"}
    assert {"Kerry Dawson", "Amir Khan", "Lorcan"} <= names
    assert df.attrs["name_detection"] is True
    assert set(df.loc[df["type"] == "person", "severity"]) == {"high"}
