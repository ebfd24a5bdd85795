// sopdoc studio: the page side. The server owns every rule; this file only sends the
// form's inputs (named by key path) and puts back what the server answers.
"use strict";

(() => {
  const token = document.querySelector('meta[name="sopdoc-token"]').content;
  // Every address of the studio begins with its token (see guard.py).
  const prefix = document.querySelector('meta[name="sopdoc-dasar"]').content;
  const messageBar = document.getElementById("pesan");

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-Sopdoc-Token": token},
      body: JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {galat: "Jawaban studio tidak terbaca."}; }
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
    const {status, data} = await post(url, body || {});
    if (status !== 200) { say(data.galat || "Tugas tidak dapat dimulai.", "galat"); return; }
    showJob(data);
    pollJob(data.id);
  }

  function showJob(job) {
    jobPanel.hidden = false;
    jobPanel.dataset.status = job.status;
    jobPanel.querySelector(".tugas-judul").textContent = job.judul + ": " + job.status;
    const bar = jobPanel.querySelector("progress");
    if (job.jumlah) { bar.max = job.jumlah; bar.value = job.selesai; } else { bar.removeAttribute("value"); }
    jobPanel.querySelector(".tugas-baris").textContent = job.baris.join("\n");
    const end = jobPanel.querySelector(".tugas-akhir");
    end.textContent = "";
    if (job.status === "selesai" || job.status === "gagal") {
      bar.max = 1; bar.value = job.status === "selesai" ? 1 : 0;
      if (job.pesan) end.append(document.createTextNode(job.pesan + " "));
      if (job.berkas) {
        const link = document.createElement("a");
        link.href = prefix + "/tugas/" + job.id + "/berkas";
        link.className = "tombol kecil utama";
        link.textContent = "Unduh " + job.berkas;
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
    const response = await fetch(prefix + "/tugas/" + id, {credentials: "same-origin"});
    const job = await response.json();
    if (!response.ok) { say(job.galat, "galat"); return; }
    showJob(job);
    if (job.status === "menunggu" || job.status === "berjalan") {
      setTimeout(() => pollJob(id), 400);
    } else if (job.status === "selesai" && job.berkas) {
      window.location.href = prefix + "/tugas/" + id + "/berkas";
    }
  }

  for (const button of document.querySelectorAll("[data-tugas-alamat]")) {
    button.addEventListener("click", () => startJob(button.dataset.tugasAlamat));
  }

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
        unit: values.unit || values.unit_baru, nama: values.nama, berkas: values.berkas,
      });
      const error = newForm.querySelector("[data-galat]");
      if (status === 200) { window.location.href = data.alamat; return; }
      error.textContent = data.galat;
      error.hidden = false;
    });
  }

  // --- the editor (an SOP, or a unit's settings) --------------------------------------------
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
      line.textContent = (slot && key !== note.kunci && note.kunci ? note.kunci + ": " : "") + note.pesan;
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
    setDirty(true);
    clearTimeout(timer);
    const newActor = form.querySelector("[data-pelaksana-baru]");
    const reply = await send("/ubah", {aksi: action, pelaksana_baru: newActor ? newActor.value : ""});
    if (reply && reply.data.pesan) say(reply.data.pesan, "info");
  }

  form.addEventListener("input", (event) => {
    if (event.target.matches("[data-pelaksana-baru]")) return;
    setDirty(true);
    if (!event.target.matches("[data-ubah]")) refresh();
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

  async function save(overwrite) {
    clearTimeout(timer);
    const reply = await send("/simpan", {versi: form.dataset.versi, timpa: overwrite === true});
    if (!reply) return;
    if (reply.status === 409) {
      say(reply.data.konflik, "galat", [
        ["Timpa dengan isi studio", () => save(true)],
        ["Muat ulang dari berkas (perubahan di studio hilang)", () => { setDirty(false); location.reload(); }],
      ]);
      return;
    }
    if (reply.status !== 200) return;
    form.dataset.versi = reply.data.versi;
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

  // --- revise -------------------------------------------------------------------------------
  const dialog = document.querySelector("dialog[data-revisi]");
  if (dialog) {
    const reviseForm = dialog.querySelector("form");
    const error = dialog.querySelector("[data-galat]");
    document.querySelector("[data-revisi-buka]").addEventListener("click", () => {
      if (dirty) { say("Simpan dulu perubahan Anda sebelum mencatat revisi.", "galat"); return; }
      error.hidden = true;
      reviseForm.tanggal.value = new Date().toISOString().slice(0, 10);
      dialog.showModal();
    });
    dialog.querySelector("[data-revisi-tutup]").addEventListener("click", () => dialog.close());
    reviseForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const {status, data} = await post(base + "/revisi", {
        tanggal: reviseForm.tanggal.value, catatan: reviseForm.catatan.value, versi: form.dataset.versi,
      });
      if (status === 200) { dialog.close(); sessionStorage.setItem("sopdoc-pesan", data.pesan); location.reload(); return; }
      error.textContent = data.galat || data.konflik;
      error.hidden = false;
    });
  }
  const carried = sessionStorage.getItem("sopdoc-pesan");
  if (carried) { sessionStorage.removeItem("sopdoc-pesan"); say(carried, "berhasil"); }

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
    if (fitting) fitIfAsked(); else setZoom(zoom);
  }

  showNotes(JSON.parse(document.getElementById("catatan-awal").textContent));
})();
