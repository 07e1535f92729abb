#!/usr/bin/python3
"""Writes docs/operations.md: each seed operation and the file operation that performs it.

The seed gives operationId, method and path; FILE_OPS below says what a user
does in the mount. tests/mount/test_operations.py checks that every seed
operation is named in docs/operations.md, and tests/conftest.py (a session hook,
after a whole run of tests/mount/) that the suite reached each one through the
mount, so this table cannot silently drift.

ROWS says which C rows (RfsKind names, src/rows-*.c) do each operation; the
rows themselves are read from the build (`test-table --rows`, tests/unit/), so
that the file also lists every row with its endpoint. Run with --check
(tests/test_operations_doc.py does) to fail instead of writing when the file
and the rows disagree: a row named here that the C table lacks, a row whose
endpoint no operation naming it has, a row with an endpoint no operation names.
"""
import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
E = "accounts/~/extensions/~/"
A = "accounts/~/"

FILE_OPS = {
    "getAllVersions": "`cat api/versions.json`",
    "getApiVersion": "`cat api/v1.0.json`",
    "loadAPIStatus": "`cat api/status`",
    "loadExtensionCallLog": f"`ls {E}call-log/` (one listing, by day), `ls {E}recordings/`, `ls {E}people/`",
    "getCallRecords": f"`cat {E}call-log/<callId>.json` (by id)",
    "listExtensionActiveCalls": f"`ls {E}active-calls/`",
    "loadAccountCallLog": f"`ls {A}call-log/`, `ls {A}recordings/`",
    "listCallRecordings": f"`cat {E}recordings/<recordingId>.json` (by id)",
    "listCallRecordingData": f"`cat {E}recordings/<…>.mp3` (or `.wav`), `cat {A}recordings/<…>.mp3`",
    "sendSMS": f"write and close `{E}outbox/sms/<to>[,<to>][@<from>]`, or `echo text >> {E}messages/sms/<peer>/conversation.txt`",
    "sendInternalMessage": f"write and close `{E}outbox/pager/<extNumber>`",
    "sendFaxMessage": f"`cp doc.pdf {E}outbox/fax/<to>[.low][.cover<N>].pdf`",
    "listFaxCoverPages": "`cat dictionary/fax-cover-pages.json`",
    "listMessages": f"`ls {E}messages/<voicemail|fax|sms|pager|deleted>/`, `ls {E}people/`",
    "deleteMessagesByFilter": f"`rmdir {E}messages/sms/<peer>/`",
    "loadMessage": f"`cat {E}messages/<folder>/<messageId>.json` (by id); `getfattr -n user.ringfs.read_status`",
    "updateMessage": f"`setfattr -n user.ringfs.read_status -v Read|Unread` on a message file",
    "deleteMessage": f"`rm` a message file; `setfattr -n user.ringfs.purge -v 1` or `rm` in `{E}messages/deleted/` purges",
    "preturns-a-specific-message-attachment-data-as-a-media-streamph4app-permissionh4preadmessagesph4user":
        f"`cat {E}messages/voicemail/<…>.wav`, `…/fax/<…>.pdf`, `….transcript.txt`",
    "syncMessages": f"`cat {E}messages/sync.json`; every `sync_interval` (live refresh, `tail -f events`)",
    "makeRingOutCallNew": f"write `FROM TO` to `{E}ringout/<name>`",
    "getRingOutCallStatusNew": f"`cat {E}ringout/<ringoutId>.json`",
    "cancelRingOutCallNew": f"`rm {E}ringout/<name>`",
    "makeRingOutCall": f"write `FROM TO` to `{E}ringout-legacy/<name>`",
    "getRingOutCallStatus": f"`cat {E}ringout-legacy/<ringoutId>.json`",
    "cancelRingOutCall": f"`rm {E}ringout-legacy/<name>`",
    "listContacts": f"`ls {E}contacts/`, `ls {E}people/`",
    "createContact": f"a new `{E}contacts/<name>.json` or `.vcf`",
    "loadContact": f"`cat {E}contacts/<contactId>.json` (by id)",
    "updateContact": f"rewrite `{E}contacts/<Name>_<id>.json` or `.vcf`",
    "deleteContact": f"`rm {E}contacts/<Name>_<id>.json`",
    "listFavoriteContacts": f"`cat {E}favorites.json`",
    "updateFavoriteContacts": f"write `{E}favorites.json`",
    "listDirectoryContacts": f"`ls {A}directory/` (where `directory/entries` is missing)",
    "loadDirectoryContact": f"`cat {A}directory/<contactId>.json` (by id)",
    "getPresenceStatus": f"`cat {E}presence.json`",
    "updatePresenceStatus": f"write `{E}presence.json`",
    "listGlipGroups": "`ls team-messaging/groups/`",
    "createGlipGroup": "a new `team-messaging/groups/<name>.json`",
    "loadGlipGroup": "`cat team-messaging/groups/<groupId>/group.json`",
    "assignGlipGroupMembers":
        "write `{\"addedPersonIds\": […]}` to `team-messaging/groups/<groupId>/members.json`",
    "listGlipGroupPosts": "`ls team-messaging/groups/<groupId>/posts/`, `cat …/transcript.txt`",
    "createGlipGroupPost":
        "`echo text >> team-messaging/groups/<groupId>/transcript.txt`, or a new `…/posts/<name>.txt`",
    "updateGlipPostText": "rewrite `team-messaging/groups/<groupId>/posts/<postId>.txt`",
    "listGlipPosts": "`ls team-messaging/posts/`",
    "createPost": "a new `team-messaging/posts/<name>.json` (`{\"groupId\", \"text\"}`)",
    "createGlipFile": "`cp file team-messaging/groups/<groupId>/files/`",
    "loadGlipPerson": "`cat team-messaging/persons/<personId>.json` (by id)",
    "loadGlipCompany": "`cat team-messaging/companies/<companyId>.json` (by id)",
    "createGlipGroupWebhook": "`touch team-messaging/groups/<groupId>/webhooks/<anything>`",
    "listGlipGroupWebhooks": "`ls team-messaging/groups/<groupId>/webhooks/`",
    "listGlipWebhooks": "`ls team-messaging/webhooks/`",
    "loadGlipWebhook": "`cat team-messaging/webhooks/<webhookId>.json`",
    "deleteGlipWebhook": "`rm team-messaging/webhooks/<webhookId>.json`",
    "activateGlipWebhook":
        "`setfattr -n user.ringfs.status -v Active team-messaging/webhooks/<id>.json`",
    "suspendGlipWebhook":
        "`setfattr -n user.ringfs.status -v Suspended team-messaging/webhooks/<id>.json`",
    "listMeetings": f"`ls {E}meetings/`; `ls {E}video/meetings/` where `/rcvideo` is missing",
    "createMeeting": f"a new `{E}meetings/<name>.json`",
    "loadMeeting": f"`cat {E}meetings/<meetingId>.json`",
    "updateMeeting": f"rewrite `{E}meetings/<meetingId>.json`",
    "deleteMeeting": f"`rm {E}meetings/<meetingId>.json`",
    "endMeeting": f"`setfattr -n user.ringfs.end -v 1 {E}meetings/<meetingId>.json`",
    "loadMeetingServiceInfo": f"`cat {E}meetings-service-info.json`",
    "listSubscriptions": "`ls subscriptions/`",
    "createSubscription": "a new `subscriptions/<name>.json`",
    "loadSubscription": "`cat subscriptions/<id>.json`",
    "updateSubscription": "rewrite `subscriptions/<id>.json`",
    "deleteSubscription": "`rm subscriptions/<id>.json`",
    "renewSubscription": "`touch subscriptions/<id>.json`",
    "getAuthorizationProfile": f"`cat {E}authz-profile.json`",
    "checkUserPermission": f"`cat {E}authz-check/<permissionId>.json`",
    "loadUserBusinessHours": f"`cat {E}business-hours.json`",
    "updateUserBusinessHours": f"write `{E}business-hours.json`",
    "loadBusinesshoursInfo": f"`cat {A}business-hours.json`",
    "updateCompanyBusinessHours": f"write `{A}business-hours.json`",
    "listBlockedNumbers": f"`ls {E}blocked-numbers/`",
    "blockNumber": f"a new `{E}blocked-numbers/<name>.json`",
    "loadBlockedNumber": f"`cat {E}blocked-numbers/<id>.json`",
    "updateBlockedNumber": f"rewrite `{E}blocked-numbers/<id>.json`",
    "unblockNumber": f"`rm {E}blocked-numbers/<id>.json`",
    "listCallBlockingSettings": f"`cat {E}caller-blocking.json`",
    "updateCallBlockingSettings": f"write `{E}caller-blocking.json`",
    "listBlockedAllowedPhoneNumberLists":
        f"`ls {E}caller-blocking-numbers/`, `ls {E}blocked-numbers/` (`status=Blocked`)",
    "createBlockedAllowedPhoneNumberLists":
        f"a new `{E}caller-blocking-numbers/<name>.json` or `{E}blocked-numbers/<name>.json`",
    "listBlockedAllowedPhoneNumber":
        f"`cat {E}caller-blocking-numbers/<id>.json`, `cat {E}blocked-numbers/<id>.json`",
    "deleteBlockedAllowedPhoneNumber":
        f"`rm {E}caller-blocking-numbers/<id>.json`, `rm {E}blocked-numbers/<id>.json`",
    "updateBlockedAllowedPhoneNumber":
        f"rewrite `{E}caller-blocking-numbers/<id>.json` or `{E}blocked-numbers/<id>.json`",
    "listExtensionForwardingNumbers": f"`ls {E}forwarding-numbers/`",
    "createExtensionForwardingNumber": f"a new `{E}forwarding-numbers/<name>.json`",
    "getForwardingNumber": f"`cat {E}forwarding-numbers/<id>.json`",
    "updateExtensionForwardingNumber": f"rewrite `{E}forwarding-numbers/<id>.json`",
    "deleteExtensionForwardingNumber": f"`rm {E}forwarding-numbers/<id>.json`",
    "loadAnsweringRulesList": f"`ls {E}answering-rules/`",
    "createAnsweringRuleInfo": f"a new `{E}answering-rules/<name>.json`",
    "loadAnsweringRuleInfo": f"`cat {E}answering-rules/<ruleId>.json`",
    "updateAnsweringRuleInfo": f"rewrite `{E}answering-rules/<ruleId>.json`",
    "deleteAnsweringRule": f"`rm {E}answering-rules/<ruleId>.json`",
    "createCompanyAnsweringRuleInfo": f"a new `{A}answering-rules/<name>.json`",
    "listCompanyAnsweringRule": f"`ls {A}answering-rules/`",
    "loadCompanyAnsweringRuleInfo": f"`cat {A}answering-rules/<ruleId>.json`",
    "updateCompanyAnsweringRuleInfo": f"rewrite `{A}answering-rules/<ruleId>.json`",
    "getGreetings": "`ls dictionary/greetings/`",
    "getGreeting": "`cat dictionary/greetings/<greetingId>.json` (by id)",
    "getCompanyGreeting": f"`cp greeting.wav {A}greetings/Company.wav` (the seed's name for creating it)",
    "createGreeting": f"`cp greeting.wav {E}greetings/<Type>[.<ruleId>].wav`",
}


