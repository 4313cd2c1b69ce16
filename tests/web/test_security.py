"""Security rules of the workbench: credentials, the token in the address, CSRF, roles in team mode, loopback
only without team mode, escaping, no transcript text in logs, nothing from another origin."""

from __future__ import annotations

import logging
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from npt_coder.cli import app as cli
from npt_coder.services import add_user

from .conftest import LOW_COST

API = [("GET", "/api/me"), ("GET", "/api/transcripts"), ("GET", "/api/transcripts/S1_A01"), ("GET", "/api/codebook"),
       ("POST", "/api/codings"), ("PATCH", "/api/codings/1"), ("DELETE", "/api/codings/1"), ("GET", "/api/memos"),
       ("PUT", "/api/memos"), ("GET", "/api/agreement?coders=AK,JT"), ("POST", "/api/comparisons/S1_A01"),
       ("GET", "/api/comparisons/S1_A01?coders=AK,JT"), ("POST", "/api/settle"), ("GET", "/api/retrieve?q=x"),
       ("POST", "/api/batches/1/undo"), ("GET", "/api/openapi.json")]


@pytest.mark.parametrize("team", [False, True])
def test_every_api_route_needs_credentials(study, serve, team):
    if team:
        add_user(study, "AK", "lead", "ak-password", cost=LOW_COST)
    s = serve(study, token="right-token-123", secure_cookies=False)
    with s.client() as c:
        for method, path in API:
            r = c.request(method, path, json={})
            assert r.status_code == 401, (method, path, r.status_code)
            assert "sign in" in r.json()["detail"]
        assert c.get("/api/me", headers={"Authorization": "Bearer wrong-token"}).status_code == 401
        assert c.get("/transcripts/S1_A01").status_code in (401, 303)
    before = len(study.coding_table())
    assert len(study.coding_table()) == before


