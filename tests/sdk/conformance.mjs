// SPDX-License-Identifier: MIT
// RingCentral's own JavaScript SDK (@rc-ex/core, pinned in package.json and
// package-lock.json) driving the simulator through everyday calls. Run by
// tests/test_sdk.py:
//
//   RC_SERVER=http://127.0.0.1:PORT RC_CLIENT_ID=.. RC_CLIENT_SECRET=.. RC_JWT=.. \
//   SDK_FILES=DIR node conformance.mjs
//
// SDK_FILES holds the uploads: mms.png, mms.mp4 (MMS attachments), fax.pdf.
// Prints one JSON line per call: {"call", "ok", "data"} when the SDK returned, or
// {"call", "ok": false, "status", "errorCode", "message"} when it threw. The test
// decides which outcomes are right and compares the data with the simulator.
// Exits 0 when every call was made (whatever their outcome), 1 on a crash.

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import RingCentral from "@rc-ex/core";

const env = process.env;
const files = env.SDK_FILES;
const FROM = "+16505550101";        // ext 101's direct number (SmsSender, MmsSender)
const PEER = "+14155550142";        // someone outside the account

const rc = new RingCentral({
  server: env.RC_SERVER,
  clientId: env.RC_CLIENT_ID,
  clientSecret: env.RC_CLIENT_SECRET,
  appName: "ringfs-sdk-conformance",
  appVersion: "1.0",
});
const ext = () => rc.restapi().account().extension();

function sha256(bytes) {
  return crypto.createHash("sha256").update(Buffer.from(bytes)).digest("hex");
}

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

// A call over the usage plan gets 429 with Retry-After, as from the service: wait
// that long and make the call again (at most 5 times); the line counts the waits.
async function call(name, fn) {
  let waits = 0;
  for (;;) {
    try {
      const data = await fn();
      emit({ call: name, ok: true, waits, data: data === undefined ? null : data });
      return data;
    } catch (e) {
      const r = e.response;
      const after = r && r.status === 429 ? Number(r.headers["retry-after"]) : NaN;
      if (waits < 5 && after >= 0 && after <= 120) {
        waits += 1;
        await new Promise((ok) => setTimeout(ok, after * 1000 + 50));
        continue;
      }
      return failed(name, waits, e);
    }
  }
}

function failed(name, waits, e) {
  const r = e.response;
  if (!r) {
    emit({ call: name, ok: false, waits, status: null, error: String(e && e.stack || e) });
    return undefined;
  }
  let body = r.data;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    body = Buffer.from(body).toString("utf8");
  }
  if (typeof body === "string") {
    try { body = JSON.parse(body); } catch { /* not JSON */ }
  }
  emit({
    call: name, ok: false, waits, status: r.status,
    errorCode: body && (body.errorCode || body.error) || null,
    message: body && (body.message || body.error_description) || null,
    body,
  });
  return undefined;
}

const brief = (m) => m && {
  id: m.id, type: m.type, direction: m.direction, messageStatus: m.messageStatus,
  subject: m.subject, conversation: m.conversation && m.conversation.id,
  to: m.to, from: m.from,
  attachments: (m.attachments || []).map((a) => ({
    id: a.id, uri: a.uri, type: a.type, contentType: a.contentType,
    size: a.size, fileName: a.fileName,
  })),
};

