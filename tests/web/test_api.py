"""The JSON API: every endpoint, every bad input the issue lists (4xx, one line, nothing stored), blind coding."""

from __future__ import annotations

import re

import pytest

from npt_coder.services import add_user, open_comparison

from .conftest import LOW_COST


def n_current(project) -> int:
    return len(project.coding_table())


def span(project, words: str, tid: str = "S1_A01") -> tuple[int, int]:
    text = project.transcript_text(tid)
    return text.index(words), text.index(words) + len(words)


def test_transcripts_list_and_detail(local, study):
    _, c = local
    listed = c.get("/api/transcripts").json()
    assert [t["transcript_id"] for t in listed] == ["S1_A01", "S2_B02"]
    first = listed[0]
    assert first["site"] == "S1" and first["double_coded"] is True and first["comparison_open"] is False
    assert 0 < first["progress"]["JT"] < first["progress"]["AK"] <= 1  # AK coded one turn more than JT
    detail = c.get("/api/transcripts/S1_A01").json()
    assert detail["text"] == study.transcript_text("S1_A01")
    assert {"segment_id", "start", "end", "speaker", "speaker_role"} <= set(detail["turns"][0])
    assert [t["speaker_role"] for t in detail["turns"]] == ["interviewer", "participant"] * 2


def test_blind_coding_hides_the_other_coder_until_a_lead_opens_comparison(local, study):
    _, c = local  # coding as AK
    before = c.get("/api/transcripts/S1_A01").json()
    assert {x["coder"] for x in before["codings"]} == {"AK"} and before["comparison_open"] is False
    assert c.get("/api/comparisons/S1_A01", params={"coders": "AK,JT"}).status_code == 403
    assert c.get("/api/agreement", params={"coders": "AK,JT"}).status_code == 409
    assert c.get("/api/retrieve", params={"codes": "M1.1"}).json()["n"] == 0  # JT's code stays hidden
    assert c.post("/api/comparisons/S1_A01").json() == {"transcript_id": "S1_A01", "opened": True}
    after = c.get("/api/transcripts/S1_A01").json()
    assert {x["coder"] for x in after["codings"]} == {"AK", "JT"}
    assert c.get("/api/retrieve", params={"codes": "M1.1"}).json()["n"] == 1
    table = c.get("/api/agreement", params={"coders": "AK,JT", "unit": "paragraph"}).json()
    pooled = [r for r in table["rows"] if r["level"] == "pooled"][0]
    assert pooled["both"] == 1 and pooled["only_a"] == 2 and pooled["only_b"] == 1
    assert table["unit"] == "paragraph" and "caution" in pooled and "kappa_se" in pooled
    assert any("too rare to judge" in w for w in table["warnings"])  # four coded paragraphs: every code is rare
    assert c.get("/api/agreement", params={"coders": "AK,JT", "unit": "segment"}).status_code == 400
    assert study.comparisons["opened_by"].tolist() == ["AK"]


def test_codebook_tree(local):
    _, c = local
    cb = c.get("/api/codebook").json()
    assert [d["id"] for d in cb["domains"]] == ["context", "mechanism", "outcome"]
    assert len(cb["codes"]) == 24 and cb["codes"]["M2.1"]["questions"]
    assert cb["domains"][0]["constructs"][0]["single"] is True  # C1 is its own construct's only code


def test_post_coding_stores_it_and_returns_201(local, study):
    _, c = local
    s, e = span(study, "forty minutes")
    r = c.post("/api/codings", json={"transcript_id": "S1_A01", "code_id": "M3.2", "start": s, "end": e,
                                     "memo": "time on calls"})
    assert r.status_code == 201
    body = r.json()
    assert body["coder"] == "AK" and body["code_id"] == "M3.2" and body["memo"] == "time on calls"
    row = study.coding(body["coding_id"])
    assert (row["start"], row["end"], row["superseded_by"], row["source"]) == (s, e, None, "workbench")


@pytest.mark.parametrize("change, status, words", [
    ({"code_id": "M9.9"}, 400, "not in the project's codebook"),
    ({"transcript_id": "NOPE"}, 404, "no transcript"),
    ({"start": 50, "end": 10}, 400, "not inside transcript"),
    ({"end": 10**6}, 400, "not inside transcript"),
    ({"start": -1}, 422, "start"),
    ({"start": "ten"}, 422, "start"),
    ({"coder": "consensus"}, 400, "settled codings"),
    ({"coder": ""}, 201, None),  # empty: the name picked in the page (AK) is used
])
def test_bad_codings_are_refused_with_one_line_and_nothing_stored(local, study, change, status, words):
    _, c = local
    body = {"transcript_id": "S1_A01", "code_id": "M1.1", "start": 10, "end": 30, **change}
    before = n_current(study)
    r = c.post("/api/codings", json=body)
    assert r.status_code == status, r.text
    if words:
        detail = r.json()["detail"]
        assert words in detail and "\n" not in detail
        assert n_current(study) == before
    else:
        assert r.json()["coder"] == "AK"


