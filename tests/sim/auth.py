# SPDX-License-Identifier: MIT
# OAuth sessions: JWT-bearer grant, single-use refresh tokens, revoke, and the
# 401 bodies resource endpoints return for missing, unknown or expired tokens.

import base64
import os
import secrets
import threading
import time

from util import ApiError

GRANT_JWT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SCOPE = ("ReadAccounts ReadMessages EditMessages SMS Faxes InternalMessages ReadCallLog "
         "ReadCallRecording ReadContacts Contacts ReadPresence EditPresence EditExtensions")


def load_demo_env(path=None):
    path = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), "demo.env")
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                env[k.strip()] = v.strip().strip("'\"")
    return env


class OAuthError(Exception):
    def __init__(self, status, error, code, message, param=None, value=None):
        super().__init__(message)
        self.status = status
        self.error = error
        self.code = code
        self.message = message
        self.param = param
        self.value = value

    def body(self):
        e = {"errorCode": self.code, "message": self.message}
        if self.param:
            e["parameters"] = [{"parameterName": self.param, "parameterValue": self.value or ""}]
        return {"error": self.error, "error_description": self.message, "errors": [e]}


def _token(prefix):
    # Looks like the platform's: base64 of a region tag, then opaque bytes.
    return base64.b64encode(prefix).decode().rstrip("=") + secrets.token_urlsafe(33)


class Session:
    __slots__ = ("owner", "access", "refresh", "access_exp", "refresh_exp", "revoked",
                 "endpoint")


def load_users(demo, owner_id, users):
    """JWT assertion -> extension id: demo.env's user (the admin) and, from
    demo-user.env, a standard user (extension 102)."""
    out = {demo["RC_USER_JWT"]: owner_id}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "demo-user.env")
    if os.path.exists(path):
        out[load_demo_env(path)["RC_USER_JWT"]] = users["102"]
    return out


class Auth:
    def __init__(self, demo, owner_id, clock=time.monotonic, users=None):
        self.clock = clock
        self.demo = demo
        self.owner_id = owner_id
        self.users = users or {demo["RC_USER_JWT"]: owner_id}   # JWT -> extension id
        self.lock = threading.Lock()
        self.by_access = {}
        self.by_refresh = {}
        self.dead_access = {}     # access token -> reason ("expired" kept implicit)

    def check_client(self, basic):
        if not basic:
            raise OAuthError(401, "invalid_client", "OAU-123", "Client authentication is required")
        try:
            raw = base64.b64decode(basic, validate=False).decode("utf-8")
            cid, sec = raw.split(":", 1)
        except Exception:
            raise OAuthError(401, "invalid_client", "OAU-123", "Client authentication is required")
        if cid != self.demo["RC_APP_CLIENT_ID"] or sec != self.demo["RC_APP_CLIENT_SECRET"]:
            raise OAuthError(401, "invalid_client", "OAU-153", "Invalid client: %s" % cid,
                             "client_id", cid)
        return cid

    def grant(self, form, access_ttl, refresh_ttl):
        gt = form.get("grant_type")
        if not gt:
            raise OAuthError(400, "invalid_request", "OAU-101", "Parameter [grant_type] is required")
        if gt == GRANT_JWT:
            assertion = form.get("assertion")
            if not assertion:
                raise OAuthError(400, "invalid_request", "OAU-101", "Parameter [assertion] is required")
            owner = self.users.get(assertion)
            if owner is None:
                raise OAuthError(400, "invalid_grant", "OAU-140", "Invalid resource owner credentials")
            return self._issue(access_ttl, refresh_ttl, owner)
        if gt == "refresh_token":
            rt = form.get("refresh_token")
            if not rt:
                raise OAuthError(400, "invalid_request", "OAU-101",
                                 "Parameter [refresh_token] is required")
            with self.lock:
                s = self.by_refresh.get(rt)
                now = self.clock()
                if s is None or s.revoked:
                    raise OAuthError(400, "invalid_grant", "OAU-211", "Token is revoked")
                if now >= s.refresh_exp:
                    raise OAuthError(400, "invalid_grant", "OAU-211", "Token is expired")
                # single use; the old access token dies with it
                del self.by_refresh[rt]
                self.by_access.pop(s.access, None)
            return self._issue(access_ttl, refresh_ttl, s.owner)
        if gt in ("authorization_code", "password", "client_credentials", "partner_jwt"):
            raise OAuthError(400, "unauthorized_client", "OAU-251", "Unauthorized for this grant type")
        raise OAuthError(400, "invalid_request", "OAU-250", "Unsupported grant type")

    def _issue(self, access_ttl, refresh_ttl, owner):
        s = Session()
        s.owner = owner
        s.access = _token(b"SIM01P01PAS00|")
        s.refresh = _token(b"SIM01P01REF00|")
        now = self.clock()
        s.access_exp = now + access_ttl
        s.refresh_exp = now + refresh_ttl
        s.revoked = False
        s.endpoint = secrets.token_urlsafe(16)[:22]
        with self.lock:
            self.by_access[s.access] = s
            self.by_refresh[s.refresh] = s
        return {"access_token": s.access, "token_type": "bearer", "expires_in": int(access_ttl),
                "refresh_token": s.refresh, "refresh_token_expires_in": int(refresh_ttl),
                "scope": SCOPE, "owner_id": str(owner), "endpoint_id": s.endpoint}

    def revoke(self, token):
        with self.lock:
            s = self.by_access.get(token) or self.by_refresh.get(token)
            if s:
                s.revoked = True
                self.by_access.pop(s.access, None)
                self.by_refresh.pop(s.refresh, None)

    def authenticate(self, header, query_token=None):
        """Session for an Authorization header (or ?access_token=), else ApiError 401."""
        token = None
        if header:
            parts = header.split(None, 1)
            if len(parts) == 2 and parts[0].lower() == "bearer":
                token = parts[1].strip()
            else:
                raise ApiError(401, "OAU-149", "Unparsable access token", top_param=False)
        elif query_token:
            token = query_token
        if not token:
            raise ApiError(401, "AGW-401", "Authorization header is not specified")
        with self.lock:
            s = self.by_access.get(token)
        if s is None or s.revoked:
            e = ApiError(401, "OAU-213", "Token not found")
            e.top_code = "TokenInvalid"
            raise e
        if self.clock() >= s.access_exp:
            e = ApiError(401, "OAU-128", "Access token expired")
            e.top_code = "TokenExpired"
            raise e
        return s
