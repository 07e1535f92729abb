"""A live account: times that stay put across remounts, live refresh from the
message store's incremental sync, the events file, files that grow under
tail -f.
"""
import json
import os

from helpers import iso_time, write

TEAM = "118219087878"    # "Support Escalations"


def _times(m):
    """st_mtime_ns of documents and folders whose time must not move on a remount (a
    folder's time is its newest entry's: known once it was listed)."""
    paths = [m.ext("extension.json"), m.ext("presence.json"), m.ext("business-hours.json"),
             m.acct("account.json"), m.path / "glip" / "groups" / TEAM / "group.json",
             m.path / "glip" / "groups" / TEAM / "transcript.txt",
             m.ext("messages", "voicemail"), m.ext("messages", "sms")]
    for p in paths:
        if p.is_dir():
            os.listdir(p)
    return {str(p.relative_to(m.path)): os.stat(p).st_mtime_ns for p in paths}


def test_mtimes_stay_put_across_a_remount(sim, mounter, tmp_path):
    base = tmp_path / "shared"
    first = mounter(base=base)
    before = _times(first)
    # a folder shows its newest entry's time; a message file its record's
    vm = first.ext("messages", "voicemail")
    newest = max(os.stat(vm / n).st_mtime_ns for n in os.listdir(vm))
    assert before["accounts/~/extensions/~/messages/voicemail"] == newest
    # a document with a lastModifiedTime carries it
    group = json.loads((first.path / "glip" / "groups" / TEAM / "group.json").read_text())
    assert before["glip/groups/%s/group.json" % TEAM] // 10**9 == \
        int(iso_time(group["lastModifiedTime"]))
    assert first.stop() == 0
    second = mounter(base=base)
    assert _times(second) == before
    # a document whose content changes gets a newer time, and keeps it on the next remount
    presence = second.ext("presence.json")
    write(presence, '{"userStatus": "Busy"}\n')
    changed = os.stat(presence).st_mtime_ns
    assert changed > before["accounts/~/extensions/~/presence.json"]
    assert second.stop() == 0
    third = mounter(base=base)
    assert os.stat(third.ext("presence.json")).st_mtime_ns >= changed
    assert os.stat(third.ext("extension.json")).st_mtime_ns == \
        before["accounts/~/extensions/~/extension.json"]