# The rows whose hooks do each operation: the folder's (list, fetch by id,
# create) for ls, a lookup by id or a new file; the file's own (its GET, commit,
# remove, xattr, touch) for what is done to an existing file.
ROWS = {
    "getAllVersions": "api-info",
    "getApiVersion": "api-info",
    "loadAPIStatus": "api-status",
    "loadExtensionCallLog": "call-log, recordings, people, person",
    "getCallRecords": "call-log",
    "listExtensionActiveCalls": "active-calls",
    "loadAccountCallLog": "call-log, recordings",
    "listCallRecordings": "recordings",
    "listCallRecordingData": "recording",
    "sendSMS": "outbox-sms, sms-to-send, sms-transcript",
    "sendInternalMessage": "outbox-pager, pager-to-send",
    "sendFaxMessage": "outbox-fax, fax-to-send",
    "listFaxCoverPages": "document",
    "listMessages": "message-type, sms, deleted-messages, people, person",
    "deleteMessagesByFilter": "sms-conversation",
    "loadMessage": "message-type, sms, message-record, message-attachment",
    "updateMessage": "message-record, message-attachment",
    "deleteMessage": "message-record, message-attachment, deleted-record, deleted-attachment",
    "preturns-a-specific-message-attachment-data-as-a-media-streamph4app-permissionh4preadmessagesph4user":
        "message-attachment, deleted-attachment",
    "syncMessages": "document",
    "makeRingOutCallNew": "ringout, ringout-call",
    "getRingOutCallStatusNew": "ringout",
    "cancelRingOutCallNew": "ringout-call",
    "makeRingOutCall": "ringout-legacy, ringout-call",
    "getRingOutCallStatus": "ringout-legacy",
    "cancelRingOutCall": "ringout-call",
    "listContacts": "contacts, people, person",
    "createContact": "contacts, new-contact, new-contact-vcard",
    "loadContact": "contacts",
    "updateContact": "contact, contact-vcard",
    "deleteContact": "contact, contact-vcard",
    "listFavoriteContacts": "setting",
    "updateFavoriteContacts": "setting",
    "listDirectoryContacts": "directory",
    "loadDirectoryContact": "directory",
    "getPresenceStatus": "setting",
    "updatePresenceStatus": "setting",
    "listGlipGroups": "glip-groups",
    "createGlipGroup": "glip-groups, glip-new-group",
    "loadGlipGroup": "document",
    "assignGlipGroupMembers": "glip-members",
    "listGlipGroupPosts": "glip-group-posts, glip-transcript",
    "createGlipGroupPost": "glip-transcript, glip-group-posts, glip-new-post, glip-new-group-post-json",
    "updateGlipPostText": "glip-post-text",
    "listGlipPosts": "glip-posts",
    "createPost": "glip-posts, glip-new-post-json",
    "createGlipFile": "glip-files, glip-file",
    "loadGlipPerson": "glip-persons",
    "loadGlipCompany": "glip-companies",
    "createGlipGroupWebhook": "glip-group-webhooks, glip-new-webhook",
    "listGlipGroupWebhooks": "glip-group-webhooks",
    "listGlipWebhooks": "glip-webhooks",
    "loadGlipWebhook": "glip-webhook",
    "deleteGlipWebhook": "glip-webhook",
    "activateGlipWebhook": "glip-webhook",
    "suspendGlipWebhook": "glip-webhook",
    "listMeetings": "meetings, video-meetings",
    "createMeeting": "meetings, new-entry",
    "loadMeeting": "meeting",
    "updateMeeting": "meeting",
    "deleteMeeting": "meeting",
    "endMeeting": "meeting",
    "loadMeetingServiceInfo": "document",
    "listSubscriptions": "subscriptions",
    "createSubscription": "subscriptions, new-entry",
    "loadSubscription": "subscription",
    "updateSubscription": "subscription",
    "deleteSubscription": "subscription",
    "renewSubscription": "subscription",
    "getAuthorizationProfile": "document-medium",
    "checkUserPermission": "authz-check",
    "loadUserBusinessHours": "setting",
    "updateUserBusinessHours": "setting",
    "loadBusinesshoursInfo": "setting",
    "updateCompanyBusinessHours": "setting",
    "listBlockedNumbers": "blocked-numbers",
    "blockNumber": "blocked-numbers, new-blocked-number",
    "loadBlockedNumber": "blocked-number",
    "updateBlockedNumber": "blocked-number",
    "unblockNumber": "blocked-number",
    "listCallBlockingSettings": "setting-light",
    "updateCallBlockingSettings": "setting-light",
    "listBlockedAllowedPhoneNumberLists": "caller-blocking-numbers, blocked-numbers",
    "createBlockedAllowedPhoneNumberLists":
        "caller-blocking-numbers, new-item, blocked-numbers, new-blocked-number",
    "listBlockedAllowedPhoneNumber": "caller-blocking-number, blocked-number",
    "deleteBlockedAllowedPhoneNumber": "caller-blocking-number, blocked-number",
    "updateBlockedAllowedPhoneNumber": "caller-blocking-number, blocked-number",
    "listExtensionForwardingNumbers": "forwarding-numbers",
    "createExtensionForwardingNumber": "forwarding-numbers, new-item",
    "getForwardingNumber": "forwarding-number",
    "updateExtensionForwardingNumber": "forwarding-number",
    "deleteExtensionForwardingNumber": "forwarding-number",
    "loadAnsweringRulesList": "answering-rules",
    "createAnsweringRuleInfo": "answering-rules, new-answering-rule",
    "loadAnsweringRuleInfo": "answering-rule",
    "updateAnsweringRuleInfo": "answering-rule",
    "deleteAnsweringRule": "answering-rule",
    "createCompanyAnsweringRuleInfo": "company-answering-rules, new-answering-rule",
    "listCompanyAnsweringRule": "company-answering-rules",
    "loadCompanyAnsweringRuleInfo": "company-answering-rule",
    "updateCompanyAnsweringRuleInfo": "company-answering-rule",
    "getGreetings": "dictionary-greetings",
    "getGreeting": "dictionary-greetings",
    "getCompanyGreeting": "company-greetings, company-greeting-to-upload",
    "createGreeting": "greetings, greeting-to-upload",
}

