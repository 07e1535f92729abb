# SPDX-License-Identifier: MIT
# The routing table: one row per (method, path template) with the operationId,
# the usage-plan group (the seed's, checked by tests/test_sim.py), the host
# that serves it and the handler. A row without a handler is a known operation
# the simulator does not do yet (501 CMN-202). Add operations by adding rows.

import re

from account import (company_hours, get_all_versions, get_api_version, list_ext_numbers,
                     list_extensions, load_api_status, presence, read_account, read_extension,
                     update_company_hours, update_presence, update_user_hours, user_hours)
from commhandling import (create_interaction_rule, delete_interaction_rule, list_interaction_rules,
                          list_state_rules, list_states, read_call_flip, read_features,
                          read_forwarding_targets, read_interaction_rule, read_state,
                          read_state_rule, update_call_flip, update_interaction_rule, update_state,
                          update_state_rule)
from calls import (account_call_log, active_calls, ext_call_log, get_call_record, get_recording,
                   recording_content)
from contacts import (create_contact, delete_contact, list_contacts, list_favorites, load_contact,
                      update_contact, update_favorites)
from messages import (delete_by_filter, delete_message, list_messages, load_message,
                      message_content, send_fax, send_pager, send_sms, sync_messages,
                      patch_message, update_message)
from directory import (authz_profile, check_permission, get_directory_entry, list_directory,
                       list_directory_entries, load_directory_contact)
from glip import (activate_webhook, assign_members, create_file, create_group, create_group_post,
                  create_group_webhook, create_post, delete_webhook, file_content, list_group_posts,
                  list_group_webhooks, list_groups, list_posts, list_webhooks, load_company, load_group,
                  load_person, load_webhook, suspend_webhook, tm, tm_add_members, tm_create_conversation,
                  tm_create_team, tm_delete_post, tm_list_chats, tm_load_chat, tm_load_post,
                  tm_patch_post, tm_remove_members, update_post_text)
from meetings import (create_meeting, default_bridge, delete_meeting, end_meeting,
                      list_meetings, list_video_meetings, load_bridge, load_meeting, service_info,
                      update_meeting)
from ringout import (cancel_ringout, cancel_ringout_legacy, get_ringout, get_ringout_legacy,
                     make_ringout, make_ringout_legacy)
from subscriptions import (create_subscription, delete_subscription, list_subscriptions,
                           load_subscription, renew_subscription, update_subscription)
from rules import (caller_blocking, company_greeting_content, create_blocked, create_company_greeting,
                   create_company_rule, create_forwarding, create_greeting, create_legacy_blocked,
                   create_user_rule, delete_blocked, delete_forwarding, delete_legacy_blocked,
                   delete_user_rule, fax_cover_pages, get_blocked, get_forwarding, get_greeting,
                   get_legacy_blocked, greeting_content, list_blocked, list_company_rules,
                   list_forwarding, list_greetings, list_legacy_blocked, list_user_rules,
                   load_company_rule, load_user_rule, read_company_greeting, read_greeting,
                   update_blocked, update_caller_blocking, update_company_rule, update_forwarding,
                   update_legacy_blocked, update_user_rule)

from util import invalid_uri

A = "/restapi/v1.0/account/{accountId}"
E = A + "/extension/{extensionId}"
V2 = "/restapi/v2/accounts/{accountId}/extensions/{extensionId}"
CH = V2 + "/comm-handling"
TM = "/team-messaging/v1"
CONTENT_OP = ("preturns-a-specific-message-attachment-data-as-a-media-streamph4app-permissionh4"
              "preadmessagesph4user")


class Route:
    def __init__(self, method, template, operation, group, handler=None, host="api", auth=True,
                 also_api=False):
        self.method = method
        self.template = template
        self.operation = operation
        self.group = group
        self.handler = handler
        self.host = host
        self.also_api = also_api        # a media route the API host answers as well
        self.auth = auth
        self.segments = [s for s in template.split("/") if s]
        self.literals = sum(1 for s in self.segments if not s.startswith("{"))

    def match(self, path):
        segs = [s for s in path.split("/") if s]
        if len(segs) != len(self.segments):
            return None
        params = {}
        for want, got in zip(self.segments, segs):
            if want.startswith("{"):
                params[want[1:-1]] = got
            elif want != got:
                return None
        return params


R = Route


