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
