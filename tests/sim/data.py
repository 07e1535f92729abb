# SPDX-License-Identifier: MIT
# The demo account: extensions, messages, calls, recordings, contacts, rules.
# Everything derives from (seed, scale, anchor time). Per-extension data is
# generated on first use, so a huge --scale starts instantly; binary content
# is made by content.py only when someone downloads it.

import bisect
import collections
import itertools
import random
import threading

import content

DAY = 86400 * 1000
HOUR = 3600 * 1000

ACCOUNT_ID = 400131172008
MAIN_NUMBER = "+16505550100"
COMPANY = "Demo Company"
DOMAIN = "demo-company.example"

# (number, id, type, first, last, direct number, phone-number id, admin)
EXTENSIONS = [
    ("101", 400131173008, "User", "Morgan", "Avery", "+16505550101", 510131173008, True),
    ("102", 400131174008, "User", "Sam", "Rivera", "+16505550102", 510131174008, False),
    ("103", 400131175008, "User", "Priya", "Natarajan", "+16505550103", 510131175008, False),
    ("201", 400131176008, "Department", "Sales", "", "+16505550120", 510131176008, False),
]
MAIN_NUMBER_ID = 510131172008
DEMO_EXT = "101"

FIRST = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sofia", "Lucas", "Mia", "Ethan",
         "Chloe", "Arjun", "Hana", "Diego", "Zoe", "Kenji", "Amara", "Felix", "Nora", "Omar"]
LAST = ["Chen", "Garcia", "Okafor", "Smith", "Kowalski", "Haddad", "Nguyen", "Silva", "Brown",
        "Ivanova", "Jensen", "Patel", "Rossi", "Tanaka", "Dubois", "Murphy", "Khan", "Lopez"]
CITIES = [("Palo Alto", "CA", "94301"), ("Denver", "CO", "80202"), ("Austin", "TX", "73301"),
          ("Seattle", "WA", "98101"), ("Boston", "MA", "02108"), ("Chicago", "IL", "60601")]