def only_if(flag, handler):
    """@handler where the simulator's @flag (a /_sim/config option) is on, else 404 CMN-120:
    a server without that call."""
    def served(c):
        if not getattr(c.sim, flag):
            raise invalid_uri()
        return handler(c)
    served.__name__ = handler.__name__
    return served


# Old calls the service can retire (/_sim/config "retired": a list of these names): a
# retired call answers as any path the server does not know, 404 CMN-120, whatever the
# method. Today's service has retired the first three (RETIRED_TODAY); the Glip API and
# the `ringout` spelling are deprecated but still answered.
RETIRABLE = {
    "meeting": re.compile(r"^/restapi/v1\.0/account/[^/]+/extension/[^/]+/meeting(/|$)"),
    "blocked-number": re.compile(
        r"^/restapi/v1\.0/account/[^/]+/extension/[^/]+/blocked-number(/|$)"),
    "directory/contacts": re.compile(r"^/restapi/v1\.0/account/[^/]+/directory/contacts(/|$)"),
    "glip": re.compile(r"^/restapi/v1\.0/glip(/|$)"),
    "ringout": re.compile(r"^/restapi/v1\.0/account/[^/]+/extension/[^/]+/ringout(/|$)"),
}
RETIRED_TODAY = ("meeting", "blocked-number", "directory/contacts")


def retired(path, names):
    """Whether @path (unquoted) belongs to one of the retired old calls @names."""
    if not names:
        return False
    path = "/" + "/".join(s for s in path.split("/") if s)
    return any(RETIRABLE[n].match(path) for n in names)