# Rows whose endpoint is an API call the seed does not have, and why they need it.
NOT_IN_SEED = {
    "extensions": "the account's extensions, to name `accounts/{a}/extensions/{e}/`",
    "state-rule": "upgraded extensions (new call handling): `answering-rules/<stateId>.json`, "
                  "GET and PATCH",
    "interaction-rule": "upgraded extensions: `answering-rules/<ruleId>.json`, GET, PATCH, DELETE",
    "new-interaction-rule": "upgraded extensions: a new `answering-rules/<name>.json`, POSTed",
    "forwarding-target": "upgraded extensions: `forwarding-numbers/`, read-only",
    "call-flip-numbers": "upgraded extensions: `call-flip-numbers.json`, GET and PUT",
}

# Rows whose endpoint is today's replacement of a seed path: the legacy endpoint
# they fall back to, which is the one the seed's operations name.
LEGACY_ENDPOINT = {
    "directory": "/restapi/v1.0/account/{a}/directory/contacts",
    "glip-groups": "/restapi/v1.0/glip/groups",
    "glip-group-posts": "/restapi/v1.0/glip/groups/{key}/posts",
    "glip-group-webhooks": "/restapi/v1.0/glip/groups/{key}/webhooks",
    "glip-webhooks": "/restapi/v1.0/glip/webhooks",
    "blocked-numbers": "/restapi/v1.0/account/{a}/extension/{e}/blocked-number",
    "video-meetings": "/restapi/v1.0/account/{a}/extension/{e}/meeting",
}