def test_no_coder_name_picked_is_refused(local, study):
    _, c = local
    c.cookies.delete("npt_coder")
    r = c.post("/api/codings", json={"transcript_id": "S1_A01", "code_id": "M1.1", "start": 10, "end": 30})
    assert r.status_code == 400 and "pick the name" in r.json()["detail"]


def test_patch_supersedes_and_a_stale_patch_is_refused(local, study):
    _, c = local
    old = study.coding_table("S1_A01", coder="AK").iloc[0]
    r = c.patch(f"/api/codings/{old.coding_id}", json={"code_id": "M3.3", "memo": "closer"})
    assert r.status_code == 200
    new = r.json()
    assert new["coding_id"] != old.coding_id and new["code_id"] == "M3.3" and new["memo"] == "closer"
    assert study.coding(int(old.coding_id))["superseded_by"] is not None
    stale = c.patch(f"/api/codings/{old.coding_id}", json={"code_id": "M1.1"})
    assert stale.status_code == 409 and "no longer current" in stale.json()["detail"]
    assert c.patch("/api/codings/99999", json={"memo": "x"}).status_code == 404
    assert c.patch(f"/api/codings/{new['coding_id']}", json={"start": 5000}).status_code == 400


def test_delete_supersedes_and_undo_restores(local, study):
    _, c = local
    target = study.coding_table("S1_A01", coder="AK").iloc[0]
    r = c.delete(f"/api/codings/{target.coding_id}")
    assert r.status_code == 200
    assert target.coding_id not in study.coding_table()["coding_id"].tolist()
    assert study.coding(int(target.coding_id))["superseded_by"] == r.json()["batch_id"]  # kept, superseded
    u = c.post(f"/api/batches/{r.json()['batch_id']}/undo")
    assert u.status_code == 200 and target.coding_id in study.coding_table()["coding_id"].tolist()
    assert c.post(f"/api/batches/{r.json()['batch_id']}/undo").status_code == 400  # already undone


def test_coder_cannot_change_another_coders_coding_unless_lead(study, serve):
    from npt_coder.services import add_user, sign_in

    add_user(study, "JT", "coder", "jt-password", cost=2**12)
    s = serve(study, secure_cookies=False)
    token = sign_in(study, "JT", "jt-password").token
    ak = study.coding_table("S1_A01", coder="AK").iloc[0]
    with s.client(headers={"Authorization": f"Bearer {token}"}) as c:
        r = c.delete(f"/api/codings/{ak.coding_id}")
    assert r.status_code == 403 and ak.coding_id in study.coding_table()["coding_id"].tolist()


def test_memos(local, study):
    _, c = local
    for target, tid in (("transcript", "S1_A01"), ("code", "M2.1"), ("project", "")):
        r = c.put("/api/memos", json={"target": target, "target_id": tid, "text": f"note on {target}"})
        assert r.status_code == 200 and r.json()["text"] == f"note on {target}"
    assert study.memo("code", "M2.1") == "note on code"
    assert {m["target"] for m in c.get("/api/memos").json()} == {"transcript", "code", "project"}
    assert c.put("/api/memos", json={"target": "coding", "target_id": "1", "text": "x"}).status_code == 422
    assert c.put("/api/memos", json={"target": "transcript", "target_id": "NOPE", "text": "x"}).status_code == 404
    assert c.put("/api/memos", json={"target": "code", "target_id": "ZZ", "text": "x"}).status_code == 400