ROUTES = [
    # OAuth (not in the seed): handled by the server itself
    R("POST", "/restapi/oauth/token", "getToken", "Auth", auth=False),
    R("POST", "/restapi/oauth/revoke", "revokeToken", "Auth", auth=False),
    # API info
    R("GET", "/restapi/", "getAllVersions", "NoThrottling", get_all_versions, auth=False),
    R("GET", "/restapi/{apiVersion}", "getApiVersion", "NoThrottling", get_api_version, auth=False),
    R("GET", "/restapi/v1.0/status", "loadAPIStatus", "NoThrottling", load_api_status, auth=False),
    # account and extensions (not in the seed)
    R("GET", A, "readAccountInfo", "Light", read_account),
    R("GET", A + "/extension", "listExtensions", "Medium", list_extensions),
    R("GET", E, "readExtension", "Light", read_extension),
    R("GET", E + "/phone-number", "listExtensionPhoneNumbers", "Light", list_ext_numbers),
    # call log, recordings
    R("GET", E + "/call-log", "loadExtensionCallLog", "Heavy", ext_call_log),
    R("GET", E + "/call-log/{callRecordId}", "getCallRecords", "Heavy", get_call_record),
    R("GET", E + "/active-calls", "listExtensionActiveCalls", "Heavy", active_calls),
    R("GET", A + "/call-log", "loadAccountCallLog", "Heavy", account_call_log),
    R("GET", A + "/recording/{recordingId}", "listCallRecordings", "Heavy", get_recording),
    # content: the media host (the uris in the records), and the API host answers the
    # same paths (the SDKs build them on their one server; tests/sim/README.md)
    R("GET", A + "/recording/{recordingId}/content", "listCallRecordingData", "Heavy",
      recording_content, host="media", also_api=True),
    # messages
    R("POST", E + "/sms", "sendSMS", "Medium", send_sms),
    # not in the seed: the MMS alias of sendSMS (the same request, JSON or multipart)
    R("POST", E + "/mms", "createMMS", "Medium", send_sms),
    R("POST", E + "/company-pager", "sendInternalMessage", "Medium", send_pager),
    R("POST", E + "/fax", "sendFaxMessage", "Heavy", send_fax),
    R("GET", "/restapi/v1.0/dictionary/fax-cover-page", "listFaxCoverPages", "Light", fax_cover_pages),
    R("GET", E + "/message-store", "listMessages", "Light", list_messages),
    R("DELETE", E + "/message-store", "deleteMessagesByFilter", "Medium", delete_by_filter),
    R("GET", E + "/message-store/{messageId}", "loadMessage", "Light", load_message),
    R("PUT", E + "/message-store/{messageId}", "updateMessage", "Medium", update_message),
    # today's API (not in the seed): readStatus and/or availability (restore from Deleted)
    R("PATCH", E + "/message-store/{messageId}", "patchMessage", "Medium", patch_message),
    R("DELETE", E + "/message-store/{messageId}", "deleteMessage", "Medium", delete_message),
    R("GET", E + "/message-store/{messageId}/content/{attachmentId}", CONTENT_OP, "Medium",
      message_content, host="media", also_api=True),
    R("GET", E + "/message-sync", "syncMessages", "Light", sync_messages),
    # ring-out
    R("POST", E + "/ring-out", "makeRingOutCallNew", "Heavy", make_ringout),
    R("GET", E + "/ring-out/{ringoutId}", "getRingOutCallStatusNew", "Light", get_ringout),
    R("DELETE", E + "/ring-out/{ringoutId}", "cancelRingOutCallNew", "Heavy", cancel_ringout),
    R("POST", E + "/ringout", "makeRingOutCall", "Heavy", make_ringout_legacy),
    R("GET", E + "/ringout/{ringoutId}", "getRingOutCallStatus", "Light", get_ringout_legacy),
    R("DELETE", E + "/ringout/{ringoutId}", "cancelRingOutCall", "Heavy", cancel_ringout_legacy),
    # contacts, favorites, directory
    R("GET", E + "/address-book/contact", "listContacts", "Heavy", list_contacts),
    R("POST", E + "/address-book/contact", "createContact", "Heavy", create_contact),
    R("GET", E + "/address-book/contact/{contactId}", "loadContact", "Heavy", load_contact),
    R("PUT", E + "/address-book/contact/{contactId}", "updateContact", "Heavy", update_contact),
    R("DELETE", E + "/address-book/contact/{contactId}", "deleteContact", "Heavy", delete_contact),
    R("GET", E + "/favorite", "listFavoriteContacts", "Light", list_favorites),
    R("PUT", E + "/favorite", "updateFavoriteContacts", "Medium", update_favorites),
    R("GET", A + "/directory/contacts", "listDirectoryContacts", "Medium", list_directory),
    R("GET", A + "/directory/contacts/{contactId}", "loadDirectoryContact", "Medium", load_directory_contact),
    # today's directory (not in the seed; /_sim/config directory_entries=false removes it)
    R("GET", A + "/directory/entries", "listDirectoryEntries", "Medium", list_directory_entries),
    R("GET", A + "/directory/entries/{entryId}", "getDirectoryEntry", "Medium", get_directory_entry),
    # presence
    R("GET", E + "/presence", "getPresenceStatus", "Light", presence),
    R("PUT", E + "/presence", "updatePresenceStatus", "Medium", update_presence),
    # glip
    R("GET", "/restapi/v1.0/glip/groups", "listGlipGroups", "Medium", list_groups),
    R("POST", "/restapi/v1.0/glip/groups", "createGlipGroup", "Medium", create_group),
    R("GET", "/restapi/v1.0/glip/groups/{groupId}", "loadGlipGroup", "Light", load_group),
    R("POST", "/restapi/v1.0/glip/groups/{groupId}/bulk-assign", "assignGlipGroupMembers", "Medium", assign_members),
    R("GET", "/restapi/v1.0/glip/groups/{groupId}/posts", "listGlipGroupPosts", "Medium", list_group_posts),
    R("POST", "/restapi/v1.0/glip/groups/{groupId}/posts", "createGlipGroupPost", "Medium", create_group_post),
    R("PUT", "/restapi/v1.0/glip/groups/{groupId}/posts/{postId}/text", "updateGlipPostText", "Medium", update_post_text),
    R("GET", "/restapi/v1.0/glip/posts", "listGlipPosts", "Light", list_posts),
    R("POST", "/restapi/v1.0/glip/posts", "createPost", "Light", create_post),
    R("POST", "/restapi/v1.0/glip/files", "createGlipFile", "Heavy", create_file),
    # not in the seed: the bytes of an uploaded file (contentUri; pre-signed, so no token needed)
    R("GET", "/restapi/v1.0/glip/files/{fileId}/content", "readGlipFileContent", "Medium", file_content,
      host="media", auth=False),
    R("GET", "/restapi/v1.0/glip/persons/{personId}", "loadGlipPerson", "Light", load_person),
    R("GET", "/restapi/v1.0/glip/companies/{companyId}", "loadGlipCompany", "Light", load_company),
    R("POST", "/restapi/v1.0/glip/groups/{groupId}/webhooks", "createGlipGroupWebhook", "Medium", create_group_webhook),
    R("GET", "/restapi/v1.0/glip/groups/{groupId}/webhooks", "listGlipGroupWebhooks", "Medium", list_group_webhooks),
    R("GET", "/restapi/v1.0/glip/webhooks", "listGlipWebhooks", "Medium", list_webhooks),
    R("GET", "/restapi/v1.0/glip/webhooks/{webhookId}", "loadGlipWebhook", "Medium", load_webhook),
    R("DELETE", "/restapi/v1.0/glip/webhooks/{webhookId}", "deleteGlipWebhook", "Medium", delete_webhook),
    R("POST", "/restapi/v1.0/glip/webhooks/{webhookId}/activate", "activateGlipWebhook", "Medium", activate_webhook),
    R("POST", "/restapi/v1.0/glip/webhooks/{webhookId}/suspend", "suspendGlipWebhook", "Medium", suspend_webhook),
    # today's team messaging (not in the seed; /_sim/config team_messaging=false: all 404)
    R("GET", TM + "/chats", "listGlipChatsNew", "Medium", tm_list_chats),
    R("GET", TM + "/chats/{chatId}", "readGlipChatNew", "Light", tm_load_chat),
    R("GET", TM + "/chats/{chatId}/posts", "readGlipPostsNew", "Medium",
      tm(list_group_posts, chatId="groupId")),
    R("POST", TM + "/chats/{chatId}/posts", "createGlipPostNew", "Medium",
      tm(create_group_post, chatId="groupId")),
    R("GET", TM + "/chats/{chatId}/posts/{postId}", "readGlipPostNew", "Light", tm_load_post),
    R("PATCH", TM + "/chats/{chatId}/posts/{postId}", "patchGlipPostNew", "Medium", tm_patch_post),
    R("DELETE", TM + "/chats/{chatId}/posts/{postId}", "deleteGlipPostNew", "Medium", tm_delete_post),
    R("POST", TM + "/teams", "createGlipTeamNew", "Medium", tm_create_team),
    R("POST", TM + "/teams/{chatId}/add", "addGlipTeamMembersNew", "Medium", tm_add_members),
    R("POST", TM + "/teams/{chatId}/remove", "removeGlipTeamMembersNew", "Medium", tm_remove_members),
    R("POST", TM + "/conversations", "createGlipConversationNew", "Medium", tm_create_conversation),
    R("POST", TM + "/files", "createGlipFileNew", "Heavy", tm(create_file)),
    R("GET", TM + "/files/{fileId}/content", "readGlipFileContentNew", "Medium", tm(file_content),
      host="media"),
    R("GET", TM + "/persons/{personId}", "readGlipPersonNew", "Light", tm(load_person)),
    R("GET", TM + "/companies/{companyId}", "readGlipCompanyNew", "Light", tm(load_company)),
    R("GET", TM + "/groups/{groupId}/webhooks", "listGlipGroupWebhookNew", "Medium",
      tm(list_group_webhooks)),
    R("POST", TM + "/groups/{groupId}/webhooks", "createGlipGroupWebhookNew", "Medium",
      tm(create_group_webhook)),
    R("GET", TM + "/webhooks", "listGlipWebhooksNew", "Medium", tm(list_webhooks)),
    R("GET", TM + "/webhooks/{webhookId}", "readGlipWebhookNew", "Medium", tm(load_webhook)),
    R("DELETE", TM + "/webhooks/{webhookId}", "deleteGlipWebhookNew", "Medium", tm(delete_webhook)),
    R("POST", TM + "/webhooks/{webhookId}/activate", "activateGlipWebhookNew", "Medium",
      tm(activate_webhook)),
    R("POST", TM + "/webhooks/{webhookId}/suspend", "suspendGlipWebhookNew", "Medium",
      tm(suspend_webhook)),
    # meetings
    R("GET", E + "/meeting", "listMeetings", "Light", list_meetings),
    R("POST", E + "/meeting", "createMeeting", "Medium", create_meeting),
    R("GET", E + "/meeting/{meetingId}", "loadMeeting", "Light", load_meeting),
    R("PUT", E + "/meeting/{meetingId}", "updateMeeting", "Medium", update_meeting),
    R("DELETE", E + "/meeting/{meetingId}", "deleteMeeting", "Medium", delete_meeting),
    R("POST", E + "/meeting/{meetingId}/end", "endMeeting", "Medium", end_meeting),
    R("GET", E + "/meeting/service-info", "loadMeetingServiceInfo", "Light", service_info),
    # today's RingCentral Video, read side (not in the seed; /_sim/config rcvideo=false: all 404)
    R("GET", "/rcvideo/v2/account/{accountId}/extension/{extensionId}/bridges/default",
      "getDefaultBridge", "Medium", default_bridge),
    R("GET", "/rcvideo/v2/bridges/{bridgeId}", "getBridge", "Medium", load_bridge),
    R("GET", "/rcvideo/v1/history/meetings", "listVideoMeetings", "Medium", list_video_meetings),
    # subscriptions
    R("GET", "/restapi/v1.0/subscription", "listSubscriptions", "Light", list_subscriptions),
    R("POST", "/restapi/v1.0/subscription", "createSubscription", "Medium", create_subscription),
    R("GET", "/restapi/v1.0/subscription/{subscriptionId}", "loadSubscription", "Light", load_subscription),
    R("PUT", "/restapi/v1.0/subscription/{subscriptionId}", "updateSubscription", "Medium", update_subscription),
    R("DELETE", "/restapi/v1.0/subscription/{subscriptionId}", "deleteSubscription", "Medium", delete_subscription),
    R("POST", "/restapi/v1.0/subscription/{subscriptionId}/renew", "renewSubscription", "Light", renew_subscription),
    # authorization profile
    R("GET", E + "/authz-profile", "getAuthorizationProfile", "Medium", authz_profile),
    R("GET", E + "/authz-profile/check", "checkUserPermission", "Light", check_permission),
    # business hours
    R("GET", E + "/business-hours", "loadUserBusinessHours", "Light", user_hours),
    R("PUT", E + "/business-hours", "updateUserBusinessHours", "Medium", update_user_hours),
    R("GET", A + "/business-hours", "loadBusinesshoursInfo", "Light", company_hours),
    R("PUT", A + "/business-hours", "updateCompanyBusinessHours", "Medium", update_company_hours),
    # blocked numbers, caller blocking
    R("GET", E + "/blocked-number", "listBlockedNumbers", "Light", list_legacy_blocked),
    R("POST", E + "/blocked-number", "blockNumber", "Medium", create_legacy_blocked),
    R("GET", E + "/blocked-number/{blockedNumberId}", "loadBlockedNumber", "Light", get_legacy_blocked),
    R("PUT", E + "/blocked-number/{blockedNumberId}", "updateBlockedNumber", "Medium", update_legacy_blocked),
    R("DELETE", E + "/blocked-number/{blockedNumberId}", "unblockNumber", "Medium", delete_legacy_blocked),
    R("GET", E + "/caller-blocking", "listCallBlockingSettings", "Light", caller_blocking),
    R("PUT", E + "/caller-blocking", "updateCallBlockingSettings", "Light", update_caller_blocking),
    # (/_sim/config caller_blocking_numbers=false: an old server, these five answer 404)
    R("GET", E + "/caller-blocking/phone-numbers", "listBlockedAllowedPhoneNumberLists", "Light",
      only_if("caller_blocking_numbers", list_blocked)),
    R("POST", E + "/caller-blocking/phone-numbers", "createBlockedAllowedPhoneNumberLists", "Medium",
      only_if("caller_blocking_numbers", create_blocked)),
    R("GET", E + "/caller-blocking/phone-numbers/{blockedNumberId}", "listBlockedAllowedPhoneNumber", "Light",
      only_if("caller_blocking_numbers", get_blocked)),
    R("DELETE", E + "/caller-blocking/phone-numbers/{blockedNumberId}", "deleteBlockedAllowedPhoneNumber", "Medium",
      only_if("caller_blocking_numbers", delete_blocked)),
    R("PUT", E + "/caller-blocking/phone-numbers/{blockedNumberId}", "updateBlockedAllowedPhoneNumber", "Medium",
      only_if("caller_blocking_numbers", update_blocked)),
    # forwarding numbers
    R("GET", E + "/forwarding-number", "listExtensionForwardingNumbers", "Light", list_forwarding),
    R("POST", E + "/forwarding-number", "createExtensionForwardingNumber", "Medium",
      create_forwarding),
    R("GET", E + "/forwarding-number/{forwardingNumberId}", "getForwardingNumber", "Light", get_forwarding),
    R("PUT", E + "/forwarding-number/{forwardingNumberId}", "updateExtensionForwardingNumber", "Medium",
      update_forwarding),
    R("DELETE", E + "/forwarding-number/{forwardingNumberId}", "deleteExtensionForwardingNumber", "Medium",
      delete_forwarding),
    # answering rules
    R("GET", E + "/answering-rule", "loadAnsweringRulesList", "Medium", list_user_rules),
    R("POST", E + "/answering-rule", "createAnsweringRuleInfo", "Medium", create_user_rule),
    R("GET", E + "/answering-rule/{ruleId}", "loadAnsweringRuleInfo", "Light", load_user_rule),
    R("PUT", E + "/answering-rule/{ruleId}", "updateAnsweringRuleInfo", "Medium", update_user_rule),
    R("DELETE", E + "/answering-rule/{ruleId}", "deleteAnsweringRule", "Medium", delete_user_rule),
    R("POST", A + "/answering-rule", "createCompanyAnsweringRuleInfo", "Medium",
      create_company_rule),
    R("GET", A + "/answering-rule", "listCompanyAnsweringRule", "Medium", list_company_rules),
    R("GET", A + "/answering-rule/{ruleId}", "loadCompanyAnsweringRuleInfo", "Light", load_company_rule),
    R("PUT", A + "/answering-rule/{ruleId}", "updateCompanyAnsweringRuleInfo", "Medium",
      update_company_rule),
    # not in the seed: new call handling (upgraded accounts; commhandling.py), groups as the SDKs say
    R("GET", E + "/features", "readExtensionFeatures", "Medium", read_features),
    R("GET", CH + "/states", "listCommStates", "Medium", list_states),
    R("GET", CH + "/states/{stateId}", "readCommState", "Medium", read_state),
    R("PATCH", CH + "/states/{stateId}", "updateCommState", "Medium", update_state),
    R("GET", CH + "/voice/state-rules", "listVoiceStateBasedRules", "Medium", list_state_rules),
    R("GET", CH + "/voice/state-rules/{stateId}", "readVoiceStateBasedRule", "Medium", read_state_rule),
    R("PATCH", CH + "/voice/state-rules/{stateId}", "updateVoiceStateBasedRule", "Medium",
      update_state_rule),
    R("GET", CH + "/voice/interaction-rules", "listVoiceInteractionRules", "Medium",
      list_interaction_rules),
    R("POST", CH + "/voice/interaction-rules", "createVoiceInteractionRule", "Medium",
      create_interaction_rule),
    R("GET", CH + "/voice/interaction-rules/{ruleId}", "readVoiceInteractionRule", "Medium",
      read_interaction_rule),
    R("PATCH", CH + "/voice/interaction-rules/{ruleId}", "updateVoiceInteractionRule", "Medium",
      update_interaction_rule),
    R("DELETE", CH + "/voice/interaction-rules/{ruleId}", "deleteVoiceInteractionRule", "Medium",
      delete_interaction_rule),
    R("GET", CH + "/voice/forwarding-targets", "readForwardingTargets", "Medium",
      read_forwarding_targets),
    R("GET", V2 + "/call-flip-numbers", "readCallFlipNumbers", "Light", read_call_flip),
    R("PUT", V2 + "/call-flip-numbers", "updateCallFlipNumbers", "Medium", update_call_flip),
    # greetings
    R("GET", "/restapi/v1.0/dictionary/greeting", "getGreetings", "Medium", list_greetings),
    R("GET", "/restapi/v1.0/dictionary/greeting/{greetingId}", "getGreeting", "Medium", get_greeting),
    R("POST", A + "/greeting", "getCompanyGreeting", "Medium", create_company_greeting),
    R("POST", E + "/greeting", "createGreeting", "Heavy", create_greeting),
    # not in the seed: read back a custom greeting and its audio (media host)
    R("GET", E + "/greeting/{greetingId}", "readCustomGreeting", "Medium", read_greeting),
    R("GET", A + "/greeting/{greetingId}", "readCompanyGreeting", "Medium", read_company_greeting),
    R("GET", E + "/greeting/{greetingId}/content", "readCustomGreetingContent", "Medium",
      greeting_content, host="media"),
    R("GET", A + "/greeting/{greetingId}/content", "readCompanyGreetingContent", "Medium",
      company_greeting_content, host="media"),
]


def resolve(method, path, host):
    """(route, params) or (None, allowed-methods) for a path on a host."""
    best = None
    allowed = set()
    for r in ROUTES:
        if r.host != host and not (host == "api" and r.also_api):
            continue
        params = r.match(path)
        if params is None:
            continue
        if r.method != method and not (method == "HEAD" and r.method == "GET"):
            allowed.add(r.method)
            continue
        if best is None or r.literals > best[0].literals:
            best = (r, params)
    if best:
        return best
    return None, allowed