STREETS = ["Main St", "Oak Ave", "Market St", "Pine Rd", "Elm St", "Harbor Blvd", "Lake Dr"]
SMS_LINES = [
    "Are we still on for {d} at {h}?", "Running about {m} minutes late, sorry!",
    "Can you send me the invoice for order #{n}?", "Thanks, got it.",
    "The package arrived this morning.", "Call me when you have a minute.",
    "Meeting moved to room {n}.", "Happy birthday!", "Sounds good, see you {d}.",
    "Could you confirm the delivery address?", "Your appointment is confirmed for {d} at {h}.",
    "On my way.", "I left the keys at the front desk.", "Let's talk tomorrow about the quote.",
]
PAGER_LINES = [
    "Lunch at {h}?", "Customer on line 2 asking for you.", "Please review the contract draft.",
    "Printer on floor {m} is fixed.", "Can you cover my calls {d}?", "Stand-up in {m} minutes.",
]
VM_LINES = [
    "Hi, this is {name}. Please call me back at your earliest convenience about the quote.",
    "Hello, {name} here. Just confirming our meeting {d} at {h}. Thanks, bye.",
    "This is {name} from the dental office reminding you of your appointment {d}.",
    "Hey, it's {name}. I have a question about invoice {n}. Give me a ring.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "tomorrow", "next week"]


# ---- change counter -------------------------------------------------------------
# Bumped after every change to a message or call (any attribute set) and after a
# message is added to a list, so that a cached listing (Store.listing) is used
# only while nothing it was made from has changed. Values are never reused.

_changes = itertools.count(1)
version = 0


_call_serial = itertools.count(1)


def changed():
    global version
    version = next(_changes)


def _fill(rng, line, name=""):
    return line.format(d=rng.choice(DAYS), h="%d:%02d" % (rng.randint(8, 17), rng.choice((0, 15, 30, 45))),
                       m=rng.randint(2, 25), n=rng.randint(1000, 99999), name=name)


class Ext:
    def __init__(self, idx, row):
        (self.number, self.id, self.type, self.first, self.last, self.direct,
         self.phone_id, self.admin) = row
        self.idx = idx
        self.name = (self.first + " " + self.last).strip()
        self.email = ("%s.%s@%s" % (self.first, self.last, DOMAIN)).lower() if self.last \
            else "%s@%s" % (self.first.lower(), DOMAIN)

    def party(self, with_number=False):
        p = {"extensionNumber": self.number, "extensionId": str(self.id), "name": self.name}
        if with_number:
            p = {"phoneNumber": self.direct, "extensionNumber": self.number, "name": self.name}
        return p


def _tracked_setattr(self, name, value):
    """Every attribute set on a stored message or call counts as a change (changed())."""
    object.__setattr__(self, name, value)
    changed()


class _MessageFields:
    __slots__ = ("id", "ext", "type", "direction", "t", "read", "avail", "peer", "text",
                 "conv", "dur", "pages", "res", "cover", "modified", "transcribed", "status",
                 "recips", "blob", "extra")

    def __init__(self):
        self.recips = None      # sent messages: every recipient (party dicts or Ext)
        self.blob = None        # sent faxes: the rendered PDF bytes
        self.extra = None       # sent faxes: {"coverPageText": ...}; MMS: {"mms": [files]}


class Message(_MessageFields):
    """A message; setting any field is a change of the store. The generators fill
    plain _MessageFields (no one can see them yet) and make them Messages at the end."""
    __slots__ = ()
    __setattr__ = _tracked_setattr


class _CallFields:
    __slots__ = ("id", "session", "tsid", "ext", "t", "duration", "type", "direction",
                 "action", "result", "frm", "to", "recording", "message", "transport", "modified")


class Call(_CallFields):
    """A call-log record; setting any field is a change of the store (see Message)."""
    __slots__ = ()
    __setattr__ = _tracked_setattr


def _publish(items, cls):
    """Generated records become tracked ones (same fields: only the class changes)."""
    for x in items:
        x.__class__ = cls
    changed()


class Recording:
    __slots__ = ("id", "duration", "type", "call")


class Contact:
    __slots__ = ("id", "fields")


class _Listing:
    __slots__ = ("version", "seq", "items", "keys", "windows")

    def __init__(self, version, seq, items):
        self.version = version
        self.seq = seq
        self.items = items
        self.keys = [-x.t for x in items]      # ascending, for bisect
        self.windows = {}


def scan(seq, keep, date_from, date_to, post=None):
    """The members of seq (newest first) with date_from <= t < date_to that keep()
    accepts, in seq's order (stops at the first older than date_from), then post()."""
    out = []
    for x in seq:
        if x.t >= date_to:
            continue
        if x.t < date_from:
            break
        if keep(x):
            out.append(x)
    return post(out) if post is not None else out


def _peers(seed):
    rng = random.Random("%s:peers" % seed)
    peers = []
    used = set()
    while len(peers) < 14:
        f, l = rng.choice(FIRST), rng.choice(LAST)
        if (f, l) in used:
            continue
        used.add((f, l))
        area = rng.choice(("415", "650", "408", "303", "512", "206", "617"))
        num = "+1%s555%04d" % (area, rng.randint(100, 199))
        city, state, _ = rng.choice(CITIES)
        peers.append({"phoneNumber": num, "name": f + " " + l, "location": "%s, %s" % (city, state)})
    return peers


class Store:
    """The demo account. Thread-safe lazy generation per extension."""

    def __init__(self, seed, scale, anchor_ms):
        self.seed = seed
        self.scale = scale
        self.anchor = anchor_ms
        self.exts = [Ext(i, row) for i, row in enumerate(EXTENSIONS)]
        self.by_id = {e.id: e for e in self.exts}
        self.by_number = {e.number: e for e in self.exts}
        self.demo = self.by_number[DEMO_EXT]
        self.peers = _peers(seed)
        self._lock = threading.RLock()
        # sync tokens name the store that issued them: after a reset the old ones are unknown
        self.sync_epoch = "%08x" % random.getrandbits(32)
        self._msgs = {}         # ext id -> list newest first
        self._msg_index = {}    # ext id -> {id: msg}
        self._calls = {}
        self._call_index = {}
        self._recordings = {}   # recording id -> Recording (filled as calls are made)
        self._contacts = {}
        self._account_calls = None
        self._listings = collections.OrderedDict()   # Store.listing's cache, LRU
        self.lock = self._lock  # writers hold it while they change state
        self._state = {}        # mutable settings and collections, made on first use
        self._ids = {}

    def state(self, key, factory):
        """The live value for `key` (made by factory() on first use)."""
        with self._lock:
            if key not in self._state:
                self._state[key] = factory()
            return self._state[key]

    def next_id(self, key, start):
        with self._lock:
            n = self._ids.get(key, start)
            self._ids[key] = n + 1
            return n

    # ---- listings -----------------------------------------------------------------

    LISTINGS_MAX = 32       # filtered sequences kept (each holds references only)
    WINDOWS_MAX = 8         # date windows kept per filtered sequence

    def listing(self, key, seq, keep, date_from, date_to, post=None):
        """What scan() returns (seq newest first: the members with date_from <= t <
        date_to that keep() accepts, then post()), in O(log n + result) once the
        filtered sequence for `key` is made: it is kept until anything in the store
        changes (`version`), so the pages of one listing cost O(page) each, not
        O(n). `key` names seq and every parameter keep() and post() depend on; the
        window is not part of it (a default window moves with the clock). The
        result is shared: callers must not change it."""
        v = version                 # read first: a change from now on makes it stale
        with self._lock:
            ent = self._listings.get(key)
            if ent is not None and (ent.version != v or ent.seq is not seq):
                ent = None
            if ent is not None:
                self._listings.move_to_end(key)
        if ent is None:
            if any(a.t < b.t for a, b in zip(seq, itertools.islice(seq, 1, None))):
                return scan(seq, keep, date_from, date_to, post)    # not newest first
            items = [x for x in seq if keep(x)]
            ent = _Listing(v, seq, items)
            with self._lock:
                self._listings[key] = ent
                self._listings.move_to_end(key)
                while len(self._listings) > self.LISTINGS_MAX:
                    self._listings.popitem(last=False)
        # items are newest first: the window is the slice between these two
        lo = bisect.bisect_right(ent.keys, -date_to)       # t >= date_to before lo
        hi = bisect.bisect_right(ent.keys, -date_from)     # t >= date_from before hi
        out = ent.windows.get((lo, hi))
        if out is None:
            out = ent.items[lo:hi]
            if post is not None:
                out = post(out)
            if len(ent.windows) >= self.WINDOWS_MAX:
                ent.windows.clear()
            ent.windows[(lo, hi)] = out
        return out

    # ---- messages ---------------------------------------------------------------

    def _times(self, rng, n, span_days):
        out = []
        for i in range(n):
            if i < min(3, n):
                out.append(self.anchor - rng.randint(5 * 60 * 1000, 23 * HOUR))
            else:
                out.append(self.anchor - rng.randint(5 * 60 * 1000, span_days * DAY))
        return out

    def _gen_messages(self, ext):
        msgs = []
        if ext.type != "User":
            return msgs
        rng = random.Random("%s:msg:%s:%s" % (self.seed, ext.number, self.scale))
        n = self.scale
        others = [e for e in self.exts if e is not ext]
        # SMS conversations: a conversation id per peer, some beyond 2^53
        sms_peers = rng.sample(self.peers, 5)
        convs = {}
        for p in sms_peers:
            convs[p["phoneNumber"]] = rng.randint(2 ** 53 + 1, 2 ** 63 - 1) if rng.random() < 0.6 \
                else rng.randint(10 ** 12, 2 ** 52)
        for kind in ("VoiceMail", "Fax", "SMS", "Pager"):
            for t in self._times(rng, n, 120):
                m = _MessageFields()
                m.ext = ext
                m.type = kind
                m.t = t - t % 1000
                m.avail = "Deleted" if rng.random() < 0.06 else "Alive"
                m.read = (self.anchor - t > 2 * DAY) or rng.random() < 0.3
                m.conv = None
                m.text = None
                m.dur = m.pages = m.res = m.cover = None
                m.transcribed = False
                m.modified = m.t + rng.randint(100, 90000)
                if kind == "VoiceMail":
                    m.direction = "Inbound"
                    if rng.random() < 0.25:
                        m.peer = rng.choice(others).party(with_number=False)
                        m.peer = {"extensionNumber": m.peer["extensionNumber"], "name": m.peer["name"]}
                    else:
                        m.peer = rng.choice(self.peers)
                    m.dur = rng.randint(3, 40)
                    m.transcribed = rng.random() < 0.5
                    if m.transcribed:
                        first = m.peer.get("name", "a caller").split()[0]
                        m.text = _fill(rng, rng.choice(VM_LINES), first)
                    m.status = "Received"
                elif kind == "Fax":
                    m.direction = rng.choice(("Inbound", "Outbound"))
                    m.peer = rng.choice(self.peers)
                    m.pages = rng.randint(1, 4)
                    m.res = rng.choice(("High", "Low"))
                    m.cover = rng.randint(0, 13) if m.direction == "Outbound" else None
                    m.status = "Received" if m.direction == "Inbound" else "Sent"
                elif kind == "SMS":
                    m.direction = rng.choice(("Inbound", "Outbound"))
                    m.peer = rng.choice(sms_peers)
                    m.conv = convs[m.peer["phoneNumber"]]
                    m.text = _fill(rng, rng.choice(SMS_LINES))
                    m.status = "Received" if m.direction == "Inbound" else "Delivered"
                    if m.direction == "Outbound":
                        m.read = True
                else:
                    m.direction = rng.choice(("Inbound", "Outbound"))
                    m.peer = rng.choice(others)
                    m.text = _fill(rng, rng.choice(PAGER_LINES))
                    m.status = "Received" if m.direction == "Inbound" else "Sent"
                    if m.direction == "Outbound":
                        m.read = True
                msgs.append(m)
        msgs.sort(key=lambda m: m.t)
        base = 600000000000 + ext.idx * 200000000
        for rank, m in enumerate(msgs):
            m.id = base + rank * 4
        msgs.reverse()
        _publish(msgs, Message)
        return msgs

    def messages(self, ext):
        with self._lock:
            if ext.id not in self._msgs:
                msgs = self._gen_messages(ext)
                self._msgs[ext.id] = msgs
                self._msg_index[ext.id] = {m.id: m for m in msgs}
            return self._msgs[ext.id]

    def message(self, ext, mid):
        self.messages(ext)
        return self._msg_index[ext.id].get(mid)

    def add_message(self, ext, spec, now):
        """A message arriving now (control endpoint); newest first, so it goes in front."""
        kind = spec.get("type", "SMS")
        if kind not in ("VoiceMail", "Fax", "SMS", "Pager"):
            raise ValueError("type must be VoiceMail, Fax, SMS or Pager")
        direction = spec.get("direction", "Inbound")
        if direction not in ("Inbound", "Outbound") or (kind == "VoiceMail" and direction != "Inbound"):
            raise ValueError("bad direction")
        msgs = self.messages(ext)
        with self._lock:
            m = Message()
            m.ext, m.type, m.direction = ext, kind, direction
            m.t = now - now % 1000
            m.modified = now
            m.avail = "Alive"
            m.read = bool(spec.get("read", direction == "Outbound"))
            m.conv = m.dur = m.pages = m.res = m.cover = None
            m.transcribed = False
            m.text = spec.get("text")
            peer = {"phoneNumber": spec.get("phoneNumber", self.peers[0]["phoneNumber"])}
            if spec.get("name"):
                peer["name"] = spec["name"]
            m.peer = peer
            if kind == "VoiceMail":
                m.dur = int(spec.get("duration", 5))
                m.transcribed = m.text is not None
                m.status = "Received"
            elif kind == "Fax":
                m.pages = int(spec.get("pages", 1))
                m.res = "High"
                m.status = "Received" if direction == "Inbound" else "Sent"
            elif kind == "SMS":
                m.text = m.text or "Hello from the simulator"
                m.conv = int(spec.get("conversationId", 0)) or (2 ** 60 + int(_digits(peer["phoneNumber"]) or 0))
                m.status = "Received" if direction == "Inbound" else "Delivered"
            else:
                other = self.by_number.get(str(spec.get("extensionNumber", ""))) or \
                    next(e for e in self.exts if e is not ext and e.type == "User")
                m.peer = other
                m.text = m.text or "Hello from the simulator"
                m.status = "Received" if direction == "Inbound" else "Sent"
            return self.insert_message(ext, m)

    def add_call(self, ext, spec, now):
        """A call that happens now (control endpoint): a call-log record of `ext`, newest."""
        direction = spec.get("direction", "Inbound")
        result = spec.get("result", "Missed")
        if direction not in ("Inbound", "Outbound"):
            raise ValueError("bad direction")
        calls = self.calls(ext)
        with self._lock:
            c = _CallFields()
            c.id = "I" + "%014d" % next(_call_serial)
            c.session = str(10 ** 11 + next(_call_serial))
            c.tsid = "s-%032x" % next(_call_serial)
            c.ext, c.t, c.modified = ext, now - now % 1000, now
            c.recording = c.message = None
            c.transport, c.type, c.direction, c.result = "PSTN", "Voice", direction, result
            c.action = "Phone Call"
            c.duration = int(spec.get("duration", 0))
            me = {"phoneNumber": ext.direct, "extensionNumber": ext.number, "name": ext.name}
            peer = {"phoneNumber": spec.get("phoneNumber", self.peers[0]["phoneNumber"])}
            if spec.get("name"):
                peer["name"] = spec["name"]
            c.frm, c.to = (peer, me) if direction == "Inbound" else (me, peer)
            calls.insert(0, c)
            self._call_index[ext.id][c.id] = c
            self._account_calls = None
            _publish([c], Call)
            return c

    def insert_message(self, ext, m):
        """Store a new message as the newest of `ext`; gives it the next id."""
        msgs = self.messages(ext)
        with self._lock:
            base = 600000000000 + ext.idx * 200000000
            m.id = base + len(self._msg_index[ext.id]) * 4
            msgs.insert(0, m)
            self._msg_index[ext.id][m.id] = m
            changed()
            return m

    def new_message(self, ext, kind, direction, now):
        m = Message()
        m.ext, m.type, m.direction = ext, kind, direction
        m.t = now - now % 1000
        m.modified = now
        m.avail = "Alive"
        m.read = direction == "Outbound"
        m.conv = m.dur = m.pages = m.res = m.cover = m.text = None
        m.transcribed = False
        return m

    # ---- calls and recordings ---------------------------------------------------------

    def _call_id(self, rng):
        alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        return "I" + "".join(rng.choice(alpha) for _ in range(14))

    def _gen_calls(self, ext):
        calls = []
        if ext.type != "User":
            return calls
        rng = random.Random("%s:calls:%s:%s" % (self.seed, ext.number, self.scale))
        me = {"phoneNumber": ext.direct, "extensionNumber": ext.number, "name": ext.name}
        rec_base = 700000000000 + ext.idx * 100000000
        nrec = 0
        horizon = self.anchor - 90 * DAY

        def new_call(t):
            c = _CallFields()
            c.id = self._call_id(rng)
            c.session = str(rng.randint(10 ** 11, 10 ** 12 - 1))
            c.tsid = "s-%032x" % rng.getrandbits(128)
            c.ext = ext
            c.t = t - t % 1000
            c.recording = None
            c.message = None
            c.modified = c.t + rng.randint(1000, 600000)
            c.transport = rng.choice(("PSTN", "VoIP"))
            return c

        for t in self._times(rng, self.scale, 90):
            c = new_call(t)
            c.type = "Voice"
            c.direction = rng.choice(("Inbound", "Outbound", "Inbound"))
            peer = rng.choice(self.peers)
            c.result = rng.choice(("Accepted", "Accepted", "Accepted", "Missed", "Call connected",
                                   "No Answer", "Busy"))
            if c.direction == "Outbound":
                c.result = {"Missed": "No Answer", "Accepted": "Call connected"}.get(c.result, c.result)
                c.action = rng.choice(("VoIP Call", "RingOut Web", "Phone Call"))
                c.frm, c.to = me, {"phoneNumber": peer["phoneNumber"], "name": peer["name"]}
            else:
                c.result = {"Call connected": "Accepted", "No Answer": "Missed", "Busy": "Missed"}.get(c.result, c.result)
                c.action = "Phone Call"
                c.frm, c.to = dict(peer), me
            connected = c.result in ("Accepted", "Call connected")
            c.duration = rng.randint(20, 900) if connected else rng.randint(0, 30)
            if connected and c.duration >= 30 and rng.random() < 0.35:
                r = Recording()
                r.id = str(rec_base + nrec)
                nrec += 1
                r.duration = c.duration
                r.type = rng.choice(("Automatic", "OnDemand"))
                r.call = c
                c.recording = r
            calls.append(c)
        # voicemails and faxes leave call-log records too
        for m in self.messages(ext):
            if m.t < horizon or m.type not in ("VoiceMail", "Fax"):
                continue
            c = new_call(m.t - (m.dur or 30) * 1000 if m.type == "VoiceMail" else m.t)
            c.message = m
            c.type = "Voice" if m.type == "VoiceMail" else "Fax"
            c.direction = m.direction
            peer = m.peer if "phoneNumber" in m.peer else {"extensionNumber": m.peer["extensionNumber"], "name": m.peer["name"]}
            if m.type == "VoiceMail":
                c.action, c.result, c.duration = "Phone Call", "Voicemail", m.dur + 12
                c.frm, c.to = dict(peer), me
            elif m.direction == "Inbound":
                c.action, c.result, c.duration = "Incoming Fax", "Received", 30 * m.pages
                c.frm, c.to = dict(peer), me
            else:
                c.action, c.result, c.duration = "Outgoing Fax", "Sent", 30 * m.pages
                # a number sent to without a name (an injected fax) has none
                c.frm, c.to = me, {k: peer[k] for k in ("phoneNumber", "name") if k in peer}
            calls.append(c)
        calls.sort(key=lambda c: c.t, reverse=True)
        _publish(calls, Call)
        return calls

    def calls(self, ext):
        self.messages(ext)
        with self._lock:
            if ext.id not in self._calls:
                calls = self._gen_calls(ext)
                self._calls[ext.id] = calls
                self._call_index[ext.id] = {c.id: c for c in calls}
                for c in calls:
                    if c.recording:
                        self._recordings[c.recording.id] = c.recording
            return self._calls[ext.id]

    def call(self, ext, cid):
        self.calls(ext)
        return self._call_index[ext.id].get(cid)

    def account_calls(self):
        for e in self.exts:
            self.calls(e)
        with self._lock:
            if self._account_calls is None:
                allc = [c for e in self.exts for c in self._calls[e.id]]
                allc.sort(key=lambda c: c.t, reverse=True)
                self._account_calls = allc
            return self._account_calls

    def recording(self, rid):
        try:
            n = int(rid)
        except ValueError:
            return None
        idx = (n - 700000000000) // 100000000
        if 0 <= idx < len(self.exts):
            self.calls(self.exts[idx])
        return self._recordings.get(rid)

    # ---- contacts -------------------------------------------------------------------

    def _gen_contacts(self, ext):
        out = []
        if ext.type != "User":
            return out
        rng = random.Random("%s:contacts:%s:%s" % (self.seed, ext.number, self.scale))
        base = 800000000000 + ext.idx * 100000000
        for i in range(self.scale):
            f, l = rng.choice(FIRST), rng.choice(LAST)
            c = Contact()
            c.id = base + i
            d = {"firstName": f, "lastName": l}
            if rng.random() < 0.7:
                d["company"] = rng.choice(("Acme Corp", "Globex", "Initech", "Umbrella Travel",
                                           "Stark Supplies", "Wayne Logistics"))
                d["jobTitle"] = rng.choice(("Engineer", "Sales Manager", "CEO", "Accountant", "Buyer"))
            d["email"] = "%s.%s%d@example.com" % (f.lower(), l.lower(), i)
            if rng.random() < 0.3:
                d["email2"] = "%s%d@mail.example.org" % (f.lower(), i)
            d["mobilePhone"] = "+1%d555%04d" % (rng.choice((415, 650, 303, 512)), rng.randint(0, 9999))
            if rng.random() < 0.6:
                d["businessPhone"] = "+1%d555%04d" % (rng.choice((408, 206, 617)), rng.randint(0, 9999))
            if rng.random() < 0.3:
                d["homePhone"] = "+1%d555%04d" % (rng.choice((212, 312)), rng.randint(0, 9999))
            city, state, zipc = rng.choice(CITIES)
            d["businessAddress"] = {"street": "%d %s" % (rng.randint(1, 999), rng.choice(STREETS)),
                                    "city": city, "state": state, "zip": zipc, "country": "USA"}
            if rng.random() < 0.3:
                d["birthday"] = "%04d-%02d-%02dT00:00:00.000Z" % (rng.randint(1950, 2000),
                                                                  rng.randint(1, 12), rng.randint(1, 28))
            if rng.random() < 0.2:
                d["notes"] = "Met at the %s trade show." % rng.choice(("spring", "autumn", "winter"))
            c.fields = d
            out.append(c)
        return out

    def contacts(self, ext):
        with self._lock:
            if ext.id not in self._contacts:
                self._contacts[ext.id] = self._gen_contacts(ext)
            return self._contacts[ext.id]

    # ---- content -----------------------------------------------------------------------

    def attachments(self, m):
        """[(attachment id, type, Blob-or-factory info)] for a message."""
        if m.type == "VoiceMail":
            out = [(m.id, "AudioRecording", "audio/x-wav")]
            if m.transcribed:
                out.append((m.id + 1, "AudioTranscription", "text/plain"))
            return out
        if m.type == "Fax":
            return [(m.id, "RenderedDocument", "application/pdf")]
        mms = m.extra.get("mms") if m.extra else None
        if mms:     # a sent MMS: its text (when it had one), then the files as sent
            out = [(m.id + 1, "Text", "text/plain")] if m.text else []
            return out + [(f["id"], "MmsAttachment", f["contentType"]) for f in mms]
        return [(m.id + 1, "Text", "text/plain")]

    def attachment_blob(self, m, aid, atype):
        if atype == "AudioRecording":
            return content.Wav("%s:vm:%d" % (self.seed, m.id), m.dur)
        if atype in ("AudioTranscription", "Text"):
            return content.text_blob(m.text)
        if atype == "RenderedDocument":
            if m.blob is not None:
                return content.Blob("application/pdf", m.blob)
            return fax_pdf(m)
        return None

    @staticmethod
    def recording_type(r):
        """Recordings are served as audio/mpeg or audio/wav (the call log does not
        say which): about half of each, fixed per recording."""
        return "audio/mpeg" if random.Random("rectype:%s" % r.id).random() < 0.5 else "audio/wav"

    def recording_blob(self, r):
        if self.recording_type(r) == "audio/mpeg":
            return content.Mp3(r.duration)
        return content.Wav("%s:rec:%s" % (self.seed, r.id), r.duration)


def _digits(s):
    return "".join(ch for ch in s if ch.isdigit())


def _party_line(p):
    bits = [p.get("name"), p.get("phoneNumber") or ("ext. %s" % p.get("extensionNumber"))]
    return " ".join(b for b in bits if b)


def fax_pdf(m):
    import util
    me = {"name": m.ext.name, "phoneNumber": m.ext.direct}
    sender, receiver = (m.peer, me) if m.direction == "Inbound" else (me, m.peer)
    pages = []
    for i in range(m.pages):
        lines = ["FAX from %s" % (sender.get("name") or sender.get("phoneNumber")),
                 "From: %s" % _party_line(sender),
                 "To: %s" % _party_line(receiver),
                 "Sent: %s" % util.iso(m.t, millis=False),
                 "Page %d of %d" % (i + 1, m.pages),
                 "",
                 "This fax was sent by %s to %s." % (_party_line(sender), _party_line(receiver)),
                 "Message %d, resolution %s." % (m.id, m.res)]
        pages.append(lines)
    return content.make_pdf(pages, "Fax from %s" % _party_line(sender))