# Which API generation each seed path is today (../shared/API-TODAY.md), and
# what ringfs does about it; an operation not matched is today's v1.0 as is.
DIRECTORY_FALLBACK = ("legacy (today: `directory/entries`, API 1.0.37+, asked first); "
                      "the fallback once `directory/entries` answers 404")
GENERATION = [
    (lambda op, path: op in ("listDirectoryContacts", "loadDirectoryContact"), DIRECTORY_FALLBACK),
    (lambda op, path: "/ringout" in path,
     "deprecated spelling: only `ringout-legacy/` uses it; `ringout/` uses today's `ring-out`"),
    (lambda op, path: "/ring-out" in path, "v1.0, today's spelling (`ringout` is deprecated)"),
    (lambda op, path: op in ("listGlipPosts", "createPost"),
     "deprecated Glip API, used as is: `/team-messaging/v1` has no list of all posts"),
    (lambda op, path: op in ("assignGlipGroupMembers",),
     "deprecated Glip API (today: `POST /team-messaging/v1/teams/{id}/add` or `…/remove`, "
     "asked first); the fallback once `/team-messaging/v1/chats` answers 404"),
    (lambda op, path: op in ("createGlipGroup",),
     "deprecated Glip API (today: `POST /team-messaging/v1/teams` or `…/conversations`, "
     "asked first); the fallback once `/team-messaging/v1/chats` answers 404"),
    (lambda op, path: op in ("updateGlipPostText",),
     "deprecated Glip API (today: `PATCH /team-messaging/v1/chats/{id}/posts/{postId}`, "
     "asked first); the fallback once `/team-messaging/v1/chats` answers 404"),
    (lambda op, path: "/glip/" in path,
     "deprecated Glip API (today's `/team-messaging/v1` call, `docs/tree.md`, is asked "
     "first); the fallback once `/team-messaging/v1/chats` answers 404"),
    (lambda op, path: op == "listMeetings",
     "legacy meetings, retired today (today: RingCentral Video, `/rcvideo`): `meetings/` uses "
     "it as is while the server has it (see `loadMeetingServiceInfo`); `video/meetings/` asks "
     "`/rcvideo/v1/history/meetings` first, this once that answers 404"),
    (lambda op, path: op == "loadMeetingServiceInfo",
     "legacy meetings, retired today (today: RingCentral Video, `/rcvideo`, read in `video/`); "
     "also whether the server still has them, asked once per mount (the user's own) when "
     "`extensions/` is listed: a 404 leaves `meetings/` and this file out of every extension "
     "folder"),
    (lambda op, path: "/meeting" in path,
     "legacy meetings, retired today (today: RingCentral Video, `/rcvideo`, read in `video/`); "
     "`meetings/` uses it as is, shown while the server has it"),
    (lambda op, path: "/blocked-number" in path,
     "legacy blocked list (today: `caller-blocking/phone-numbers?status=Blocked`, asked first); "
     "the fallback once `caller-blocking/phone-numbers` answers 404"),
    (lambda op, path: "/extension/{extensionId}/answering-rule" in path
     or "/forwarding-number" in path,
     "v1 call handling; accounts with `NewCallHandlingAndForwarding` need v2 `comm-handling`"),
    (lambda op, path: op == "loadAccountCallLog",
     "v1.0; needs the ReadCompanyCallLog user permission (else 403: the folders are left "
     "out, and `extensions/{e}/recordings/` uses the extension's call log)"),
    (lambda op, path: op == "listCallRecordingData",
     "v1.0; `audio/mpeg` or `audio/wav`, named by the type the first download gives"),
    (lambda op, path: op == "renewSubscription", "v1.0 (Light, unlike the other writes)"),
]


