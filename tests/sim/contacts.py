# SPDX-License-Identifier: MIT
# Personal address book and favorites.

import re

from context import Reply, digits
from data import Contact
from util import ApiError, bad_param, not_found, page_args, paged, parse_iso


# ---- contacts, favorites -------------------------------------------------------------------

def contact_record(c, ext, ct):
    r = {"uri": c.ext_uri(ext) + "/address-book/contact/%d" % ct.id, "availability": "Alive",
         "id": ct.id}
    r.update(ct.fields)
    return r


def list_contacts(c):
    e = c.ext()
    q = c.q
    page, per = page_args(q)
    items = c.store.contacts(e)
    sw = q.one("startsWith")
    if sw:
        s = sw.lower()
        items = [x for x in items if x.fields.get("firstName", "").lower().startswith(s)
                 or x.fields.get("lastName", "").lower().startswith(s)]
    phones = [digits(p) for p in q.all("phoneNumber")]
    if phones:
        items = [x for x in items if any(digits(v).endswith(p) for p in phones if p
                                         for k, v in x.fields.items() if k.endswith("Phone"))]
    sort = q.enum_list("sortBy", ("FirstName", "LastName", "Company"))
    if sort:
        keys = {"FirstName": "firstName", "LastName": "lastName", "Company": "company"}
        items = sorted(items, key=lambda x: tuple(x.fields.get(keys[s], "").lower() for s in sort))
    out = paged(c.path_uri(), c.echo(), items, page, per, lambda x: contact_record(c, e, x))
    out["groups"] = {"uri": c.ext_uri(e) + "/address-book/group"}
    return Reply(out)


def load_contact(c):
    e = c.ext()
    try:
        cid = int(c.p["contactId"])
    except ValueError:
        raise not_found("contactId")
    for ct in c.store.contacts(e):
        if ct.id == cid:
            return Reply(contact_record(c, e, ct))
    raise not_found("contactId")


def _contact(c, e):
    try:
        cid = int(c.p["contactId"])
    except ValueError:
        raise not_found("contactId")
    for ct in c.store.contacts(e):
        if ct.id == cid:
            return ct
    raise not_found("contactId")


STRING_FIELDS = ("firstName", "lastName", "middleName", "nickName", "company", "jobTitle", "webPage",
                 "notes")
EMAIL_FIELDS = ("email", "email2", "email3")
PHONE_FIELDS = ("homePhone", "homePhone2", "businessPhone", "businessPhone2", "mobilePhone",
                "businessFax", "companyPhone", "assistantPhone", "carPhone", "otherPhone", "otherFax",
                "callbackPhone")
ADDRESS_FIELDS = ("businessAddress", "homeAddress", "otherAddress")
ADDRESS_KEYS = ("street", "city", "state", "zip", "country")
# a contact must name someone or something: at least one of these
IDENTIFYING = ("firstName", "lastName", "middleName", "nickName", "company") + EMAIL_FIELDS + PHONE_FIELDS
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
NOTES_MAX = 1024


def _phone(field, v):
    if not isinstance(v, str) or not v.strip():
        raise ApiError(400, "PAB-102", "Parameter [%s] is invalid. Failed to parse phone number." % field, field)
    t = v.strip()
    if t.startswith("*"):
        raise ApiError(400, "PAB-104", "Parameter [%s] is invalid. The phone numbers starting with the "
                       "asterisk are not supported." % field, field)
    if re.search(r"[^0-9+()\-. #*,;xX]", t) or not digits(t):
        raise ApiError(400, "PAB-102", "Parameter [%s] is invalid. Failed to parse phone number." % field, field)
    if len(digits(t.split("#")[0].split("x")[0])) > 15:
        raise ApiError(400, "PAB-103", "Parameter [%s] is invalid. The phone number is too long." % field, field)
    return v


def contact_fields(body):
    """The stored fields of a contact body: known fields only, validated, in body order."""
    out = {}
    for k, v in body.items():
        if v is None:
            continue
        if k in STRING_FIELDS:
            if not isinstance(v, str) or (k == "notes" and len(v) > NOTES_MAX):
                raise bad_param(k)
            out[k] = v
        elif k in EMAIL_FIELDS:
            if not isinstance(v, str) or not EMAIL_RE.fullmatch(v):
                raise bad_param(k, v if isinstance(v, str) else None)
            out[k] = v
        elif k in PHONE_FIELDS:
            out[k] = _phone(k, v)
        elif k in ADDRESS_FIELDS:
            if not isinstance(v, dict) or any(not isinstance(v[x], (str, int)) for x in v if x in ADDRESS_KEYS):
                raise bad_param(k)
            out[k] = {x: v[x] for x in ADDRESS_KEYS if x in v}
        elif k == "birthday":
            if not isinstance(v, str) or parse_iso(v) is None:
                raise bad_param(k, v if isinstance(v, str) else None)
            out[k] = v
        elif k == "ringtoneIndex":
            if not isinstance(v, str):
                raise bad_param(k)
            out[k] = v
        # anything else (uri, id, availability, unknown fields) is ignored
    if not any(out.get(k) for k in IDENTIFYING):
        raise bad_param("contact")
    return out


