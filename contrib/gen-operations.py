#!/usr/bin/python3
"""Writes docs/operations.md: each seed operation and the file operation that performs it.

The seed gives operationId, method and path; FILE_OPS below says what a user
does in the mount. tests/test_zz_coverage.py checks that every seed operation
is named in docs/operations.md and that the suite reached each one through the
mount, so this table cannot silently drift.
"""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
E = "accounts/~/extensions/~/"
A = "accounts/~/"

FILE_OPS = {
    "getAllVersions": "`cat api/versions.json`",
    "getApiVersion": "`cat api/v1.0.json`",
    "loadAPIStatus": "`cat api/status`",
    "loadExtensionCallLog": f"`ls {E}call-log/` (one listing, by day)",
    "getCallRecords": f"`cat {E}call-log/<callId>.json` (by id)",
    "listExtensionActiveCalls": f"`ls {E}active-calls/`",
    "loadAccountCallLog": f"`ls {A}call-log/`, `ls {A}recordings/`",
    "listCallRecordings": f"`cat {A}recordings/<recordingId>.json` (by id)",
    "listCallRecordingData": f"`cat {A}recordings/<…>.wav`",
    "sendSMS": f"write and close `{E}outbox/sms/<to>[,<to>][@<from>]`",
    "sendInternalMessage": f"write and close `{E}outbox/pager/<extNumber>`",
    "sendFaxMessage": f"`cp doc.pdf {E}outbox/fax/<to>[.low][.cover<N>].pdf`",
    "listFaxCoverPages": "`cat dictionary/fax-cover-pages.json`",
    "listMessages": f"`ls {E}messages/<voicemail|fax|sms|pager>/`",
    "deleteMessagesByFilter": f"`rmdir {E}messages/sms/<peer>/`",
    "loadMessage": f"`cat {E}messages/<folder>/<messageId>.json` (by id); `getfattr -n user.ringfs.read_status`",
    "updateMessage": f"`setfattr -n user.ringfs.read_status -v Read|Unread` on a message file",
    "deleteMessage": f"`rm` a message file; `setfattr -n user.ringfs.purge -v 1` purges",
    "preturns-a-specific-message-attachment-data-as-a-media-streamph4app-permissionh4preadmessagesph4user":
        f"`cat {E}messages/voicemail/<…>.wav`, `…/fax/<…>.pdf`, `….transcript.txt`",
    "syncMessages": f"`cat {E}messages/sync.json`",
    "makeRingOutCallNew": f"write `FROM TO` to `{E}ringout/<name>`",
    "getRingOutCallStatusNew": f"`cat {E}ringout/<ringoutId>.json`",
    "cancelRingOutCallNew": f"`rm {E}ringout/<name>`",
    "makeRingOutCall": f"write `FROM TO` to `{E}ringout-legacy/<name>`",
    "getRingOutCallStatus": f"`cat {E}ringout-legacy/<ringoutId>.json`",
    "cancelRingOutCall": f"`rm {E}ringout-legacy/<name>`",
    "listContacts": f"`ls {E}contacts/`",
    "createContact": f"a new `{E}contacts/<name>.json` or `.vcf`",
    "loadContact": f"`cat {E}contacts/<contactId>.json` (by id)",
    "updateContact": f"rewrite `{E}contacts/<Name>_<id>.json` or `.vcf`",
    "deleteContact": f"`rm {E}contacts/<Name>_<id>.json`",
    "listFavoriteContacts": f"`cat {E}favorites.json`",
    "updateFavoriteContacts": f"write `{E}favorites.json`",
    "listDirectoryContacts": f"`ls {A}directory/`",
    "loadDirectoryContact": f"`cat {A}directory/<contactId>.json` (by id)",
    "getPresenceStatus": f"`cat {E}presence.json`",
    "updatePresenceStatus": f"write `{E}presence.json`",
    "listGlipGroups": "`ls glip/groups/`",
    "createGlipGroup": "a new `glip/groups/<name>.json`",
    "loadGlipGroup": "`cat glip/groups/<groupId>/group.json`",
    "assignGlipGroupMembers": "write `{\"addedPersonIds\": […]}` to `glip/groups/<groupId>/members.json`",
    "listGlipGroupPosts": "`ls glip/groups/<groupId>/posts/`, `cat …/transcript.txt`",
    "createGlipGroupPost": "`echo text >> glip/groups/<groupId>/transcript.txt`, or a new `…/posts/<name>.txt`",
    "updateGlipPostText": "rewrite `glip/groups/<groupId>/posts/<postId>.txt`",
    "listGlipPosts": "`ls glip/posts/`",
    "createPost": "a new `glip/posts/<name>.json` (`{\"groupId\", \"text\"}`)",
    "createGlipFile": "`cp file glip/groups/<groupId>/files/`",
    "loadGlipPerson": "`cat glip/persons/<personId>.json` (by id)",
    "loadGlipCompany": "`cat glip/companies/<companyId>.json` (by id)",
    "createGlipGroupWebhook": "`touch glip/groups/<groupId>/webhooks/<anything>`",
    "listGlipGroupWebhooks": "`ls glip/groups/<groupId>/webhooks/`",
    "listGlipWebhooks": "`ls glip/webhooks/`",
    "loadGlipWebhook": "`cat glip/webhooks/<webhookId>.json`",
    "deleteGlipWebhook": "`rm glip/webhooks/<webhookId>.json`",
    "activateGlipWebhook": "`setfattr -n user.ringfs.status -v Active glip/webhooks/<id>.json`",
    "suspendGlipWebhook": "`setfattr -n user.ringfs.status -v Suspended glip/webhooks/<id>.json`",
    "listMeetings": f"`ls {E}meetings/`",
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
    "listBlockedAllowedPhoneNumberLists": f"`ls {E}caller-blocking-numbers/`",
    "createBlockedAllowedPhoneNumberLists": f"a new `{E}caller-blocking-numbers/<name>.json`",
    "listBlockedAllowedPhoneNumber": f"`cat {E}caller-blocking-numbers/<id>.json`",
    "deleteBlockedAllowedPhoneNumber": f"`rm {E}caller-blocking-numbers/<id>.json`",
    "updateBlockedAllowedPhoneNumber": f"rewrite `{E}caller-blocking-numbers/<id>.json`",
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


def main():
    ops = seed_operations()
    missing = [op for op, _, _ in ops if op not in FILE_OPS]
    if missing:
        raise SystemExit("no file operation for: " + ", ".join(missing))
    out = ["# Seed operations and the file operations that perform them", "",
           "Generated by `contrib/gen-operations.py` from the project's copy of the seed",
           "(`tests/data/ringcentral-swagger.yaml`). `tests/test_zz_coverage.py` checks that the",
           "test suite performs every one of these through the mounted filesystem.", "",
           "| operationId | method | path | in the mount |", "|---|---|---|---|"]
    for op, method, path in ops:
        out.append(f"| `{op}` | {method} | `{path}` | {FILE_OPS[op]} |")
    (ROOT / "docs" / "operations.md").write_text("\n".join(out) + "\n")
    print(f"docs/operations.md: {len(ops)} operations")


if __name__ == "__main__":
    main()