def generation(op, path):
    return next((text for match, text in GENERATION if match(op, path)), "v1.0")


DOC = ROOT / "docs" / "operations.md"


def seed_operations():
    ops, path, method = [], None, None
    for line in (ROOT / "tests/data/ringcentral-swagger.yaml").read_text().splitlines():
        if m := re.match(r"^  (/\S+):\s*$", line):
            path = m.group(1)
        elif m := re.match(r"^    (get|put|post|delete|patch):\s*$", line):
            method = m.group(1).upper()
        elif (m := re.match(r"^      operationId:\s*(\S+)", line)) and path:
            ops.append((m.group(1), method, path))
    return ops


def default_table_binary():
    """tests/unit/test-table.c as built: $RINGFS_TABLE_BIN, else beside $RINGFS_BIN, else build/."""
    if os.environ.get("RINGFS_TABLE_BIN"):
        return Path(os.environ["RINGFS_TABLE_BIN"])
    if os.environ.get("RINGFS_BIN"):
        return Path(os.environ["RINGFS_BIN"]).resolve().parent.parent / "tests" / "test-table"
    return ROOT / "build" / "tests" / "test-table"


def table_rows(binary):
    """[(name, endpoint or None)] of every C row, in table_kinds() order."""
    out = subprocess.run([str(binary), "--rows"], check=True, capture_output=True,
                         text=True).stdout
    rows = []
    for line in out.splitlines():
        name, _, endpoint = line.partition("\t")
        rows.append((name, endpoint or None))
    return rows