def test_compare_and_settle_through_the_api(local, study):
    _, c = local
    c.post("/api/comparisons/S1_A01")
    table = c.get("/api/comparisons/S1_A01", params={"coders": "AK,JT"}).json()
    rows = table["disagreements"]
    assert [(r["codes_a"], r["codes_b"]) for r in rows] == [("C4", "M1.1"), ("M2.4", "")]
    first = rows[0]
    bad = c.post("/api/settle", json={"transcript_id": "S1_A01", "coders": ["AK", "JT"],
                                      "decisions": [{**_decision(first), "key": "0" * 16}]})
    assert bad.status_code == 409 and study.coding_table(coder="consensus").empty
    ok = c.post("/api/settle", json={"transcript_id": "S1_A01", "coders": ["AK", "JT"],
                                     "decisions": [_decision(first, "B", note="JT's reading")]})
    assert ok.status_code == 200, ok.text
    consensus = study.coding_table("S1_A01", coder="consensus")
    assert sorted(consensus["code_id"]) == ["M1.1", "M3.1"]  # B's code on that paragraph, plus the agreed code
    assert consensus.loc[consensus["code_id"] == "M1.1", "memo"].tolist() == ["JT's reading"]
    again = c.get("/api/comparisons/S1_A01", params={"coders": "AK,JT"}).json()["disagreements"]
    assert again[0]["settled"] is True and again[0]["decision"] == "B" and again[1]["settled"] is False
    assert c.post("/api/settle", json={"transcript_id": "S1_A01", "coders": ["AK"],
                                       "decisions": [_decision(first)]}).status_code == 422
    assert c.post("/api/settle", json={"transcript_id": "S1_A01", "coders": ["AK", "JT"],
                                       "decisions": [_decision(first, "maybe")]}).status_code == 422
    assert c.post("/api/settle", json={"transcript_id": "S1_A01", "coders": ["AK", "JT"],
                                       "decisions": [_decision(rows[1], "other code", other=["ZZ9"])]}).status_code == 400


def test_settle_one_code_through_the_api(local, study):
    _, c = local
    c.post("/api/comparisons/S1_A01")
    first = c.get("/api/comparisons/S1_A01", params={"coders": "AK,JT"}).json()["disagreements"][0]
    assert [(d["code_id"], d["name"], d["coded_a"], d["settled"]) for d in first["disputed"]] == [
        ("C4", "Reframing organisational logics", True, False), ("M1.1", "Differentiation", False, False)]
    c4 = first["disputed"][0]
    post = lambda *decisions, **kw: c.post("/api/settle", json={  # noqa: E731
        "transcript_id": "S1_A01", "coders": ["AK", "JT"], "decisions": list(decisions)}, **kw)
    one = {**_decision(first, "A", note="AK's reading"), "code_id": "C4", "key": c4["key"]}
    # refused, nothing written: a code agreed on, a code's decision with the segment's key, no CSRF, another origin
    bad = post({**one, "code_id": "M3.1"})
    assert bad.status_code == 400 and "M3.1 is not a code in dispute on segment p0003" in bad.json()["detail"]
    assert post({**one, "key": first["key"]}).status_code == 409
    good = c.headers.pop("X-CSRF-Token")
    assert post(one).status_code == 403
    assert post(one, headers={"X-CSRF-Token": good, "Origin": "http://evil.example"}).status_code == 403
    assert study.coding_table(coder="consensus").empty and study.decisions().empty
    ok = post(one, headers={"X-CSRF-Token": good})
    assert ok.status_code == 200, ok.text
    consensus = study.coding_table("S1_A01", coder="consensus")
    assert sorted(zip(consensus["code_id"], consensus["memo"].fillna(""))) == [("C4", "AK's reading"), ("M3.1", "")]
    again = c.get("/api/comparisons/S1_A01", params={"coders": "AK,JT"}).json()["disagreements"][0]
    assert [(d["code_id"], d["decision"], d["settled"]) for d in again["disputed"]] == [
        ("C4", "A", True), ("M1.1", "", False)]
    assert again["settled"] is False and again["decision"] == ""
    assert study.decisions()[["code_id", "decision"]].values.tolist() == [["C4", "A"]]


def test_only_a_lead_settles_a_code(study, serve):
    for name, role in (("LD", "lead"), ("JT", "coder")):
        add_user(study, name, role, f"{name.lower()}-password", cost=LOW_COST)
    open_comparison(study, "S1_A01", who="LD")
    s = serve(study, secure_cookies=False)
    tokens = {}
    with s.client() as c:
        for name in ("LD", "JT"):
            tokens[name] = c.post("/api/sessions", json={"name": name, "password": f"{name.lower()}-password"}
                                  ).json()["token"]
    lead, coder = (s.client(headers={"Authorization": "Bearer " + tokens[n]}) for n in ("LD", "JT"))
    row = lead.get("/api/comparisons/S1_A01", params={"coders": "AK,JT"}).json()["disagreements"][0]
    body = {"transcript_id": "S1_A01", "coders": ["AK", "JT"], "decisions": [
        {**_decision(row, "B"), "code_id": "M1.1", "key": row["disputed"][1]["key"]}]}
    r = coder.post("/api/settle", json=body)
    assert r.status_code == 403 and "only a lead" in r.json()["detail"]
    assert study.decisions().empty
    assert lead.post("/api/settle", json=body).status_code == 200
    assert study.decisions()[["code_id", "decided_by"]].values.tolist() == [["M1.1", "LD"]]
    lead.close()
    coder.close()


