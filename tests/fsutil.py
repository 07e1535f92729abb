"""Helpers the mount tests share: what the simulator saw, and writes the way tools make them."""
import json

FAR_PAST = "2000-01-01T00:00:00.000Z"
EXT = "/restapi/v1.0/account/~/extension/~"


def mark(sim):
    """The position in the simulator's request log, for sent(sim, since=...)."""
    return len(sim.requests())


def sent(sim, since, operation=None, method=None):
    """Requests other than GET since @since, of one operation or method if given."""
    return [r for r in sim.requests()[since:]
            if r["method"] != "GET" and (operation is None or r["operation"] == operation)
            and (method is None or r["method"] == method)]


def by_ringfs(sim, since=0):
    """Every request ringfs made since @since."""
    return [r for r in sim.requests()[since:]
            if (r.get("user_agent") or "").startswith("ringfs/")]


def messages(sim, mtype, availability=None):
    """The message store's records of one type, over all of history."""
    query = f"messageType={mtype}&dateFrom={FAR_PAST}&perPage=1000"
    if availability:
        query += "".join(f"&availability={a}" for a in availability.split(","))
    st, _, body = sim.get(f"{EXT}/message-store?{query}")
    assert st == 200, body
    return json.loads(body)["records"]


def message(sim, message_id):
    """(status, record) of one message by id."""
    st, _, body = sim.get(f"{EXT}/message-store/{message_id}")
    return st, json.loads(body) if body else None


def write(path, data, mode="w"):
    with open(path, mode) as f:
        f.write(data)


def close_error(path, data):
    """The errno a write + close raised, or None."""
    try:
        write(path, data)
    except OSError as e:
        return e.errno
    return None