def _path_variants(template):
    """A path template, query dropped and every {placeholder} as {}; "[…]" is optional."""
    m = re.search(r"\[([^\]]*)\]", template)
    spelled = ([template[:m.start()] + template[m.end():],
                template[:m.start()] + m.group(1) + template[m.end():]] if m else [template])
    return [re.sub(r"\{[^}]*\}", "{}", t.split("?")[0]).rstrip("/") for t in spelled]


def related(endpoint, path):
    """The seed @path is the row's @endpoint, below it, or above it (an item's own call)."""
    (p,) = _path_variants(path)
    return any(v == p or p.startswith(v + "/") or v.startswith(p + "/")
               for v in _path_variants(endpoint))


def named_rows(op):
    return [r.strip() for r in ROWS[op].split(",")]


def problems(ops, rows):
    """What keeps docs/operations.md and the C rows apart; empty when they agree."""
    found = []
    seed = {op for op, _, _ in ops}
    endpoints = dict(rows)
    for table, what in ((FILE_OPS, "FILE_OPS"), (ROWS, "ROWS")):
        found += [f"{what} lacks {op}" for op, _, _ in ops if op not in table]
        found += [f"{what} names {op}, not in the seed" for op in table if op not in seed]
    if found:
        return found
    naming = {}  # row -> [(op, path)] of the operations that name it
    for op, _, path in ops:
        for row in named_rows(op):
            if row not in endpoints:
                found.append(f"{op} names row {row}, which is not in table_kinds()")
            naming.setdefault(row, []).append((op, path))
    for row, endpoint in rows:
        if row in NOT_IN_SEED:
            if not endpoint or row in naming:
                found.append(f"NOT_IN_SEED lists {row}, which has no endpoint or is named")
        elif endpoint and row not in naming:
            found.append(f"row {row} calls {endpoint}, which no operation names")
        elif endpoint and not any(related(LEGACY_ENDPOINT.get(row, endpoint), path)
                                  for _, path in naming[row]):
            found.append(f"row {row} calls {endpoint}, unlike "
                         + ", ".join(op for op, _ in naming[row]))
    found += [f"NOT_IN_SEED lists {row}, which is not in table_kinds()"
              for row in NOT_IN_SEED if row not in endpoints]
    found += [f"LEGACY_ENDPOINT lists {row}, which is not in table_kinds()"
              for row in LEGACY_ENDPOINT if row not in endpoints]
    return found