def _decision(row, decision="A", note="", other=()):
    return {"segment_id": row["segment_id"], "decision": decision, "key": row["key"], "other_codes": list(other),
            "note": note}


def test_retrieve_api(local, study):
    _, c = local
    r = c.get("/api/retrieve", params={"q": "POLICE", "scope": "all"}).json()
    assert r["n"] == 1
    (a, b), = r["passages"][0]["hits"]
    assert study.transcript_text("S1_A01")[a:b] == "police"
    assert c.get("/api/retrieve", params={"q": "consent"}).json()["n"] == 0  # only the interviewer says it
    coded = c.get("/api/retrieve", params={"q": "take time", "scope": "coded"}).json()
    assert coded["n"] == 1 and coded["passages"][0]["codes"] == "M2.4"
    assert c.get("/api/retrieve", params={"q": "forty", "scope": "coded"}).json()["n"] == 0  # outside the coding
    assert c.get("/api/retrieve", params={"q": "forty", "scope": "all"}).json()["n"] == 1
    assert c.get("/api/retrieve", params={"codes": "M3.1", "site": "S2"}).json()["n"] == 0
    assert c.get("/api/retrieve", params={"codes": "NOPE"}).status_code == 400


def test_retrieve_exports_reopen_with_the_passages(local, study):
    import io

    from docx import Document
    from openpyxl import load_workbook

    _, c = local
    page = c.get("/retrieve", params={"q": "police"}).text
    assert re.search(r"\b1 passage\.|\b\d+ passages\.", page) and "passage(s)" not in page  # counted in words
    r = c.get("/retrieve/export.xlsx", params={"q": "police"})
    assert r.status_code == 200 and r.headers["content-disposition"].endswith('passages.xlsx"')
    wb = load_workbook(io.BytesIO(r.content))
    rows = list(wb["Passages"].iter_rows(values_only=True))
    assert rows[0][:2] == ("transcript_id", "segment_id") and len(rows) == 2
    assert "police and health checks" in rows[1][-1]
    query = " ".join(str(v) for r in wb["Query"].iter_rows(values_only=True) for v in r if v)
    assert "Query: match: any; text: police; scope: all; unit: paragraph." in query
    d = Document(io.BytesIO(c.get("/retrieve/export.docx", params={"q": "police"}).content))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "police and health checks" in text and "S1_A01 p0002" in text
    assert c.get("/retrieve/export.pdf", params={"q": "police"}).status_code == 404


def test_report_files_are_served_from_reports_only(local, study):
    _, c = local
    (study.root / "reports" / "themes.html").write_text("<h1>themes</h1>", encoding="utf-8")
    (study.root / "secret.html").write_text("no", encoding="utf-8")
    r = c.get("/reports/themes.html")
    assert r.status_code == 200 and "sandbox" in r.headers["content-security-policy"]
    assert 'href="/reports/themes.html"' in c.get("/").text  # linked from every page
    for bad in ("..%2Fsecret.html", "%2E%2E/secret.html", "npt_coder.sqlite", "missing.html"):
        assert c.get(f"/reports/{bad}").status_code == 404
    assert c.get("/reports/../npt_coder.sqlite").status_code == 404


def test_the_code_tree_shows_an_inductive_code_once_under_its_home():
    from npt_coder.codebook import Codebook
    from npt_coder.web._views import codebook_payload

    cb = Codebook.from_dict({"name": "x", "version": "1", "domains": [{"id": "context"}, {"id": "mechanism"}],
                             "constructs": [{"id": "C1", "name": "Intentions", "domain": "context"},
                                            {"id": "M3", "name": "Action", "domain": "mechanism"}],
                             "codes": [{"id": "C1", "name": "Intentions", "construct": "C1"},
                                       {"id": "M3.3", "name": "Trust", "construct": "M3"},
                                       {"id": "IND-A", "name": "A", "kind": "inductive",
                                        "maps_to": ["C1", "M3.3", "mechanism"]}]})
    tree = codebook_payload(cb)

    def listed(node):  # every inductive code the tree lists, wherever it lists it
        if isinstance(node, dict):
            return list(node.get("inductive", [])) + [i for v in node.values() for i in listed(v)]
        return [i for v in node for i in listed(v)] if isinstance(node, list) else []

    assert listed(tree["domains"]) == ["IND-A"]  # once, under C1 (its first maps_to target), not three times
    assert tree["domains"][0]["constructs"][0]["codes"][0] == {"code_id": "C1", "inductive": ["IND-A"]}
    assert tree["codes"]["M3.3"]["ink"] == "#1A1A1A" and tree["codes"]["C1"]["ink"] == "#FFFFFF"
