"""Reviewing suggested codes in the workbench: listing them, accepting and rejecting one click each, who may, CSRF
on the cookie-borne writes, what a blind coder is shown, and the suggestion text escaped in the page."""

from __future__ import annotations

from npt_coder.services import add_user, sign_in

from .conftest import LOW_COST

WITHHELD = "learnt from other coders' coding (a lead sees which coded units it resembles)"


def ids(project) -> list[int]:
    return [int(i) for i in project.suggestions["coding_id"]]


def test_suggestions_are_listed_accepted_and_rejected_through_the_api(local, suggested):
    _, c = local
    listed = c.get("/api/transcripts/S2_B02/suggestions").json()["suggestions"]
    assert sorted(s["coding_id"] for s in listed) == sorted(ids(suggested))
    assert [s["start"] for s in listed] == sorted(s["start"] for s in listed)  # in text order
    assert {s["coder"] for s in listed} == {"assist"} and not any(s["accepted"] for s in listed)
    assert all(s["reason"].startswith(f"{s['code_id']} as coded on similar units: AK's S1_A01") for s in listed)
    first, second = listed[0]["coding_id"], listed[1]["coding_id"]
    r = c.post(f"/api/suggestions/{first}/accept", json={})
    assert r.status_code == 200, r.text
    mine = r.json()
    assert (mine["coder"], mine["source"], mine["code_id"], mine["start"], mine["end"]) == (
        "AK", "accepted", listed[0]["code_id"], listed[0]["start"], listed[0]["end"])
    assert c.post(f"/api/suggestions/{first}/accept").json()["coding_id"] == mine["coding_id"]  # no second coding
    assert len(suggested.coding_table("S2_B02", coder="AK")) == 1
    assert c.get("/api/transcripts/S2_B02/suggestions").json()["suggestions"][0]["accepted"] is True
    r = c.post(f"/api/suggestions/{second}/reject")
    assert r.status_code == 200 and second not in ids(suggested) and first in ids(suggested)
    assert suggested.batches.set_index("batch_id").loc[r.json()["batch_id"], "created_by"] == "AK"
    # undo (as the coding page's Undo does) brings the rejected suggestion back
    assert c.post(f"/api/batches/{r.json()['batch_id']}/undo").status_code == 200
    assert second in ids(suggested)


def test_what_is_no_current_suggestion_is_refused_in_one_line(local, suggested):
    _, c = local
    first = ids(suggested)[0]
    human = int(suggested.coding_table("S1_A01", coder="AK")["coding_id"].iloc[0])
    assert c.post(f"/api/suggestions/{first}/reject").status_code == 200
    before = len(suggested.coding_table(include_superseded=True))
    for path, status, start in [(f"/api/suggestions/{first}/reject", 409, f"suggestion {first} is no longer current"),
                                (f"/api/suggestions/{first}/accept", 409, f"suggestion {first} is no longer current"),
                                (f"/api/suggestions/{human}/accept", 400, f"coding {human} is not a suggestion"),
                                ("/api/suggestions/99999/reject", 404, "no coding 99999"),
                                ("/api/suggestions/x/reject", 422, "path.coding_id:")]:
        r = c.post(path)
        assert r.status_code == status and r.json()["detail"].startswith(start), (path, r.text)
    c.cookies.set("npt_coder", "assist")  # the suggestions' own coder cannot accept them
    r = c.post(f"/api/suggestions/{ids(suggested)[0]}/accept")
    assert r.status_code == 400 and "needs the reviewing coder's name" in r.json()["detail"]
    assert len(suggested.coding_table(include_superseded=True)) == before


def test_accept_and_reject_need_the_csrf_token_and_the_same_origin(local, suggested):
    _, c = local
    first = ids(suggested)[0]
    good = c.headers.pop("X-CSRF-Token")
    before = len(suggested.coding_table(include_superseded=True))
    for action in ("accept", "reject"):
        assert c.post(f"/api/suggestions/{first}/{action}").status_code == 403
        assert c.post(f"/api/suggestions/{first}/{action}", headers={"X-CSRF-Token": "forged"}).status_code == 403
        assert c.post(f"/api/suggestions/{first}/{action}", headers={"X-CSRF-Token": good,
                                                                    "Origin": "http://evil.example"}).status_code == 403
    assert len(suggested.coding_table(include_superseded=True)) == before
    assert c.post(f"/api/suggestions/{first}/accept", headers={"X-CSRF-Token": good}).status_code == 200


def test_suggestion_routes_need_credentials(suggested, serve):
    s = serve(suggested, token="right-token-123")
    first = ids(suggested)[0]
    with s.client() as c:
        for method, path in [("GET", "/api/transcripts/S2_B02/suggestions"),
                             ("POST", f"/api/suggestions/{first}/accept"), ("POST", f"/api/suggestions/{first}/reject")]:
            assert c.request(method, path).status_code == 401, path
    assert first in ids(suggested)


def test_team_mode_roles_and_what_a_blind_coder_is_shown(suggested, serve):
    for name, role in (("LD", "lead"), ("JT", "coder"), ("VW", "viewer")):
        add_user(suggested, name, role, f"{name.lower()}-password", cost=LOW_COST)
    s = serve(suggested, secure_cookies=False)
    bearer = {n: {"Authorization": f"Bearer {sign_in(suggested, n, f'{n.lower()}-password').token}"}
              for n in ("LD", "JT", "VW")}
    first, second = ids(suggested)[:2]
    with s.client() as c:
        lead = c.get("/api/transcripts/S2_B02/suggestions", headers=bearer["LD"]).json()["suggestions"]
        coder = c.get("/api/transcripts/S2_B02/suggestions", headers=bearer["JT"]).json()["suggestions"]
        assert all("AK's S1_A01" in x["reason"] for x in lead)  # learnt from AK: JT, coding blind, is not told
        assert {x["reason"] for x in coder} == {WITHHELD}
        for action in ("accept", "reject"):
            r = c.post(f"/api/suggestions/{first}/{action}", headers=bearer["VW"])
            assert r.status_code == 403 and "viewer cannot change codings" in r.json()["detail"]
        r = c.post(f"/api/suggestions/{first}/accept", json={"coder": "AK"}, headers=bearer["JT"])
        assert r.status_code == 403 and "cannot code as 'AK'" in r.json()["detail"]
        assert "AK" not in set(suggested.coding_table("S2_B02")["coder"])
        r = c.post(f"/api/suggestions/{first}/accept", headers=bearer["JT"])
        assert r.status_code == 200 and r.json()["coder"] == "JT"
        assert c.post(f"/api/suggestions/{second}/reject", headers=bearer["JT"]).status_code == 200
    assert second not in ids(suggested)
    assert set(suggested.coding_table("S2_B02")["coder"]) == {"assist", "JT"}


def test_the_coding_page_lists_suggestions_escaped_with_one_click_buttons(local, suggested):
    _, c = local
    page = c.get("/transcripts/S2_B02").text
    assert page.count('class="suggestion"') == len(ids(suggested)) and "/static/suggestions.js" in page
    assert page.count("data-accept=") == page.count("data-reject=") == len(ids(suggested))
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "Made on this machine by tfidf + linear SVM" in page
    none = c.get("/transcripts/S1_A01").text  # no suggestions there: no panel, no script
    assert 'class="suggestion-list"' not in none and "suggestions.js" not in none
    assert c.get("/static/suggestions.js").status_code == 200
