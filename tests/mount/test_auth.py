"""Logging in and staying logged in: tokens refreshed over several lifetimes
and after a 401, the stored refresh token used on remount, credentials refused
or missing, a stalled token endpoint; and the API's rate limits: a 429 waited
out, pacing that stays under the limit.
"""
import errno
import os
import subprocess
import time

from helpers import env_for, errno_of, mark
from mountfix import RINGFS


# ---- tokens --------------------------------------------------------------------------

def test_token_refresh_over_several_lifetimes(sim, mounter):
    sim.config(token_ttl=2, limits={"Light": 1000, "Medium": 1000})
    mnt = mounter(options=["cache_timeout=0.5"])
    for _ in range(40):
        assert os.listdir(mnt.ext("messages", "voicemail"))
        tokens = [r for r in sim.requests() if r["operation"] == "getToken"]
        if len(tokens) >= 4:
            break
        time.sleep(0.3)
    tokens = [r for r in sim.requests() if r["operation"] == "getToken"]
    assert len(tokens) >= 4
    assert all(r["status"] == 200 for r in tokens)
    assert not [r for r in sim.requests() if r["status"] == 401]


def test_expired_token_is_refreshed_after_401(sim, mounter):
    mnt = mounter(options=["cache_timeout=0.2"])
    os.listdir(mnt.ext("messages", "voicemail"))
    sim.fault("status", path=r"/message-store$", status=401, count=1)
    time.sleep(0.3)
    before = mark(sim)
    assert os.listdir(mnt.ext("messages", "voicemail"))
    seen = [(r["operation"], r["status"]) for r in sim.requests()[before:]
            if r["operation"] in ("listMessages", "getToken")]
    assert seen == [("listMessages", 401), ("getToken", 200), ("listMessages", 200)]


def test_stored_refresh_token_is_used_on_remount(sim, mounter, tmp_path):
    base = tmp_path / "same"
    first = mounter(base=base)
    assert os.listdir(first.ext("messages"))
    assert first.stop() == 0
    # the JWT is gone now: only the stored, rotated refresh token can log in
    second = mounter(base=base, env={"RC_USER_JWT": ""})
    assert os.listdir(second.ext("messages", "voicemail"))


def test_a_stalled_token_endpoint_costs_one_request_timeout(sim, mounter):
    mnt = mounter(options=["request_timeout=3"])
    sim.fault("freeze", path="/restapi/oauth/token", count=100, delay=600)
    sim.clock(7200)  # the access token has expired: the next request must refresh it

    assert errno_of(f"os.listdir({str(mnt.ext('messages', 'fax'))!r})") == errno.ETIMEDOUT


def token_requests(sim, since=0):
    return [(r["operation"], r["status"]) for r in sim.requests()[since:]
            if r["operation"] == "getToken"]


def test_token_endpoint_5xx_and_408_are_tried_again(sim, mounter):
    """RingCentral advises retrying a 5xx or 408 from the token endpoint, spaced."""
    sim.fault("status", path="^/restapi/oauth/token$", status=503, count=1)
    mnt = mounter()
    assert os.listdir(mnt.ext("messages", "voicemail"))
    assert token_requests(sim) == [("getToken", 503), ("getToken", 200)]
    # a refresh that meets a 408, then a 500 (with Retry-After), gets through too
    start = mark(sim)
    sim.fault("status", path="^/restapi/oauth/token$", status=408, count=1)
    sim.fault("status", path="^/restapi/oauth/token$", status=500, count=1, retry_after=1)
    sim.clock(7200)  # the access token has expired: the next request refreshes it
    assert os.listdir(mnt.ext("messages", "fax"))
    assert token_requests(sim, start) == [("getToken", 408), ("getToken", 500), ("getToken", 200)]


def test_token_endpoint_failing_on_gives_up(sim, tmp_path):
    """Four failures in a row end the login with EIO's message, not a hang."""
    (tmp_path / "mnt").mkdir()
    sim.fault("status", path="^/restapi/oauth/token$", status=502, count=4, retry_after=1)
    env = env_for(sim, XDG_STATE_HOME=str(tmp_path))
    r = subprocess.run([RINGFS, "-f", str(tmp_path / "mnt")], capture_output=True, text=True,
                       env=env, timeout=120)
    assert r.returncode == 1
    assert "the token endpoint failed 4 times" in r.stderr, r.stderr
    assert token_requests(sim) == [("getToken", 502)] * 4


# ---- credentials ---------------------------------------------------------------------

def test_bad_credentials_fail_clearly(sim, tmp_path):
    (tmp_path / "mnt").mkdir()
    env = env_for(sim, RC_USER_JWT="not.a.jwt", XDG_STATE_HOME=str(tmp_path))
    r = subprocess.run([RINGFS, "-f", str(tmp_path / "mnt")], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 1
    assert "authentication refused" in r.stderr
    assert "not.a.jwt" not in r.stderr
    assert [r["status"] for r in sim.requests() if r["operation"] == "getToken"] == [400]


def test_missing_credentials_are_named(tmp_path):
    (tmp_path / "mnt").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RC_", "RINGCENTRAL_"))}
    env.update(XDG_CONFIG_HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path))
    r = subprocess.run([RINGFS, str(tmp_path / "mnt")], capture_output=True, text=True, env=env,
                       timeout=30)
    assert r.returncode == 1
    assert "RC_APP_CLIENT_ID" in r.stderr


# ---- rate limits ---------------------------------------------------------------------

def test_rate_limit_429_is_waited_out(sim, mnt):
    os.listdir(mnt.ext("messages"))
    sim.fault("429", path=r"/message-store$", retry_after=1, count=1)
    before = mark(sim)
    names = os.listdir(mnt.ext("messages", "voicemail"))
    assert names
    statuses = [(r["operation"], r["status"]) for r in sim.requests()[before:]]
    assert statuses == [("listMessages", 429), ("listMessages", 200)]


def test_pacing_stays_under_the_limit(sim, mounter):
    """With a Heavy limit of 2 per window, three Heavy listings wait instead of earning a 429."""
    sim.config(limits={"Heavy": 2}, rate_window=2)
    mnt = mounter()
    os.listdir(mnt.ext("call-log"))
    os.listdir(mnt.acct("call-log"))
    os.listdir(mnt.acct("recordings"))
    heavy = [r for r in sim.requests() if r["group"] and r["group"].lower() == "heavy"]
    assert len(heavy) == 3
    assert all(r["status"] == 200 for r in heavy)
