"""Subscriptions: created, changed, renewed by touch, deleted."""
import json
import os

from helpers import mark, ops, write


def test_subscriptions(sim, mnt):
    d = mnt.path / "subscriptions"
    old = set(os.listdir(d))
    before = mark(sim)
    write(d / "new.json", json.dumps({
        "eventFilters": ["/restapi/v1.0/account/~/extension/~/message-store"],
        "deliveryMode": {"transportType": "WebHook", "address": "https://example.com/hook"},
        "expiresIn": 3600}))
    assert ops(sim, before, "POST") == ["createSubscription"]
    new = (set(os.listdir(d)) - old).pop()
    sub = json.loads((d / new).read_text())
    before = mark(sim)
    write(d / new, json.dumps(dict(sub, expiresIn=7200)))
    assert ops(sim, before, "PUT") == ["updateSubscription"]
    before = mark(sim)
    os.utime(d / new)  # touch renews
    assert ops(sim, before, "POST") == ["renewSubscription"]
    before = mark(sim)
    os.unlink(d / new)
    assert ops(sim, before, "DELETE") == ["deleteSubscription"]
    assert set(os.listdir(d)) == old


def test_renewals_are_paced_as_light(sim, mnt):
    """POST …/renew is in the Light group: a spent Medium window does not hold it."""
    d = mnt.path / "subscriptions"
    name = sorted(os.listdir(d))[0]
    sim.config(limits={"Medium": 1}, rate_window=600)
    assert os.listdir(mnt.acct("extensions"))  # Medium: its one request of the window
    before = mark(sim)
    for _ in range(3):
        os.utime(d / name)
    log = [r for r in sim.requests()[before:] if r["method"] == "POST"]
    assert [(r["operation"], r["status"], r["group"]) for r in log] == \
        [("renewSubscription", 200, "Light")] * 3
