// kaohe serve: drag-and-drop upload, the run's progress, printing. No framework, no network but this page.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf"]') || {}).content || "";

  function $(id) { return document.getElementById(id); }

  // ----- upload: the drop area and the file input send the same form
  var form = $("upload-form"), drop = $("drop"), input = $("files"), state = $("upload-state");
  function send(files) {
    if (!files || !files.length) { return; }
    var data = new FormData();
    data.append("csrf", csrf);
    for (var i = 0; i < files.length; i++) { data.append("files", files[i], files[i].name); }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action"));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { state.textContent = "正在上传… " + Math.round(100 * e.loaded / e.total) + "%"; }
    };
    xhr.onload = function () {
      var r = null;
      try { r = JSON.parse(xhr.responseText); } catch (err) { r = null; }
      if (r && r.note) { location.href = location.pathname + "?note=" + encodeURIComponent(r.note) + "#upload"; }
      else { state.textContent = "上传没有完成（" + xhr.status + "），请刷新页面后重试。"; }
    };
    xhr.onerror = function () { state.textContent = "上传失败：与本机的 kaohe 断开了连接（命令窗口是否已关闭？）"; };
    state.textContent = "正在上传 " + files.length + " 个文件…";
    xhr.send(data);
  }
  if (form && drop && input) {
    ["dragenter", "dragover"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) { send(e.dataTransfer.files); });
    input.addEventListener("change", function () {
      state.textContent = input.files.length ? "已选择 " + input.files.length + " 个文件，点「上传」保存。" : "";
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); send(input.files); });
  }

  // ----- the run: poll its progress, then show the finished page
  var job = $("job");
  if (job && job.getAttribute("data-state") === "running") {
    var id = job.getAttribute("data-job");
    var tick = function () {
      fetch("/jobs/" + id, { headers: { "Accept": "application/json" } }).then(function (r) { return r.json(); }).then(function (j) {
        var bar = $("job-bar"), step = $("job-step");
        if (bar) { bar.style.width = j.percent + "%"; }
        if (step && j.step) { step.textContent = j.step; }
        if (j.state === "running") { setTimeout(tick, 600); }
        else { location.replace(location.pathname + "?job=" + id + "&done=1#run"); }
      }).catch(function () { setTimeout(tick, 1500); });
    };
    setTimeout(tick, 400);
  }
  var runBtn = $("run-btn");
  if (runBtn) {
    runBtn.form.addEventListener("submit", function () { runBtn.disabled = true; runBtn.textContent = "正在生成…"; });
  }

  // ----- print
  var printNow = $("print-now");
  if (printNow) { printNow.addEventListener("click", function () { window.print(); }); }
})();
