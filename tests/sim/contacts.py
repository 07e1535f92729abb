# SPDX-License-Identifier: MIT
# Personal address book and favorites.

from context import Reply, digits
from util import not_found, page_args, paged


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


def list_favorites(c):
    e = c.ext()
    recs = []
    for other in c.store.exts:
        if other is not e and other.type == "User":
            recs.append({"id": len(recs) + 1, "extensionId": str(other.id)})
    for ct in c.store.contacts(e)[:2]:
        recs.append({"id": len(recs) + 1, "contactId": str(ct.id)})
    return Reply({"uri": c.ext_uri(e) + "/favorite", "records": recs})