def test_token_in_the_address_signs_in_and_leaves_the_address(study, serve):
    s = serve(study, token="right-token-123")
    with s.client() as c:
        r = c.get("/transcripts/S1_A01?token=right-token-123&x=1", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/transcripts/S1_A01?x=1"
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "right-token" not in cookie
        assert c.get("/transcripts/S1_A01").status_code == 200
        assert c.get("/api/me").json() == {"coder": None, "role": "lead", "team": False}
    with s.client() as other:
        assert other.get("/?token=wrong", follow_redirects=False).status_code == 401
        assert other.get("/api/me", headers={"Authorization": "Bearer right-token-123"}).status_code == 200


def test_cookie_writes_need_the_csrf_token_and_the_same_origin(local, study):
    _, c = local
    body = {"transcript_id": "S1_A01", "code_id": "M1.1", "start": 10, "end": 30}
    before = len(study.coding_table())
    good = c.headers.pop("X-CSRF-Token")
    r = c.post("/api/codings", json=body)
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
    assert c.post("/api/codings", json=body, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert c.post("/api/codings", json=body, headers={"X-CSRF-Token": good,
                                                      "Origin": "http://evil.example"}).status_code == 403
    assert c.post("/api/codings", json=body, headers={"X-CSRF-Token": good,
                                                      "Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert c.post("/coder", data={"coder": "XX", "csrf": "forged"}).status_code == 403
    assert len(study.coding_table()) == before
    assert c.post("/api/codings", json=body, headers={"X-CSRF-Token": good}).status_code == 201


def test_bearer_requests_need_no_csrf(study, serve):
    s = serve(study, token="right-token-123")
    with s.client(headers={"Authorization": "Bearer right-token-123"}) as c:
        r = c.post("/api/codings", json={"transcript_id": "S1_A01", "code_id": "M1.1", "start": 10, "end": 30,
                                         "coder": "MB"})
    assert r.status_code == 201 and r.json()["coder"] == "MB"


def _sign_in(s, name, password):
    c = s.client()
    form = c.get("/login").text
    pre = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    r = c.post("/login", data={"name": name, "password": password, "csrf": pre, "next": "/"}, follow_redirects=False)
    return c, r


def test_team_mode_sign_in_roles_and_coder_identity(study, serve):
    for name, role in (("LD", "lead"), ("JT", "coder"), ("VW", "viewer")):
        add_user(study, name, role, f"{name.lower()}-password", cost=LOW_COST)
    s = serve(study, secure_cookies=False)
    for name, password in (("JT", "wrong-password"), ("NOBODY", "jt-password")):
        c, r = _sign_in(s, name, password)
        c.close()
        assert r.status_code == 401 and "unknown name or wrong password" in r.text
    c, r = _sign_in(s, "JT", "jt-password")
    assert r.status_code == 303
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', c.get("/").text).group(1)
    c.headers["X-CSRF-Token"] = csrf
    body = {"transcript_id": "S1_A01", "code_id": "M1.1", "start": 10, "end": 30}
    assert c.post("/api/codings", json=body).json()["coder"] == "JT"  # the signed-in member, always
    assert c.post("/api/codings", json={**body, "coder": "AK"}).status_code == 403
    assert c.post("/api/comparisons/S1_A01").status_code == 403  # only a lead opens comparison
    assert c.post("/api/settle", json={"transcript_id": "S1_A01", "coders": ["AK", "JT"], "decisions": [
        {"segment_id": "p0003", "decision": "A", "key": "x"}]}).status_code == 403
    viewer = s.client(headers={"Authorization": "Bearer " + _api_token(s, "VW", "vw-password")})
    assert viewer.get("/api/transcripts").status_code == 200
    assert viewer.post("/api/codings", json=body).status_code == 403  # viewers cannot code
    assert viewer.put("/api/memos", json={"target": "project", "text": "x"}).status_code == 403
    lead = s.client(headers={"Authorization": "Bearer " + _api_token(s, "LD", "ld-password")})
    assert lead.post("/api/comparisons/S1_A01").status_code == 200
    assert set(study.coding_table()["coder"]) == {"AK", "JT"}
    # signing out ends the session for good
    c.post("/logout", data={"csrf": csrf})
    assert c.get("/api/me").status_code == 401
    for client in (c, viewer, lead):
        client.close()


def _api_token(s, name, password):
    with s.client() as c:
        r = c.post("/api/sessions", json={"name": name, "password": password})
        assert r.status_code == 201
        return r.json()["token"]


def test_team_cookies_are_secure_by_default(study, serve):
    add_user(study, "LD", "lead", "ld-password", cost=LOW_COST)
    s = serve(study)
    with s.client() as c:  # httpx keeps Secure cookies for https, so the sign-in cookie is sent by hand here
        form = c.get("/login")
        assert "Secure" in form.headers["set-cookie"]
        pre = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        r = c.post("/login", data={"name": "LD", "password": "ld-password", "csrf": pre},
                   headers={"Cookie": f"npt_signin={pre}"}, follow_redirects=False)
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert study.session(r.cookies["npt_session"]) is None  # the store holds the token's hash, not the token


def test_a_removed_member_is_signed_out(study, serve):
    add_user(study, "JT", "coder", "jt-password", cost=LOW_COST)
    s = serve(study, secure_cookies=False)
    token = _api_token(s, "JT", "jt-password")
    with s.client(headers={"Authorization": f"Bearer {token}"}) as c:
        assert c.get("/api/me").json()["coder"] == "JT"
        study.remove_user("JT")
        assert c.get("/api/me").status_code == 401


def test_transcript_text_is_escaped_in_pages_and_json(local):
    _, c = local
    page = c.get("/transcripts/S2_B02").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page  # the server-drawn text
    assert "\\u003cscript\\u003ealert" in page  # the page data block cannot be closed early
    assert "<script>alert" not in c.get("/retrieve", params={"q": "script"}).text


def test_a_decision_note_is_escaped_on_the_compare_page(local, study):
    _, c = local
    c.post("/api/comparisons/S1_A01")
    row = c.get("/api/comparisons/S1_A01", params={"coders": "AK,JT"}).json()["disagreements"][0]
    note = "<img src=x onerror=alert(1)> & more"
    r = c.post("/api/settle", json={"transcript_id": "S1_A01", "coders": ["AK", "JT"], "decisions": [
        {"segment_id": row["segment_id"], "code_id": "C4", "decision": "A", "key": row["disputed"][0]["key"],
         "note": note}]})
    assert r.status_code == 200, r.text
    page = c.get("/transcripts/S1_A01/compare", params={"coders": "AK,JT"}).text
    assert "<img src=x" not in page
    assert "“&lt;img src=x onerror=alert(1)&gt; &amp; more”" in page  # the decision's line, drawn as text
    assert "\\u003cimg src=x" in page  # and in the page's data block


def test_pages_allow_nothing_from_another_origin(local):
    _, c = local
    for path in ("/", "/transcripts/S1_A01", "/retrieve", "/agreement"):
        r = c.get(path)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert not re.search(r'(src|href)="(https?:)?//', r.text), path  # no asset from elsewhere
    assert c.get("/vendor/plotly.min.js").status_code == 200  # the chart library comes from this server


def test_access_log_holds_no_query_text_nor_token(local, caplog):
    s, c = local
    with caplog.at_level(logging.INFO, logger="npt_coder.web"):
        c.get("/api/retrieve", params={"q": "somebody typed"})
        c.get("/?token=local-test-token")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "/api/retrieve" in logged
    assert "somebody" not in logged and "local-test-token" not in logged


def test_serve_refuses_other_addresses_without_team_mode(study):
    r = CliRunner().invoke(cli, ["serve", "-p", str(study.root), "--host", "0.0.0.0", "--no-browser"])
    assert r.exit_code == 1
    assert r.output.strip().count("\n") == 0 and "loopback" in r.output and "users add" in r.output
    add_user(study, "LD", "lead", "ld-password", cost=LOW_COST)
    # with team mode set up the address is allowed; this one is not on the machine, so binding fails
    r = CliRunner().invoke(cli, ["serve", "-p", str(study.root), "--host", "192.0.2.7", "--no-browser"])
    assert r.exit_code == 1 and "cannot listen on 192.0.2.7" in r.output


def test_serve_prints_the_address_with_the_token_first(study):
    proc = subprocess.Popen([sys.executable, "-m", "npt_coder", "serve", "-p", str(study.root), "--port", "0",
                             "--token", "printed-token-1", "--no-browser"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline().strip()
        m = re.fullmatch(r"npt-coder workbench: http://127\.0\.0\.1:(\d+)/\?token=printed-token-1", first)
        assert m, first
        import httpx

        with httpx.Client() as c:
            r = c.get(first.split(": ", 1)[1], follow_redirects=True)
        assert r.status_code == 200 and "S1_A01" in r.text
    finally:
        proc.terminate()
        proc.communicate(timeout=20)  # also closes the pipes
    assert study.use_wal() == "wal"


def test_users_cli(study):
    runner = CliRunner()
    r = runner.invoke(cli, ["users", "add", "AK", "--role", "lead", "-p", str(study.root)],
                      input="a-long-password\na-long-password\n")
    assert r.exit_code == 0 and "added AK as lead" in r.output
    assert "a-long-password" not in study.user_login("AK")[1]
    r = runner.invoke(cli, ["users", "add", "AK", "--role", "coder", "-p", str(study.root), "--password-stdin"],
                      input="another-password\n")
    assert r.exit_code == 1 and "already a member" in r.output
    r = runner.invoke(cli, ["users", "add", "JT", "--role", "boss", "-p", str(study.root), "--password-stdin"],
                      input="another-password\n")
    assert r.exit_code == 1 and "role must be one of" in r.output
    r = runner.invoke(cli, ["users", "add", "JT", "-p", str(study.root), "--password-stdin"], input="short\n")
    assert r.exit_code == 1 and "at least 8" in r.output and study.user_login("JT") is None
    assert "AK" in runner.invoke(cli, ["users", "list", "-p", str(study.root)]).output
    assert runner.invoke(cli, ["users", "remove", "AK", "-p", str(study.root)]).exit_code == 0
    assert study.users.empty