def render(ops, rows):
    out = ["# Seed operations and the file operations that perform them", "",
           "Generated by `contrib/gen-operations.py` from the project's copy of the seed",
           "(`tests/data/ringcentral-swagger.yaml`) and the C rows (`src/rows-*.c`, listed by",
           "`table_kinds()`). `tests/mount/test_operations.py` checks that each is named here,",
           "`tests/test_operations_doc.py` that this file agrees with the rows, and",
           "`tests/conftest.py`, after a whole run of `tests/mount/`, that the test suite performs",
           "every one of these through the mounted filesystem.", "",
           "The row column names the rows whose hooks do the operation: the folder's (listing,",
           "lookup by id, new file) or the file's own (read, write, remove, xattr, touch).",
           "The generation column says which generation of the API the path is today (the seed",
           "is older than the live service) and what ringfs falls back to.", "",
           "| operationId | method | path | row | in the mount | API generation (fallback) |",
           "|---|---|---|---|---|---|"]
    naming = {}
    for op, method, path in ops:
        out.append(f"| `{op}` | {method} | `{path}` | {ROWS[op]} | {FILE_OPS[op]} "
                   f"| {generation(op, path)} |")
        for row in named_rows(op):
            naming.setdefault(row, []).append(op)
    out += ["", "## The rows", "",
            "Every row of the mapping table, in `table_kinds()` order, with the API call its",
            "endpoint names (rows without one are folders, documents and files whose URL their",
            "folder gives) and the operations above that name it.", "",
            "| row | endpoint | operations |", "|---|---|---|"]
    for row, endpoint in rows:
        used = NOT_IN_SEED.get(row) or ", ".join(naming.get(row, []))
        shown = f"`{endpoint}`" if endpoint else ""
        if row in LEGACY_ENDPOINT:
            shown += f", else `{LEGACY_ENDPOINT[row]}`"
        out.append(f"| {row} | {shown} | {used} |")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; fail unless docs/operations.md is what it would write")
    parser.add_argument("--table", type=Path, default=default_table_binary(),
                        help="the built tests/unit/test-table (default: %(default)s)")
    args = parser.parse_args()
    ops = seed_operations()
    rows = table_rows(args.table)
    found = problems(ops, rows)
    if found:
        raise SystemExit("docs/operations.md and the C rows disagree:\n  " + "\n  ".join(found))
    text = render(ops, rows)
    if args.check:
        if DOC.read_text() != text:
            raise SystemExit("docs/operations.md is not what contrib/gen-operations.py writes: "
                             "run it and commit the result")
        return
    DOC.write_text(text)
    print(f"docs/operations.md: {len(ops)} operations, {len(rows)} rows")


if __name__ == "__main__":
    main()