def _dialing_plan(c):
    dp = c.q.one("dialingPlan")
    if dp is not None and not re.fullmatch(r"[A-Za-z]{2}", dp):
        raise bad_param("dialingPlan", dp)


def create_contact(c):
    e = c.ext()
    _dialing_plan(c)
    fields = contact_fields(c.json_body())
    with c.store.lock:
        lst = c.store.contacts(e)
        if len(lst) >= 10000:
            raise ApiError(400, "CMN-101", "max contacts count reached", "contact")
        ct = Contact()
        ct.id = c.store.next_id(("contact", e.id), 800000000000 + e.idx * 100000000 + c.store.scale)
        ct.fields = fields
        lst.append(ct)
    return Reply(contact_record(c, e, ct))


def update_contact(c):
    """PUT replaces the contact: fields left out are cleared."""
    e = c.ext()
    _dialing_plan(c)
    fields = contact_fields(c.json_body())
    with c.store.lock:
        ct = _contact(c, e)
        ct.fields = fields
    return Reply(contact_record(c, e, ct))


def delete_contact(c):
    e = c.ext()
    with c.store.lock:
        ct = _contact(c, e)
        c.store.contacts(e).remove(ct)
        favs = _favorites(c, e)
        favs[:] = [f for f in favs if f.get("contactId") != str(ct.id)]
    return Reply(status=204, raw=b"")


def _favorites(c, e):
    def make():
        recs = []
        for other in c.store.exts:
            if other is not e and other.type == "User":
                recs.append({"extensionId": str(other.id)})
        for ct in c.store.contacts(e)[:2]:
            recs.append({"contactId": str(ct.id)})
        return recs
    return c.store.state(("favorites", e.id), make)


def _fav_response(c, e):
    recs = [dict({"id": i + 1}, **f) for i, f in enumerate(_favorites(c, e))]
    return Reply({"uri": c.ext_uri(e) + "/favorite", "records": recs})


def list_favorites(c):
    return _fav_response(c, c.ext())


FAV_MAX = 100


def update_favorites(c):
    """PUT replaces the list; ids are the positions 1..n."""
    e = c.ext()
    body = c.json_body()
    recs = body.get("records")
    if not isinstance(recs, list):
        raise bad_param("records")
    if len(recs) > FAV_MAX:
        raise ApiError(400, "FAV-104", "Contact limit exceeded")
    contacts = {str(ct.id) for ct in c.store.contacts(e)}
    out, seen_ext, seen_ct, seen_id = [], set(), set(), set()
    for r in recs:
        if not isinstance(r, dict):
            raise bad_param("records")
        if r.get("id") is not None:
            if r["id"] in seen_id:
                raise ApiError(400, "FAV-103", "More than one contact with the same [records.id]")
            seen_id.add(r["id"])
        xid, cid = r.get("extensionId"), r.get("contactId")
        if xid is not None and cid is not None:
            raise ApiError(400, "FAV-102", "[records.extensionId] and [records.contactId] could not be "
                           "specified for one contact simultaneously")
        if xid is not None:
            xid = str(xid)
            if not xid.isdigit():
                raise bad_param("records.extensionId", xid)
            if int(xid) not in c.store.by_id:
                raise ApiError(400, "FAV-100", "Contact not found", "records.extensionId")
            if xid in seen_ext:
                raise ApiError(400, "FAV-101", "More than one contact with the same [records.extensionId]")
            seen_ext.add(xid)
            out.append({"extensionId": xid})
        elif cid is not None:
            cid = str(cid)
            if not cid.isdigit():
                raise bad_param("records.contactId", cid)
            if cid not in contacts:
                raise ApiError(400, "FAV-100", "Contact not found", "records.contactId")
            if cid in seen_ct:
                raise ApiError(400, "FAV-101", "More than one contact with the same [records.contactId]")
            seen_ct.add(cid)
            out.append({"contactId": cid})
        else:
            raise bad_param("records.extensionId")
    with c.store.lock:
        favs = _favorites(c, e)
        favs[:] = out
    return _fav_response(c, e)
