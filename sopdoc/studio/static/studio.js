// sopdoc studio: the page side. The server owns every rule; this file only sends the
// form's inputs (named by key path) and puts back what the server answers.
"use strict";

(() => {
  const token = document.querySelector('meta[name="sopdoc-token"]').content;
  // Every address of the studio begins with its token (see guard.py).
  const prefix = document.querySelector('meta[name="sopdoc-dasar"]').content;
  const messageBar = document.getElementById("pesan");

  const UNREACHABLE = "Studio tidak dapat dihubungi: sopdoc studio sudah dihentikan atau jendela terminalnya " +
    "ditutup. Perubahan Anda tetap tersimpan di peramban ini. Jalankan lagi sopdoc studio untuk folder yang sama, " +
    "lalu coba lagi.";
  const REFUSED = "Studio menolak permintaan dari halaman ini: studio yang berjalan sekarang dijalankan untuk folder " +
    "lain, atau tokennya dibuat baru. Perubahan Anda tetap tersimpan di peramban ini: buka alamat yang dicetak " +
    "studio di terminal, lalu buka SOP ini lagi untuk memulihkannya.";

  // Status 0 is an answer that never came: the studio is not running (fetch itself failed).
  async function post(url, body) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-Sopdoc-Token": token},
        body: JSON.stringify(body),
      });
    } catch (e) {
      return {status: 0, data: {galat: UNREACHABLE}};
    }
    let data = {};
    try { data = await response.json(); } catch (e) {
      // Not the studio's JSON: another program (or another folder's studio) answers at this address now.
      data = {galat: response.status === 403 ? REFUSED : "Jawaban studio tidak terbaca.", asing: true};
    }
    return {status: response.status, data};
  }

  function say(text, kind, buttons) {
    messageBar.textContent = "";
    messageBar.className = "pesan " + (kind || "info");
    messageBar.append(document.createTextNode(text));
    for (const [label, action] of buttons || []) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "tombol kecil";
      button.textContent = label;
      button.addEventListener("click", action);
      messageBar.append(" ", button);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "ikon tutup";
    close.title = "Tutup pesan";
    close.textContent = "\u2715";
    close.addEventListener("click", () => { messageBar.hidden = true; });
    messageBar.append(close);
    messageBar.hidden = !text;
  }

  // --- background jobs: documents, books, export -------------------------------------------
  const jobPanel = document.getElementById("tugas");

  async function startJob(url, body) {
    body = body || {};
    const drafts = document.getElementById("sertakan-draf");
    if (drafts && url.endsWith("/ekspor")) body.draf = drafts.checked;    // as sopdoc export --draf
    const {status, data} = await post(url, body);
    if (status !== 200) { say(data.galat || "Tugas tidak dapat dimulai.", "galat"); return; }
    // The new action's result, in the job panel, replaces an error of an earlier try (a wrong password, say).
    if (messageBar.classList.contains("galat")) messageBar.hidden = true;
    showJob(data);
    pollJob(data.id);
  }

  function showJob(job) {
    const failed = job.galat || [];
    const incomplete = job.status === "selesai" && failed.length > 0;
    jobPanel.hidden = false;
    jobPanel.querySelector("progress").hidden = false;
    jobPanel.dataset.status = incomplete ? "sebagian" : job.status;
    jobPanel.querySelector(".tugas-judul").textContent = job.judul + ": " +
      (incomplete ? "selesai dengan " + failed.length + " galat" : job.status);
    const bar = jobPanel.querySelector("progress");
    // A phase the stages do not count (LibreOffice, a book) shows a moving bar, never a full one.
    if (job.jumlah && job.selesai < job.jumlah) { bar.max = job.jumlah; bar.value = job.selesai; }
    else { bar.removeAttribute("value"); }
    jobPanel.querySelector(".tugas-baris").textContent = job.baris.join("\n");
    const end = jobPanel.querySelector(".tugas-akhir");
    end.textContent = "";
    if (job.status === "selesai" || job.status === "gagal") {
      bar.max = 1; bar.value = job.status === "selesai" && !incomplete ? 1 : 0;
      if (incomplete) {
        bar.hidden = true;     // no bar reads "done": the list says what is missing
        const list = document.createElement("ul");
        list.className = "tugas-galat";
        for (const name of failed) {
          const item = document.createElement("li");
          item.textContent = name;
          list.append(item);
        }
        end.append(list);
      }
      if (job.pesan) end.append(document.createTextNode(job.pesan + " "));
      if (job.berkas) {
        const link = document.createElement("a");
        link.href = prefix + "/tugas/" + job.id + "/berkas";
        link.className = "tombol kecil " + (incomplete ? "" : "utama");
        link.textContent = "Unduh " + job.berkas + (incomplete ? " (tidak lengkap)" : "");
        link.dataset.unduh = "";
        end.append(link);
      }
      const close = document.createElement("button");
      close.type = "button";
      close.className = "tombol kecil";
      close.textContent = "Tutup";
      close.addEventListener("click", () => { jobPanel.hidden = true; });
      end.append(" ", close);
    }
  }

  async function pollJob(id) {
    let response, job;
    try {
      response = await fetch(prefix + "/tugas/" + id, {credentials: "same-origin"});
      job = await response.json();
    } catch (e) {
      say(UNREACHABLE, "galat");
      return;
    }
    if (!response.ok) { say(job.galat, "galat"); return; }
    showJob(job);
    if (job.status === "menunggu" || job.status === "berjalan") {
      setTimeout(() => pollJob(id), 400);
    } else if (job.status === "selesai" && job.berkas && !(job.galat || []).length) {
      // Only a complete result downloads by itself; an incomplete one waits for the person to choose it.
      window.location.href = prefix + "/tugas/" + id + "/berkas";
    }
  }

  for (const button of document.querySelectorAll("[data-tugas-alamat]")) {
    button.addEventListener("click", () => startJob(button.dataset.tugasAlamat));
  }

  // --- sign with a certificate chosen in the page (never kept: sent once, with its password) -------
  const signDialog = document.querySelector("dialog[data-ttd]");
  let signAddress = "";
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-ttd-alamat]");
    if (!button) return;
    signAddress = button.dataset.ttdAlamat;
    signDialog.showModal();
  });
  signDialog.querySelector("[data-ttd-tutup]").addEventListener("click", () => signDialog.close());
  signDialog.querySelector("form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const signForm = event.target;
    const file = signForm.sertifikat.files[0];
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    const body = {sertifikat: btoa(binary), nama_sertifikat: file.name, sandi: signForm.sandi.value};
    signForm.reset();
    signDialog.close();
    startJob(signAddress, body);
  });

  // --- the list: search as you type ---------------------------------------------------------
  const search = document.querySelector("form[data-cari]");
  if (search) {
    let timer = null;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const query = new URLSearchParams(new FormData(search)).toString();
        const response = await fetch(prefix + "/?" + query, {credentials: "same-origin"});
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        document.getElementById("daftar").replaceWith(page.getElementById("daftar"));
        history.replaceState(null, "", prefix + "/?" + query);
        for (const button of document.querySelectorAll("#daftar [data-tugas-alamat]")) {
          button.addEventListener("click", () => startJob(button.dataset.tugasAlamat));
        }
      }, 200);
    });
    search.addEventListener("submit", (event) => event.preventDefault());
  }

  // --- managing SOP files from the list: copy, rename, delete to the trash, restore ---------------
  const carriedMessage = () => {
    const text = sessionStorage.getItem("sopdoc-pesan");
    if (text) { sessionStorage.removeItem("sopdoc-pesan"); say(text, "berhasil"); }
  };

  async function manage(cell, verb) {
    const {sop, nama, berkas} = cell.dataset;
    let body = {};
    if (verb === "hapus") {
      if (!confirm("Pindahkan SOP \u201c" + nama + "\u201d ke Sampah?\n\nSOP itu tidak lagi dibaca, dibukukan atau " +
                   "diekspor, dan dapat dipulihkan dari halaman Sampah.")) return;
    } else if (verb === "salin") {
      const copy = prompt("Nama SOP salinan:", "Salinan " + nama);
      if (copy === null) return;
      body = {nama: copy, berkas: ""};
    } else {
      const name = prompt("Nama berkas baru (huruf kecil, angka dan tanda '-'), tanpa .yaml:", berkas);
      if (name === null || name === berkas) return;
      body = {berkas: name};
    }
    const {status, data} = await post(prefix + "/sop/" + sop + "/" + verb, body);
    if (status !== 200) { say(data.galat || "Tidak berhasil.", "galat"); return; }
    sessionStorage.setItem("sopdoc-pesan", data.pesan);
    if (verb === "salin") { window.location.href = data.alamat; } else { location.reload(); }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-kelola]");
    if (button) manage(button.closest("[data-sop]"), button.dataset.kelola);
  });

  for (const button of document.querySelectorAll("button[data-pulihkan]")) {
    button.addEventListener("click", async () => {
      const {status, data} = await post(prefix + "/sampah/pulihkan", {kunci: button.dataset.pulihkan});
      if (status !== 200) { say(data.galat || "Tidak berhasil.", "galat"); return; }
      sessionStorage.setItem("sopdoc-pesan", data.pesan);
      window.location.href = data.alamat;
    });
  }

  // --- import a workbook (the same import as sopdoc import) -----------------------------------------
  const importInput = document.querySelector("input[data-impor]");
  if (importInput) {
    const dialog = document.querySelector("dialog[data-impor-hasil]");
    const lines = dialog.querySelector("[data-impor-baris]");
    const overwrite = dialog.querySelector("[data-impor-timpa]");
    let imported = false;

    async function upload(file, replace) {
      let response;
      try {
        response = await fetch(prefix + "/impor" + (replace ? "?timpa=1" : ""), {
          method: "POST", credentials: "same-origin", body: file,
          headers: {"X-Sopdoc-Token": token, "X-Sopdoc-Berkas": encodeURIComponent(file.name),
                    "Content-Type": "application/octet-stream"},
        });
      } catch (e) { say(UNREACHABLE, "galat"); return; }
      let data = {};
      try { data = await response.json(); } catch (e) { data = {galat: "Jawaban studio tidak terbaca."}; }
      if (response.status === 413) data = {galat: "Berkas terlalu besar untuk diimpor (paling besar 8 MB)."};
      imported = data.berhasil === true;
      lines.textContent = (data.baris || [data.galat]).join("\n") +
        (imported ? "\n\nSelesai: SOP dari buku kerja ini sudah ditulis ke folder definisi." : "");
      dialog.dataset.hasil = imported ? "berhasil" : "galat";
      overwrite.hidden = !data.menunggu;
      overwrite.onclick = () => upload(file, true);
      if (!dialog.open) dialog.showModal();
    }

    importInput.addEventListener("change", () => {
      if (importInput.files.length) upload(importInput.files[0], false);
      importInput.value = "";
    });
    dialog.querySelector("[data-impor-tutup]").addEventListener("click", () => {
      dialog.close();
      if (imported) location.reload();
    });
  }

  // --- a new SOP ---------------------------------------------------------------------------
  const newForm = document.querySelector("form[data-baru]");
  if (newForm) {
    const unitSelect = newForm.querySelector("[data-unit-pilih]");
    const newUnit = newForm.querySelector("[data-unit-baru]");
    const toggle = () => { newUnit.hidden = unitSelect.value !== ""; };
    unitSelect.addEventListener("change", toggle);
    toggle();
    newForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const values = Object.fromEntries(new FormData(newForm));
      const {status, data} = await post(prefix + "/baru", {
        unit: values.unit, unit_nama: values.unit ? "" : values.unit_nama, induk: values.induk || "",
        nama: values.nama, berkas: values.berkas,
      });
      const error = newForm.querySelector("[data-galat]");
      if (status === 200) { window.location.href = data.alamat; return; }
      error.textContent = data.galat;
      error.hidden = false;
    });
  }

  // --- the editor (an SOP, or a unit's settings) --------------------------------------------
  carriedMessage();
  const form = document.querySelector("form[data-editor]");
  if (!form) return;
  const base = form.dataset.alamat;
  const preview = document.querySelector("[data-pratinjau]");
  const stateLabel = document.querySelector("[data-keadaan]");
  let sent = 0;          // requests sent
  let shown = 0;         // the newest request whose answer is on the page
  let updates = 0;       // preview updates shown (the data-pratinjau counter)
  let timer = null;
  let dirty = false;

  function fields() {
    return Array.from(new FormData(form).entries()).filter(([, value]) => typeof value === "string");
  }

  function setDirty(value) {
    dirty = value;
    stateLabel.textContent = value ? "Belum disimpan" : "Tersimpan";
    stateLabel.classList.toggle("belum", value);
  }

  // --- unsaved edits kept in the browser --------------------------------------------------------
  // Every change is kept in localStorage (per definitions folder and file) until it is saved, so that a
  // reload, a browser that crashed or a studio that was stopped loses nothing: the page offers it back.
  // Chromium writes localStorage to disk about 5 s after a change (measured), so a browser that crashes
  // sooner loses it; IndexedDB with durability "strict" is on disk when its transaction completes, so each
  // change is kept there too and the newer of the two is offered back.
  const folder = document.querySelector('meta[name="sopdoc-folder"]').content;
  const keptKey = "sopdoc-draf:" + folder + ":" + form.dataset.kunci;
  let keptBase = null;

  function keptStore(mode, work) {
    if (!window.indexedDB) return Promise.resolve(null);
    keptBase = keptBase || new Promise((resolve, reject) => {
      const opening = indexedDB.open("sopdoc-draf", 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore("draf");
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    return keptBase.then((base) => new Promise((resolve, reject) => {
      const transaction = base.transaction("draf", mode, {durability: "strict"});
      const request = work(transaction.objectStore("draf"));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
    })).catch(() => null);     // a refused or broken store: localStorage and the unsaved mark remain
  }

  // A tab opened to look at the file as saved elsewhere keeps nothing: the edits kept are the other tab's.
  const viewing = new URLSearchParams(location.search).get("berkas") === "1";

  // The studio keeps a copy too (beside the folder's token), sent a moment after the typing stops: a studio
  // started again on another port is another origin, whose pages cannot read this browser copy.
  let serverTimer = null;

  function keep() {
    if (!dirty || viewing) return;
    const saved = {isian: fields(), versi: form.dataset.versi, waktu: Date.now()};
    try {
      localStorage.setItem(keptKey, JSON.stringify(saved));
    } catch (e) { /* a full or refused storage: the unsaved mark still warns */ }
    keptStore("readwrite", (store) => store.put(saved, keptKey));
    clearTimeout(serverTimer);
    serverTimer = setTimeout(() => post(prefix + "/draf", Object.assign({kunci: form.dataset.kunci}, saved)), 600);
  }

  function forget() {
    localStorage.removeItem(keptKey);
    keptStore("readwrite", (store) => store.delete(keptKey));
    clearTimeout(serverTimer);
    return post(prefix + "/draf", {kunci: form.dataset.kunci, hapus: true});
  }

  async function kept() {
    let local = null;
    try { local = JSON.parse(localStorage.getItem(keptKey)); } catch (e) { /* unreadable: none */ }
    const stored = await keptStore("readonly", (store) => store.get(keptKey));
    if (!stored || !Array.isArray(stored.isian)) return local;
    return !local || stored.waktu > local.waktu ? stored : local;
  }

  // The newer of the browser's copy and the studio's.
  async function keptAnywhere() {
    const local = await kept();
    let server = null;
    try {
      const response = await fetch(prefix + "/draf?kunci=" + encodeURIComponent(form.dataset.kunci),
                                   {credentials: "same-origin"});
      server = (await response.json()).draf;
    } catch (e) { /* the browser's copy is offered alone */ }
    if (!server || !Array.isArray(server.isian)) return local;
    return local && local.waktu >= server.waktu ? local : server;
  }

  async function restore(saved) {
    form.dataset.versi = saved.versi;     // a save then still notices a file changed since those edits
    const reply = await send("/ubah", {aksi: "segarkan", isian: saved.isian});
    if (reply && reply.status === 200) {
      setDirty(true);
      say("Perubahan yang belum disimpan dipulihkan. Tekan Simpan untuk menulisnya ke berkas.", "info");
    }
  }

  async function offerKept() {
    if (viewing) {
      say("Tab ini menampilkan isi berkas sekarang; perubahan Anda yang belum disimpan tetap di tab asalnya.", "info");
      return;
    }
    const saved = await keptAnywhere();
    if (!saved || !Array.isArray(saved.isian)) return;
    if (JSON.stringify(saved.isian) === JSON.stringify(fields())) { forget(); return; }
    const when = new Date(saved.waktu).toLocaleString("id-ID", {dateStyle: "long", timeStyle: "short"});
    say("Ada perubahan yang belum disimpan dari " + when + " (disimpan sementara di peramban ini dan oleh studio).",
        "peringatan", [
      ["Pulihkan perubahan", () => restore(saved)],
      ["Buang", () => { forget(); messageBar.hidden = true; }],
    ]);
  }

  // --- a studio started again on another port ----------------------------------------------------
  // The browser keeps unsaved edits per origin, and another port is another origin: a tab whose studio
  // stopped looks for the same folder's studio (the same token) on the ports it may have taken, names
  // its address, and carries this tab's unsaved edits there (window.name survives the navigation).
  const CARRIED = "sopdoc-draf:";

  function studioAt(port) {
    return new Promise((resolve) => {
      const probe = new Image();
      const timer = setTimeout(() => resolve(false), 3000);
      probe.onload = () => { clearTimeout(timer); resolve(true); };
      probe.onerror = () => { clearTimeout(timer); resolve(false); };
      probe.src = "http://" + location.hostname + ":" + port + prefix + "/static/ada.svg?" + Date.now();
    });
  }

  async function offerMoved() {
    const own = Number(location.port);
    const ports = new Set();
    for (let p = own - 20; p <= own + 20; p++) ports.add(p);
    for (let p = 8765; p < 8785; p++) ports.add(p);
    ports.delete(own);
    const candidates = Array.from(ports).filter((p) => p > 1023 && p < 65536);
    const found = (await Promise.all(candidates.map(async (p) => (await studioAt(p)) ? p : null))).filter(Boolean);
    if (!found.length || !dirty) return;
    const address = "http://" + location.hostname + ":" + found[0] + prefix + "/";
    say("Belum tersimpan. Studio untuk folder ini sekarang berjalan di alamat lain: " + address + " . Perubahan " +
        "Anda yang belum disimpan dapat dibawa ke sana.", "peringatan", [
      ["Buka di alamat baru (bawa perubahan)", () => {
        keep();
        window.name = CARRIED + JSON.stringify({kunci: keptKey, draf: localStorage.getItem(keptKey)});
        setDirty(false);      // the edits travel with the tab: no "leave this page?" prompt
        location.href = address + location.pathname.slice(prefix.length + 1) + location.search;
      }],
    ]);
  }

  function takeCarried() {
    if (!window.name.startsWith(CARRIED)) return;
    try {
      const carried = JSON.parse(window.name.slice(CARRIED.length));
      if (carried.kunci === keptKey && carried.draf) localStorage.setItem(keptKey, carried.draf);
    } catch (e) { /* not ours: ignored */ }
    window.name = "";
  }

  // --- undo of a row, item or pelaksana deleted or moved ----------------------------------------
  const undoStack = [];
  const UNDO_KEPT = 30;
  const DONE = {
    "baris-hapus": (n) => "Kegiatan " + n + rowText(n) + " dihapus.",
    "baris-naik": (n) => "Kegiatan " + n + " dinaikkan.",
    "baris-turun": (n) => "Kegiatan " + n + " diturunkan.",
    "baris-sisip": () => "Kegiatan baru disisipkan.",
    "butir-hapus": () => "Butir dihapus.",
    "butir-naik": () => "Butir dinaikkan.",
    "butir-turun": () => "Butir diturunkan.",
    "pelaksana-hapus": () => "Pelaksana dihapus.",
    "pelaksana-kiri": () => "Kolom pelaksana digeser ke kiri.",
    "pelaksana-kanan": () => "Kolom pelaksana digeser ke kanan.",
  };

  function rowText(n) {
    const field = form.querySelector(`[name="kegiatan[${n}].uraian"]`);
    const text = field ? field.value.trim() : "";
    return text ? " (\u201c" + (text.length > 60 ? text.slice(0, 60) + "\u2026" : text) + "\u201d)" : "";
  }

  async function undo() {
    const last = undoStack.pop();
    if (!last) { say("Tidak ada yang bisa diurungkan.", "info"); return; }
    const reply = await send("/ubah", {aksi: "segarkan", isian: last.isian});
    if (reply && reply.status === 200) {
      setDirty(true);
      keep();
      say("Diurungkan: " + last.what, "info", undoStack.length ? [["Urungkan lagi (Ctrl+Z)", undo]] : []);
    }
  }

  function showNotes(notes) {
    for (const slot of document.querySelectorAll("[data-catatan]")) slot.textContent = "";
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    for (const note of notes) {
      let key = note.kunci;
      let slot = form.querySelector(`[data-catatan="${CSS.escape(key)}"]`);
      while (!slot && key) {
        const shorter = key.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
        key = shorter === key ? "" : shorter;
        slot = form.querySelector(`[data-catatan="${CSS.escape(key)}"]`);
      }
      const line = document.createElement("p");
      line.className = note.jenis;
      line.textContent = (slot && key !== note.kunci && note.kunci ? (note.nama || note.kunci) + ": " : "") + note.pesan;
      (slot || form.querySelector('[data-catatan=""]')).append(line);
      for (const input of form.querySelectorAll(`[name="${CSS.escape(note.kunci)}"]`)) {
        if (note.jenis === "galat") input.setAttribute("aria-invalid", "true");
      }
    }
  }

  function apply(data) {
    if (data.editor !== undefined) {
      const scroller = form;
      const top = scroller.scrollTop;
      form.innerHTML = data.editor;
      scroller.scrollTop = top;
      titleChoices();
    }
    if (data.pratinjau !== undefined && preview) {
      const holder = preview.querySelector(".skala");
      const sheets = holder.querySelectorAll(".lembar");
      if (!data.pratinjau.includes("data-lembar") && sheets.length) {
        // While the definition has errors, the last document drawn stays in view, faded, below the reason.
        for (const old of holder.querySelectorAll(":scope > :not(.lembar)")) old.remove();
        for (const sheet of sheets) sheet.classList.add("usang");
        holder.insertAdjacentHTML("afterbegin", data.pratinjau);
      } else {
        holder.innerHTML = data.pratinjau;
      }
      preview.dataset.pratinjau = String(++updates);
      fitIfAsked();
    }
    if (data.ringkasan !== undefined) document.getElementById("ringkasan").innerHTML = data.ringkasan;
    if (data.catatan) showNotes(data.catatan);
  }

  async function send(path, body) {
    const mine = ++sent;
    if (preview) preview.dataset.keadaan = "memuat";
    const reply = await post(base + path, Object.assign({isian: fields()}, body || {}));
    if (mine < shown) return null;       // an older answer that arrived late
    shown = mine;
    if (preview && mine === sent) preview.dataset.keadaan = "siap";
    if (reply.status === 200) apply(reply.data);
    else if (reply.data.galat) say(reply.data.galat, "galat");
    return reply;
  }

  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(() => send(preview ? "/pratinjau" : "/periksa"), 120);
  }

  async function act(action) {
    const [verb, argument] = [action.split(":")[0], action.slice(action.indexOf(":") + 1)];
    const before = {isian: fields(), what: DONE[verb] ? DONE[verb](argument) : ""};
    setDirty(true);
    clearTimeout(timer);
    const newActor = form.querySelector("[data-pelaksana-baru]");
    const reply = await send("/ubah", {aksi: action, pelaksana_baru: newActor ? newActor.value : ""});
    if (!reply || reply.status !== 200) return;
    keep();
    if (reply.data.pesan) { say(reply.data.pesan, "info"); return; }
    if (before.what) {
      undoStack.push(before);
      if (undoStack.length > UNDO_KEPT) undoStack.shift();
      say(before.what, "info", [["Urungkan (Ctrl+Z)", undo]]);
    }
  }

  form.addEventListener("input", (event) => {
    if (event.target.matches("[data-pelaksana-baru]")) return;
    setDirty(true);
    keep();
    if (!event.target.matches("[data-ubah]")) refresh();
  });
  form.addEventListener("change", (event) => {
    if (event.target.matches("select[data-judul-pilihan]")) titleChoices();
  });
  form.addEventListener("change", (event) => {
    if (event.target.matches("[data-ubah]")) act("segarkan");
  });
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-aksi]");
    if (!button) return;
    event.preventDefault();
    act(button.dataset.aksi);
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches("[data-pelaksana-baru]")) {
      event.preventDefault();
      act("pelaksana-tambah");
    }
  });
  form.addEventListener("submit", (event) => event.preventDefault());

  // After a save refused because the file changed elsewhere: the page lists what overwriting would change
  // (so another tab's saved change is seen before it is undone) and the person chooses; an overwrite carries
  // the version those lines were worked out from, so a file that changed yet again is never overwritten unseen.
  function showConflict(data) {
    const lines = data.beda || [];
    say(data.konflik + (lines.length ? " Bila Anda menimpa, berkas berubah begini (termasuk membatalkan " +
        "perubahan dari tempat lain):" : " Isi studio sama dengan berkas sekarang."), "galat", [
      ["Pakai isi berkas (buang perubahan studio)", async () => { setDirty(false); await forget(); location.reload(); }],
      ["Timpa dengan isi studio", () => save(data.versi_berkas)],
      ["Lihat isi berkas di tab baru", () => window.open(location.pathname + "?berkas=1", "_blank")],
    ]);
    if (!lines.length) return;
    const list = document.createElement("ul");
    list.className = "beda-konflik";
    list.dataset.bedaKonflik = "";
    for (const line of lines.slice(0, 30)) {
      const item = document.createElement("li");
      item.textContent = line;
      list.append(item);
    }
    if (lines.length > 30) list.append(Object.assign(document.createElement("li"), {textContent: "... dan " + (lines.length - 30) + " lagi"}));
    messageBar.insertBefore(list, messageBar.querySelector("button"));
  }

  async function save(overwrite) {
    clearTimeout(timer);
    keep();
    const over = typeof overwrite === "string" ? {timpa: true, versi_berkas: overwrite} : {};
    const reply = await send("/simpan", Object.assign({versi: form.dataset.versi}, over));
    if (!reply) return;
    if (reply.status === 409) {
      showConflict(reply.data);
      return;
    }
    if (reply.status !== 200) {
      if (dirty) say("Belum tersimpan. " + (reply.data.galat || ""), "galat");
      if (dirty && (reply.status === 0 || reply.data.asing)) offerMoved();
      return;
    }
    form.dataset.versi = reply.data.versi;
    forget();
    setDirty(false);
    const list = reply.data.perubahan || [];
    say(reply.data.pesan + (list.length ? " " + list.slice(0, 5).join("; ") + (list.length > 5 ? "; ..." : "") : ""),
        "berhasil");
  }

  document.querySelector("[data-simpan]").addEventListener("click", () => save(false));
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      save(false);
    }
    // Ctrl+Z in a text field undoes typing there, as everywhere; elsewhere it undoes the last row change.
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z" && !event.shiftKey &&
        !event.target.matches("input[type=text], textarea")) {
      event.preventDefault();
      undo();
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  for (const button of document.querySelectorAll("[data-dokumen]")) {
    button.addEventListener("click", () => {
      if (dirty) {
        say("Ada perubahan yang belum disimpan. Dokumen dibuat dari berkas yang tersimpan: simpan dulu.", "galat",
            [["Simpan lalu unduh", async () => { await save(false); if (!dirty) startJob(base + "/dokumen", {format: button.dataset.dokumen}); }]]);
        return;
      }
      startJob(base + "/dokumen", {format: button.dataset.dokumen});
    });
  }

  // --- revise: record a revision, or correct or delete one recorded --------------------------------
  // The date is typed as text and read by the server with sopdoc's one date rule (15 Januari 2024,
  // 15/01/2024, 15-01-2024, 2024-01-15, Maret 2024), never by the browser's own date box, whose order of
  // day and month follows the browser's language. The page shows the date as it will be printed.
  const dialog = document.querySelector("dialog[data-revisi]");
  if (dialog) {
    const reviseForm = dialog.querySelector("form");
    const error = dialog.querySelector("[data-galat]");
    const shownDate = dialog.querySelector("[data-tanggal-tampil]");
    let dateTimer = null;

    async function showDate() {
      const text = reviseForm.tanggal.value;
      let data = {};
      try {
        const response = await fetch(prefix + "/tanggal?teks=" + encodeURIComponent(text), {credentials: "same-origin"});
        data = await response.json();
      } catch (e) { data = {galat: UNREACHABLE}; }
      if (text !== reviseForm.tanggal.value) return;       // typed on since: a newer answer follows
      shownDate.textContent = data.tanggal ? "Dicetak: " + data.tanggal : (text.trim() ? data.galat : "");
      shownDate.className = "tanggal-tampil " + (data.tanggal ? "sah" : "galat");
    }

    function openRevision(number, date, note) {
      if (dirty) { say("Simpan dulu perubahan Anda sebelum mencatat atau memperbaiki revisi.", "galat"); return; }
      error.hidden = true;
      reviseForm.revisi_nomor.value = number || "";
      reviseForm.tanggal.value = date || new Date().toLocaleDateString("id-ID", {day: "numeric", month: "long", year: "numeric"});
      reviseForm.catatan.value = note || "";
      dialog.querySelector("[data-revisi-judul]").textContent = number ? "Perbaiki revisi ke-" + number : "Catat revisi";
      dialog.querySelector("[data-revisi-kirim]").textContent = number ? "Simpan perbaikan" : "Catat revisi";
      showDate();
      dialog.showModal();
    }

    async function sendRevision(path, body) {
      const {status, data} = await post(base + path, Object.assign({versi: form.dataset.versi}, body));
      if (status === 200) { dialog.close(); sessionStorage.setItem("sopdoc-pesan", data.pesan); location.reload(); return null; }
      return data.galat || (data.konflik ? data.konflik + " Muat ulang halaman ini, lalu coba lagi." : "Tidak berhasil.");
    }

    document.querySelector("[data-revisi-buka]").addEventListener("click", () => openRevision());
    form.addEventListener("click", async (event) => {
      const amend = event.target.closest("button[data-revisi-ubah]");
      if (amend) { openRevision(amend.dataset.revisiUbah, amend.dataset.tanggal, amend.dataset.catatanRevisi); return; }
      const remove = event.target.closest("button[data-revisi-hapus]");
      if (!remove) return;
      if (dirty) { say("Simpan dulu perubahan Anda sebelum memperbaiki revisi.", "galat"); return; }
      if (!confirm("Hapus revisi ke-" + remove.dataset.revisiHapus + " (" + remove.dataset.tanggal + ") dari riwayat?\n\n" +
                   "Versi sebelumnya disimpan sebagai .bak.")) return;
      const failed = await sendRevision("/revisi-ubah", {nomor: Number(remove.dataset.revisiHapus), hapus: true});
      if (failed) say(failed, "galat");
    });
    reviseForm.tanggal.addEventListener("input", () => {
      error.hidden = true;        // an earlier refusal no longer speaks of what is typed now
      clearTimeout(dateTimer);
      dateTimer = setTimeout(showDate, 150);
    });
    dialog.querySelector("[data-revisi-tutup]").addEventListener("click", () => dialog.close());
    reviseForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const number = Number(reviseForm.revisi_nomor.value);
      const body = {tanggal: reviseForm.tanggal.value, catatan: reviseForm.catatan.value};
      const failed = number ? await sendRevision("/revisi-ubah", Object.assign({nomor: number}, body))
        : await sendRevision("/revisi", body);
      if (!failed) return;
      error.textContent = failed;
      error.hidden = false;
    });
  }

  // --- zoom of the preview ---------------------------------------------------------------------
  let fitting = localStorage.getItem("sopdoc-zoom") === null;
  let zoom = Number(localStorage.getItem("sopdoc-zoom")) || 1;

  function setZoom(value) {
    zoom = Math.min(3, Math.max(0.3, value));
    preview.querySelector(".skala").style.zoom = String(zoom);
  }

  function fitIfAsked() {
    if (!fitting || !preview) return;
    const sheet = preview.querySelector(".lembar");
    if (!sheet) return;
    const width = sheet.offsetWidth;
    if (width) setZoom((preview.clientWidth - 24) / width);
  }

  if (preview) {
    for (const button of document.querySelectorAll("[data-zoom]")) {
      button.addEventListener("click", () => {
        const step = Number(button.dataset.zoom);
        fitting = step === 0;
        if (fitting) { localStorage.removeItem("sopdoc-zoom"); fitIfAsked(); return; }
        setZoom(zoom * (step > 0 ? 1.2 : 1 / 1.2));
        localStorage.setItem("sopdoc-zoom", String(zoom));
      });
    }
    window.addEventListener("resize", fitIfAsked);
    window.addEventListener("resize", titleChoices);
    if (fitting) fitIfAsked(); else setZoom(zoom);
  }

  // A select shows only the start of a long jabatan or row: its tooltip holds the whole of what is chosen,
  // and a jabatan too long for its select is also written out in full below it, wrapped.
  function titleChoices() {
    for (const select of form.querySelectorAll("select[data-judul-pilihan]")) {
      const chosen = select.selectedOptions[0];
      if (chosen) select.title = chosen.title || chosen.textContent;
    }
    for (const select of form.querySelectorAll(".pilih-pelaksana select")) fullName(select);
  }

  const measure = document.createElement("canvas").getContext("2d");

  // A jabatan too long for its select is shown whole, wrapped, in a box the select (transparent) lies over:
  // it still opens, takes the keyboard and is sent as before, and the row grows by a line at most.
  function fullName(select) {
    let box = select.parentElement;
    if (!box.matches(".pilihan-penuh")) {
      box = document.createElement("span");
      box.className = "pilihan-penuh";
      select.before(box);
      box.append(select, Object.assign(document.createElement("span"), {className: "nama-penuh"}));
    }
    const line = box.querySelector(".nama-penuh");
    const chosen = select.selectedOptions[0];
    const text = chosen ? chosen.textContent.trim() : "";
    box.classList.remove("panjang");
    const style = getComputedStyle(select);
    measure.font = style.fontWeight + " " + style.fontSize + " " + style.fontFamily;
    // Room for the text: the select's width less its padding and the arrow (about 24 px).
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;
    const clipped = Boolean(text) && measure.measureText(text).width > room;
    line.textContent = clipped ? text : "";
    box.classList.toggle("panjang", clipped);
  }

  showNotes(JSON.parse(document.getElementById("catatan-awal").textContent));
  titleChoices();
  takeCarried();
  offerKept();
})();