async function main() {
  // ---- auth ----------------------------------------------------------------------------
  const tok = await call("authorize", async () => {
    const t = await rc.authorize({ jwt: env.RC_JWT });
    return {
      token_type: t.token_type, expires_in: t.expires_in,
      refresh_token_expires_in: t.refresh_token_expires_in, scope: t.scope,
      owner_id: t.owner_id, has_access: !!t.access_token, has_refresh: !!t.refresh_token,
    };
  });
  if (!tok) return;
  await call("extension", async () => {
    const e = await ext().get();
    return { id: e.id, extensionNumber: e.extensionNumber, name: e.name, type: e.type };
  });

  // ---- listings with paging --------------------------------------------------------------
  await call("message-store pages", async () => {
    const ids = [];
    const pages = [];
    let page = 1;
    for (;;) {
      const r = await ext().messageStore().list({
        dateFrom: "2000-01-01T00:00:00.000Z", messageType: ["VoiceMail", "Fax"],
        perPage: 7, page,
      });
      pages.push(r.paging);
      for (const m of r.records) ids.push(m.id);
      if (!r.navigation || !r.navigation.nextPage) break;
      page += 1;
      if (page > 100) throw new Error("more than 100 pages");
    }
    return { ids, pages };
  });
  await call("call-log pages", async () => {
    const ids = [];
    let page = 1;
    let sawTotals = false;
    for (;;) {
      const r = await ext().callLog().list({
        dateFrom: "2000-01-01T00:00:00.000Z", type: ["Voice"], perPage: 25, page,
      });
      if (r.paging.totalElements !== undefined) sawTotals = true;
      for (const x of r.records) ids.push(x.id);
      if (!r.navigation || !r.navigation.nextPage) break;
      page += 1;
      if (page > 100) throw new Error("more than 100 pages");
    }
    return { ids, sawTotals };
  });

  // ---- one message and its content ---------------------------------------------------------
  const vms = await call("voicemails", async () => {
    const r = await ext().messageStore().list({
      dateFrom: "2000-01-01T00:00:00.000Z", messageType: ["VoiceMail"], perPage: 3,
    });
    return r.records.map(brief);
  });
  if (vms && vms.length) {
    const vm = vms[0];
    await call("message", async () => brief(await ext().messageStore(String(vm.id)).get()));
    for (const a of vm.attachments) {
      // the SDK's call: the path on the API host
      await call("content " + a.type, async () => {
        const bytes = await ext().messageStore(String(vm.id)).content(String(a.id)).get();
        return { messageId: vm.id, attachmentId: a.id, size: bytes.byteLength, sha256: sha256(bytes) };
      });
      // the attachment's own uri (the media host), as the SDK's tests download a fax
      await call("content uri " + a.type, async () => {
        const r = await rc.get(a.uri, undefined, { responseType: "arraybuffer" });
        return {
          messageId: vm.id, attachmentId: a.id, size: r.data.byteLength, sha256: sha256(r.data),
          contentType: r.headers["content-type"],
        };
      });
    }
  }
  const recs = await call("recordings", async () => {
    const r = await ext().callLog().list({
      dateFrom: "2000-01-01T00:00:00.000Z", withRecording: true, perPage: 2,
    });
    return r.records.map((x) => x.recording);
  });
  if (recs && recs.length) {
    await call("recording content", async () => {
      const id = recs[0].id;
      const meta = await rc.restapi().account().recording(String(id)).get();
      const bytes = await rc.restapi().account().recording(String(id)).content().get();
      return { id, duration: meta.duration, size: bytes.byteLength, sha256: sha256(bytes) };
    });
  }

  // ---- sending ------------------------------------------------------------------------------
  await call("sms", async () => brief(await ext().sms().post({
    from: { phoneNumber: FROM }, to: [{ phoneNumber: PEER }], text: "Hello from the SDK",
  })));
  await call("sms empty text", async () => brief(await ext().sms().post({
    from: { phoneNumber: FROM }, to: [{ phoneNumber: PEER }], text: "",
  })));
  await call("sms foreign from", async () => brief(await ext().sms().post({
    from: { phoneNumber: "+16505550102" }, to: [{ phoneNumber: PEER }], text: "not mine",
  })));
  const png = fs.readFileSync(path.join(files, "mms.png"));
  await call("mms", async () => brief(await ext().sms().post({
    from: { phoneNumber: FROM }, to: [{ phoneNumber: PEER }], text: "Picture and clip",
    attachments: [
      { filename: "mms.png", contentType: "image/png", content: png },
      { filename: "mms.mp4", contentType: "video/mp4",
        content: fs.createReadStream(path.join(files, "mms.mp4")) },
    ],
  })));
  const mms2 = await call("mms alias", async () => brief(await ext().mms().post({
    from: { phoneNumber: FROM }, to: [{ phoneNumber: PEER }],
    attachments: [{ filename: "mms.png", contentType: "image/png", content: png }],
  })));
  if (mms2) {
    for (const a of mms2.attachments) {
      await call("mms content " + a.type, async () => {
        const bytes = await ext().messageStore(String(mms2.id)).content(String(a.id)).get();
        return { messageId: mms2.id, attachmentId: a.id, size: bytes.byteLength, sha256: sha256(bytes) };
      });
    }
  }
  await call("pager", async () => brief(await ext().companyPager().post({
    to: [{ extensionNumber: "102" }], text: "Pager from the SDK",
  })));
  await call("fax", async () => brief(await ext().fax().post({
    to: [{ phoneNumber: PEER, name: "Fax Peer" }], faxResolution: "High",
    attachments: [{ filename: "fax.pdf", contentType: "application/pdf",
      content: fs.readFileSync(path.join(files, "fax.pdf")) }],
  })));

  // ---- settings -----------------------------------------------------------------------------
  await call("presence", async () => {
    const p = await ext().presence().get();
    return { userStatus: p.userStatus, dndStatus: p.dndStatus, presenceStatus: p.presenceStatus };
  });
  await call("presence update", async () => {
    const p = await ext().presence().put({ userStatus: "Busy", dndStatus: "DoNotAcceptAnyCalls" });
    return { userStatus: p.userStatus, dndStatus: p.dndStatus, presenceStatus: p.presenceStatus };
  });
  const rules = await call("rules", async () => {
    const r = await ext().answeringRule().list();
    return { ids: r.records.map((x) => x.id), types: r.records.map((x) => x.type), paging: r.paging };
  });
  if (rules && rules.ids.length) {
    await call("rule", async () => {
      const x = await ext().answeringRule(rules.ids[0]).get();
      return { id: x.id, type: x.type, enabled: x.enabled };
    });
  }

  // ---- contacts -----------------------------------------------------------------------------
  await call("contacts pages", async () => {
    const ids = [];
    let page = 1;
    let total;
    for (;;) {
      const r = await ext().addressBook().contact().list({ perPage: 6, page });
      total = r.paging.totalElements;
      for (const x of r.records) ids.push(x.id);
      if (!r.navigation || !r.navigation.nextPage) break;
      page += 1;
      if (page > 100) throw new Error("more than 100 pages");
    }
    return { ids, total };
  });
  const made = await call("contact create", async () => {
    const x = await ext().addressBook().contact().post({
      firstName: "Ada", lastName: "Lovelace", mobilePhone: "+14155550177", email: "ada@example.com",
    });
    return { id: x.id, firstName: x.firstName, lastName: x.lastName, mobilePhone: x.mobilePhone };
  });
  if (made) {
    await call("contact update", async () => {
      const x = await ext().addressBook().contact(String(made.id)).put({
        firstName: "Ada", lastName: "King", mobilePhone: "+14155550177",
      });
      return { id: x.id, lastName: x.lastName, email: x.email };
    });
    await call("contact get", async () => {
      const x = await ext().addressBook().contact(String(made.id)).get();
      return { id: x.id, lastName: x.lastName };
    });
    await call("contact delete", async () => ext().addressBook().contact(String(made.id)).delete());
  }

  // ---- sync ---------------------------------------------------------------------------------
  const full = await call("sync full", async () => {
    const r = await ext().messageSync().get({ syncType: "FSync" });
    return { ids: r.records.map((m) => m.id), syncInfo: r.syncInfo };
  });
  if (full) {
    await call("sync incremental", async () => {
      const r = await ext().messageSync().get({ syncType: "ISync", syncToken: full.syncInfo.syncToken });
      return { ids: r.records.map((m) => m.id), syncInfo: r.syncInfo };
    });
  }

  // ---- refresh, revoke ----------------------------------------------------------------------
  const before = rc.token.access_token;
  await call("refresh", async () => {
    const t = await rc.refresh();
    return { changed: t.access_token !== before, has_refresh: !!t.refresh_token, expires_in: t.expires_in };
  });
  await call("after refresh", async () => (await ext().get()).id);
  const last = rc.token;
  await call("revoke", async () => { await rc.revoke(); return { cleared: rc.token === undefined }; });
  rc.token = last;
  await call("after revoke", async () => (await ext().get()).id);
}

main().then(() => process.exit(0), (e) => {
  process.stderr.write(String(e && e.stack || e) + "\n");
  process.exit(1);
});
